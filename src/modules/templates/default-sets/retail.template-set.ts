import type { TemplateDefinition } from '../template-definition';
import { DEFAULT_SET_BASE_URL } from './default-set-links';

/** Shops: order notifications (UTILITY) and one promotion with a coupon (MARKETING). */
export const RETAIL_TEMPLATES: TemplateDefinition[] = [
  {
    name: 'pedido_listo_para_retiro',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'LOCATION' },
      {
        type: 'BODY',
        text:
          'Hola {{1}}, tu pedido #{{2}} ya está listo para retiro en nuestra tienda {{3}}, ubicada en el mapa de arriba. ' +
          'Puedes retirarlo hasta el {{4}}, en horario de {{5}}. Recuerda presentar tu cédula de identidad y el número de pedido.',
        example: { body_text: [['Diego', '10482', 'Mall Plaza Vespucio', 'sábado 15 de noviembre', '10:00 a 21:00 hrs']] },
      },
      { type: 'FOOTER', text: 'Si otra persona retira, debe traer un poder simple' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Necesito más plazo' },
          { type: 'QUICK_REPLY', text: 'Prefiero despacho' },
        ],
      },
    ],
  },
  {
    name: 'pedido_despachado_seguimiento',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: '¡Tu pedido va en camino!' },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_cliente}}, tu pedido #{{numero_pedido}} fue despachado con {{empresa_transporte}} ' +
          'y debería llegar el {{fecha_estimada}}. Puedes seguir tu envío en todo momento con el botón de abajo.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_cliente', example: 'Fernanda' },
            { param_name: 'numero_pedido', example: '10517' },
            { param_name: 'empresa_transporte', example: 'Blue Express' },
            { param_name: 'fecha_estimada', example: 'miércoles 19 de noviembre' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Seguir mi envío',
            url: `${DEFAULT_SET_BASE_URL}/seguimiento/{{1}}`,
            example: [`${DEFAULT_SET_BASE_URL}/seguimiento/BX7781234560`],
          },
        ],
      },
    ],
  },
  {
    name: 'promocion_cupon_descuento',
    language: 'es',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Un regalo para ti' },
      {
        type: 'BODY',
        text:
          'Hola {{1}}, por ser cliente de nuestra tienda tienes un {{2}} de descuento en tu próxima compra online. ' +
          'Copia el código con el botón de abajo y úsalo antes del {{3}}.',
        example: { body_text: [['Ignacio', '15%', 'domingo 30 de noviembre']] },
      },
      { type: 'FOOTER', text: 'No acumulable con otras promociones' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', example: 'CLIENTE15' },
          { type: 'QUICK_REPLY', text: 'No recibir promociones' },
        ],
      },
    ],
  },
];
