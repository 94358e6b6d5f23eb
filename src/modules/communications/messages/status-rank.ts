/** Statuses an outbound message climbs through; `failed` is outside the ladder. */
export type ProgressStatus = 'pending' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'played';
export type TrackedStatus = ProgressStatus | 'failed';

export const STATUS_RANK: Readonly<Record<ProgressStatus, number>> = {
  pending: 0,
  queued: 0,
  sending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
};

function rankOf(status: string): number | undefined {
  return Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status as ProgressStatus] : undefined;
}

/**
 * Whether a status webhook may move a message from `current` to `incoming`.
 * Webhooks arrive unordered and duplicated, so: never move backwards or sideways;
 * `failed` applies only before delivery (it is Meta's answer to a send) and is
 * terminal afterwards — a later delivered/read for a failed message is not expected
 * and is ignored rather than resurrecting it. `current` values outside the outbound
 * ladder (e.g. inbound `received`) accept nothing.
 */
export function shouldApplyStatus(current: string | null | undefined, incoming: string): boolean {
  const incomingRank = rankOf(incoming);
  if (incoming !== 'failed' && incomingRank === undefined) return false;
  if (current === null || current === undefined) return true;
  if (current === 'failed') return false;
  const currentRank = rankOf(current);
  if (currentRank === undefined) return false;
  if (incoming === 'failed') return currentRank < STATUS_RANK.delivered;
  return incomingRank! > currentRank;
}
