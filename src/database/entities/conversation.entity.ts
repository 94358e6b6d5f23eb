import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { ConversationStatus } from './enums';

/** Agent pipeline state kept per conversation (flows, out-of-hours notices, unsure streaks). */
export type BotState = JsonObject;

@Entity('conversation')
@Index('uq_conversation_account_contact', ['whatsappAccountId', 'contactId'], { unique: true })
@Index('idx_conversation_inbox', ['organizationId', 'lastMessageAt', 'id'])
@Index('idx_conversation_contact', ['organizationId', 'contactId'])
/** The unanswered-conversations sweep looks only at the last half hour of customer messages. */
@Index('idx_conversation_last_inbound', ['lastInboundAt'])
export class Conversation extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'uuid' })
  contactId: string;

  @Column({ type: 'enum', enum: ConversationStatus, enumName: 'conversation_status', default: ConversationStatus.Open })
  status: ConversationStatus;

  @Column({ type: 'integer', default: 0 })
  unreadCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lastMessagePreview: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastInboundAt: Date | null;

  /** Customer service window: 24 h after the latest inbound message's provider timestamp. */
  @Column({ type: 'timestamptz', nullable: true })
  windowExpiresAt: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  botState: BotState;

  @Column({ type: 'boolean', default: false })
  botPaused: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  botPausedAt: Date | null;

  /** Set when the bot hands over to a person; the inbox shows these first. */
  @Column({ type: 'timestamptz', nullable: true })
  handoffRequestedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeUserId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
