import { QueueName } from './queue-names';

/** `<module>.<verb-noun>`; every name has exactly one handler on its queue. */
export enum JobName {
  ProcessWebhookEvent = 'webhooks.process-event',
  SendMessage = 'communications.send-message',
  DownloadMedia = 'communications.download-media',
  FanOutBulkSend = 'communications.fan-out-bulk',
  RunAgents = 'agents.run',
  SyncTemplates = 'templates.sync',
  SweepWebhookEvents = 'maintenance.sweep-webhook-events',
  SweepQueuedMessages = 'maintenance.sweep-queued-messages',
  PurgeWebhookEvents = 'maintenance.purge-webhook-events',
  SyncAllTemplates = 'maintenance.sync-all-templates',
  Noop = 'maintenance.noop',
  DeliverWebhook = 'integrations.deliver-webhook',
  SyncChatwoot = 'integrations.sync-chatwoot',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.ProcessWebhookEvent]: QueueName.Inbound,
  [JobName.SendMessage]: QueueName.Outbound,
  [JobName.DownloadMedia]: QueueName.Media,
  [JobName.FanOutBulkSend]: QueueName.Campaigns,
  [JobName.RunAgents]: QueueName.Agents,
  [JobName.SyncTemplates]: QueueName.Maintenance,
  [JobName.SweepWebhookEvents]: QueueName.Maintenance,
  [JobName.SweepQueuedMessages]: QueueName.Maintenance,
  [JobName.PurgeWebhookEvents]: QueueName.Maintenance,
  [JobName.SyncAllTemplates]: QueueName.Maintenance,
  [JobName.Noop]: QueueName.Maintenance,
  [JobName.DeliverWebhook]: QueueName.Integrations,
  [JobName.SyncChatwoot]: QueueName.Integrations,
};
