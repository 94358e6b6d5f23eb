/** View models of the admin APIs' answers (field names as in the schema; nullable strings narrowed). */
export type CampaignStatus = 'draft' | 'scheduled' | 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';
export const RECIPIENT_STATUSES = ['pending', 'held', 'queued', 'sent', 'failed', 'skipped', 'expired', 'cancelled'] as const;

export interface Campaign {
  id: string;
  name: string | null;
  accountId: string;
  status: CampaignStatus;
  totalRecipients: number;
  content: { type?: string; template?: { name: string; language: string } } | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface CampaignCounts {
  total: number;
  pending: number;
  sending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  failedByCode: Record<string, number>;
  skipped: number;
  skippedByReason: Record<string, number>;
  expired: number;
  cancelled: number;
  optedOut: number;
}

export interface CampaignDetail extends Campaign {
  counts: CampaignCounts;
}

export interface CsvImportResult {
  accepted: number;
  duplicates: number;
  invalid: number;
  errors: Array<{ line: number; error: string }>;
  preview: Array<{ line: number; phone: string; variables?: unknown }>;
  total: number;
}

export interface Recipient {
  id: string;
  phone: string;
  status: string;
  reason: string | null;
  reasonMessage: string | null;
  attempts: number;
  messageStatus: string | null;
}

export interface Account {
  id: string;
  name: string;
  provider: string;
  displayPhoneNumber: string | null;
  timezone: string;
  businessHours: { weekly?: Partial<Record<string, Array<[string, string]>>>; holidays?: string[] } | null;
  autoRepliesEnabled: boolean;
  isDefault: boolean;
}

export interface Quantiles {
  median: number | null;
  p90: number | null;
}

export interface Overview {
  conversations: { opened: number; resolved: number };
  messages: { inbound: number; outbound: number };
  autoResolutionRate: number | null;
  handoffRate: number | null;
  firstResponseSeconds: Quantiles;
  resolutionSeconds: Quantiles;
  series: Array<{ day: string; opened: number; resolved: number; inbound: number; outbound: number }>;
}

export interface TemplateRow {
  templateName: string;
  language: string;
  sends: number;
  deliveredRate: number | null;
  readRate: number | null;
  failed: number;
}

export interface CampaignVariantRow {
  variant: string;
  recipients: number;
  deliveredRate: number | null;
  readRate: number | null;
  repliedRate: number | null;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  isActive: boolean;
}

export type Role = 'owner' | 'admin' | 'agent' | 'viewer';
export const ROLES: Role[] = ['owner', 'admin', 'agent', 'viewer'];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface Flow {
  key: string;
  name: string;
  enabled: boolean;
  source: string;
  initialState: string;
  states: string[];
}

export interface KnowledgeEntry {
  id: string;
  topic: string;
  keywords: string[];
  answer: string;
}

export interface AgentConfigView {
  autoRepliesEnabled: boolean;
  stored: Record<string, unknown> & { agents?: Record<string, { enabled?: boolean }>; keywords?: Record<string, { strong?: string[]; weak?: string[] }>; knowledge?: KnowledgeEntry[] };
  config: { agents: Record<string, { enabled?: boolean; priority?: number }>; keywords: Record<string, { strong: string[]; weak: string[] }>; knowledge: KnowledgeEntry[] };
}

export interface TestResponseResult {
  agent: string;
  confidence: number;
  unsure: boolean;
  reply: { messages?: Array<{ type: string; text?: string; name?: string }> } | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  error: string | null;
  createdAt: string;
}
