import type { TemplateDefinition } from '../template-definition';
import { DEFAULT_SET_BASE_URL } from './default-set-links';

/** Accounting firms in Chile: SII deadlines (F29 monthly VAT, annual F3323), reviews, fee receipts. */
export const TAX_ACCOUNTING_TEMPLATES: TemplateDefinition[] = [
  {
    name: 'f29_recordatorio_vencimiento',
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Declaración F29 de {{1}}', example: { header_text: ['octubre 2025'] } },
      {
        type: 'BODY',
        text:
          'Hola {{1}}, te recordamos que la declaración mensual de IVA (Formulario 29) del período {{2}} vence el {{3}}. ' +
          'Para prepararla a tiempo, envíanos tus facturas de compra y venta del período antes del {{4}}. ' +
          'Si ya nos enviaste todo, puedes ignorar este mensaje.',
        example: { body_text: [['María José', 'octubre 2025', '20 de noviembre de 2025', '14 de noviembre']] },
      },
      { type: 'FOOTER', text: 'Responde este mensaje si tienes dudas' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Ya envié los documentos' },
          { type: 'QUICK_REPLY', text: 'Necesito ayuda' },
        ],
      },
    ],
  },
  {
    name: 'declaracion_anual_f3323',
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Declaración anual F3323' },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_cliente}}, se acerca el vencimiento del Formulario 3323 correspondiente al año tributario ' +
          '{{anio_tributario}}, que debemos presentar ante el SII a más tardar el {{fecha_vencimiento}}. ' +
          'Para prepararla necesitamos tus antecedentes del año comercial, por favor súbelos en el portal antes del ' +
          '{{fecha_limite_documentos}}.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_cliente', example: 'Comercial Los Andes SpA' },
            { param_name: 'anio_tributario', example: '2026' },
            { param_name: 'fecha_vencimiento', example: '30 de junio de 2026' },
            { param_name: 'fecha_limite_documentos', example: '15 de junio' },
          ],
        },
      },
      { type: 'FOOTER', text: 'Equipo tributario' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Subir antecedentes',
            url: `${DEFAULT_SET_BASE_URL}/documentos/{{1}}`,
            example: [`${DEFAULT_SET_BASE_URL}/documentos/76543210-K`],
          },
          { type: 'QUICK_REPLY', text: 'Tengo una consulta' },
        ],
      },
    ],
  },
  {
    name: 'documentos_listos_revision',
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Documentos listos para revisión' },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_cliente}}, ya están listos para tu revisión los siguientes documentos: {{detalle_documentos}}. ' +
          'Te pedimos revisarlos y darnos tu visto bueno antes del {{fecha_limite}} para presentarlos a tiempo.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_cliente', example: 'Andrés' },
            { param_name: 'detalle_documentos', example: 'balance 2025 y libro de remuneraciones de diciembre' },
            { param_name: 'fecha_limite', example: 'viernes 9 de enero' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Revisar documentos',
            url: `${DEFAULT_SET_BASE_URL}/revision/{{1}}`,
            example: [`${DEFAULT_SET_BASE_URL}/revision/a8f3k2`],
          },
          { type: 'QUICK_REPLY', text: 'Todo conforme' },
          { type: 'QUICK_REPLY', text: 'Tengo observaciones' },
        ],
      },
    ],
  },
  {
    name: 'recordatorio_boleta_honorarios',
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text:
          'Hola {{1}}, te recordamos emitir la boleta de honorarios electrónica por los servicios de {{2}}, ' +
          'por un monto bruto de {{3}}. Cuando la tengas, envíanos el PDF por este medio para registrarla en tu contabilidad.',
        example: { body_text: [['Valentina', 'octubre 2025', '$850.000']] },
      },
      { type: 'FOOTER', text: 'Puedes emitirla en sii.cl con tu Clave Tributaria' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Ya la emití' },
          { type: 'QUICK_REPLY', text: 'Necesito ayuda' },
        ],
      },
    ],
  },
];
