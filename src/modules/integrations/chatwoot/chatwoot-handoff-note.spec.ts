import { handoffNoteOf } from './chatwoot-handoff-note';

describe('handoffNoteOf', () => {
  it('puts the reasons the agents give in words', () => {
    expect(handoffNoteOf('customer_request')).toBe('handed over: asked for a person');
    expect(handoffNoteOf('unsure_streak')).toBe('handed over: the bot did not understand several times');
    expect(handoffNoteOf('flow_completed:insurance-sales')).toBe('handed over: the customer completed the insurance-sales flow');
  });

  it('keeps any other reason as given, and says just "handed over" without one', () => {
    expect(handoffNoteOf('asked for a person')).toBe('handed over: asked for a person');
    expect(handoffNoteOf(undefined)).toBe('handed over');
    expect(handoffNoteOf('')).toBe('handed over');
    expect(handoffNoteOf(42)).toBe('handed over');
  });
});
