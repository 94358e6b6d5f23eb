import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Campaign } from '../../database/entities/campaign.entity';
import type { BatchOutcome } from '../communications/outbound/campaign-messages.service';
import { SEND_OUTCOME_UNKNOWN } from '../communications/outbound/send-outcome.store';

export interface ClaimedRecipient {
  id: string;
  phoneE164: string;
  content: { variables?: string[] | Record<string, string>; content?: Record<string, unknown> } | null;
  variant: number | null;
  attempts: number;
}

export interface ClaimLimits {
  now: Date;
  limit: number;
  accountTimezone: string;
  window?: { start: string; end: string } | null;
}

/** What became of the claimed recipients: the send pipeline's answer for the batch. */
export type ClaimOutcome = Pick<BatchOutcome, 'queued' | 'skipped'>;

export interface RetryPolicy {
  now: Date;
  baseDelayMs: number;
  maxAttempts: number;
  expiresAt: Date | null;
}

/** The recipient's local time of day at $2, in its own zone or the account's ($4). */
const LOCAL_TIME = `(($2::timestamptz AT TIME ZONE COALESCE(cr.timezone, $4::text))::time)`;

/** Pending recipients due now and inside their sending window. */
const DUE = `
  FROM campaign_recipient cr
 WHERE cr.campaign_id = $1 AND cr.status = 'pending' AND (cr.next_attempt_at IS NULL OR cr.next_attempt_at <= $2)
   AND ($5::time IS NULL OR CASE WHEN $5::time <= $6::time THEN ${LOCAL_TIME} >= $5::time AND ${LOCAL_TIME} < $6::time
                                 ELSE ${LOCAL_TIME} >= $5::time OR ${LOCAL_TIME} < $6::time END)
 ORDER BY cr.id LIMIT $3`;

/**
 * Locked with SKIP LOCKED, so concurrent runners never take the same row; `attempts` is the attempt this claim makes.
 * Only locked: the claim is written once, with its message (`record`), in the same transaction.
 */
const CLAIM = `SELECT cr.id, cr.phone_e164 AS "phoneE164", cr.content, cr.variant, cr.attempts + 1 AS attempts ${DUE} FOR UPDATE SKIP LOCKED`;

/**
 * The claim and its outcome in one write per recipient: an attempt counted, the 24-hour messaging-tier count started
 * (`claimed_at`), and either the queued message or the reason it was skipped.
 */
const RECORD = `
UPDATE campaign_recipient cr SET status = v.status::campaign_recipient_status, attempts = cr.attempts + 1, claimed_at = $1, next_attempt_at = NULL,
       message_id = v.message_id, contact_id = v.contact_id, error_code = v.code, error_message = v.message, updated_at = now()
  FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::varchar[], $7::text[]) AS v(id, status, message_id, contact_id, code, message)
 WHERE cr.id = v.id`;

/**
 * Recipients follow their message once it settled: sent, failed, or skipped for the codes that mean "not this person".
 * A recipient failed because its send got no answer (SEND_OUTCOME_UNKNOWN) becomes sent when a status webhook shows
 * Meta accepted it.
 */
const SETTLE = `
UPDATE campaign_recipient cr SET
  status = (CASE WHEN m.status <> 'failed' THEN 'sent' WHEN m.error_code = ANY($2::text[]) THEN 'skipped' ELSE 'failed' END)::campaign_recipient_status,
  error_code = CASE WHEN m.status = 'failed' THEN m.error_code END,
  error_message = CASE WHEN m.status = 'failed' THEN m.error_title END, updated_at = now()
  FROM message m
 WHERE cr.campaign_id = $1 AND cr.status = ANY($3::campaign_recipient_status[]) AND m.id = cr.message_id
   AND (m.status IN ('sent', 'delivered', 'read', 'played') AND (cr.status = 'queued' OR cr.status = 'failed' AND cr.error_code = $5)
        OR m.status = 'failed' AND m.error_code IS DISTINCT FROM $4 AND cr.status <> 'failed')`;

/**
 * 131049 (Meta's per-user marketing cap): the recipient goes back to `pending` after a delay that doubles with each
 * attempt; past the attempt limit it fails, and past the campaign's expiry it expires instead of going out late.
 */
const RESCHEDULE = `
WITH next AS (
  SELECT cr.id, $2::timestamptz + make_interval(secs => $3::float8 / 1000 * power(2, cr.attempts - 1)) AS at, cr.attempts
    FROM campaign_recipient cr JOIN message m ON m.id = cr.message_id
   WHERE cr.campaign_id = $1 AND cr.status = ANY($7::campaign_recipient_status[]) AND m.status = 'failed' AND m.error_code = $6)
UPDATE campaign_recipient cr SET
  status = (CASE WHEN next.attempts >= $4 THEN 'failed' WHEN $5::timestamptz IS NOT NULL AND next.at >= $5::timestamptz THEN 'expired' ELSE 'pending' END)::campaign_recipient_status,
  next_attempt_at = next.at, message_id = CASE WHEN next.attempts >= $4 THEN cr.message_id END,
  error_code = $6, error_message = 'Meta did not deliver: per-user marketing limit', updated_at = now()
  FROM next WHERE cr.id = next.id`;

export const SKIP_CODES = ['131026', '131047'];
export const MARKETING_CAP_CODE = '131049';

/** SQL over campaign_recipient, the campaigns module's own table. */
@Injectable()
export class CampaignRecipientsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Locks the next due recipients for the caller's transaction; `record` writes what became of them. */
  async claim(manager: EntityManager, campaignId: string, limits: ClaimLimits): Promise<ClaimedRecipient[]> {
    const window = limits.window ?? null;
    return manager.query(CLAIM, [campaignId, limits.now, limits.limit, limits.accountTimezone, window?.start ?? null, window?.end ?? null]);
  }

  /** The phones the next claim will most likely take (no lock): their contacts are resolved before the claim's transaction. */
  async peek(campaignId: string, limits: ClaimLimits): Promise<string[]> {
    const window = limits.window ?? null;
    const rows: Array<{ phone: string }> = await this.dataSource.query(`SELECT cr.phone_e164 AS phone ${DUE}`, [campaignId, limits.now, limits.limit, limits.accountTimezone, window?.start ?? null, window?.end ?? null]);
    return rows.map((r) => r.phone);
  }

  /**
   * Claimed recipients, in the claim's transaction: `queued` with their message, or `skipped` with the reason. A claimed
   * recipient left out stays `pending`, its attempt not counted (its contact was not resolved in time).
   */
  async record(manager: EntityManager, claimedAt: Date, outcome: ClaimOutcome): Promise<void> {
    const rows = [
      ...outcome.queued.map((q) => ({ id: q.recipientId, status: 'queued', messageId: q.messageId, contactId: q.contactId, code: null, message: null })),
      ...outcome.skipped.map((s) => ({ id: s.recipientId, status: 'skipped', messageId: null, contactId: s.contactId, code: s.code, message: s.message })),
    ];
    if (rows.length === 0) return;
    const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
    await manager.query(RECORD, [
      claimedAt,
      column((r) => r.id),
      column((r) => r.status),
      column((r) => r.messageId),
      column((r) => r.contactId),
      column((r) => r.code),
      column((r) => r.message),
    ]);
  }

  /** `full` also looks at recipients already `sent` whose message failed later (an async status). */
  async settle(campaignId: string, retry: RetryPolicy, full: boolean): Promise<void> {
    const statuses = full ? ['queued', 'sent'] : ['queued'];
    await this.dataSource.query(RESCHEDULE, [campaignId, retry.now, retry.baseDelayMs, retry.maxAttempts, retry.expiresAt, MARKETING_CAP_CODE, statuses]);
    await this.dataSource.query(SETTLE, [campaignId, SKIP_CODES, full ? [...statuses, 'failed'] : statuses, MARKETING_CAP_CODE, SEND_OUTCOME_UNKNOWN]);
  }

  async expire(campaignId: string): Promise<number> {
    const [, count] = await this.dataSource.query(
      `UPDATE campaign_recipient SET status = 'expired', error_code = 'expired', error_message = 'The campaign expired before this recipient was sent', updated_at = now()
        WHERE campaign_id = $1 AND status IN ('pending', 'held')`,
      [campaignId],
    );
    return count as number;
  }

  /** Recipients not finished yet: waiting (pending/held, with the earliest retry time) and in flight (queued). */
  async remaining(campaignId: string): Promise<{ waiting: number; inFlight: number; nextAttemptAt: Date | null }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'held'))::int AS waiting, count(*) FILTER (WHERE status = 'queued')::int AS "inFlight",
              min(next_attempt_at) FILTER (WHERE status = 'pending') AS "nextAttemptAt"
         FROM campaign_recipient WHERE campaign_id = $1 AND status IN ('pending', 'held', 'queued')`,
      [campaignId],
    );
    return row;
  }

  /** Recipients whose send ended without an answer less than `graceMs` ago: a status webhook may still resolve them. */
  async recentlyUnknown(campaignId: string, graceMs: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM campaign_recipient
        WHERE campaign_id = $1 AND status = 'failed' AND error_code = $2 AND updated_at > now() - make_interval(secs => $3::float8 / 1000)`,
      [campaignId, SEND_OUTCOME_UNKNOWN, graceMs],
    );
    return row.n;
  }

  /** Unique phones claimed by the account's campaigns in the 24 hours before `now` (Meta's messaging tier). */
  async reachedIn24h(manager: EntityManager, accountId: string, now: Date): Promise<number> {
    const [row] = await manager.query(
      `SELECT count(DISTINCT cr.phone_e164)::int AS n FROM campaign_recipient cr JOIN campaign c ON c.id = cr.campaign_id
        WHERE c.whatsapp_account_id = $1 AND cr.claimed_at > $2::timestamptz - interval '24 hours' AND cr.claimed_at <= $2::timestamptz`,
      [accountId, now],
    );
    return row.n;
  }

  /** Pause or cancel: recipients whose queued message was withdrawn go back to pending (or are cancelled). */
  async release(manager: EntityManager, campaign: Pick<Campaign, 'id'>, messageIds: string[], to: 'pending' | 'cancelled'): Promise<void> {
    if (messageIds.length > 0) {
      await manager.query(
        // A withdrawn message was never tried, so its recipient is still `queued` (settling needs a sent or failed
        // message): the status index then reads only the campaign's queued recipients, not all of them.
        `UPDATE campaign_recipient SET status = $3::campaign_recipient_status, message_id = NULL, attempts = greatest(attempts - 1, 0), claimed_at = NULL, updated_at = now()
          WHERE campaign_id = $1 AND status = 'queued' AND message_id = ANY($2::uuid[])`,
        [campaign.id, messageIds, to],
      );
    }
    if (to === 'cancelled') {
      await manager.query(
        `UPDATE campaign_recipient SET status = 'cancelled', error_code = 'cancelled', updated_at = now() WHERE campaign_id = $1 AND status IN ('pending', 'held')`,
        [campaign.id],
      );
    }
  }
}
