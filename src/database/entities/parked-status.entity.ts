import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MessageStatus } from './enums';
import type { MessageError } from './message.entity';

/** A status webhook for a provider id not known yet; applied when a message row gets that id. */
@Entity('parked_status')
@Index('uq_parked_status', ['whatsappAccountId', 'providerMessageId', 'status'], { unique: true })
export class ParkedStatus {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'varchar', length: 160 })
  providerMessageId: string;

  @Column({ type: 'enum', enum: MessageStatus, enumName: 'message_status' })
  status: MessageStatus;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'jsonb', nullable: true })
  errors: MessageError[] | null;

  /** Echo of the send's biz_opaque_callback_data (our message id): lets a timed-out send find out it was accepted. */
  @Index('idx_parked_status_callback')
  @Column({ type: 'varchar', length: 200, nullable: true })
  bizOpaqueCallbackData: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
