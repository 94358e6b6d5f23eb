import type { TemplateDefinition } from '../template-definition';

/**
 * Recruiters. Unsolicited outreach about a position is MARKETING under Meta's categorisation
 * (not tied to something the candidate started); follow-ups on an application are UTILITY.
 */
export const RECRUITING_TEMPLATES: TemplateDefinition[] = [
  {
    name: 'primer_contacto_oportunidad_laboral',
    language: 'es',
    category: 'MARKETING',
    parameterFormat: 'NAMED',
    components: [
      {
        type: 'HEADER',
        format: 'TEXT',
        text: 'Oportunidad laboral: {{cargo}}',
        example: { header_text_named_params: [{ param_name: 'cargo', example: 'Analista contable' }] },
      },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_candidato}}, soy {{nombre_reclutador}} de {{empresa}}. Revisamos tu perfil y creemos que ' +
          'podrías ser un gran aporte para el cargo de {{cargo}} en {{ubicacion}}. ¿Te gustaría conocer más detalles del proceso?',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_candidato', example: 'Javiera' },
            { param_name: 'nombre_reclutador', example: 'Felipe Rojas' },
            { param_name: 'empresa', example: 'Talento Sur' },
            { param_name: 'cargo', example: 'Analista contable' },
            { param_name: 'ubicacion', example: 'Providencia, Santiago' },
          ],
        },
      },
      { type: 'FOOTER', text: 'Si no te interesa, toca «No recibir más ofertas»' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Sí, me interesa' },
          { type: 'QUICK_REPLY', text: 'Ahora no' },
          { type: 'QUICK_REPLY', text: 'No recibir más ofertas' },
        ],
      },
    ],
  },
  {
    name: 'seguimiento_postulacion',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text:
          'Hola {{1}}, te escribimos para darte una actualización sobre tu postulación al cargo de {{2}}. ' +
          'Tu proceso se encuentra en la etapa de {{3}} y te contactaremos a más tardar el {{4}} con los próximos pasos. ' +
          'Si tienes preguntas, responde este mensaje.',
        example: { body_text: [['Tomás', 'Ejecutivo comercial', 'evaluación técnica', 'jueves 20 de noviembre']] },
      },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Gracias, quedo atento' },
          { type: 'QUICK_REPLY', text: 'Ya no me interesa' },
        ],
      },
    ],
  },
  {
    name: 'confirmacion_entrevista',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Entrevista agendada' },
      {
        type: 'BODY',
        text:
          'Hola {{nombre_candidato}}, tu entrevista para el cargo de {{cargo}} quedó agendada para el {{fecha}} ' +
          'a las {{hora}} ({{modalidad}}). Te entrevistará {{entrevistador}}. Por favor confirma tu asistencia con los botones de abajo.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre_candidato', example: 'Catalina' },
            { param_name: 'cargo', example: 'Diseñadora UX' },
            { param_name: 'fecha', example: 'martes 25 de noviembre' },
            { param_name: 'hora', example: '10:30' },
            { param_name: 'modalidad', example: 'videollamada por Google Meet' },
            { param_name: 'entrevistador', example: 'Daniela Muñoz, jefa de producto' },
          ],
        },
      },
      { type: 'FOOTER', text: 'Te enviaremos el enlace un día antes' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Confirmo asistencia' },
          { type: 'QUICK_REPLY', text: 'Necesito reagendar' },
        ],
      },
    ],
  },
];
