import { QueueName } from './queue-names';

/** `<module>.<verb-noun>`; every name has exactly one handler on its queue. */
export enum JobName {
  ProcessWebhookEvent = 'webhooks.process-event',
  SendMessage = 'communications.send-message',
  DownloadMedia = 'communications.download-media',
  RunCampaign = 'campaigns.run',
  SweepCampaigns = 'campaigns.sweep',
  RunAgents = 'agents.run',
  SyncTemplates = 'templates.sync',
  SweepWebhookEvents = 'maintenance.sweep-webhook-events',
  SweepQueuedMessages = 'maintenance.sweep-queued-messages',
  SweepUnansweredConversations = 'maintenance.sweep-unanswered-conversations',
  PurgeWebhookEvents = 'maintenance.purge-webhook-events',
  SyncAllTemplates = 'maintenance.sync-all-templates',
  Noop = 'maintenance.noop',
  ApplyRetention = 'lifecycle.apply-retention',
  RollupAnalytics = 'lifecycle.rollup-analytics',
  DeliverWebhook = 'integrations.deliver-webhook',
  SyncChatwoot = 'integrations.sync-chatwoot',
  ApplyChatwootEvent = 'integrations.apply-chatwoot-event',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.ProcessWebhookEvent]: QueueName.Inbound,
  [JobName.SendMessage]: QueueName.Outbound,
  [JobName.DownloadMedia]: QueueName.Media,
  [JobName.RunCampaign]: QueueName.Campaigns,
  [JobName.SweepCampaigns]: QueueName.Campaigns,
  [JobName.RunAgents]: QueueName.Agents,
  [JobName.SyncTemplates]: QueueName.Maintenance,
  [JobName.SweepWebhookEvents]: QueueName.Maintenance,
  [JobName.SweepQueuedMessages]: QueueName.Maintenance,
  [JobName.SweepUnansweredConversations]: QueueName.Maintenance,
  [JobName.PurgeWebhookEvents]: QueueName.Maintenance,
  [JobName.SyncAllTemplates]: QueueName.Maintenance,
  [JobName.Noop]: QueueName.Maintenance,
  [JobName.ApplyRetention]: QueueName.Maintenance,
  [JobName.RollupAnalytics]: QueueName.Maintenance,
  [JobName.DeliverWebhook]: QueueName.Integrations,
  [JobName.SyncChatwoot]: QueueName.Integrations,
  [JobName.ApplyChatwootEvent]: QueueName.Integrations,
};
