import { buildAgentContext } from '../../../../test/fixtures/agents/agent-context.factory';
import { FlowAgent } from '../flows/flow.agent';
import { INSURANCE_SALES_FLOW, insuranceRuntime } from '../flows/shipped/insurance-sales.flow';
import { AgentManager, mergeBotState } from './agent-registry';
import type { Agent } from './agent.types';
import { createDefaultAgents } from './default-agents';

function fixedAgent(name: string, confidence: number, priority: number, text = name): Agent {
  return { name, priority, evaluate: () => confidence, respond: () => ({ messages: [{ type: 'text', text }] }) };
}

describe(AgentManager.name, () => {
  const manager = new AgentManager({ agents: createDefaultAgents() });

  describe('route', () => {
    it('picks the most confident agent and reports every score when one is above the threshold', async () => {
      const result = await manager.route(buildAgentContext({ text: 'Necesito anular una factura electrónica' }));

      expect(result.agent).toBe('dte');
      expect(result.confidence).toBeGreaterThanOrEqual(0.9);
      expect(result.scores).toHaveProperty('sales');
      expect(result.unsure).toBe(false);
      expect(result.reply.messages[0]).toMatchObject({ type: 'text', text: expect.stringContaining('nota de crédito') });
    });

    it('breaks confidence ties on priority, honouring the config override', async () => {
      const custom = new AgentManager({ agents: [fixedAgent('a', 0.8, 1), fixedAgent('b', 0.8, 2), ...createDefaultAgents().slice(-2)] });

      expect((await custom.route(buildAgentContext({ text: 'x' }))).agent).toBe('b');
      expect((await custom.route(buildAgentContext({ text: 'x', config: { agents: { a: { priority: 10 } } } }))).agent).toBe('a');
    });

    it('skips disabled agents', async () => {
      const result = await manager.route(buildAgentContext({ text: '¿Cuánto cuesta el plan pyme?', config: { agents: { sales: { enabled: false } } } }));

      expect(result.agent).not.toBe('sales');
      expect(result.scores).not.toHaveProperty('sales');
    });

    it('answers with unrecognized and counts the streak when no agent reaches the threshold', async () => {
      const result = await manager.route(buildAgentContext({ text: '¿Venden pizza?', unsureStreak: 0 }));

      expect(result).toMatchObject({ agent: 'unrecognized', unsure: true, unsureStreak: 1 });
      expect(result.reply.messages[0].type).toBe('list');
      expect(result.reply.sideEffects?.botState).toEqual({ unsureStreak: 1 });
    });

    it('uses the fallback when unrecognized declines a message without text', async () => {
      const result = await manager.route(buildAgentContext({ type: 'sticker' }));

      expect(result.agent).toBe('fallback');
    });

    it('hands off to a person when the agents were unsure the configured number of times in a row', async () => {
      const result = await manager.route(buildAgentContext({ text: '¿Venden pizza?', unsureStreak: 2 }));

      expect(result.agent).toBe('human_handoff');
      expect(result.unsure).toBe(true);
      expect(result.reply.sideEffects?.handoff).toEqual({ reason: 'unsure_streak' });
    });

    it('hands off when the customer asks for a person', async () => {
      const result = await manager.route(buildAgentContext({ text: 'quiero hablar con una persona' }));

      expect(result.agent).toBe('human_handoff');
      expect(result.reply.sideEffects?.handoff).toEqual({ reason: 'customer_request' });
      expect(result.unsureStreak).toBe(0);
    });

    it('answers nothing when the bot is paused or the contact opted out', async () => {
      expect(await manager.route(buildAgentContext({ text: 'hola', botPaused: true }))).toMatchObject({ skipped: 'bot_paused', reply: { messages: [] } });
      expect(await manager.route(buildAgentContext({ text: 'hola', optedOut: true }))).toMatchObject({ skipped: 'opted_out' });
    });

    it('treats an agent that throws as declining', async () => {
      const broken: Agent = { name: 'broken', priority: 1000, evaluate: () => 1, respond: () => { throw new Error('boom'); } };
      const custom = new AgentManager({ agents: [broken, ...createDefaultAgents()] });

      const result = await custom.route(buildAgentContext({ text: 'horario de atención' }));

      expect(result.agent).toBe('business_hours');
    });

    it('adds the interest classification when interest analysis is enabled', async () => {
      const result = await manager.route(buildAgentContext({ text: 'Sí, me interesa el cargo', config: { interestAnalysis: { enabled: true } } }));

      expect(result.reply.sideEffects?.interest).toBe('interested');
    });

    it('answers in English when the message is English', async () => {
      const result = await manager.route(buildAgentContext({ text: 'How much do your plans cost?' }));

      expect(result.agent).toBe('sales');
      expect(result.reply.messages[0]).toMatchObject({ text: expect.stringContaining('monthly accounting plans') });
    });
  });

  describe('route with flows', () => {
    const flows = new AgentManager({ agents: createDefaultAgents([new FlowAgent({ flows: [INSURANCE_SALES_FLOW], runtime: insuranceRuntime() })]) });

    it('starts a flow on its trigger keyword and keeps the conversation in it', async () => {
      const started = await flows.route(buildAgentContext({ text: 'Hola, quiero cotizar un seguro' }));
      const botState = started.reply.sideEffects!.botState!;
      const answered = await flows.route(buildAgentContext({ messages: [{ type: 'interactive', text: 'Auto', interactiveReplyId: 'auto', timestamp: new Date() }], botState }));

      expect(started.agent).toBe('flow');
      expect(started.confidence).toBe(1);
      expect(answered.agent).toBe('flow');
      expect(answered.reply.messages).toEqual([{ type: 'text', text: '¿Cuántos años tienes?' }]);
      expect((answered.reply.sideEffects?.botState?.flow as { slots: object }).slots).toMatchObject({ insurance_type: 'auto' });
    });

    it('lets the customer leave an active flow for a person', async () => {
      const started = await flows.route(buildAgentContext({ text: 'quiero cotizar un seguro' }));
      const result = await flows.route(buildAgentContext({ text: 'prefiero hablar con un ejecutivo', botState: started.reply.sideEffects!.botState }));

      expect(result.agent).toBe('human_handoff');
      expect(result.reply.sideEffects?.botState).not.toHaveProperty('flow');
    });
  });
});

describe('mergeBotState', () => {
  it('removes keys patched with null and keeps the rest', () => {
    expect(mergeBotState({ a: 1, flow: { x: 1 } }, { flow: null, b: 2 })).toEqual({ a: 1, b: 2 });
  });
});
