import { describe, expect, it } from 'vitest';
import type { Template } from '../api/types';
import { unreadTitle } from '../components/Inbox';
import { allFilled, renderTemplate, templateVariables } from './templates';
import { matchQuickReplies, quickReplyQuery } from './quick-replies';
import { groupReactions, snippet } from './thread';
import { ticksFor } from './ticks';
import { isWindowOpen, windowRemaining } from './window';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const template: Template = {
  id: 't1', whatsappAccountId: 'a1', name: 'pedido', language: 'es', status: 'APPROVED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
    { type: 'BODY', text: 'Hola {{2}}, tu pedido {{1}} está listo.' },
    { type: 'FOOTER', text: 'Tienda' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Gracias' }] },
  ],
};

describe('windowRemaining', () => {
  it('counts down hours and minutes while open', () => {
    expect(windowRemaining('2026-03-02T11:05:00Z', NOW)).toBe('23h 05m');
    expect(windowRemaining('2026-03-01T12:12:30Z', NOW)).toBe('12m');
  });
  it('is null once closed or never opened', () => {
    expect(windowRemaining('2026-03-01T11:59:00Z', NOW)).toBeNull();
    expect(windowRemaining(null, NOW)).toBeNull();
    expect(isWindowOpen('2026-03-01T11:59:00Z', NOW)).toBe(false);
  });
});

describe('templates', () => {
  it('lists variables in order of first use', () => {
    expect(templateVariables(template)).toEqual(['1', '2']);
  });
  it('renders the preview, keeping empty placeholders visible', () => {
    expect(renderTemplate(template, { '1': 'A-17' })).toEqual({ header: 'Pedido A-17', body: 'Hola {{2}}, tu pedido A-17 está listo.', footer: 'Tienda', buttons: ['Gracias'] });
    expect(allFilled(['1', '2'], { '1': 'A-17', '2': ' ' })).toBe(false);
  });
});

describe('ticksFor', () => {
  it('advances clock → ✓ → ✓✓ → blue ✓✓, and flags failures', () => {
    expect(['queued', 'sent', 'delivered', 'read', 'failed'].map((s) => ticksFor(s as never))).toEqual([
      { glyph: '🕓', tone: 'pending' }, { glyph: '✓', tone: 'grey' }, { glyph: '✓✓', tone: 'grey' }, { glyph: '✓✓', tone: 'blue' }, { glyph: '!', tone: 'failed' },
    ]);
  });
});

describe('unreadTitle', () => {
  it('puts the unread total first in the title', () => {
    expect(unreadTitle(3, 'Conversa')).toBe('(3) Conversa');
    expect(unreadTitle(0, 'Conversa')).toBe('Conversa');
  });
});

describe('quick replies', () => {
  const replies = [
    { id: '1', shortcut: 'horario', body: 'De 9 a 18 h.' },
    { id: '2', shortcut: 'envio', body: 'Despachamos en 48 horas.' },
  ];
  it('opens only for a leading slash and one word', () => {
    expect(quickReplyQuery('/')).toBe('');
    expect(quickReplyQuery('/hor')).toBe('hor');
    expect(quickReplyQuery('hola /hor')).toBeNull();
    expect(quickReplyQuery('/hor ario')).toBeNull();
  });
  it('ranks shortcut prefixes before text matches', () => {
    expect(matchQuickReplies(replies, 'hor').map((r) => r.id)).toEqual(['1', '2']);
    expect(matchQuickReplies(replies, 'ENV').map((r) => r.id)).toEqual(['2']);
    expect(matchQuickReplies(replies, '').map((r) => r.id)).toEqual(['1', '2']);
  });
});

describe('groupReactions', () => {
  const base = { conversationId: 'c', status: 'received' as const, text: null, occurredAt: '', replyToMessageId: null, templateName: null, errorCode: null, errorTitle: null, isAi: false, agentName: null, kind: null };
  it('keeps the latest reaction per side on the target, drops removed ones, keeps orphans visible', () => {
    const messages = [
      { ...base, id: 't', direction: 'outbound' as const, type: 'text', content: {}, providerMessageId: 'wamid.T' },
      { ...base, id: 'r1', direction: 'inbound' as const, type: 'reaction', content: { message_id: 'wamid.T', emoji: '👍' } },
      { ...base, id: 'r2', direction: 'inbound' as const, type: 'reaction', content: { message_id: 'wamid.T', emoji: '❤️' } },
      { ...base, id: 'r3', direction: 'outbound' as const, type: 'reaction', content: { messageId: 'wamid.T', emoji: '😂' } },
      { ...base, id: 'r4', direction: 'outbound' as const, type: 'reaction', content: { messageId: 'wamid.T', emoji: '' } },
      { ...base, id: 'o', direction: 'inbound' as const, type: 'reaction', content: { message_id: 'wamid.GONE', emoji: '👀' } },
    ];
    const grouped = groupReactions(messages);
    expect(grouped.visible.map((m) => m.id)).toEqual(['t', 'o']);
    expect(grouped.reactions.get('t')).toEqual([{ emoji: '❤️', direction: 'inbound' }]);
  });
});

describe('snippet', () => {
  it('summarises a reaction by its emoji and a media message by caption or file name', () => {
    const base = { id: 'x', conversationId: 'c', direction: 'inbound' as const, status: 'received' as const, occurredAt: '', replyToMessageId: null, templateName: null, errorCode: null, errorTitle: null, isAi: false, agentName: null, kind: null };
    expect(snippet({ ...base, type: 'reaction', text: null, content: { emoji: '🙏', message_id: 'w' } })).toBe('🙏');
    expect(snippet({ ...base, type: 'document', text: null, content: {}, media: { id: 'f', mimeType: 'application/pdf', sizeBytes: 1, filename: 'boleta.pdf', status: 'stored' } })).toBe('boleta.pdf');
    expect(snippet({ ...base, type: 'text', text: 'a'.repeat(200), content: {} })).toHaveLength(118);
  });
});
