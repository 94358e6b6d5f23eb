import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAgentContext } from '../../../../test/fixtures/agents/agent-context.factory';
import { AgentManager } from '../engine/agent-registry';
import { createDefaultAgents } from '../engine/default-agents';
import { LlmAgent, type LlmBudget } from './llm-agent';
import { LlmChatClient } from './llm-chat.client';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

const API_KEY = 'sk-test-secret-123';
const OFF_TOPIC = '¿Me recomiendan un buen restaurante en Providencia?';

class FakeChatServer {
  received: Received[] = [];
  delayMs = 0;
  content = JSON.stringify({ intent: 'none', reply: 'Te ayudo con eso.' });
  private server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      this.received.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw || '{}') });
      const timer = setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: this.content } }], usage: { total_tokens: 42 } }));
      }, this.delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  }
}

class CountingBudget implements LlmBudget {
  consumed: Array<{ orgId: string; tokens: number }> = [];
  constructor(private remaining: number) {}

  async tryConsume(orgId: string, tokens: number): Promise<boolean> {
    if (tokens > this.remaining) return false;
    this.remaining -= tokens;
    this.consumed.push({ orgId, tokens });
    return true;
  }
}

describe(LlmAgent.name, () => {
  const server = new FakeChatServer();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.received = [];
    server.delayMs = 0;
    server.content = JSON.stringify({ intent: 'none', reply: 'Te ayudo con eso.' });
  });

  function setup(budget = new CountingBudget(100_000)) {
    const client = new LlmChatClient({ baseUrl, apiKey: API_KEY, model: 'test-model', timeoutMs: 5_000 });
    const llm = new LlmAgent({ client, budget });
    const manager = new AgentManager({ agents: createDefaultAgents(), llm });
    const ctx = buildAgentContext({
      text: OFF_TOPIC,
      config: { organizationName: 'Contadores Ltda', llm: { enabled: true, instructions: 'Sé cordial.', timeoutMs: 300 } },
      history: [{ direction: 'inbound', text: 'hola', at: new Date('2025-06-11T14:00:00Z') }],
    });
    return { manager, ctx, budget };
  }

  describe('consult', () => {
    it('speaks the chat-completions protocol when the rule agents are unsure', async () => {
      const { manager, ctx, budget } = setup();

      const result = await manager.route(ctx);

      expect(server.received).toHaveLength(1);
      const request = server.received[0];
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(request.body).toMatchObject({ model: 'test-model', max_tokens: 300, temperature: 0.2 });
      const messages = request.body.messages as Array<{ role: string; content: string }>;
      expect(messages[0].role).toBe('system');
      expect(messages[0].content).toContain('Sé cordial.');
      expect(messages[0].content).toContain('F29');
      expect(messages.slice(1)).toEqual([{ role: 'user', content: 'hola' }, { role: 'user', content: OFF_TOPIC }]);
      expect(JSON.stringify(request.body)).not.toContain(API_KEY);
      expect(JSON.stringify(request.body)).not.toContain('+56911112222');
      expect(budget.consumed).toEqual([{ orgId: 'org-1', tokens: expect.any(Number) }]);
      expect(result).toMatchObject({ agent: 'llm', llm: 'ok', unsure: false, reply: { messages: [{ type: 'text', text: 'Te ayudo con eso.', isAi: true }] } });
    });

    it('delegates to the rule agent the model names as the intent', async () => {
      server.content = '```json\n{"intent": "sales", "reply": "x"}\n```';
      const { manager, ctx } = setup();

      const result = await manager.route(ctx);

      expect(result.agent).toBe('sales');
      expect(result.llm).toBe('ok');
    });

    it('is not consulted when a rule agent is confident', async () => {
      const { manager } = setup();

      const result = await manager.route(buildAgentContext({ text: '¿Cuándo vence el F29?', config: { llm: { enabled: true } } }));

      expect(result.agent).toBe('tax_reminders');
      expect(server.received).toHaveLength(0);
    });

    it('falls back to the rule agents within the configured bound when the model times out', async () => {
      server.delayMs = 3_000;
      const { manager, ctx } = setup();

      const started = Date.now();
      const result = await manager.route(ctx);
      const elapsed = Date.now() - started;

      expect(result).toMatchObject({ agent: 'unrecognized', llm: 'timeout', unsure: true });
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1_500);
    });

    it('declines with budget_exhausted and sends nothing when the organisation has no budget left', async () => {
      const { manager, ctx } = setup(new CountingBudget(10));

      const result = await manager.route(ctx);

      expect(result).toMatchObject({ agent: 'unrecognized', llm: 'budget_exhausted' });
      expect(server.received).toHaveLength(0);
    });
  });
});
