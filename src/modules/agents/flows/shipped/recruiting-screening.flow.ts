import type { FlowDefinition } from '../flow-definition';

export const RECRUITING_SCREENING_FLOW: FlowDefinition = {
  id: 'recruiting-screening',
  name: 'Preselección de candidatos',
  initialState: 'INICIO',
  idleTimeoutMinutes: 24 * 60,
  triggers: { keywords: ['postular', 'postulacion', 'quiero postular', 'me interesa el cargo', 'me interesa la oferta', 'vacante'] },
  exitKeywords: ['cancelar', 'salir'],
  states: {
    INICIO: {
      messages: [{ type: 'text', text: '¡Gracias por tu interés! Te haré 4 preguntas breves para tu postulación.' }],
      transitions: [{ on: { always: true }, to: 'SCREENING' }],
    },
    SCREENING: {
      slots: [
        {
          name: 'availability',
          prompt: '¿Cuál es tu disponibilidad para comenzar?',
          validation: { type: 'choice', options: [
            { id: 'immediate', title: 'Inmediata', synonyms: ['ya', 'inmediato', 'ahora'] },
            { id: 'two_weeks', title: 'En 2 semanas', synonyms: ['15 dias', 'dos semanas', 'quincena'] },
            { id: 'one_month', title: 'En 1 mes o más', synonyms: ['30 dias', 'un mes', 'mes'] },
          ] },
          errorMessage: 'Elige una de las opciones de disponibilidad.',
        },
        { name: 'experience_years', prompt: '¿Cuántos años de experiencia tienes en el área?', validation: { type: 'number', min: 0, max: 50 }, errorMessage: 'Indica los años de experiencia con un número entre 0 y 50.' },
        { name: 'salary_expectation', prompt: '¿Cuál es tu pretensión de renta líquida mensual (en pesos)?', validation: { type: 'number', min: 100000, max: 20000000 }, errorMessage: 'Indica un monto en pesos, por ejemplo 900.000 o "900 mil".' },
        { name: 'location', prompt: '¿En qué comuna vives?', validation: { type: 'text', minLength: 3, maxLength: 80 }, errorMessage: 'Escribe el nombre de tu comuna.' },
      ],
      transitions: [{ on: { slotsComplete: true }, to: 'RESUMEN' }],
    },
    RESUMEN: {
      terminal: true,
      addLabels: ['postulante'],
      messages: [
        {
          type: 'text',
          text: 'Resumen de tu postulación:\n• Disponibilidad: {{availability_label}}\n• Experiencia: {{experience_years_label}} años\n• Pretensión de renta: ${{salary_expectation_label}}\n• Comuna: {{location_label}}\nNuestro equipo revisará tus datos y te contactará.',
        },
      ],
    },
  },
};
