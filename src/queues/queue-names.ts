/** Queues by workload; one worker can consume a subset (WORKER_QUEUES). */
export enum QueueName {
  Inbound = 'inbound',
  Agents = 'agents',
  Outbound = 'outbound',
  Campaigns = 'campaigns',
  Media = 'media',
  Maintenance = 'maintenance',
}

export const ALL_QUEUES = Object.values(QueueName);
