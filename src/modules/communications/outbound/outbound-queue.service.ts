import { Injectable } from '@nestjs/common';
import { JobName } from '../../../queues/job-names';
import { jobIdFor } from '../../../queues/job-options';
import { JobProducer } from '../../../queues/job-producer.service';
import { QueueName } from '../../../queues/queue-names';

export interface SendJobSpec {
  id: string;
  priority: number;
  sendAt?: Date | null;
  /** Explicit delay (bulk pacing); wins over `sendAt`. */
  delayMs?: number;
}

export const PRIORITY_REPLY = 1;
export const PRIORITY_TRANSACTIONAL = 2;
export const PRIORITY_BULK = 10;

/**
 * Enqueues send jobs: jobId = message id (a second enqueue of a live job is a no-op), BullMQ priority
 * from the row, delay from `sendAt`. The handler owns provider retries (attempts on the row), so BullMQ's
 * own attempts only cover unexpected crashes of the handler, with a plain exponential backoff.
 */
@Injectable()
export class OutboundQueue {
  constructor(private readonly jobs: JobProducer) {}

  async enqueue(messages: SendJobSpec[]): Promise<void> {
    if (messages.length === 0) return;
    const now = Date.now();
    await this.jobs.enqueueBulk(
      messages.map((m) => ({
        name: JobName.SendMessage,
        data: { messageId: m.id },
        key: m.id,
        opts: {
          priority: m.priority,
          backoff: { type: 'exponential', delay: 1000 },
          ...delayOf(m, now),
        },
      })),
    );
  }

  /** A failed/completed job with the same id would swallow the re-add; drop it first (retry, sweeper). */
  async clearFinished(messageIds: string[]): Promise<void> {
    const queue = this.jobs.queue(QueueName.Outbound);
    await Promise.all(
      messageIds.map(async (id) => {
        const job = await queue.getJob(jobIdFor(JobName.SendMessage, id));
        if (!job) return;
        const state = await job.getState();
        if (state === 'failed' || state === 'completed') await job.remove().catch(() => undefined);
      }),
    );
  }
}

function delayOf(m: SendJobSpec, now: number): { delay?: number } {
  if (m.delayMs !== undefined) return m.delayMs > 0 ? { delay: m.delayMs } : {};
  return m.sendAt && m.sendAt.getTime() > now ? { delay: m.sendAt.getTime() - now } : {};
}
