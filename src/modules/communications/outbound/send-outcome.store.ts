import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { WhatsappProviderError } from '../../whatsapp/provider/provider-errors';
import { ContactsService } from '../contacts/contacts.service';

/** One first try plus at most 3 automatic retries. */
export const MAX_ATTEMPTS = 4;
export const SEND_OUTCOME_UNKNOWN = 'SEND_OUTCOME_UNKNOWN';

export const UNKNOWN_OUTCOME = {
  errorCode: SEND_OUTCOME_UNKNOWN,
  errorTitle: 'Send outcome unknown',
  errorMessage: 'The worker stopped between the provider call and recording its answer; not resent automatically to avoid a duplicate. Use POST /messages/:id/retry to send again.',
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
 * `UPDATE campaign_recipient cr SET … ${RECIPIENT_OF_MESSAGE}` ($1 = message id). campaign_recipient has no
 * index on message_id, so the row is found through its unique (campaign_id, phone_e164): a bulk message's
 * idempotency key is `bulk:<campaign id>:<recipient phone>`.
 */
export const RECIPIENT_OF_MESSAGE = `FROM message m WHERE m.id = $1 AND cr.campaign_id = m.campaign_id AND cr.message_id = m.id
   AND cr.phone_e164 = substr(m.idempotency_key, length(m.campaign_id::text) + 7)`;

/** Every state change of an outbound row, each behind a status guard (the row is the truth). */
@Injectable()
export class SendOutcomeStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
  ) {}

  async load(messageId: string): Promise<SendRow | null> {
    const rows: SendRow[] = await this.dataSource.query(
      `SELECT m.id, m.organization_id AS "organizationId", m.whatsapp_account_id AS "whatsappAccountId", m.conversation_id AS "conversationId",
              m.contact_id AS "contactId", m.campaign_id AS "campaignId", m.status, m.type, m.content, m.text, m.attempts, m.priority,
              m.send_at AS "sendAt", m.created_at AS "createdAt", m.context_provider_message_id AS "contextProviderMessageId",
              c.phone_e164 AS "phoneE164", a.rate_limit_per_second AS "rateLimitPerSecond"
         FROM message m JOIN contact c ON c.id = m.contact_id JOIN whatsapp_account a ON a.id = m.whatsapp_account_id
        WHERE m.id = $1 AND m.direction = 'outbound'`,
      [messageId],
    );
    return rows[0] ?? null;
  }

  /** The attempt is recorded before the provider call; zero rows = another worker has it or it is done. */
  async claim(messageId: string): Promise<boolean> {
    const [, count] = await this.dataSource.query(
      `UPDATE message SET status = 'sending', attempts = attempts + 1, last_attempt_at = now(), updated_at = now() WHERE id = $1 AND status = 'queued'`,
      [messageId],
    );
    return count === 1;
  }

  /**
   * `sent` + provider id, then parked statuses, in one transaction. A row the reconciler already gave
   * SEND_OUTCOME_UNKNOWN is corrected too: the provider's answer is the truth. Retried briefly on DB errors.
   */
  async markSent(row: SendRow, providerMessageId: string, applyParked: (manager: EntityManager) => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.transaction(async (manager) => {
          // One statement for the message and its campaign recipient (a round trip saved per bulk send).
          await manager.query(
            `WITH sent AS (
               UPDATE message SET status = 'sent', provider_message_id = $2, sent_at = now(), failed_at = NULL,
                      error_code = NULL, error_title = NULL, error_message = NULL, updated_at = now()
                WHERE id = $1 AND (status = 'sending' OR (status = 'failed' AND error_code = $3)) RETURNING id, campaign_id, idempotency_key)
             UPDATE campaign_recipient cr SET status = 'sent', updated_at = now()
               FROM sent m WHERE cr.campaign_id = m.campaign_id AND cr.message_id = m.id AND cr.phone_e164 = substr(m.idempotency_key, length(m.campaign_id::text) + 7)`,
            [row.id, providerMessageId, SEND_OUTCOME_UNKNOWN],
          );
          await applyParked(manager);
          await this.contacts.touchOutbound(row.contactId, new Date(), manager);
        });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await sleep(200 * attempt);
      }
    }
  }

  async requeue(messageId: string, fields: FailureFields): Promise<void> {
    await this.dataSource.query(
      `UPDATE message SET status = 'queued', error_code = $2, error_title = $3, error_message = $4, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      [messageId, fields.errorCode, fields.errorTitle, fields.errorMessage],
    );
  }

  async markFailed(row: Pick<SendRow, 'id' | 'campaignId'>, fields: FailureFields, fromStatuses = ['sending']): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, count] = await manager.query(
        `UPDATE message SET status = 'failed', failed_at = now(), error_code = $2::text, error_title = $3::text, error_message = $4::text,
                errors = jsonb_build_array(jsonb_build_object('code', $2::text, 'title', $3::text, 'message', $4::text)), updated_at = now()
          WHERE id = $1 AND status = ANY($5::message_status[])`,
        [row.id, fields.errorCode, fields.errorTitle, fields.errorMessage, fromStatuses],
      );
      if (count === 1 && row.campaignId) {
        await manager.query(`UPDATE campaign_recipient cr SET status = 'failed', error_code = $2, error_message = $3, updated_at = now() ${RECIPIENT_OF_MESSAGE}`, [
          row.id,
          fields.errorCode,
          fields.errorMessage,
        ]);
      }
      return count === 1;
    });
  }

  /**
   * A row left `sending` whose provider id nobody reported (the sender adopts one from a parked status first).
   * Never resent blindly: `failed` with SEND_OUTCOME_UNKNOWN; a retry is an operator's call.
   */
  async reconcile(messageId: string): Promise<string> {
    const campaign: Array<{ campaign_id: string | null }> = await this.dataSource.query(`SELECT campaign_id FROM message WHERE id = $1`, [messageId]);
    const failed = await this.markFailed({ id: messageId, campaignId: campaign[0]?.campaign_id ?? null }, UNKNOWN_OUTCOME);
    return failed ? 'failed' : 'unchanged';
  }
}
