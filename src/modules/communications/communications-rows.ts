import type { MediaView } from './media/media-uploads.service';
import type { ConversationStatus, MessageDirection, MessageStatus } from '../../database/entities/enums';
import type { ConversationDto } from './conversations/dto/conversation.dto';
import type { MessageDto } from './messages/dto/message.dto';
import { flowStateView } from './conversations/bot-state';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** Columns of a conversation with its contact and assignee, as `conversationFromRow` reads them (alias c). */
export const CONVERSATION_COLUMNS = `
  c.id, c.whatsapp_account_id, c.status, c.unread_count, c.last_message_at, c.last_message_preview, c.window_expires_at,
  (c.window_expires_at IS NOT NULL AND c.window_expires_at > now()) AS window_open,
  c.bot_paused, c.bot_paused_at, c.handoff_requested_at, c.labels, c.closed_at, c.created_at, c.bot_state -> 'flow' AS flow,
  ct.id AS contact_id, ct.name AS contact_name, ct.profile_name AS contact_profile_name,
  ct.phone_e164 AS contact_phone_e164, ct.labels AS contact_labels,
  u.id AS assignee_id, u.name AS assignee_name, u.email AS assignee_email`;

export const CONVERSATION_JOINS = `JOIN contact ct ON ct.id = c.contact_id LEFT JOIN "user" u ON u.id = c.assignee_user_id`;

export interface ConversationRow {
  id: string;
  whatsapp_account_id: string;
  status: ConversationStatus;
  unread_count: number;
  last_message_at: Date | null;
  last_message_preview: string | null;
  window_expires_at: Date | null;
  window_open: boolean;
  bot_paused: boolean;
  bot_paused_at: Date | null;
  handoff_requested_at: Date | null;
  labels: string[];
  closed_at: Date | null;
  created_at: Date;
  flow: Record<string, unknown> | null;
  contact_id: string;
  contact_name: string | null;
  contact_profile_name: string | null;
  contact_phone_e164: string | null;
  contact_labels: string[];
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_email: string | null;
}

export function conversationFromRow(row: ConversationRow): ConversationDto {
  return {
    id: row.id,
    accountId: row.whatsapp_account_id,
    status: row.status,
    unreadCount: row.unread_count,
    lastMessageAt: iso(row.last_message_at),
    lastMessagePreview: row.last_message_preview,
    windowExpiresAt: iso(row.window_expires_at),
    windowOpen: row.window_open,
    botPaused: row.bot_paused,
    botPausedAt: iso(row.bot_paused_at),
    handoffRequestedAt: iso(row.handoff_requested_at),
    labels: row.labels,
    flow: flowStateView({ flow: row.flow }),
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name, email: row.assignee_email ?? '' } : null,
    contact: {
      id: row.contact_id,
      name: row.contact_name,
      profileName: row.contact_profile_name,
      phoneE164: row.contact_phone_e164,
      labels: row.contact_labels,
    },
    closedAt: iso(row.closed_at),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The media file of a message (alias m), as `MediaView` JSON: received media by its message, sent media by the
 * upload its content names (`mediaAssetId`). Its `id` is what GET /api/v1/media/:id serves.
 */
export const MEDIA_OF_MESSAGE = `CASE WHEN m.type IN ('image', 'video', 'audio', 'document', 'sticker') THEN (
    SELECT json_build_object('id', a.id, 'mimeType', a.mime_type, 'sizeBytes', a.size_bytes, 'filename', a.filename, 'status', a.status)
      FROM media_asset a
     WHERE a.organization_id = m.organization_id
       AND (a.message_id = m.id OR a.id = CASE WHEN m.content->>'mediaAssetId' ~ '^[0-9a-f-]{36}$' THEN (m.content->>'mediaAssetId')::uuid END)
     ORDER BY a.message_id NULLS LAST LIMIT 1) END`;

/** Columns of a message (alias m) plus its keyset key as PostgreSQL text. */
export const MESSAGE_COLUMNS = `
  m.id, m.conversation_id, m.contact_id, m.whatsapp_account_id, m.direction, m.type, m.status, m.text, m.content,
  m.occurred_at, m.occurred_at::text AS sort_key, m.provider_message_id, m.reply_to_message_id, m.template_name,
  m.error_code, m.error_title, m.sent_at, m.delivered_at, m.read_at, m.failed_at, m.is_ai, m.agent_name, m.kind,
  ${MEDIA_OF_MESSAGE} AS media`;

export interface MessageRow {
  id: string;
  conversation_id: string;
  contact_id: string;
  whatsapp_account_id: string;
  direction: MessageDirection;
  type: string;
  status: MessageStatus;
  text: string | null;
  content: Record<string, unknown>;
  occurred_at: Date;
  sort_key: string;
  provider_message_id: string | null;
  reply_to_message_id: string | null;
  template_name: string | null;
  error_code: string | null;
  error_title: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  is_ai: boolean;
  agent_name: string | null;
  kind: string | null;
  media: MediaView | null;
}

export function messageFromRow(row: MessageRow): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    accountId: row.whatsapp_account_id,
    direction: row.direction,
    type: row.type,
    status: row.status,
    text: row.text,
    content: row.content,
    occurredAt: row.occurred_at.toISOString(),
    providerMessageId: row.provider_message_id,
    replyToMessageId: row.reply_to_message_id,
    templateName: row.template_name,
    errorCode: row.error_code,
    errorTitle: row.error_title,
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    readAt: iso(row.read_at),
    failedAt: iso(row.failed_at),
    isAi: row.is_ai,
    agentName: row.agent_name,
    kind: row.kind,
    media: row.media,
  };
}
