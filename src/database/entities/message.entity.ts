import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { MessageDirection, MessageStatus } from './enums';

export interface MessageError {
  code?: string | number;
  title?: string;
  message?: string;
  details?: string;
}

/** idx_message_unsent's predicate: a query that repeats it can read that (small) index instead of the table. */
export const UNSENT_OUTBOUND = "direction = 'outbound' AND provider_message_id IS NULL AND failed_at IS NULL";

@Entity('message')
@Index('uq_message_provider_id', ['whatsappAccountId', 'providerMessageId'], { unique: true })
@Index('uq_message_idempotency_key', ['organizationId', 'idempotencyKey'], { unique: true })
@Index('idx_message_conversation_timeline', ['conversationId', 'occurredAt', 'id'])
@Index('idx_message_contact_timeline', ['organizationId', 'contactId', 'occurredAt'])
@Index('idx_message_org_created', ['organizationId', 'createdAt'])
@Index('idx_message_external_ref', ['organizationId', 'externalRef'], { where: 'external_ref IS NOT NULL' })
// Outbound rows not yet accepted by the provider (queued, sending), for the sweeper. Keyed off provider id and
// failed_at rather than status, so a status change alone (claim, delivered, read) can be a HOT update.
@Index('idx_message_unsent', ['createdAt'], { where: UNSENT_OUTBOUND })
// Template sends of an organisation by time, for the templates report (a small share of all messages).
@Index('idx_message_template_sends', ['organizationId', 'createdAt'], { where: "template_name IS NOT NULL AND direction = 'outbound'" })
export class Message extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  @Column({ type: 'uuid' })
  contactId: string;

  @Column({ type: 'enum', enum: MessageDirection, enumName: 'message_direction' })
  direction: MessageDirection;

  /** WhatsApp type: text, image, template, interactive, reaction, … (open set: Meta adds types). */
  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'enum', enum: MessageStatus, enumName: 'message_status' })
  status: MessageStatus;

  /** The type's object (camelCase request for outbound, as received for inbound). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  content: JsonObject;

  /** Human-readable text (body, caption, button title, rendered template) for history and search. */
  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Index('idx_message_search', { synchronize: false })
  /** Maintained by a trigger (Spanish + simple configurations, accents folded); never written by the app. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector: string | null;

  /** Provider timestamp for inbound and status-driven ordering; creation time for outbound. */
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 160, nullable: true })
  providerMessageId: string | null;

  /** `context.id` of an inbound reply (the quoted message's provider id). */
  @Column({ type: 'varchar', length: 160, nullable: true })
  contextProviderMessageId: string | null;

  /** The message this one quotes (outbound reply) or answers (inbound reply linking). */
  @Column({ type: 'uuid', nullable: true })
  replyToMessageId: string | null;

  /** On outbound messages: when the customer first replied to it. */
  @Column({ type: 'timestamptz', nullable: true })
  replyReceivedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  errorTitle: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'jsonb', nullable: true })
  errors: MessageError[] | null;

  /** Provider calls attempted (recorded before each call, so a crash never causes a blind resend). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  templateName: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  templateLanguage: string | null;

  @Column({ type: 'jsonb', nullable: true })
  templateVariables: string[] | Record<string, string> | null;

  /** Set when a fallback template was sent instead of the requested non-template message. */
  @Column({ type: 'boolean', default: false })
  isFallback: boolean;

  @Column({ type: 'uuid', nullable: true })
  campaignId: string | null;

  /** initial, follow_up, reminder, reply, agent, … */
  @Column({ type: 'varchar', length: 32, nullable: true })
  kind: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  externalRef: string | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: JsonObject | null;

  /** BullMQ priority: lower goes first (agent replies and transactional before bulk). */
  @Column({ type: 'integer', default: 5 })
  priority: number;

  @Column({ type: 'timestamptz', nullable: true })
  sendAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  agentName: string | null;

  @Column({ type: 'real', nullable: true })
  agentConfidence: number | null;

  @Column({ type: 'boolean', default: false })
  isAi: boolean;

  /** Interest classification of an inbound reply (recruiting). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  interest: string | null;
}
