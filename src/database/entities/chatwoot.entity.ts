import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** An organisation's Chatwoot account and API-channel inbox; the access token is encrypted and never answered. */
@Entity('chatwoot_integration')
export class ChatwootIntegration extends BaseEntity {
  @Index('uq_chatwoot_integration_org', { unique: true })
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 2048 })
  baseUrl: string;

  @Column({ type: 'int' })
  accountId: number;

  @Column({ type: 'int' })
  inboxId: number;

  @Column({ type: 'text' })
  apiAccessTokenEncrypted: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null;

  /** Verifies Chatwoot's webhooks (X-Chatwoot-Signature, or `?token=` on the inbox callback URL); encrypted, write-only. */
  @Column({ type: 'text', nullable: true })
  callbackSecretEncrypted: string | null;

  /** Sent instead of an agent's reply once the 24-hour window has closed; without it the agent gets a private note. */
  @Column({ type: 'jsonb', nullable: true })
  fallbackTemplate: { name: string; language: string; variables?: string[] | Record<string, string> } | null;

  @Column({ type: 'boolean', default: false })
  resumeBotOnResolve: boolean;
  @Column({ type: 'timestamptz', nullable: true })
  lastReconciledAt: Date | null;

  /** The latest reconcile's findings (`ChatwootDrift`). */
  @Column({ type: 'jsonb', nullable: true })
  drift: Record<string, number> | null;
}

/** The id map: one Conversa contact, conversation or message ↔ its Chatwoot record; the unique key is what makes creates happen once. */
@Entity('chatwoot_link')
@Index('uq_chatwoot_link_local', ['integrationId', 'kind', 'localId'], { unique: true })
export class ChatwootLink extends BaseEntity {
  @Column({ type: 'uuid' })
  integrationId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'contact' | 'conversation' | 'message' | 'note';

  @Column({ type: 'uuid' })
  localId: string;

  @Column({ type: 'bigint' })
  remoteId: string;

  /** The contact's `source_id` in the inbox. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  sourceId: string | null;
}

/** One outbox event to apply in Chatwoot, created by the outbox fan-out; the job reloads it. */
@Entity('chatwoot_sync_event')
@Index('uq_chatwoot_sync_event', ['integrationId', 'eventId'], { unique: true })
@Index('idx_chatwoot_sync_event_pending', ['integrationId', 'conversationId', 'eventSeq'], { where: `status = 'pending'` })
export class ChatwootSyncEvent extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  integrationId: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  /** The outbox event's order: a conversation's events reach Chatwoot in this order. */
  @Column({ type: 'bigint' })
  eventSeq: string;

  @Column({ type: 'uuid', nullable: true })
  conversationId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: 'pending' | 'synced' | 'failed';

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
