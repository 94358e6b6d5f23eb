import { agentReplyIdOf, agentReplyKey, agentReplyOf, conversationChangeOf } from './chatwoot-payload';

const reply = (overrides: Record<string, unknown> = {}) => ({
  event: 'message_created',
  id: 91,
  content: 'Hola, soy Ana',
  message_type: 'outgoing',
  private: false,
  source_id: null,
  sender: { id: 3, name: 'Ana', type: 'user' },
  conversation: { id: 12, custom_attributes: { conversa_conversation_id: 'c-1' } },
  ...overrides,
});

describe('agentReplyOf', () => {
  it('reads an outgoing, public message written by a person', () => {
    expect(agentReplyOf(reply())).toEqual({ remoteMessageId: 91, remoteConversationId: 12, conversaConversationId: 'c-1', content: 'Hola, soy Ana' });
    expect(agentReplyOf(reply({ message_type: 1 }))).toMatchObject({ remoteMessageId: 91 });
  });

  it('ignores private notes, incoming messages, bots and Conversa\'s own messages', () => {
    expect(agentReplyOf(reply({ private: true }))).toEqual({ ignored: 'private' });
    expect(agentReplyOf(reply({ message_type: 'incoming' }))).toEqual({ ignored: 'not_outgoing' });
    expect(agentReplyOf(reply({ sender: { id: 1, type: 'agent_bot' } }))).toEqual({ ignored: 'not_from_agent' });
    expect(agentReplyOf(reply({ source_id: 'conversa:5b0e' }))).toEqual({ ignored: 'echo' });
    expect(agentReplyOf(reply({ content: '  ' }))).toEqual({ ignored: 'no_text' });
    expect(agentReplyOf(reply({ conversation: null }))).toEqual({ ignored: 'malformed' });
  });
});

describe('conversationChangeOf', () => {
  it('reads the status, labels and assignee of a conversation payload', () => {
    expect(conversationChangeOf({ id: 12, status: 'resolved', labels: ['vip', 3], meta: { assignee: { email: 'ana@x.cl' } }, custom_attributes: {} })).toEqual({
      remoteConversationId: 12,
      conversaConversationId: null,
      status: 'resolved',
      labels: ['vip'],
      assigneeEmail: 'ana@x.cl',
    });
    expect(conversationChangeOf({ status: 'open' })).toBeNull();
  });

  it('takes no status from a conversation_updated whose changed_attributes do not name it (a snapshot, maybe stale)', () => {
    const updated = { event: 'conversation_updated', id: 12, status: 'open', labels: ['vip'] };
    expect(conversationChangeOf({ ...updated, changed_attributes: [{ label_list: { current_value: ['vip'] } }] })).toMatchObject({ status: null, labels: ['vip'] });
    expect(conversationChangeOf({ ...updated, changed_attributes: [{ status: { previous_value: 'resolved', current_value: 'open' } }] })).toMatchObject({ status: 'open' });
    expect(conversationChangeOf(updated)).toMatchObject({ status: 'open' });
    expect(conversationChangeOf({ ...updated, event: 'conversation_status_changed', changed_attributes: [] })).toMatchObject({ status: 'open' });
  });
});

describe('agentReplyIdOf', () => {
  const integrationId = '5b1f3c2e-0000-4000-8000-000000000001';

  it("reads the Chatwoot message id back from this integration's agent reply key", () => {
    expect(agentReplyIdOf(agentReplyKey(integrationId, 4711), integrationId)).toBe(4711);
  });

  it('is null for other keys: none, an API caller\'s, another integration\'s, a malformed one', () => {
    expect(agentReplyIdOf(null, integrationId)).toBeNull();
    expect(agentReplyIdOf('order-123', integrationId)).toBeNull();
    expect(agentReplyIdOf(agentReplyKey('6c2a4d3f-0000-4000-8000-000000000002', 4711), integrationId)).toBeNull();
    expect(agentReplyIdOf(`chatwoot:${integrationId}:abc`, integrationId)).toBeNull();
    expect(agentReplyIdOf(`chatwoot:${integrationId}:0`, integrationId)).toBeNull();
  });
});
