/** Queues by workload; one worker can consume a subset (WORKER_QUEUES). */
export enum QueueName {
  Inbound = 'inbound',
  Agents = 'agents',
  Outbound = 'outbound',
  Campaigns = 'campaigns',
  Media = 'media',
  Maintenance = 'maintenance',
  /** Outbound webhook deliveries (integrations). */
  Integrations = 'integrations',
}

export const ALL_QUEUES = Object.values(QueueName);
