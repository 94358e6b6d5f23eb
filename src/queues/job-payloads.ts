import { JobName } from './job-names';

/** Payloads carry ids only: the worker reloads the row, which is the truth. */
export interface JobPayloads {
  [JobName.ProcessWebhookEvent]: { webhookEventId: string };
  [JobName.SendMessage]: { messageId: string };
  [JobName.DownloadMedia]: { mediaAssetId: string };
  [JobName.RunCampaign]: { campaignId: string };
  [JobName.SweepCampaigns]: Record<string, never>;
  [JobName.RunAgents]: { conversationId: string };
  [JobName.SyncTemplates]: { whatsappAccountId: string };
  [JobName.SweepWebhookEvents]: Record<string, never>;
  [JobName.SweepQueuedMessages]: Record<string, never>;
  [JobName.SweepUnansweredConversations]: Record<string, never>;
  [JobName.PurgeWebhookEvents]: Record<string, never>;
  [JobName.SyncAllTemplates]: Record<string, never>;
  [JobName.Noop]: { sleepMs?: number; marker?: string };
  [JobName.ApplyRetention]: Record<string, never>;
  [JobName.RollupAnalytics]: Record<string, never>;
  [JobName.DeliverWebhook]: { deliveryId: string };
  [JobName.SyncChatwoot]: { syncEventId: string };
  [JobName.ApplyChatwootEvent]: { inboundEventId: string };
  [JobName.BackfillChatwoot]: { integrationId: string; conversationId: string };
  [JobName.ReconcileChatwoot]: Record<string, never>;
}

export type JobPayload<N extends JobName> = JobPayloads[N];
