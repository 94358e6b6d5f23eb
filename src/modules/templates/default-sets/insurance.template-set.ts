import type { TemplateDefinition } from '../template-definition';
import { DEFAULT_SET_BASE_URL, DEFAULT_SET_PHONE_NUMBER } from './default-set-links';

/** Insurance brokers: a quote the customer asked for, and renewals of their policy (both UTILITY). */
export const INSURANCE_TEMPLATES: TemplateDefinition[] = [
  {
    name: 'cotizacion_seguro_lista',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      {
        type: 'HEADER',
        format: 'TEXT',
        text: 'Tu cotización de {{1}} está lista',
        example: { header_text: ['seguro automotriz'] },
      },
      {
        type: 'BODY',
        text:
          'Hola {{1}}, preparamos la cotización de {{2}} que nos solicitaste con {{3}}. La prima mensual es de {{4}} ' +
          'y la oferta es válida hasta el {{5}}. Revisa el detalle de coberturas y deducibles en el enlace de abajo.',
        example: {
          body_text: [['Camila', 'seguro automotriz', 'Seguros del Pacífico', 'UF 1,35 (aprox. $52.400)', '30 de noviembre']],
        },
      },
      { type: 'FOOTER', text: 'Valores sujetos a evaluación de la compañía' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Ver cotización',
            url: `${DEFAULT_SET_BASE_URL}/cotizaciones/{{1}}`,
            example: [`${DEFAULT_SET_BASE_URL}/cotizaciones/COT-2025-08841`],
          },
          { type: 'PHONE_NUMBER', text: 'Llamar a mi ejecutivo', phone_number: DEFAULT_SET_PHONE_NUMBER },
        ],
      },
    ],
  },
  {
    name: 'recordatorio_renovacion_poliza',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Renovación de tu póliza' },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_cliente}}, tu póliza de {{tipo_seguro}} N° {{numero_poliza}} vence el {{fecha_vencimiento}}. ' +
          'La prima de renovación es de {{prima_renovacion}}. Para mantener tu cobertura sin interrupciones, ' +
          'confírmanos la renovación antes de esa fecha.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_cliente', example: 'Rodrigo' },
            { param_name: 'tipo_seguro', example: 'seguro de hogar' },
            { param_name: 'numero_poliza', example: '4410-228761' },
            { param_name: 'fecha_vencimiento', example: '1 de diciembre de 2025' },
            { param_name: 'prima_renovacion', example: 'UF 0,92 mensual' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Renovar póliza' },
          { type: 'QUICK_REPLY', text: 'Ver otras opciones' },
          { type: 'QUICK_REPLY', text: 'Hablar con un ejecutivo' },
        ],
      },
    ],
  },
];
