import { AgentFlow } from './agent-flow.entity';
import { AgentRun } from './agent-run.entity';
import { AnalyticsCycle } from './analytics-cycle.entity';
import { AnalyticsDaily } from './analytics-daily.entity';
import { AnalyticsDailyDuration } from './analytics-daily-duration.entity';
import { AnalyticsMilestone } from './analytics-milestone.entity';
import { ApiKey } from './api-key.entity';
import { Campaign } from './campaign.entity';
import { ChatwootIntegration, ChatwootLink, ChatwootSyncEvent } from './chatwoot.entity';
import { ChatwootInboundEvent } from './chatwoot-inbound-event.entity';
import { CampaignRecipient } from './campaign-recipient.entity';
import { Contact } from './contact.entity';
import { ContactNote } from './contact-note.entity';
import { LegalHold } from './legal-hold.entity';
import { Conversation } from './conversation.entity';
import { MediaAsset } from './media-asset.entity';
import { Message } from './message.entity';
import { MessageTemplate } from './message-template.entity';
import { Organization } from './organization.entity';
import { ParkedStatus } from './parked-status.entity';
import { QuickReply } from './quick-reply.entity';
import { RetentionPolicy } from './retention-policy.entity';
import { RetentionRun } from './retention-run.entity';
import { User } from './user.entity';
import { OutboxEvent } from './outbox-event.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { WebsocketForwardCursor } from './websocket-cursor.entity';
import { WhatsappAccount } from './whatsapp-account.entity';

/** Every entity, for the data source and TypeOrmModule. */
export const ENTITIES = [
  Organization,
  User,
  ApiKey,
  WhatsappAccount,
  Contact,
  ContactNote,
  Conversation,
  Message,
  ParkedStatus,
  MediaAsset,
  WebhookEvent,
  MessageTemplate,
  Campaign,
  CampaignRecipient,
  AgentRun,
  AgentFlow,
  RetentionPolicy,
  RetentionRun,
  LegalHold,
  AnalyticsMilestone,
  AnalyticsCycle,
  AnalyticsDaily,
  AnalyticsDailyDuration,
  OutboxEvent,
  WebhookEndpoint,
  WebhookDelivery,
  ChatwootIntegration,
  ChatwootLink,
  ChatwootSyncEvent,
  ChatwootInboundEvent,
  WebsocketForwardCursor,
  QuickReply,
];
