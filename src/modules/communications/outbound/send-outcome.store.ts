import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../../../common/batching/group-commit';
import { PreparedStatement } from '../../../database/prepared-statement';
import { WhatsappProviderError } from '../../whatsapp/provider/provider-errors';
import { MessageStatusService, providerIdLockKey } from '../messages/message-status.service';

/** A database step retried briefly (a deadlock victim, a dropped connection): the provider already accepted the send. */
async function withRetries<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(200 * attempt);
    }
  }
}

/** One first try plus at most 3 automatic retries. */
export const MAX_ATTEMPTS = 4;
export const SEND_OUTCOME_UNKNOWN = 'SEND_OUTCOME_UNKNOWN';

export const UNKNOWN_OUTCOME = {
  errorCode: SEND_OUTCOME_UNKNOWN,
  errorTitle: 'Send outcome unknown',
  errorMessage: 'The provider may have accepted this message but its answer never came (no answer, a connection lost after the request was written, or the worker stopped during the call); not resent automatically to avoid a duplicate. A later status webhook for it resolves it; POST /messages/:id/retry sends again.',
};

export interface SendRow {
  id: string;
  organizationId: string;
  whatsappAccountId: string;
  conversationId: string;
  contactId: string;
  campaignId: string | null;
  status: string;
  type: string;
  content: Record<string, unknown>;
  text: string | null;
  attempts: number;
  priority: number;
  sendAt: Date | null;
  createdAt: Date;
  contextProviderMessageId: string | null;
  phoneE164: string;
  rateLimitPerSecond: number;
}

export interface FailureFields {
  errorCode: string;
  errorTitle: string | null;
  errorMessage: string | null;
}

/** Provider error → the row's error columns: Meta's numeric code when there is one, else our stable code. */
export function failureFields(error: unknown): FailureFields {
  if (error instanceof WhatsappProviderError) {
    return {
      errorCode: error.providerCode !== undefined ? String(error.providerCode) : error.code,
      errorTitle: (error.providerMessage ?? error.message).slice(0, 300),
      errorMessage: error.providerDetails ?? error.providerMessage ?? error.message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { errorCode: 'SEND_FAILED', errorTitle: message.slice(0, 300), errorMessage: message };
}

/** Exponential from the provider's hint (or 1 s), ×2 per attempt, +0-25 % jitter, capped at 5 minutes. */
export function retryDelayMs(error: Pick<WhatsappProviderError, 'retryAfterMs'>, attempt: number, random = Math.random): number {
  const base = error.retryAfterMs ?? 1000;
  const exponential = Math.min(300_000, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 + random() * 0.25));
}

/**
 * One statement for a batch of accepted sends: the messages and their contacts' last
 * outbound time. It first takes the status locks of the new provider ids (as MessageStatusService does, in
 * hash order) and holds them until it commits: a status webhook for one of these ids either finished parking
 * before (and the next statement sees it) or finds the message once this commits.
 */
const MARK_SENT = new PreparedStatement(
  'outbound-mark-sent',
  `
WITH input AS (SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::text[]) AS t(id, provider_message_id, lock_key)),
locks AS (SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(lock_key) AS h FROM input ORDER BY 1) AS keys),
sent AS (
  UPDATE message m SET status = 'sent', provider_message_id = i.provider_message_id, sent_at = now(), failed_at = NULL,
         error_code = NULL, error_title = NULL, error_message = NULL, updated_at = now()
    FROM input i
   WHERE (SELECT count(*) FROM locks) >= 0 -- a one-time filter: the locks come before any row
     AND m.id = i.id AND (m.status = 'sending' OR (m.status = 'failed' AND m.error_code = $4))
  RETURNING m.id, m.contact_id, m.organization_id, m.conversation_id),
outbox AS (
  INSERT INTO outbox_event (organization_id, type, conversation_id, data)
  SELECT organization_id, 'message.status', conversation_id,
         jsonb_build_object('messageId', id, 'conversationId', conversation_id, 'status', 'sent', 'error', NULL) FROM sent),
contacts AS (
  -- Locked in id order: two batches touching the same contacts never deadlock.
  UPDATE contact c SET last_outbound_at = GREATEST(COALESCE(c.last_outbound_at, now()), now())
    FROM (SELECT id FROM contact WHERE id IN (SELECT contact_id FROM sent) ORDER BY id FOR UPDATE) locked
   WHERE c.id = locked.id)
SELECT count(*)::int AS sent FROM sent`,
);

/** Statuses parked for the batch's provider ids (read after MARK_SENT committed, with a fresh snapshot). */
const PARKED_FOR = new PreparedStatement(
  'outbound-parked-for',
  `
SELECT DISTINCT p.whatsapp_account_id AS "accountId", p.provider_message_id AS "providerMessageId"
  FROM parked_status p JOIN unnest($1::uuid[], $2::varchar[]) AS i(account_id, provider_message_id)
    ON p.whatsapp_account_id = i.account_id AND p.provider_message_id = i.provider_message_id`,
);

/** A batch of send jobs' rows, with what the send needs from the contact and the account. */
const LOAD_SENDS = new PreparedStatement(
  'outbound-load',
  `SELECT m.id, m.organization_id AS "organizationId", m.whatsapp_account_id AS "whatsappAccountId", m.conversation_id AS "conversationId",
          m.contact_id AS "contactId", m.campaign_id AS "campaignId", m.status, m.type, m.content, m.text, m.attempts, m.priority,
          m.send_at AS "sendAt", m.created_at AS "createdAt", m.context_provider_message_id AS "contextProviderMessageId",
          c.phone_e164 AS "phoneE164", a.rate_limit_per_second AS "rateLimitPerSecond"
     FROM message m JOIN contact c ON c.id = m.contact_id JOIN whatsapp_account a ON a.id = m.whatsapp_account_id
    WHERE m.id = ANY($1::uuid[]) AND m.direction = 'outbound'`,
);

/** `queued → sending` with the attempt counted, before the provider call. */
const CLAIM_SENDS = new PreparedStatement(
  'outbound-claim',
  `UPDATE message SET status = 'sending', attempts = attempts + 1, last_attempt_at = now(), updated_at = now()
    WHERE id = ANY($1::uuid[]) AND status = 'queued' RETURNING id`,
);

interface AcceptedSend {
  row: Pick<SendRow, 'id' | 'whatsappAccountId'>;
  providerMessageId: string;
}

const BATCH = { maxBatch: 200, maxInFlight: 1 };

/**
 * Every state change of an outbound row, each behind a status guard (the row is the truth). The three
 * steps every send takes (load, claim, sent) are group-committed across concurrent jobs: a handful of
 * statements per batch instead of per message is what lets one worker reach Meta's higher tiers.
 */
@Injectable()
export class SendOutcomeStore implements OnModuleDestroy {
  private readonly loads = new GroupCommit((ids: string[]) => this.loadBatch(ids), BATCH);
  private readonly claims = new GroupCommit((ids: string[]) => this.claimBatch(ids), BATCH);
  private readonly sends = new GroupCommit((accepted: AcceptedSend[]) => this.markSentBatch(accepted), BATCH);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statuses: MessageStatusService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.loads.drain(), this.claims.drain(), this.sends.drain()]);
  }

  load(messageId: string): Promise<SendRow | null> {
    return this.loads.submit(messageId);
  }

  /** The attempt is recorded before the provider call; false = another worker has it or it is done. */
  claim(messageId: string): Promise<boolean> {
    return this.claims.submit(messageId);
  }

  /**
   * `sent` + provider id, then any status that arrived before the send response. A row the reconciler already
   * gave SEND_OUTCOME_UNKNOWN is corrected too: the provider's answer is the truth. Retried briefly on DB errors.
   */
  async markSent(row: AcceptedSend['row'], providerMessageId: string): Promise<void> {
    await this.sends.submit({ row, providerMessageId });
  }

  private async loadBatch(ids: string[]): Promise<Array<SendRow | null>> {
    const rows = await LOAD_SENDS.run<SendRow>(this.dataSource.manager, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async claimBatch(ids: string[]): Promise<boolean[]> {
    const claimed = await CLAIM_SENDS.run<{ id: string }>(this.dataSource.manager, [ids]);
    const won = new Set(claimed.map((r) => r.id));
    // The same id twice in one batch: only the first caller holds the claim.
    return ids.map((id) => won.delete(id));
  }

  /** Two statements per batch, however large; the rare parked status is applied in a transaction of its own. */
  private async markSentBatch(accepted: AcceptedSend[]): Promise<void[]> {
    const accounts = accepted.map((a) => a.row.whatsappAccountId);
    const providerIds = accepted.map((a) => a.providerMessageId);
    await withRetries(() =>
      MARK_SENT.run(this.dataSource.manager, [
        accepted.map((a) => a.row.id),
        providerIds,
        accepted.map((a) => providerIdLockKey({ whatsappAccountId: a.row.whatsappAccountId, providerMessageId: a.providerMessageId })),
        SEND_OUTCOME_UNKNOWN,
      ]),
    );
    const parked = await withRetries(() => PARKED_FOR.run<{ accountId: string; providerMessageId: string }>(this.dataSource.manager, [accounts, providerIds]));
    for (const p of parked) await withRetries(() => this.dataSource.transaction((manager) => this.statuses.applyParked(p.accountId, p.providerMessageId, manager)));
    return accepted.map(() => undefined);
  }

  async requeue(messageId: string, fields: FailureFields): Promise<void> {
    await this.dataSource.query(
      `UPDATE message SET status = 'queued', error_code = $2, error_title = $3, error_message = $4, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      [messageId, fields.errorCode, fields.errorTitle, fields.errorMessage],
    );
  }

  /** Campaign recipients follow their message's state on the campaigns side (the campaign runner reads it). */
  async markFailed(row: Pick<SendRow, 'id' | 'campaignId'>, fields: FailureFields, fromStatuses = ['sending']): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, count] = await manager.query(
        `UPDATE message SET status = 'failed', failed_at = now(), error_code = $2::text, error_title = $3::text, error_message = $4::text,
                errors = jsonb_build_array(jsonb_build_object('code', $2::text, 'title', $3::text, 'message', $4::text)), updated_at = now()
          WHERE id = $1 AND status = ANY($5::message_status[])`,
        [row.id, fields.errorCode, fields.errorTitle, fields.errorMessage, fromStatuses],
      );
      if (count === 1) {
        await manager.query(
          `INSERT INTO outbox_event (organization_id, type, conversation_id, data)
           SELECT organization_id, 'message.status', conversation_id, jsonb_build_object('messageId', id, 'conversationId', conversation_id, 'status', 'failed',
                  'error', jsonb_build_object('code', $2::text, 'title', $3::text, 'message', $4::text)) FROM message WHERE id = $1`,
          [row.id, fields.errorCode, fields.errorTitle, fields.errorMessage],
        );
      }
      return count === 1;
    });
  }

  /**
   * A call that may have reached the provider but got no answer: `failed` with SEND_OUTCOME_UNKNOWN, never resent
   * automatically. A status webhook naming the message (biz_opaque_callback_data) resolves it later
   * (MessageStatusService); one that arrived before this is adopted here, after the row left `sending`, so a status
   * racing with this step is caught by one side or the other.
   */
  async failUnknown(row: Pick<SendRow, 'id' | 'campaignId' | 'whatsappAccountId'>, errorMessage = UNKNOWN_OUTCOME.errorMessage): Promise<'sent' | 'failed' | 'unchanged'> {
    const failed = await this.markFailed(row, { ...UNKNOWN_OUTCOME, errorMessage });
    const providerMessageId = await this.statuses.providerIdFromParked(row.whatsappAccountId, row.id);
    if (providerMessageId) {
      await this.markSent(row, providerMessageId);
      return 'sent';
    }
    return failed ? 'failed' : 'unchanged';
  }

  /** A row left `sending` (its worker died during the call): as `failUnknown`. */
  async reconcile(messageId: string): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT whatsapp_account_id AS "whatsappAccountId" FROM message WHERE id = $1`, [messageId]);
    if (!row) return 'unchanged';
    return this.failUnknown({ id: messageId, campaignId: null, whatsappAccountId: row.whatsappAccountId });
  }
}
