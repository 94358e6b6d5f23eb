import type { Message } from '../api/types';

export interface ThreadReaction {
  emoji: string;
  direction: Message['direction'];
}

/**
 * Reactions are messages of their own naming their target by WhatsApp id (`message_id`, or `messageId` in what
 * we sent). Those whose target is in the thread become badges on it (the latest per side: a new reaction replaces
 * the previous, an empty emoji removes it); a reaction to a message not loaded stays a line of its own.
 */
export function groupReactions(messages: Message[]): { visible: Message[]; reactions: Map<string, ThreadReaction[]> } {
  const byProviderId = new Map<string, Message>();
  for (const message of messages) if (message.providerMessageId) byProviderId.set(message.providerMessageId, message);
  const latest = new Map<string, Map<Message['direction'], string>>();
  const visible: Message[] = [];
  for (const message of messages) {
    if (message.type !== 'reaction') {
      visible.push(message);
      continue;
    }
    const content = (message.content ?? {}) as Record<string, unknown>;
    const targetWamid = String(content.message_id ?? content.messageId ?? '');
    const target = byProviderId.get(targetWamid) ?? messages.find((m) => m.id === targetWamid);
    if (!target) {
      visible.push(message);
      continue;
    }
    const sides = latest.get(target.id) ?? new Map<Message['direction'], string>();
    sides.set(message.direction, String(content.emoji ?? ''));
    latest.set(target.id, sides);
  }
  const reactions = new Map<string, ThreadReaction[]>();
  for (const [targetId, sides] of latest) {
    const shown = [...sides].filter(([, emoji]) => emoji).map(([direction, emoji]) => ({ emoji, direction }));
    if (shown.length > 0) reactions.set(targetId, shown);
  }
  return { visible, reactions };
}

/** A one-line summary of a message for quotes and reply banners. */
export function snippet(message: Message): string {
  const content = (message.content ?? {}) as Record<string, unknown>;
  if (message.type === 'reaction' && typeof content.emoji === 'string') return content.emoji;
  const text = message.text || (typeof content.caption === 'string' ? content.caption : '') || message.media?.filename || '';
  return text.length > 120 ? `${text.slice(0, 117)}…` : text || message.type;
}
