import { buildAgentContext } from '../../../../test/fixtures/agents/agent-context.factory';
import { FlowAgent } from '../flows/flow.agent';
import { INSURANCE_SALES_FLOW, insuranceRuntime } from '../flows/shipped/insurance-sales.flow';
import { AgentManager } from './agent-registry';
import { createDefaultAgents } from './default-agents';
import { DEFAULT_KNOWLEDGE } from './default-knowledge';

const F3323 = DEFAULT_KNOWLEDGE.find((entry) => entry.id === 'tax-f3323')!.answer;
const F29 = DEFAULT_KNOWLEDGE.find((entry) => entry.id === 'tax-f29')!.answer;

describe(AgentManager.name, () => {
  const manager = new AgentManager({ agents: createDefaultAgents() });

  describe('route', () => {
    it.each(['¿Cuándo vence el F3323?', '¿Cuándo tengo que presentar el formulario 3323?'])('answers "%s" with the F3323 entry, not the F29 one', async (text) => {
      const result = await manager.route(buildAgentContext({ text }));

      expect(result.agent).toBe('tax_reminders');
      expect(result.reply.messages[0]).toMatchObject({ text: expect.stringContaining(F3323) });
    });

    it('still answers the F29 question with the F29 entry', async () => {
      const result = await manager.route(buildAgentContext({ text: '¿Cuándo vence el F29?' }));

      expect(result.reply.messages[0]).toMatchObject({ text: expect.stringContaining(F29) });
    });

    it.each([
      ['hola, necesito ayuda con mi boleta', 'dte'],
      ['factura', expect.stringMatching(/^(dte|invoices)$/)],
      ['Buen día, espero que estén bien', 'greeting'],
      ['holaaa', 'greeting'],
      ['no sirve el link de pago', 'support'],
      ['pasame con tu jefe', 'human_handoff'],
    ])('routes "%s" sensibly instead of to unrecognized', async (text, expected) => {
      const result = await manager.route(buildAgentContext({ text }));

      expect(result.intent).toEqual(expected);
      expect(result.unsure).toBe(false);
    });

    it("starts the insurance flow with the seed's opener when the account has the flow", async () => {
      const withFlow = new AgentManager({ agents: createDefaultAgents([new FlowAgent({ flows: [INSURANCE_SALES_FLOW], runtime: insuranceRuntime() })]) });

      const result = await withFlow.route(buildAgentContext({ text: 'Hola, quiero información sobre seguros' }));

      expect(result.agent).toBe('flow');
      expect(result.reply.sideEffects?.botState?.flow).toMatchObject({ flowId: 'insurance-sales', current: 'NEEDS_ANALYSIS' });
    });

    it('does not start the insurance flow when a customer only says "seguro"', async () => {
      const withFlow = new AgentManager({ agents: createDefaultAgents([new FlowAgent({ flows: [INSURANCE_SALES_FLOW], runtime: insuranceRuntime() })]) });

      const result = await withFlow.route(buildAgentContext({ text: '¿seguro que vence el 20?' }));

      expect(result.agent).not.toBe('flow');
    });
  });
});
