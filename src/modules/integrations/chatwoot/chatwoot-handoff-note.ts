/** The agents' note for a bot's handoff: its reason in words where Conversa knows it, as given otherwise. */
export function handoffNoteOf(reason: unknown): string {
  if (typeof reason !== 'string' || !reason) return 'handed over';
  const flow = /^flow_completed:(.+)$/.exec(reason);
  const words = reason === 'customer_request' ? 'asked for a person' : reason === 'unsure_streak' ? 'the bot did not understand several times' : flow ? `the customer completed the ${flow[1]} flow` : reason;
  return `handed over: ${words}`;
}
