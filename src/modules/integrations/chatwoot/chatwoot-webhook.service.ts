import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decryptSecret, sha256Hex } from '../../../common/crypto';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { WebhooksErrorCode } from '../../webhooks/webhooks.errors';
import { type ChatwootCredentials, verifyChatwootRequest } from './chatwoot-signature';

export interface ChatwootDelivery {
  integrationId: string;
  rawBody: Buffer;
  body: unknown;
  credentials: ChatwootCredentials;
}

const invalidSignature = () => new DomainError(WebhooksErrorCode.InvalidSignature, 'Missing or invalid Chatwoot signature');

/**
 * A message event's key is its Chatwoot message id, so every redelivery of one agent reply is one row. Other events
 * are keyed by their bytes: a redelivery repeats the body (only the signature headers change), while a later change
 * of the same conversation carries new timestamps.
 */
export function chatwootEventKey(event: string, body: Record<string, unknown>, rawBody: Buffer): string {
  if (event === 'message_created' && (typeof body.id === 'number' || typeof body.id === 'string')) return `${event}:${String(body.id).slice(0, 40)}`;
  return `${event}:sha256:${sha256Hex(rawBody)}`;
}

/** Verifies a Chatwoot webhook, stores it once (before it is acknowledged) and enqueues its application. */
@Injectable()
export class ChatwootWebhookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jobs: JobProducer,
  ) {}

  async receive(delivery: ChatwootDelivery): Promise<{ received: true; duplicate: boolean }> {
    const [integration] = await this.dataSource.query(
      `SELECT id, organization_id AS "organizationId", callback_secret_encrypted AS "secret" FROM chatwoot_integration WHERE id = $1 AND enabled`,
      [delivery.integrationId],
    );
    // An unknown integration answers like a bad signature: the route does not reveal which ids exist.
    const secret = integration?.secret ? decryptSecret(integration.secret, this.config.encryptionKey) : null;
    if (!verifyChatwootRequest(delivery.rawBody, delivery.credentials, secret)) throw invalidSignature();
    const body = delivery.body as Record<string, unknown> | null;
    const event = typeof body?.event === 'string' ? body.event.slice(0, 64) : null;
    if (!body || !event) throw new DomainError(WebhooksErrorCode.UnsupportedPayload, 'A Chatwoot webhook names its `event`');
    const key = chatwootEventKey(event, body, delivery.rawBody);
    const [inserted] = await this.dataSource.query(
      `INSERT INTO chatwoot_inbound_event (organization_id, integration_id, event_key, event_type, payload) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (integration_id, event_key) DO NOTHING RETURNING id`,
      [integration.organizationId, integration.id, key, event, body],
    );
    const row = inserted ?? (await this.pendingDuplicate(integration.id, key));
    // A redelivery re-enqueues only what is still waiting (Redis may have lost the first enqueue); the job id is the same.
    if (row) await this.jobs.enqueue(JobName.ApplyChatwootEvent, { inboundEventId: row.id }, { key: row.id });
    return { received: true, duplicate: !inserted };
  }

  private async pendingDuplicate(integrationId: string, key: string): Promise<{ id: string } | undefined> {
    const [row] = await this.dataSource.query(`SELECT id FROM chatwoot_inbound_event WHERE integration_id = $1 AND event_key = $2 AND status = 'received'`, [integrationId, key]);
    return row;
  }
}
