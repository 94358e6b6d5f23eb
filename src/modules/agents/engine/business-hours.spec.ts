import { buildAgentContext } from '../../../../test/fixtures/agents/agent-context.factory';
import { BusinessHoursAgent } from './agents/business-hours.agent';
import { OUT_OF_HOURS_KEY } from './out-of-hours';
import { AgentManager } from './agent-registry';
import type { BusinessHoursConfig } from './agent.types';
import { fromLocal, openState, toLocal } from './business-hours';
import { createDefaultAgents } from './default-agents';

const DAY: Array<[string, string]> = [['09:00', '18:00']];
const HOURS: BusinessHoursConfig = { weekly: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: [['09:00', '17:00']] }, holidays: ['2025-06-20'] };

describe('openState', () => {
  it('converts wall-clock times in the account timezone, including across the Chilean DST change', () => {
    expect(fromLocal('2025-06-11', 9 * 60, 'America/Santiago').toISOString()).toBe('2025-06-11T13:00:00.000Z');
    expect(fromLocal('2025-01-15', 9 * 60, 'America/Santiago').toISOString()).toBe('2025-01-15T12:00:00.000Z');
    expect(toLocal(new Date('2025-06-11T15:00:00Z'), 'America/Santiago')).toEqual({ date: '2025-06-11', weekday: 'wed', minutes: 660 });
  });

  it('is closed since the last closing and reports the next opening when at night', () => {
    const state = openState(new Date('2025-06-12T02:00:00Z'), HOURS, 'America/Santiago');

    expect(state.open).toBe(false);
    expect(state.closedSince?.toISOString()).toBe('2025-06-11T22:00:00.000Z');
    expect(state.nextOpen?.toISOString()).toBe('2025-06-12T13:00:00.000Z');
  });

  it('skips holidays when looking for the next opening', () => {
    const state = openState(new Date('2025-06-19T23:00:00Z'), HOURS, 'America/Santiago');

    expect(state.nextOpen?.toISOString()).toBe('2025-06-23T13:00:00.000Z');
  });
});

describe(BusinessHoursAgent.name, () => {
  const manager = new AgentManager({ agents: createDefaultAgents() });
  const night = new Date('2025-06-12T02:00:00Z');

  it('answers a question the bot knows at night without the out-of-hours notice', async () => {
    const result = await manager.route(buildAgentContext({ text: '¿Cuándo vence el F29?', now: night }));

    expect(result).toMatchObject({ agent: 'tax_reminders', intent: 'tax_reminders', outOfHoursNotice: false });
    expect(result.reply.messages).toHaveLength(1);
    expect(result.reply.sideEffects?.botState).not.toHaveProperty(OUT_OF_HOURS_KEY);
  });

  it('adds the out-of-hours notice to a handoff once per closed period', async () => {
    const first = await manager.route(buildAgentContext({ text: 'quiero hablar con una persona', now: night }));
    const second = await manager.route(buildAgentContext({ text: 'quiero hablar con una persona', now: new Date(night.getTime() + 3_600_000), botState: first.reply.sideEffects!.botState }));
    const nextNight = await manager.route(buildAgentContext({ text: 'tengo un reclamo', now: new Date('2025-06-13T02:00:00Z'), botState: second.reply.sideEffects!.botState }));

    expect(first).toMatchObject({ agent: 'human_handoff', outOfHoursNotice: true });
    expect(first.reply.messages[1]).toMatchObject({ text: expect.stringContaining('el jueves a las 09:00') });
    expect(first.reply.sideEffects?.botState?.[OUT_OF_HOURS_KEY]).toBe('2025-06-11T22:00:00.000Z');
    expect(second).toMatchObject({ agent: 'human_handoff', outOfHoursNotice: false });
    expect(second.reply.messages).toHaveLength(1);
    expect(nextNight).toMatchObject({ agent: 'support', outOfHoursNotice: true });
  });

  it('never adds the notice in business hours', async () => {
    const result = await manager.route(buildAgentContext({ text: 'quiero hablar con una persona' }));

    expect(result).toMatchObject({ agent: 'human_handoff', outOfHoursNotice: false });
    expect(result.reply.messages).toHaveLength(1);
  });

  it('answers hours questions with the schedule when open', async () => {
    const result = await manager.route(buildAgentContext({ text: '¿cuál es el horario de atención?' }));

    expect(result.reply.messages[0]).toMatchObject({ text: 'Nuestro horario de atención es lunes a jueves 09:00–18:00; viernes 09:00–17:00. Ahora estamos atendiendo.' });
  });
});
