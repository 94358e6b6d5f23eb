import { InjectFlowProducer } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { FlowJob, FlowProducer, JobsOptions } from 'bullmq';
import type { RedisClient } from '../../../common/redis/redis-client';
import { REDIS } from '../../../common/redis/redis.module';
import { JobName } from '../../../queues/job-names';
import { jobIdFor, optionsFor } from '../../../queues/job-options';
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

/** The flow producer that chains the parts of a multi-part send (see `enqueueInOrder`). */
export const OUTBOUND_SEQUENCE = 'outbound-sequence';

/**
 * Enqueues send jobs: jobId = message id (a second enqueue of a live job is a no-op), BullMQ priority
 * from the row, delay from `sendAt`. The handler owns provider retries (attempts on the row), so BullMQ's
 * own attempts only cover unexpected crashes of the handler, with a plain exponential backoff.
 */
@Injectable()
export class OutboundQueue {
  constructor(
    private readonly jobs: JobProducer,
    @Inject(REDIS) private readonly redis: RedisClient,
    @InjectFlowProducer(OUTBOUND_SEQUENCE) private readonly flows: FlowProducer,
  ) {}

  async enqueue(messages: SendJobSpec[]): Promise<void> {
    if (messages.length === 0) return;
    const now = Date.now();
    await this.jobs.enqueueBulk(messages.map((m) => ({ name: JobName.SendMessage, data: { messageId: m.id }, key: m.id, opts: jobOptions(m, now) })));
  }

  /**
   * The parts of one reply, sent one after the other: a BullMQ flow where each part is the parent of the one
   * before it, so BullMQ releases part N+1 only when part N's job has finished. A part that fails for good
   * releases the next one too (`ignoreDependencyOnFailure`): a lost part never holds back the rest.
   */
  async enqueueInOrder(messages: SendJobSpec[]): Promise<void> {
    if (messages.length <= 1) return this.enqueue(messages);
    const now = Date.now();
    const chain = messages.reduce<FlowJob | undefined>((previous, m) => {
      const opts = optionsFor(JobName.SendMessage, { ...jobOptions(m, now), jobId: jobIdFor(JobName.SendMessage, m.id) });
      const node = { name: JobName.SendMessage, queueName: QueueName.Outbound, data: { messageId: m.id }, opts };
      if (!previous) return node;
      return { ...node, children: [{ ...previous, opts: { ...previous.opts, ignoreDependencyOnFailure: true } }] } as FlowJob;
    }, undefined);
    await this.flows.add(chain!);
  }

  /**
   * A failed/completed job with the same id would swallow the re-add; drop it first (retry, sweeper).
   * One pipelined round trip finds the finished ones (a sweep may cover thousands of ids); only those are removed.
   */
  async clearFinished(messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    const queue = this.jobs.queue(QueueName.Outbound);
    const jobIds = messageIds.map((id) => jobIdFor(JobName.SendMessage, id));
    const pipeline = this.redis.pipeline();
    for (const jobId of jobIds) pipeline.zscore(queue.toKey('failed'), jobId).zscore(queue.toKey('completed'), jobId);
    const replies = (await pipeline.exec()) ?? [];
    const inSet = (reply: [Error | null, unknown] | undefined) => reply?.[1] !== null && reply?.[1] !== undefined;
    const finished = jobIds.filter((_, i) => inSet(replies[2 * i]) || inSet(replies[2 * i + 1]));
    await Promise.all(finished.map((jobId) => queue.remove(jobId).catch(() => undefined)));
  }
}

function jobOptions(m: SendJobSpec, now: number): JobsOptions {
  return { priority: m.priority, backoff: { type: 'exponential', delay: 1000 }, ...delayOf(m, now) };
}

function delayOf(m: SendJobSpec, now: number): { delay?: number } {
  if (m.delayMs !== undefined) return m.delayMs > 0 ? { delay: m.delayMs } : {};
  return m.sendAt && m.sendAt.getTime() > now ? { delay: m.sendAt.getTime() - now } : {};
}
