import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName } from './job-names';
import type { JobPayload } from './job-payloads';
import { jobIdFor, optionsFor } from './job-options';
import { QueueName } from './queue-names';

export interface BulkJob<N extends JobName> {
  name: N;
  data: JobPayload<N>;
  opts?: JobsOptions;
}

/** The one typed way to enqueue. `key` makes the job id deterministic (idempotent enqueue). */
@Injectable()
export class JobProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Inbound) inbound: Queue,
    @InjectQueue(QueueName.Agents) agents: Queue,
    @InjectQueue(QueueName.Outbound) outbound: Queue,
    @InjectQueue(QueueName.Campaigns) campaigns: Queue,
    @InjectQueue(QueueName.Media) media: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Integrations) integrations: Queue,
  ) {
    this.queues = { inbound, agents, outbound, campaigns, media, maintenance, integrations };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async enqueue<N extends JobName>(name: N, data: JobPayload<N>, opts: JobsOptions & { key?: string } = {}): Promise<void> {
    const { key, ...rest } = opts;
    const jobId = key ? jobIdFor(name, key) : rest.jobId;
    await this.queues[JOB_QUEUE[name]].add(name, data, optionsFor(name, { ...rest, ...(jobId ? { jobId } : {}) }));
  }

  /** One pipelined round trip per queue. */
  async enqueueBulk<N extends JobName>(jobs: Array<BulkJob<N> & { key?: string }>): Promise<void> {
    const byQueue = new Map<QueueName, Array<{ name: string; data: unknown; opts: JobsOptions }>>();
    for (const job of jobs) {
      const queue = JOB_QUEUE[job.name];
      const jobId = job.key ? jobIdFor(job.name, job.key) : job.opts?.jobId;
      const list = byQueue.get(queue) ?? [];
      list.push({ name: job.name, data: job.data, opts: optionsFor(job.name, { ...job.opts, ...(jobId ? { jobId } : {}) }) });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queues[queue].addBulk(list)));
  }
}
