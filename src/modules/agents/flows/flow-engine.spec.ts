import type { OutboundReply } from '../engine/agent.types';
import type { FlowDefinition } from './flow-definition';
import { validateFlowDefinition } from './flow-definition';
import { advance, type FlowInput, type FlowState } from './flow-engine';
import { INSURANCE_SALES_FLOW, insuranceRuntime } from './shipped/insurance-sales.flow';
import { RECRUITING_SCREENING_FLOW } from './shipped/recruiting-screening.flow';

const NOW = new Date('2025-06-11T15:00:00.000Z');
const runtime = insuranceRuntime();

function texts(replies: OutboundReply[]): string[] {
  return replies.map((reply) => ('text' in reply ? reply.text : reply.name));
}

function converse(def: FlowDefinition, inputs: FlowInput[], now = NOW) {
  let state: FlowState | undefined;
  const transcript: string[] = [];
  let step = advance(def, undefined, {}, now, runtime);
  transcript.push(...texts(step.replies));
  state = step.state;
  for (const input of inputs) {
    step = advance(def, state, input, now, runtime);
    transcript.push(...texts(step.replies));
    state = step.state;
  }
  return { step, transcript };
}

describe('advance', () => {
  it('reaches FINALIZADO with the default quote when a customer completes the auto insurance conversation', () => {
    const { step, transcript } = converse(INSURANCE_SALES_FLOW, [{ replyId: 'auto' }, { text: 'tengo 30 años' }, { text: '2020' }, { replyId: 'accept' }]);

    expect(step.completed).toBe(true);
    expect(step.state?.current).toBe('FINALIZADO');
    expect(step.state?.slots).toMatchObject({ insurance_type: 'auto', age: 30, vehicle_year: 2020 });
    // 1.2 UF × age factor 1.0 × (1 + 0.02 × 5 years) = 1.32 UF
    expect(step.state?.vars.quote_uf).toBe('1,32');
    expect(transcript).toContain('Seguro automotriz: tu prima estimada es de 1,32 UF mensuales (referencial, sujeta a evaluación).');
  });

  it('asks only the slots that apply when the customer picks home insurance by typing', () => {
    const { step, transcript } = converse(INSURANCE_SALES_FLOW, [{ text: 'para mi casa' }, { text: '45' }, { text: '4.000' }, { text: 'no' }]);

    expect(transcript).not.toContain('¿De qué año es el vehículo?');
    expect(step.state?.vars.quote_uf).toBe('1,4');
    expect(step.state?.current).toBe('RECHAZADO');
    expect(step.completed).toBe(true);
  });

  it('re-asks with the validation message when an answer is invalid', () => {
    const start = advance(INSURANCE_SALES_FLOW, undefined, {}, NOW, runtime);
    const typed = advance(INSURANCE_SALES_FLOW, start.state, { replyId: 'auto' }, NOW, runtime);
    const tooYoung = advance(INSURANCE_SALES_FLOW, typed.state, { text: '15' }, NOW, runtime);
    const notANumber = advance(INSURANCE_SALES_FLOW, tooYoung.state, { text: 'treinta y tantos' }, NOW, runtime);

    expect(texts(tooYoung.replies)).toEqual(['La edad debe ser un número entre 18 y 99.', '¿Cuántos años tienes?']);
    expect(texts(notANumber.replies)).toEqual(['La edad debe ser un número entre 18 y 99.', '¿Cuántos años tienes?']);
    expect(notANumber.state?.slots.age).toBeUndefined();
    expect(notANumber.completed).toBe(false);
  });

  it('re-sends the proposal buttons when the answer matches no transition', () => {
    const { step } = converse(INSURANCE_SALES_FLOW, [{ replyId: 'vida' }, { text: '40' }, { text: '1000' }, { text: 'mmm' }]);

    expect(step.state?.current).toBe('PRESENTACION_PROPUESTA');
    expect(step.replies[0]).toEqual({ type: 'text', text: 'Por favor responde con uno de los botones.' });
    expect(step.replies[1]).toMatchObject({ type: 'buttons', buttons: [{ id: 'accept' }, { id: 'decline' }] });
  });

  it('restarts from the initial state when the previous state is older than the idle timeout', () => {
    const start = advance(INSURANCE_SALES_FLOW, undefined, {}, NOW, runtime);
    const typed = advance(INSURANCE_SALES_FLOW, start.state, { replyId: 'auto' }, NOW, runtime);
    const later = new Date(NOW.getTime() + 61 * 60_000);
    const resumed = advance(INSURANCE_SALES_FLOW, typed.state, { text: '30' }, later, runtime);

    expect(resumed.restarted).toBe(true);
    expect(resumed.state?.slots).toEqual({});
    expect(resumed.state?.startedAt).toBe(later.toISOString());
    expect(texts(resumed.replies)[1]).toBe('¿Qué seguro te interesa?');
  });

  it('keeps the answers when the customer replies within the idle timeout', () => {
    const start = advance(INSURANCE_SALES_FLOW, undefined, {}, NOW, runtime);
    const typed = advance(INSURANCE_SALES_FLOW, start.state, { replyId: 'auto' }, NOW, runtime);
    const resumed = advance(INSURANCE_SALES_FLOW, typed.state, { text: '30' }, new Date(NOW.getTime() + 59 * 60_000), runtime);

    expect(resumed.restarted).toBeUndefined();
    expect(resumed.state?.slots.age).toBe(30);
  });

  it('cancels the flow when the customer types an exit keyword', () => {
    const start = advance(INSURANCE_SALES_FLOW, undefined, {}, NOW, runtime);
    const cancelled = advance(INSURANCE_SALES_FLOW, start.state, { text: 'cancelar' }, NOW, runtime);

    expect(cancelled).toEqual({ state: undefined, replies: [], completed: true, cancelled: true });
  });

  it('ends the recruiting screening with a summary of the answers', () => {
    const { step } = converse(RECRUITING_SCREENING_FLOW, [{ replyId: 'two_weeks' }, { text: '5 años' }, { text: '1.200.000' }, { text: 'Ñuñoa' }]);

    expect(step.completed).toBe(true);
    expect(step.state?.current).toBe('RESUMEN');
    expect(texts(step.replies)[0]).toBe(
      'Resumen de tu postulación:\n• Disponibilidad: En 2 semanas\n• Experiencia: 5 años\n• Pretensión de renta: $1.200.000\n• Comuna: Ñuñoa\nNuestro equipo revisará tus datos y te contactará.',
    );
  });

  it('accepts "900 mil" as a salary expectation', () => {
    const { step } = converse(RECRUITING_SCREENING_FLOW, [{ text: 'inmediata' }, { text: '2' }, { text: '900 mil' }]);

    expect(step.state?.slots.salary_expectation).toBe(900000);
  });

  it('follows intent, keyword and date slots when a definition uses them', () => {
    const def: FlowDefinition = {
      id: 'demo',
      name: 'Demo',
      initialState: 'ASK',
      idleTimeoutMinutes: 10,
      states: {
        ASK: {
          slots: [{ name: 'day', prompt: '¿Qué fecha?', validation: { type: 'date', notBefore: 'today' }, errorMessage: 'Fecha inválida (dd/mm/aaaa).' }],
          transitions: [{ on: { slotsComplete: true }, to: 'CONFIRM' }],
        },
        CONFIRM: { messages: [{ type: 'text', text: 'Agendado el {{day_label}}. ¿Algo más?' }], transitions: [{ on: { intent: 'sales' }, to: 'DONE' }, { on: { keyword: 'nada mas' }, to: 'DONE' }] },
        DONE: { terminal: true, messages: [{ type: 'text', text: 'Listo.' }] },
      },
    };
    const start = advance(def, undefined, {}, NOW);
    const past = advance(def, start.state, { text: '01/01/2020' }, NOW);
    const dated = advance(def, past.state, { text: '20/06/2025' }, NOW);
    const done = advance(def, dated.state, { text: 'cuánto cuesta', intent: 'sales' }, NOW);

    expect(texts(past.replies)[0]).toBe('Fecha inválida (dd/mm/aaaa).');
    expect(texts(dated.replies)).toEqual(['Agendado el 20/06/2025. ¿Algo más?']);
    expect(done.state?.current).toBe('DONE');
  });
});

describe('validateFlowDefinition', () => {
  it('accepts the shipped flows', () => {
    expect(validateFlowDefinition(INSURANCE_SALES_FLOW, runtime)).toEqual([]);
    expect(validateFlowDefinition(RECRUITING_SCREENING_FLOW)).toEqual([]);
  });

  it('reports every problem when a definition is broken', () => {
    const broken: FlowDefinition = {
      id: 'broken',
      name: 'Broken',
      initialState: 'MISSING',
      idleTimeoutMinutes: 0,
      states: {
        A: {
          transitions: [{ on: { replyId: 'x' }, to: 'NOWHERE' }],
          compute: 'unknownCalculator',
          slots: [
            { name: 'n', prompt: '?', validation: { type: 'number', min: 10, max: 1 }, errorMessage: 'bad' },
            { name: 'r', prompt: '?', validation: { type: 'regex', pattern: '([' }, errorMessage: 'bad' },
            { name: 'c', prompt: '?', validation: { type: 'choice', options: [{ id: '1', title: '1' }, { id: '2', title: '2' }, { id: '3', title: '3' }, { id: '4', title: '4' }] }, errorMessage: 'bad' },
          ],
        },
      },
    };

    expect(validateFlowDefinition(broken, { calculators: {} })).toEqual([
      'initialState "MISSING" does not exist',
      'at least one state must be terminal',
      'idleTimeoutMinutes must be a positive number',
      'states.A: transition target "NOWHERE" does not exist',
      'states.A: calculator "unknownCalculator" is not registered',
      'states.A.slots.n: min is greater than max',
      'states.A.slots.r: pattern is not a valid regular expression',
      'states.A.slots.c: more than 3 options need display "list"',
    ]);
  });
});
