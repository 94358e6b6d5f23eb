import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { type CountryCode, normalizePhone } from '../../../common/phone';
import { Contact } from '../../../database/entities/contact.entity';
import { Conversation } from '../../../database/entities/conversation.entity';
import { MessageStatus } from '../../../database/entities/enums';
import { Message } from '../../../database/entities/message.entity';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import { ContactsService } from '../contacts/contacts.service';
import { ConversationsService } from '../conversations/conversations.service';
import type { SendMessageDto } from './dto/send-message.dto';
import { MEDIA_TYPES, MediaUploadsService } from '../media/media-uploads.service';
import { type ComposedMessage, MessageComposer, queuedColumns } from './message-composer.service';
import { OutboundQueue, PRIORITY_REPLY, PRIORITY_TRANSACTIONAL, type SendJobSpec } from './outbound-queue.service';
import { requestHash } from './request-hash';
import { CommunicationsErrorCode } from '../communications.errors';
import { CommonErrorCode } from '../../../common/errors/common.errors';
import { writeEvents } from '../../../database/outbox';
import type { NewEvent } from '../../../domain/events/event-catalogue';

export interface SendAccepted {
  id: string;
  status: 'queued';
  conversationId: string;
}

export interface SendResult {
  body: SendAccepted;
  replayed: boolean;
}

/** One message of an ordered send, with its own idempotency key. */
export interface SendPart {
  dto: SendMessageDto;
  idempotencyKey?: string;
}

/** The agent that wrote an answer, recorded on each of its messages. */
export interface AgentAttribution {
  agentName: string;
  confidence: number;
  isAi: boolean;
}

export type PartOutcome = { id: string } | { error: DomainError };

interface Accepted {
  result: SendResult;
  job: SendJobSpec | null;
}

interface RowInput {
  target: Target;
  composed: ComposedMessage;
  dto: SendMessageDto;
  replyTo: { id: string; providerMessageId: string } | null;
  idempotencyKey: string | null;
  hash: string | null;
  attribution?: AgentAttribution;
}

interface Target {
  account: WhatsappAccount;
  contact: Contact;
  conversation: Conversation;
}

/** POST /messages: validate, record `queued` (idempotently), enqueue. */
@Injectable()
export class SendMessageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WhatsappAccountsService,
    private readonly contacts: ContactsService,
    private readonly conversations: ConversationsService,
    private readonly composer: MessageComposer,
    private readonly uploads: MediaUploadsService,
    private readonly queue: OutboundQueue,
  ) {}

  async send(organizationId: string, dto: SendMessageDto, idempotencyKey?: string): Promise<SendResult> {
    const accepted = await this.accept(organizationId, { dto, idempotencyKey });
    if (accepted.job) await this.queue.enqueue([accepted.job]);
    return accepted.result;
  }

  /**
   * The parts of one answer (an agent's multi-message reply), each through the same checks as `send`, sent in
   * this order by the outbound queue. A part the pipeline refuses is reported in its slot; the others still go.
   */
  async sendInOrder(organizationId: string, parts: SendPart[], attribution?: AgentAttribution): Promise<PartOutcome[]> {
    const outcomes: PartOutcome[] = [];
    const jobs: SendJobSpec[] = [];
    for (const part of parts) {
      try {
        const accepted = await this.accept(organizationId, part, attribution);
        if (accepted.job) jobs.push(accepted.job);
        outcomes.push({ id: accepted.result.body.id });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes.push({ error });
      }
    }
    await this.queue.enqueueInOrder(jobs);
    return outcomes;
  }

  /** Validates and records the message `queued`; `job` is what still has to be enqueued (none for a replay already sent). */
  private async accept(organizationId: string, part: SendPart, attribution?: AgentAttribution): Promise<Accepted> {
    const { idempotencyKey } = part;
    let { dto } = part;
    const hash = idempotencyKey ? requestHash(dto) : null;
    if (idempotencyKey) {
      const replay = await this.findReplay(organizationId, idempotencyKey, hash!);
      if (replay) return replay;
    }
    const target = await this.resolveTarget(organizationId, dto);
    dto = await this.resolveReaction(organizationId, dto);
    dto = await this.resolveUploadedMedia(organizationId, target.account.id, dto);
    const composed = await this.composer.compose(target.account.id, dto, {
      phoneE164: target.contact.phoneE164!,
      optedOut: Boolean(target.contact.optedOutAt),
      windowOpen: this.conversations.isWindowOpen(target.conversation),
    });
    const replyTo = await this.resolveReplyTo(organizationId, dto.replyToMessageId);
    const message = buildRow(organizationId, { target, composed, dto, replyTo, idempotencyKey: idempotencyKey ?? null, hash, attribution });
    const inserted = await this.dataSource.transaction(async (manager) => {
      const id = await this.insertIfNew(manager, message);
      if (id) {
        await this.conversations.recordOutbound(target.conversation.id, new Date(), composed.text, manager);
        await writeEvents(manager, [messageCreated(id, message)]);
      }
      return id;
    });
    if (!inserted) {
      // A concurrent request with the same key won the insert.
      const replay = await this.findReplay(organizationId, idempotencyKey!, hash!);
      if (replay) return replay;
      throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'Idempotency-Key was used concurrently');
    }
    return {
      result: { body: { id: inserted, status: 'queued', conversationId: target.conversation.id }, replayed: false },
      job: { id: inserted, priority: message.priority!, sendAt: message.sendAt },
    };
  }

  private async findReplay(organizationId: string, key: string, hash: string): Promise<Accepted | null> {
    const existing = await this.dataSource.getRepository(Message).findOne({
      where: { organizationId, idempotencyKey: key },
      select: { id: true, conversationId: true, requestHash: true, status: true, priority: true, sendAt: true },
    });
    if (!existing) return null;
    if (existing.requestHash !== hash) {
      throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'This Idempotency-Key was already used with a different request body', { messageId: existing.id });
    }
    // Redis may have lost the first enqueue: re-adding is a no-op when the job still exists.
    const job = existing.status === MessageStatus.Queued ? { id: existing.id, priority: existing.priority, sendAt: existing.sendAt } : null;
    return { result: { body: { id: existing.id, status: 'queued', conversationId: existing.conversationId }, replayed: true }, job };
  }

  private async resolveTarget(organizationId: string, dto: SendMessageDto): Promise<Target> {
    if (dto.conversationId) {
      const conversation = await this.dataSource.getRepository(Conversation).findOne({ where: { id: dto.conversationId, organizationId } });
      if (!conversation) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
      const account = await this.accounts.get(organizationId, conversation.whatsappAccountId);
      const contact = await this.contactById(conversation.contactId);
      return { account, contact, conversation };
    }
    if (!dto.to) throw new DomainError(CommonErrorCode.ValidationFailed, 'Give `to` or `conversationId`', { fields: [{ field: 'to', message: 'to or conversationId is required' }] });
    const account = dto.accountId ? await this.accounts.get(organizationId, dto.accountId) : await this.accounts.getDefault(organizationId);
    const phoneE164 = normalizePhone(dto.to, account.defaultRegion as CountryCode);
    return this.dataSource.transaction(async (manager) => {
      const contact = await this.contacts.upsert(organizationId, { phoneE164 }, manager);
      const conversation = await this.conversations.findOrCreate(organizationId, account.id, contact.id, manager);
      return { account, contact, conversation };
    });
  }

  private async contactById(id: string): Promise<Contact> {
    const contact = await this.dataSource.getRepository(Contact).findOneByOrFail({ id });
    if (!contact.phoneE164) throw new DomainError(CommunicationsErrorCode.ContactHasNoPhone, 'The contact has no phone number to send to');
    return contact;
  }

  private async resolveReplyTo(organizationId: string, id: string | undefined): Promise<{ id: string; providerMessageId: string } | null> {
    if (!id) return null;
    const target = await this.dataSource.getRepository(Message).findOne({ where: { id, organizationId }, select: { id: true, providerMessageId: true } });
    if (!target) throw new NotFoundError(CommunicationsErrorCode.MessageNotFound, 'message', { field: 'replyToMessageId' });
    if (!target.providerMessageId) throw new DomainError(CommunicationsErrorCode.ReplyTargetNotSent, 'The quoted message has no WhatsApp id yet');
    return { id: target.id, providerMessageId: target.providerMessageId };
  }

  /** A reaction's `messageId` may be our message id (uuid) or a raw WhatsApp id; Meta needs the latter. */
  private async resolveReaction(organizationId: string, dto: SendMessageDto): Promise<SendMessageDto> {
    const messageId = dto.type === 'reaction' ? dto.reaction?.messageId : undefined;
    if (typeof messageId !== 'string' || !isUUID(messageId)) return dto;
    const target = await this.dataSource.getRepository(Message).findOne({ where: { id: messageId, organizationId }, select: { id: true, providerMessageId: true } });
    if (!target) throw new NotFoundError(CommunicationsErrorCode.MessageNotFound, 'message', { field: 'reaction.messageId' });
    if (!target.providerMessageId) throw new DomainError(CommunicationsErrorCode.ReactionTargetNotSent, 'The message reacted to has no WhatsApp id yet');
    return { ...dto, reaction: { ...dto.reaction, messageId: target.providerMessageId } };
  }

  /** `{image: {id: <uuid>}}` names a file uploaded with POST /api/v1/media: it goes out by the provider's media id. */
  private async resolveUploadedMedia(organizationId: string, accountId: string, dto: SendMessageDto): Promise<SendMessageDto> {
    const type = dto.type as (typeof MEDIA_TYPES)[number];
    const ref = MEDIA_TYPES.includes(type) ? (dto[type] as Record<string, unknown> | undefined) : undefined;
    const id = ref?.id ?? ref?.mediaId;
    if (!ref || typeof id !== 'string' || !isUUID(id)) return dto;
    const asset = await this.uploads.uploaded(organizationId, accountId, id);
    const { id: _id, ...rest } = ref;
    const filename = type === 'document' && !rest.filename && asset.filename ? { filename: asset.filename } : {};
    return { ...dto, [type]: { ...rest, ...filename, mediaId: asset.providerMediaId, mediaAssetId: asset.id } };
  }

  private async insertIfNew(manager: EntityManager, row: Partial<Message>): Promise<string | null> {
    const result = await manager.createQueryBuilder().insert().into(Message).values(row).orIgnore().returning(['id']).execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id;
    return id ?? null;
  }
}

/** The `queued` row: agent answers and replies to the customer go first (the customer is waiting in an open window). */
function buildRow(organizationId: string, row: RowInput): Partial<Message> {
  const { target, composed, dto, replyTo, attribution } = row;
  const isReply = dto.kind === 'reply' || dto.kind === 'agent' || Boolean(replyTo);
  return {
    organizationId,
    whatsappAccountId: target.account.id,
    conversationId: target.conversation.id,
    contactId: target.contact.id,
    ...queuedColumns(composed),
    replyToMessageId: replyTo?.id ?? null,
    contextProviderMessageId: replyTo?.providerMessageId ?? null,
    kind: dto.kind ?? null,
    externalRef: dto.externalRef ?? null,
    metadata: dto.metadata ?? null,
    priority: isReply ? PRIORITY_REPLY : PRIORITY_TRANSACTIONAL,
    sendAt: dto.sendAt ? new Date(dto.sendAt) : null,
    idempotencyKey: row.idempotencyKey,
    requestHash: row.hash,
    ...(attribution ? { agentName: attribution.agentName, agentConfidence: attribution.confidence, isAi: attribution.isAi } : {}),
  };
}

/** The outbox event of an accepted outbound message (API, agent and campaign sends all come through here). */
function messageCreated(id: string, row: Partial<Message>): NewEvent<'message.created'> {
  return {
    organizationId: row.organizationId!,
    type: 'message.created',
    conversationId: row.conversationId,
    data: {
      message: {
        id,
        conversationId: row.conversationId!,
        contactId: row.contactId!,
        whatsappAccountId: row.whatsappAccountId!,
        direction: 'outbound',
        type: row.type!,
        status: MessageStatus.Queued,
        text: row.text ?? null,
        content: row.content ?? null,
        providerMessageId: null,
        occurredAt: (row.occurredAt ?? new Date()).toISOString(),
      },
    },
  };
}
