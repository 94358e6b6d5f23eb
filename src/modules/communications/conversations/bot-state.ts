/**
 * Keys of `conversation.bot_state` that the conversation's automation as a whole relies on. The column is
 * communications'; agents read and write these keys through it.
 */
export const BotStateKey = {
  Flow: 'flow',
  UnsureStreak: 'unsureStreak',
  OutOfHoursNotifiedFor: 'outOfHoursNotifiedFor',
  /** Labels a flow added to the conversation: a reset removes exactly these. */
  FlowLabels: 'flowLabels',
} as const;

/** What "reset the bot" clears: the active flow (state, slots), its labels, the unsure streak and the out-of-hours notice marker. */
export const BOT_RESET_KEYS: string[] = [BotStateKey.Flow, BotStateKey.FlowLabels, BotStateKey.UnsureStreak, BotStateKey.OutOfHoursNotifiedFor];

/** The operator's view of `bot_state.flow` (the agents' flow engine writes it). */
export interface FlowStateView {
  flowId: string;
  state: string;
  slots: Record<string, unknown>;
  startedAt: string | null;
  updatedAt: string | null;
}

export function flowStateView(botState: Record<string, unknown> | null | undefined): FlowStateView | null {
  const flow = botState?.[BotStateKey.Flow] as Record<string, unknown> | undefined;
  if (!flow || typeof flow !== 'object' || typeof flow.flowId !== 'string' || typeof flow.current !== 'string') return null;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  const slots = flow.slots && typeof flow.slots === 'object' ? (flow.slots as Record<string, unknown>) : {};
  return { flowId: flow.flowId, state: flow.current, slots, startedAt: text(flow.startedAt), updatedAt: text(flow.updatedAt) };
}
