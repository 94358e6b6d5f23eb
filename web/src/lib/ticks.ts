import type { MessageStatus } from '../api/types';

/** WhatsApp's ticks: one grey (sent), two grey (delivered), two blue (read); a clock before the provider has it. */
export function ticksFor(status: MessageStatus): { glyph: string; tone: 'pending' | 'grey' | 'blue' | 'failed' } {
  switch (status) {
    case 'queued':
    case 'sending':
      return { glyph: '🕓', tone: 'pending' };
    case 'sent':
      return { glyph: '✓', tone: 'grey' };
    case 'delivered':
      return { glyph: '✓✓', tone: 'grey' };
    case 'read':
    case 'played':
      return { glyph: '✓✓', tone: 'blue' };
    case 'failed':
      return { glyph: '!', tone: 'failed' };
    default:
      return { glyph: '', tone: 'grey' };
  }
}
