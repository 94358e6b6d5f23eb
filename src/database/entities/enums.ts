export enum UserRole {
  Owner = 'owner',
  Admin = 'admin',
  Agent = 'agent',
  Viewer = 'viewer',
}

export enum WhatsappProviderKind {
  Meta = 'meta',
  Kapso = 'kapso',
  Sandbox = 'sandbox',
}

export enum ConversationStatus {
  Open = 'open',
  Closed = 'closed',
}

export enum MessageDirection {
  Inbound = 'inbound',
  Outbound = 'outbound',
}

/** Outbound: queued → sending → sent → delivered → read (played for voice), or failed. Inbound: received. */
export enum MessageStatus {
  Queued = 'queued',
  Sending = 'sending',
  Sent = 'sent',
  Delivered = 'delivered',
  Read = 'read',
  Played = 'played',
  Failed = 'failed',
  Received = 'received',
}

export enum WebhookProvider {
  Meta = 'meta',
  Kapso = 'kapso',
}

export enum WebhookEventStatus {
  Received = 'received',
  Processing = 'processing',
  Processed = 'processed',
  Failed = 'failed',
}

export enum TemplateCategory {
  Marketing = 'MARKETING',
  Utility = 'UTILITY',
  Authentication = 'AUTHENTICATION',
}

/** draft → scheduled → running ⇄ paused → completed | cancelled | failed (a trigger refuses other moves). `queued`: bulk sends before campaigns, read as running. */
export enum CampaignStatus {
  Draft = 'draft',
  Scheduled = 'scheduled',
  Queued = 'queued',
  Running = 'running',
  Paused = 'paused',
  Completed = 'completed',
  Cancelled = 'cancelled',
  Failed = 'failed',
}

/** pending → queued (its message exists) → sent | failed; or skipped (with a reason), expired, cancelled; `held` waits for an A/B winner. */
export enum CampaignRecipientStatus {
  Pending = 'pending',
  Held = 'held',
  Queued = 'queued',
  Sent = 'sent',
  Failed = 'failed',
  Skipped = 'skipped',
  Expired = 'expired',
  Cancelled = 'cancelled',
}

export enum MediaStatus {
  Pending = 'pending',
  Stored = 'stored',
  Failed = 'failed',
}

export enum AgentRunOutcome {
  Replied = 'replied',
  Handoff = 'handoff',
  Skipped = 'skipped',
  NoReply = 'no_reply',
  Failed = 'failed',
}

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  /** Every attempt failed, or the endpoint answered 410: listed and redeliverable. */
  Dead = 'dead',
}
