import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../../../common/batching/group-commit';
import { decryptSecret } from '../../../common/crypto';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import type { EventEnvelope, EventType } from '../../../domain/events/event-catalogue';
import type { JobPayload } from '../../../queues/job-payloads';
import { JobName } from '../../../queues/job-names';
import { jobIdFor } from '../../../queues/job-options';
import { JobProducer } from '../../../queues/job-producer.service';
import { QueueName } from '../../../queues/queue-names';
import { delayJob } from '../../../queues/worker/delay-job';
import { IntegrationsMetrics } from '../integrations-metrics.service';
import { type DeliveryOutcome, type DeliveryToSend, disableEndpoint, loadDeliveries, holdIfBlocked, markDeliveries, nextInOrder } from './delivery-store';
import { decideAttempt, parseSchedule } from './retry-policy';
import { urlRefusal } from './url-guard';
import { type HttpAttempt, WebhookHttpClient } from './webhook-http.client';
import { webhookHeaders } from './webhook-signature';

/** How long a delivery waits at least when its endpoint already has WEBHOOK_ENDPOINT_CONCURRENCY attempts in progress. */
const BUSY_RETRY_MS = 100;
/** Decrypted endpoint secrets kept (by their ciphertext, so a rotation is a new entry). */
const SECRET_CACHE_SIZE = 1000;
const SHUTDOWN_WAIT_MS = 2000;
/** Fast-path deliveries waiting in this process beyond which the relay takes no more events. */
const BACKLOG_LIMIT = 2000;
/** How long a delivery may wait in this process for its busy endpoint; beyond that it is queued for later. */
const MAX_LOCAL_WAIT_MS = 5000;
/** No attempt of a busy endpoint finished for this long: it is stalled (a hanging receiver), whatever attempts took. */
const STALL_MS = 1000;
/** Weight of the latest attempt in an endpoint's smoothed attempt duration. */
const ATTEMPT_MS_WEIGHT = 0.05;
/**
 * An ordered delivery held behind an earlier one looks again this long after that one is next due. Its predecessor's
 * completion wakes it sooner; this bounds the wait when that wake-up is missed (a race, a crash) or has no sender
 * (the earlier event was still being fanned out by another worker).
 */
const ORDER_RECHECK_MS = 1000;
/** ...but never holds longer than this between looks (a missed wake-up behind a predecessor due in hours). */
const ORDER_MAX_HOLD_MS = 300_000;
/** A wake-up finding its delivery mid-check (about to be held) tries again this often, a few times. */
const WAKE_RETRY_MS = 25;
const WAKE_TRIES = 8;

export type DeliveryResult = 'delivered' | 'retrying' | 'dead' | 'skipped';

/** What became of one turn of a delivery: finished for now, or to be tried again at `at` (epoch ms). */
type Step = { kind: 'done'; result: DeliveryResult } | { kind: 'later'; at: number };

/**
 * Sends one delivery (an event to an endpoint), signed per Standard Webhooks, and follows the retry schedule by
 * delaying its job. Freshly fanned-out deliveries are attempted at once in the relay's process (`dispatch`), with no
 * queue round trip; retries, overflow and deliveries a crash left pending (the relay's sweep) go through the queue.
 * Loads and outcomes of concurrent deliveries go to PostgreSQL together.
 */
@Injectable()
export class WebhookDeliveryService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly http: WebhookHttpClient;
  private readonly schedule: number[];
  /** Attempts in progress per endpoint in this process. */
  private readonly inFlight = new Map<string, number>();
  /** Per endpoint: attempts' smoothed duration (ms), so a busy endpoint's deliveries wait about as long as a slot takes. */
  private readonly attemptMs = new Map<string, number>();
  /** Per endpoint with attempts in progress: when one last finished (or the first started). */
  private readonly progressAt = new Map<string, number>();
  /** Per endpoint with a rate: when the next attempt is due (generic cell rate algorithm), in this process. */
  private readonly rateDue = new Map<string, number>();
  /** Deliveries the fast path of this process holds, waiting or in progress (a queued copy of one is skipped). */
  private readonly direct = new Set<string>();
  /** Fast-path deliveries waiting for their endpoint to have room, by endpoint. */
  private readonly waiting = new Map<string, DeliveryToSend[]>();
  private waitingCount = 0;
  private readonly backlogDrained: Array<() => void> = [];
  private pumpTimer?: NodeJS.Timeout;
  private running = 0;
  private stopping = false;
  private readonly secrets = new Map<string, string>();
  private readonly loads = new GroupCommit((ids: string[]) => loadDeliveries(this.dataSource, ids), { maxBatch: 500, maxInFlight: 2 });
  private readonly marks = new GroupCommit((outcomes: DeliveryOutcome[]) => this.markBatch(outcomes), { maxBatch: 500, maxInFlight: 1 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: IntegrationsMetrics,
    private readonly jobs: JobProducer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.http = new WebhookHttpClient(config.WEBHOOK_TIMEOUT_MS);
    this.schedule = parseSchedule(config.WEBHOOK_RETRY_SCHEDULE_MS);
  }

  /** Lets the fast path's attempts in progress finish for a moment; what is left pending is the sweep's. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pumpTimer);
    for (const queue of this.waiting.values()) for (const { id } of queue) this.direct.delete(id);
    this.waiting.clear();
    this.waitingCount = 0;
    for (const done of this.backlogDrained.splice(0)) done();
    const until = Date.now() + SHUTDOWN_WAIT_MS;
    while (this.direct.size > 0 && Date.now() < until) await new Promise((done) => setTimeout(done, 20));
  }

  onApplicationShutdown(): void {
    this.http.close();
  }

  async handle(job: Job<JobPayload<JobName.DeliverWebhook>>, token?: string): Promise<DeliveryResult> {
    // The fast path holds it and schedules what follows itself.
    if (this.direct.has(job.data.deliveryId)) return 'skipped';
    const delivery = await this.loads.submit(job.data.deliveryId);
    if (delivery && this.adopt(delivery)) return 'skipped';
    const step = await this.deliver(delivery);
    // BullMQ counts no attempt for a delayed job: its own attempts stay for crashes only.
    return step.kind === 'later' ? delayJob(job, token, step.at) : step.result;
  }

  /**
   * The relay's fast path: loads new deliveries together and attempts them in this process without a queue round
   * trip: WEBHOOK_DELIVERY_CONCURRENCY at a time, each endpoint within its own concurrency and rate, taking turns.
   * An endpoint that cannot keep up (slow, hanging) keeps waiting here only what it gets through in about
   * MAX_LOCAL_WAIT_MS; the rest go to the queue for later, so it never holds back the others. The relay waits while this process has more
   * than BACKLOG_LIMIT waiting, leaving further events to other workers. A delivery not finished when this process
   * dies stays pending in PostgreSQL, and the relay's sweep queues it again (same webhook-id).
   */
  async dispatch(deliveryIds: string[]): Promise<void> {
    const fresh = deliveryIds.filter((id) => !this.direct.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.direct.add(id);
    let loaded: Array<DeliveryToSend | null>;
    try {
      loaded = await loadDeliveries(this.dataSource, fresh);
    } catch (error) {
      for (const id of fresh) this.direct.delete(id);
      throw error;
    }
    fresh.forEach((id, i) => {
      const delivery = loaded[i];
      if (!delivery) return void this.direct.delete(id);
      const queue = this.waiting.get(delivery.endpointId) ?? [];
      queue.push(delivery);
      this.waiting.set(delivery.endpointId, queue);
      this.waitingCount += 1;
    });
    this.pump();
    while (this.waitingCount > BACKLOG_LIMIT && !this.stopping) await new Promise<void>((done) => this.backlogDrained.push(done));
  }

  /**
   * A queued delivery whose endpoint is busy with a short waiting line in this process joins that line instead of
   * going back to the queue to find the endpoint busy again (each round trip costs more than the attempt). Like every
   * fast-path delivery it stays pending in PostgreSQL until attempted: the sweep has it if this process dies.
   */
  private adopt(delivery: DeliveryToSend): boolean {
    const queue = this.waiting.get(delivery.endpointId);
    if (!queue || delivery.status !== 'pending' || this.stopping || this.waitingCount >= BACKLOG_LIMIT) return false;
    if (queue.length >= this.localKeep(delivery.endpointId)) return false;
    this.direct.add(delivery.id);
    queue.push(delivery);
    this.waitingCount += 1;
    return true;
  }

  /** How many deliveries a busy endpoint may keep waiting in this process: what it gets through in MAX_LOCAL_WAIT_MS. */
  private localKeep(endpointId: string): number {
    return Math.max(1, Math.floor(MAX_LOCAL_WAIT_MS / Math.max(this.turnMs(endpointId), 1))) * this.config.WEBHOOK_ENDPOINT_CONCURRENCY;
  }

  /**
   * Starts what may start: one delivery per endpoint with room per turn, until the slots or the candidates run out.
   * A busy endpoint keeps waiting here only what it should get through within MAX_LOCAL_WAIT_MS; the rest is queued.
   */
  private pump(): void {
    let soonest = Infinity;
    const spilled: Array<{ id: string; at: number }> = [];
    for (let progressed = true; progressed && !this.stopping; ) {
      progressed = false;
      for (const [endpointId, queue] of this.waiting) {
        if (this.running >= this.config.WEBHOOK_DELIVERY_CONCURRENCY) break;
        if ((this.inFlight.get(endpointId) ?? 0) >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) {
          const keep = this.localKeep(endpointId);
          if (queue.length > keep) {
            const spill = queue.splice(keep);
            this.waitingCount -= spill.length;
            // Spread, not all at once: each is adopted back into the line (see adopt) as it shortens, instead of bouncing.
            const slotMs = this.slotMs(endpointId);
            const from = this.busyUntil(endpointId);
            spill.forEach((delivery, i) => {
              this.direct.delete(delivery.id);
              spilled.push({ id: delivery.id, at: from + (keep + i) * slotMs });
            });
          }
          continue;
        }
        const now = Date.now();
        const due = this.takeRate(queue[0], now);
        if (due > now) {
          // Rate-limited: what its rate lets through within MAX_LOCAL_WAIT_MS waits here, the rest is spread over later.
          const perSecond = this.rateOf(queue[0]);
          const keep = Math.max(1, Math.ceil((perSecond * MAX_LOCAL_WAIT_MS) / 1000));
          if (queue.length > keep) {
            const spill = queue.splice(keep);
            this.waitingCount -= spill.length;
            spill.forEach((delivery, i) => {
              this.direct.delete(delivery.id);
              spilled.push({ id: delivery.id, at: due + ((keep + i) * 1000) / perSecond });
            });
          }
          soonest = Math.min(soonest, due);
          continue;
        }
        const delivery = queue.shift()!;
        if (queue.length === 0) this.waiting.delete(endpointId);
        this.waitingCount -= 1;
        this.running += 1;
        progressed = true;
        void this.deliverDirect(delivery).finally(() => {
          this.running -= 1;
          this.pump();
        });
      }
    }
    if (soonest < Infinity && !this.pumpTimer) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, soonest - Date.now());
    }
    for (const { id, at } of spilled) void this.enqueue([id], at - Date.now()).catch(() => undefined);
    if (this.waitingCount <= BACKLOG_LIMIT) for (const done of this.backlogDrained.splice(0)) done();
  }

  private async deliverDirect(delivery: DeliveryToSend): Promise<void> {
    try {
      const step = await this.deliver(delivery, true);
      // Out of this fast path before it is queued: the queued job must not be skipped as still held here.
      this.direct.delete(delivery.id);
      if (step.kind === 'later') await this.enqueue([delivery.id], step.at - Date.now());
    } catch (error) {
      this.logger.warn({ deliveryId: delivery.id, err: { message: (error as Error).message } }, 'webhook delivery failed; the sweep retries it');
    } finally {
      this.direct.delete(delivery.id);
    }
  }

  /** When a busy endpoint may have room again: about one attempt's duration from now, spread. */
  private busyUntil(endpointId: string): number {
    const wait = Math.max(BUSY_RETRY_MS, this.turnMs(endpointId));
    return Date.now() + wait + Math.random() * wait;
  }

  /** How often one of the endpoint's slots frees up: an attempt's duration shared by its concurrent attempts. */
  private slotMs(endpointId: string): number {
    return Math.max(this.turnMs(endpointId), 1) / this.config.WEBHOOK_ENDPOINT_CONCURRENCY;
  }

  /** About how long an attempt at this endpoint takes now: the last one's duration, or longer if none finished since. */
  private turnMs(endpointId: string): number {
    const since = this.inFlight.has(endpointId) ? Date.now() - (this.progressAt.get(endpointId) ?? Date.now()) : 0;
    // A pause of this process (GC, a burst of work) also stops progress for a moment: only a longer one is a stall.
    return Math.max(this.attemptMs.get(endpointId) ?? 0, since >= STALL_MS ? since : 0);
  }

  private async enqueue(ids: string[], delayMs: number): Promise<void> {
    if (ids.length === 0) return;
    const opts = delayMs > 0 ? { delay: Math.round(delayMs) } : undefined;
    await this.jobs.enqueueBulk(ids.map((deliveryId) => ({ name: JobName.DeliverWebhook, data: { deliveryId }, key: deliveryId, opts })));
  }

  /** `admitted`: the fast path has already checked the endpoint's concurrency and counted it against its rate. */
  private async deliver(delivery: DeliveryToSend | null, admitted = false): Promise<Step> {
    if (!delivery || delivery.status !== 'pending') return { kind: 'done', result: 'skipped' };
    if (!delivery.enabled) {
      await this.record(delivery, 'dead', { status: null, latencyMs: 0, error: 'endpoint disabled' }, null);
      await this.releaseNext(delivery);
      return { kind: 'done', result: 'dead' };
    }
    // One slow or hanging receiver may hold only its share of this worker's slots: the rest wait, uncounted.
    // (Nothing is awaited between this check and counting the attempt in, so the fast path's pump sees it.)
    const inFlight = this.inFlight.get(delivery.endpointId) ?? 0;
    if (!admitted) {
      if (inFlight >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) {
        // Behind what the fast path holds for this endpoint: come back after those, not to find it busy again.
        const ahead = this.waiting.get(delivery.endpointId)?.length ?? 0;
        return { kind: 'later', at: this.busyUntil(delivery.endpointId) + ahead * this.slotMs(delivery.endpointId) };
      }
      const now = Date.now();
      const due = this.takeRate(delivery, now);
      if (due > now) return { kind: 'later', at: due };
    }
    this.inFlight.set(delivery.endpointId, inFlight + 1);
    if (inFlight === 0) this.progressAt.set(delivery.endpointId, Date.now());
    let attempt: HttpAttempt;
    try {
      // Decided in PostgreSQL, so it holds across workers; counted in flight meanwhile, so the pump keeps to the
      // endpoint's concurrency. Unordered endpoints never get here (no query on their path).
      if (isOrdered(delivery)) {
        const turn = await holdIfBlocked(this.dataSource, delivery, ORDER_RECHECK_MS, ORDER_MAX_HOLD_MS);
        if (turn === 'settled') return { kind: 'done', result: 'skipped' };
        if (turn !== 'go') return { kind: 'later', at: turn.heldUntil };
      }
      attempt = await this.attempt(delivery);
    } finally {
      const left = (this.inFlight.get(delivery.endpointId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(delivery.endpointId, left);
      else this.inFlight.delete(delivery.endpointId);
      this.progressAt.set(delivery.endpointId, Date.now());
      // A queued attempt freed a slot the fast path's deliveries of this endpoint may be waiting for.
      if (!admitted && this.waiting.has(delivery.endpointId)) queueMicrotask(() => this.pump());
    }
    // Smoothed: one slow attempt among many quick ones must not send the endpoint's waiting line to the queue.
    const previousMs = this.attemptMs.get(delivery.endpointId);
    this.attemptMs.set(delivery.endpointId, previousMs === undefined ? attempt.latencyMs : previousMs + (attempt.latencyMs - previousMs) * ATTEMPT_MS_WEIGHT);
    const attemptsMade = delivery.attempts + 1;
    const decision = decideAttempt(attempt, attemptsMade, this.schedule);
    this.metrics.attemptSeconds.observe(attempt.latencyMs / 1000);
    switch (decision.kind) {
      case 'delivered':
        await this.record(delivery, 'delivered', attempt, null);
        this.metrics.eventToDeliverySeconds.observe((Date.now() - new Date(delivery.eventCreatedAt).getTime()) / 1000);
        await this.releaseNext(delivery);
        return { kind: 'done', result: 'delivered' };
      case 'gone':
        await this.record(delivery, 'dead', attempt, null);
        await this.disable(delivery.endpointId, 'the receiver answered 410 Gone');
        await this.releaseNext(delivery);
        return { kind: 'done', result: 'dead' };
      case 'dead':
        await this.record(delivery, 'dead', attempt, null);
        await this.releaseNext(delivery);
        return { kind: 'done', result: 'dead' };
      case 'retry':
        await this.record(delivery, 'pending', attempt, new Date(decision.at));
        return { kind: 'later', at: decision.at };
    }
  }

  /**
   * An ordered delivery is done (delivered or dead): the next one of its conversation, held until now, goes at once
   * wherever it waits (its delayed job is promoted). Best effort: a missed wake-up costs ORDER_RECHECK_MS.
   */
  private async releaseNext(delivery: DeliveryToSend): Promise<void> {
    if (!isOrdered(delivery)) return;
    const failed = (error: unknown) =>
      this.logger.warn({ deliveryId: delivery.id, err: { message: (error as Error).message } }, 'ordered webhook delivery: waking the next failed; it looks again shortly');
    try {
      const next = await nextInOrder(this.dataSource, delivery);
      // Not awaited: a wake-up that has to wait for its job must not keep this delivery's slot.
      if (next) void this.wake(next).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  /**
   * Runs a held delivery's delayed job now. One not delayed yet (a job still checking, here or in another worker; a
   * fast-path delivery about to be queued) is looked at again a few times. No job is ever added here: one still in
   * some worker's fast path goes on by itself there, and a lost one is the sweep's (a second copy could race it).
   */
  private async wake(deliveryId: string): Promise<void> {
    const queue = this.jobs.queue(QueueName.Integrations);
    for (let tries = 0; tries < WAKE_TRIES && !this.stopping; tries += 1) {
      if (!this.direct.has(deliveryId)) {
        const job = await queue.getJob(jobIdFor(JobName.DeliverWebhook, deliveryId));
        const state = job ? await job.getState() : 'missing';
        if (state === 'delayed') return void (await job!.promote().catch(() => undefined));
        if (state !== 'active' && state !== 'missing') return;
      }
      await new Promise((done) => setTimeout(done, WAKE_RETRY_MS));
    }
  }

  /**
   * The endpoint's rate (its own `maxPerSecond`, else WEBHOOK_ENDPOINT_MAX_PER_SECOND; 0 = none), per worker process,
   * as evenly spaced starts (so no one-second window holds more): answers `now` and counts the attempt when one may
   * start, else when to come back (counting nothing).
   */
  private takeRate(delivery: DeliveryToSend, now: number): number {
    const perSecond = this.rateOf(delivery);
    if (!perSecond) return now;
    const due = Math.max(this.rateDue.get(delivery.endpointId) ?? now, now);
    if (due > now) return due;
    this.rateDue.set(delivery.endpointId, now + 1000 / perSecond);
    return now;
  }

  private rateOf(delivery: DeliveryToSend): number {
    return delivery.maxPerSecond ?? this.config.WEBHOOK_ENDPOINT_MAX_PER_SECOND;
  }

  private async attempt(delivery: DeliveryToSend): Promise<HttpAttempt> {
    const refusal = await urlRefusal(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (refusal) return { status: null, latencyMs: 0, error: `refused: ${refusal}` };
    const body = JSON.stringify(envelopeOf(delivery));
    const headers = webhookHeaders(delivery.eventId, body, this.secretsOf(delivery));
    return this.http.post(delivery.url, body, headers);
  }

  /** The current secret, and the previous one while its overlap window lasts. */
  private secretsOf(delivery: DeliveryToSend): string[] {
    const secrets = [this.decrypt(delivery.secretEncrypted)];
    const previous = delivery.previousSecretEncrypted;
    if (previous && delivery.previousSecretExpiresAt && new Date(delivery.previousSecretExpiresAt).getTime() > Date.now()) secrets.push(this.decrypt(previous));
    return secrets;
  }

  private decrypt(encrypted: string): string {
    let secret = this.secrets.get(encrypted);
    if (secret === undefined) {
      if (this.secrets.size >= SECRET_CACHE_SIZE) this.secrets.clear();
      secret = decryptSecret(encrypted, this.config.encryptionKey);
      this.secrets.set(encrypted, secret);
    }
    return secret;
  }

  private async record(delivery: DeliveryToSend, status: DeliveryOutcome['status'], attempt: Pick<HttpAttempt, 'status' | 'latencyMs' | 'error'>, nextAttemptAt: Date | null): Promise<void> {
    this.metrics.deliveries.inc({ endpoint: delivery.endpointId, outcome: status === 'pending' ? 'retrying' : status });
    await this.marks.submit({ id: delivery.id, endpointId: delivery.endpointId, status, responseCode: attempt.status, latencyMs: attempt.latencyMs, error: attempt.error, nextAttemptAt });
  }

  private async markBatch(outcomes: DeliveryOutcome[]): Promise<void[]> {
    const expired = await markDeliveries(this.dataSource, outcomes, this.config.WEBHOOK_DISABLE_AFTER_MS);
    for (const endpointId of expired) await this.disable(endpointId, 'every attempt failed for the disable period');
    return outcomes.map(() => undefined);
  }

  private async disable(endpointId: string, reason: string): Promise<void> {
    if (!(await disableEndpoint(this.dataSource, endpointId, reason))) return;
    this.metrics.disabledEndpoints.inc();
    this.logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }
}

/** An ordered endpoint's delivery of a conversation's event: it waits for the earlier ones of that conversation. */
function isOrdered(delivery: DeliveryToSend): delivery is DeliveryToSend & { conversationId: string; eventSeq: string } {
  return delivery.ordered && delivery.conversationId !== null && delivery.eventSeq !== null;
}

export function envelopeOf(delivery: Pick<DeliveryToSend, 'eventId' | 'eventType' | 'eventCreatedAt' | 'organizationId' | 'data'>): EventEnvelope {
  return {
    id: delivery.eventId,
    type: delivery.eventType as EventType,
    createdAt: new Date(delivery.eventCreatedAt).toISOString(),
    organizationId: delivery.organizationId,
    data: delivery.data as EventEnvelope['data'],
  };
}
