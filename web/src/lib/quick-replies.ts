import type { QuickReply } from '../api/types';

/** The text after a leading `/` while it is a single word being typed, else null (the menu is closed). */
export function quickReplyQuery(body: string): string | null {
  const match = /^\/([\p{L}\p{N}_-]*)$/u.exec(body);
  return match ? match[1] : null;
}

/** Shortcut prefix matches first, then replies whose text contains the query; at most eight. */
export function matchQuickReplies(replies: QuickReply[], query: string): QuickReply[] {
  const q = query.toLowerCase();
  const byShortcut = replies.filter((reply) => reply.shortcut.toLowerCase().startsWith(q));
  const byBody = q ? replies.filter((reply) => !byShortcut.includes(reply) && reply.body.toLowerCase().includes(q)) : [];
  return [...byShortcut, ...byBody].slice(0, 8);
}
