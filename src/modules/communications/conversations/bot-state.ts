/**
 * Keys of `conversation.bot_state` that the conversation's automation as a whole relies on. The column is
 * communications'; agents read and write these keys through it.
 */
export const BotStateKey = {
  Flow: 'flow',
  UnsureStreak: 'unsureStreak',
  OutOfHoursNotifiedFor: 'outOfHoursNotifiedFor',
} as const;

/** What "reset the bot" clears: the active flow (state, slots), the unsure streak and the out-of-hours notice marker. */
export const BOT_RESET_KEYS: string[] = [BotStateKey.Flow, BotStateKey.UnsureStreak, BotStateKey.OutOfHoursNotifiedFor];
