import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOB_QUEUE, JobName } from '../job-names';
import type { QueueName } from '../queue-names';
import type { JobPayload } from '../job-payloads';

export type JobHandler<N extends JobName> = (job: Job<JobPayload<N>>, token?: string) => Promise<unknown>;

/** Feature worker modules register one handler per job name; the queue processors dispatch to them. */
@Injectable()
export class JobHandlers {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} already has a handler`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  get(name: string): JobHandler<JobName> | undefined {
    return this.handlers.get(name as JobName);
  }

  has(name: JobName): boolean {
    return this.handlers.has(name);
  }

  /** Start-up check: a job name routed to `queue` without a handler stops the worker from starting. */
  assertComplete(queue: QueueName): void {
    const missing = this.missingFor(queue);
    if (missing.length > 0) throw new Error(`Queue ${queue} has jobs without a handler: ${missing.join(', ')}`);
  }

  /** Job names routed to `queue` that nobody handles. */
  missingFor(queue: QueueName): JobName[] {
    return Object.values(JobName).filter((name) => JOB_QUEUE[name] === queue && !this.handlers.has(name));
  }
}
