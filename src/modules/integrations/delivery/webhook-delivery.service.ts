import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
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
import type { JobName } from '../../../queues/job-names';
import { delayJob } from '../../../queues/worker/delay-job';
import { IntegrationsMetrics } from '../integrations-metrics.service';
import { type DeliveryOutcome, type DeliveryToSend, disableEndpoint, loadDeliveries, markDeliveries } from './delivery-store';
import { decideAttempt, parseSchedule } from './retry-policy';
import { urlRefusal } from './url-guard';
import { type HttpAttempt, WebhookHttpClient } from './webhook-http.client';
import { webhookHeaders } from './webhook-signature';

/** How long a delivery waits when its endpoint already has WEBHOOK_ENDPOINT_CONCURRENCY attempts in progress. */
const BUSY_RETRY_MS = 100;

export type DeliveryResult = 'delivered' | 'retrying' | 'dead' | 'skipped';

/**
 * Sends one delivery (an event to an endpoint), signed per Standard Webhooks, and follows the retry schedule by
 * delaying its own job. Loads and outcomes of concurrent jobs go to PostgreSQL together.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationShutdown {
  private readonly http: WebhookHttpClient;
  private readonly schedule: number[];
  /** Attempts in progress per endpoint in this process. */
  private readonly inFlight = new Map<string, number>();
  private readonly loads = new GroupCommit((ids: string[]) => loadDeliveries(this.dataSource, ids), { maxBatch: 200, maxInFlight: 2 });
  private readonly marks = new GroupCommit((outcomes: DeliveryOutcome[]) => this.markBatch(outcomes), { maxBatch: 200, maxInFlight: 1 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: IntegrationsMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.http = new WebhookHttpClient(config.WEBHOOK_TIMEOUT_MS);
    this.schedule = parseSchedule(config.WEBHOOK_RETRY_SCHEDULE_MS);
  }

  onApplicationShutdown(): void {
    this.http.close();
  }

  async handle(job: Job<JobPayload<JobName.DeliverWebhook>>, token?: string): Promise<DeliveryResult> {
    const delivery = await this.loads.submit(job.data.deliveryId);
    if (!delivery || delivery.status !== 'pending') return 'skipped';
    if (!delivery.enabled) {
      await this.record(delivery, 'dead', { status: null, latencyMs: 0, error: 'endpoint disabled' }, null);
      return 'dead';
    }
    // One slow or hanging receiver may hold only its share of this worker's slots: the rest wait a moment, uncounted.
    const inFlight = this.inFlight.get(delivery.endpointId) ?? 0;
    if (inFlight >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) return delayJob(job, token, Date.now() + BUSY_RETRY_MS + Math.random() * BUSY_RETRY_MS);
    this.inFlight.set(delivery.endpointId, inFlight + 1);
    let attempt: HttpAttempt;
    try {
      attempt = await this.attempt(delivery);
    } finally {
      const left = (this.inFlight.get(delivery.endpointId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(delivery.endpointId, left);
      else this.inFlight.delete(delivery.endpointId);
    }
    const attemptsMade = delivery.attempts + 1;
    const decision = decideAttempt(attempt, attemptsMade, this.schedule);
    this.metrics.attemptSeconds.observe(attempt.latencyMs / 1000);
    switch (decision.kind) {
      case 'delivered':
        await this.record(delivery, 'delivered', attempt, null);
        this.metrics.eventToDeliverySeconds.observe((Date.now() - new Date(delivery.eventCreatedAt).getTime()) / 1000);
        return 'delivered';
      case 'gone':
        await this.record(delivery, 'dead', attempt, null);
        await this.disable(delivery.endpointId, 'the receiver answered 410 Gone');
        return 'dead';
      case 'dead':
        await this.record(delivery, 'dead', attempt, null);
        return 'dead';
      case 'retry':
        await this.record(delivery, 'pending', attempt, new Date(decision.at));
        // BullMQ counts no attempt for a delayed job: its own attempts stay for crashes only.
        return delayJob(job, token, decision.at);
    }
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
    const key = this.config.encryptionKey;
    const secrets = [decryptSecret(delivery.secretEncrypted, key)];
    const previous = delivery.previousSecretEncrypted;
    if (previous && delivery.previousSecretExpiresAt && new Date(delivery.previousSecretExpiresAt).getTime() > Date.now()) secrets.push(decryptSecret(previous, key));
    return secrets;
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

export function envelopeOf(delivery: Pick<DeliveryToSend, 'eventId' | 'eventType' | 'eventCreatedAt' | 'organizationId' | 'data'>): EventEnvelope {
  return {
    id: delivery.eventId,
    type: delivery.eventType as EventType,
    createdAt: new Date(delivery.eventCreatedAt).toISOString(),
    organizationId: delivery.organizationId,
    data: delivery.data as EventEnvelope['data'],
  };
}
