import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { delayJob } from '../../../queues/worker/delay-job';
import { WhatsappProviderError } from '../../whatsapp/provider/provider-errors';
import { type ProviderHandle, WhatsappProviders } from '../../whatsapp/whatsapp-providers.service';
import { MessageStatusService } from '../messages/message-status.service';
import { AccountRateLimiter, type Admission, REWAKE_LATE_MS } from './account-rate-limiter.service';
import { outboundFromRow } from './outbound-content.restore';
import { OutboundMetrics } from './outbound-metrics.service';
import { PRIORITY_BULK } from './outbound-queue.service';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import { failureFields, MAX_ATTEMPTS, retryDelayMs, SendOutcomeStore, type SendRow, UNKNOWN_OUTCOME } from './send-outcome.store';

const HANDLE_TTL_MS = 5000;
/** A send of a paused campaign looks again this often (it is usually withdrawn by then). */
const CAMPAIGN_HELD_RECHECK_MS = 1000;
/** Meta: the number's messages per second were exceeded; every send of the number backs off, not just this one. */
const THROUGHPUT_LIMIT_CODE = 130429;
const NO_ANSWER_KINDS = ['network', 'timeout', 'unknown'];
/** A gateway in front of the Graph API (Kapso's proxy, a load balancer) that gave up waiting or lost the upstream. */
const GATEWAY_GAVE_UP = [502, 504];

/**
 * Whether a failed send may nonetheless have been accepted by Meta: no HTTP answer after the request may have
 * left (a timeout, a reset), or a gateway's 502/504 without a Graph error. A request the client knows it never
 * wrote (`notSent`: connection refused) certainly was not.
 */
function mayHaveBeenAccepted(error: WhatsappProviderError): boolean {
  if (error.notSent) return false;
  if (error.httpStatus === undefined) return NO_ANSWER_KINDS.includes(error.kind);
  return GATEWAY_GAVE_UP.includes(error.httpStatus) && error.providerCode === undefined;
}

export type SendJobResult = { outcome: 'sent' | 'skipped' | 'failed' | 'reconciled'; status?: string };

/**
 * The outbound job. Order matters for "never twice": budget first (a wait is not an attempt), then the
 * row is claimed `queued → sending` with attempts+1 BEFORE the provider call, so a crash leaves a
 * `sending` row that is reconciled (never resent blindly: the Cloud API has no idempotency key).
 */
@Injectable()
export class MessageSender implements OnModuleDestroy {
  /** Set at shutdown: the provider client closes too, so calls in flight end ambiguously. */
  private stopping = false;
  private readonly handles = new Map<string, { handle: ProviderHandle; until: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: SendOutcomeStore,
    private readonly providers: WhatsappProviders,
    private readonly statuses: MessageStatusService,
    private readonly limiter: AccountRateLimiter,
    private readonly metrics: OutboundMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly realtime: RealtimePublisher,
  ) {}

  onModuleDestroy(): void {
    this.stopping = true;
  }

  async handle(job: Job<{ messageId: string }>, token?: string): Promise<SendJobResult> {
    const row = await this.store.load(job.data.messageId);
    if (!row) return { outcome: 'skipped', status: 'missing' };
    // Found `sending`: a worker died during the provider call. Unknown outcome, unless Meta already reported the send.
    if (row.status === 'sending') {
      return { outcome: 'reconciled', status: await this.store.failUnknown(row) };
    }
    if (row.status !== 'queued') return { outcome: 'skipped', status: row.status };
    if (row.sendAt && row.sendAt.getTime() > Date.now() + 50) return this.delay(job, token, row.sendAt.getTime());
    if (row.attempts > 0 && (await this.adoptAcceptedSend(row, true))) return { outcome: 'reconciled', status: 'sent' };
    await this.waitForBudget(job, token, row);
    // Shutting down: a call started now would end ambiguously (SEND_OUTCOME_UNKNOWN); leave it to the next worker.
    if (this.stopping) return this.delay(job, token, Date.now() + 1000);
    if (!(await this.store.claim(row.id))) return { outcome: 'skipped', status: 'claimed-elsewhere' };
    const admission = await this.passSendWindow(row);
    return this.sendClaimed(job, token, { ...row, attempts: row.attempts + 1 }, admission);
  }

  /**
   * A retried send whose earlier attempt timed out may in fact have been accepted by Meta: its status webhook
   * (carrying biz_opaque_callback_data = our message id) then sits parked. Adopt that provider id instead of
   * sending a second time.
   */
  private async adoptAcceptedSend(row: SendRow, claimFirst: boolean): Promise<boolean> {
    const providerMessageId = await this.statuses.providerIdFromParked(row.whatsappAccountId, row.id);
    if (!providerMessageId || (claimFirst && !(await this.store.claim(row.id)))) return false;
    await this.store.markSent(row, providerMessageId);
    this.metrics.sends.inc({ account: row.whatsappAccountId, outcome: 'adopted' });
    this.logger.info({ messageId: row.id, attempt: row.attempts }, 'earlier attempt was accepted by the provider: adopted, not resent');
    return true;
  }

  /**
   * The last check before the provider call: at most `limit` calls in any window of 1,000 ms (+ margin). The
   * paced slot alone cannot promise that: a job that reaches this point late (a busy event loop, a slow claim)
   * would go out together with the jobs of the following slots. A call that wakes too late for its place in the
   * window (a stalled event loop would release many at once) takes a new place. The row is already `sending`.
   */
  private async passSendWindow(row: SendRow): Promise<Admission> {
    for (;;) {
      const admission = await this.limiter.admit(row.whatsappAccountId, row.rateLimitPerSecond, row.id);
      if (admission.waitMs === 0) return admission;
      this.metrics.rateLimitWaits.inc({ account: row.whatsappAccountId, limit: 'window' });
      // Only oversleeping counts here (a slow answer from Redis is the late-dispatch record's business): a call that
      // asked again whenever Redis answered slowly would ask forever on a loaded machine.
      const wakeAt = performance.now() + admission.waitMs;
      await sleep(admission.waitMs);
      if (performance.now() - wakeAt <= REWAKE_LATE_MS) return admission;
    }
  }

  /** The request left late (a busy event loop): the window must count it when it left, not when it was checked. */
  private recordDispatch(row: SendRow, admission: Admission): void {
    this.limiter.recordDispatch(row.whatsappAccountId, row.id, admission).then(
      (late) => late && this.metrics.lateDispatches.inc({ account: row.whatsappAccountId }),
      (error: unknown) => this.logger.warn({ messageId: row.id, err: { message: (error as Error).message } }, 'could not record a late send in the rate window'),
    );
  }

  /**
   * Throws DelayedError after moving the job when the recipient or the account has no budget now; else sleeps
   * until the booked slot.
   */
  private async waitForBudget(job: Job, token: string | undefined, row: SendRow): Promise<void> {
    const traffic = row.priority >= PRIORITY_BULK ? 'bulk' : 'priority';
    const budget = await this.limiter.acquire(row.whatsappAccountId, row.rateLimitPerSecond, traffic, row.phoneE164, row.campaignId);
    if (budget.outcome === 'held') {
      // Its campaign is pausing or cancelled: the pause withdraws this message, a resume lets it go.
      this.metrics.rateLimitWaits.inc({ account: row.whatsappAccountId, limit: 'campaign_held' });
      return this.delay(job, token, Date.now() + CAMPAIGN_HELD_RECHECK_MS);
    }
    if (budget.outcome === 'pair') {
      this.metrics.rateLimitWaits.inc({ account: row.whatsappAccountId, limit: 'pair' });
      return this.delay(job, token, Math.max(budget.pairUntil, Date.now() + 1) + Math.floor(Math.random() * 250));
    }
    if (budget.outcome === 'refused') {
      this.metrics.rateLimitWaits.inc({ account: row.whatsappAccountId, limit: 'account' });
      return this.delay(job, token, Date.now() + Math.max(1, budget.waitMs));
    }
    // A booked slot is at most a second away: waiting here is cheaper than a round trip through the delayed set.
    if (budget.waitMs > 0) await sleep(budget.waitMs);
  }

  private async sendClaimed(job: Job, token: string | undefined, row: SendRow, admission: Admission): Promise<SendJobResult> {
    const started = process.hrtime.bigint();
    let providerMessageId: string;
    try {
      const message = outboundFromRow(row);
      const { client, account } = await this.provider(row.whatsappAccountId);
      providerMessageId = (await client.sendMessage(account, row.phoneE164, message, { onDispatched: () => this.recordDispatch(row, admission) })).providerMessageId;
      this.metrics.providerLatency.observe({ outcome: 'ok' }, seconds(started));
    } catch (error) {
      this.metrics.providerLatency.observe({ outcome: 'error' }, seconds(started));
      return this.onFailure(job, token, row, error);
    }
    // Outside the try: a DB failure here must not mark a delivered message failed (the reconcile path decides).
    await this.store.markSent(row, providerMessageId);
    this.metrics.sends.inc({ account: row.whatsappAccountId, outcome: 'sent' });
    await this.announce(row, 'sent');
    const since = row.sendAt && row.sendAt > row.createdAt ? row.sendAt : row.createdAt;
    this.metrics.queueLag.observe({ traffic: row.priority >= PRIORITY_BULK ? 'bulk' : 'priority' }, (Date.now() - since.getTime()) / 1000);
    return { outcome: 'sent' };
  }

  /**
   * A call that may have reached Meta (`mayHaveBeenAccepted`) is never sent again automatically: the Cloud API has no
   * idempotency key, so a second call is a second message. It fails as SEND_OUTCOME_UNKNOWN until a status webhook
   * carrying our message id (biz_opaque_callback_data) resolves it; only errors that prove no send may retry.
   */
  private async onFailure(job: Job, token: string | undefined, row: SendRow, error: unknown): Promise<SendJobResult> {
    const providerError = error instanceof WhatsappProviderError ? error : null;
    const fields = failureFields(error);
    if (providerError !== null && mayHaveBeenAccepted(providerError)) {
      const outcome = await this.store.failUnknown(row, `${UNKNOWN_OUTCOME.errorMessage} (${fields.errorCode})`);
      this.metrics.sends.inc({ account: row.whatsappAccountId, outcome: outcome === 'sent' ? 'adopted' : 'unknown' });
      // `sent`: its status webhook had already arrived. `unchanged`: one arrived during the call and resolved the row.
      if (outcome !== 'failed') {
        if (outcome === 'sent') await this.announce(row, 'sent');
        return { outcome: 'reconciled', status: outcome };
      }
      await this.announce(row, 'failed');
      this.logger.warn({ messageId: row.id, attempt: row.attempts, code: fields.errorCode, stopping: this.stopping }, 'send outcome unknown: not resent');
      throw new UnrecoverableError(`SEND_OUTCOME_UNKNOWN: ${this.stopping ? 'worker stopping during the provider call' : 'no answer from the provider'}`);
    }
    if (providerError?.retryable === true && row.attempts < MAX_ATTEMPTS) {
      let at = Date.now() + retryDelayMs(providerError, row.attempts);
      if (providerError.kind === 'pair_rate_limited') at = await this.limiter.blockPair(row.whatsappAccountId, row.phoneE164, providerError.retryAfterMs);
      if (providerError.providerCode === THROUGHPUT_LIMIT_CODE) await this.limiter.slowDown(row.whatsappAccountId);
      await this.store.requeue(row.id, fields);
      this.metrics.sends.inc({ account: row.whatsappAccountId, outcome: 'retry' });
      this.logger.info({ messageId: row.id, attempt: row.attempts, code: fields.errorCode, retryInMs: at - Date.now() }, 'send retry scheduled');
      return this.delay(job, token, at);
    }
    await this.store.markFailed(row, fields);
    this.metrics.sends.inc({ account: row.whatsappAccountId, outcome: 'failed' });
    await this.announce(row, 'failed');
    throw new UnrecoverableError(`${fields.errorCode}: ${fields.errorTitle ?? 'send failed'}`);
  }

  /** Inboxes show the tick or the error at once; later statuses come from the provider's webhooks. */
  private announce(row: SendRow, status: 'sent' | 'failed'): Promise<void> {
    return this.realtime.publish(row.organizationId, { type: 'message.status', conversationId: row.conversationId, messageId: row.id, status });
  }

  /** The account row is re-read at most every HANDLE_TTL_MS (a token rotation shows up within that), not once per send. */
  private async provider(accountId: string): Promise<ProviderHandle> {
    const cached = this.handles.get(accountId);
    if (cached && cached.until > Date.now()) return cached.handle;
    const handle = await this.providers.forAccount(accountId);
    this.handles.set(accountId, { handle, until: Date.now() + HANDLE_TTL_MS });
    return handle;
  }

  private delay(job: Job, token: string | undefined, at: number): Promise<never> {
    return delayJob(job, token, at);
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

