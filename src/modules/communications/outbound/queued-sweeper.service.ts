import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { withTryAdvisoryLock } from '../../../database/advisory-lock';
import { OutboundQueue } from './outbound-queue.service';
import { SendOutcomeStore } from './send-outcome.store';

const SWEEP_LOCK = 'conversa:sweep-queued-messages';
const BATCH = 2000;

export interface SweepOptions {
  /** Re-enqueue `queued` rows older than this (Redis may have lost their job). */
  queuedOlderThanMs?: number;
  /** Reconcile `sending` rows whose last attempt is older than this (the worker died mid-send). */
  sendingOlderThanMs?: number;
}

export interface SweepResult {
  locked: boolean;
  requeued: number;
  reconciled: number;
}

/**
 * The SweepQueuedMessages job, under a session advisory lock so replicas never sweep together.
 * Re-enqueueing is safe: the job id is the message id and the handler's state guard skips non-queued rows.
 */
@Injectable()
export class QueuedSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: OutboundQueue,
    private readonly store: SendOutcomeStore,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async sweep(options: SweepOptions = {}): Promise<SweepResult> {
    const queuedOlderThanMs = options.queuedOlderThanMs ?? 60_000;
    // A live call can last the HTTP timeout; only then is a `sending` row certainly orphaned.
    const sendingOlderThanMs = options.sendingOlderThanMs ?? this.config.META_HTTP_TIMEOUT_MS + 60_000;
    const result = await withTryAdvisoryLock(this.dataSource, SWEEP_LOCK, async (db) => {
      const queued: Array<{ id: string; priority: number }> = await db.query(
        `SELECT id, priority FROM message
          WHERE direction = 'outbound' AND provider_message_id IS NULL AND failed_at IS NULL AND status = 'queued' AND updated_at < now() - make_interval(secs => $1::float / 1000)
            AND (send_at IS NULL OR send_at <= now())
          ORDER BY priority, created_at LIMIT $2`,
        [queuedOlderThanMs, BATCH],
      );
      await this.queue.clearFinished(queued.map((m) => m.id));
      await this.queue.enqueue(queued);
      const sending: Array<{ id: string }> = await db.query(
        `SELECT id FROM message WHERE direction = 'outbound' AND provider_message_id IS NULL AND failed_at IS NULL AND status = 'sending' AND last_attempt_at < now() - make_interval(secs => $1::float / 1000) LIMIT $2`,
        [sendingOlderThanMs, BATCH],
      );
      for (const m of sending) await this.store.reconcile(m.id);
      if (queued.length + sending.length > 0) this.logger.warn({ requeued: queued.length, reconciled: sending.length }, 'outbound sweep');
      return { locked: true, requeued: queued.length, reconciled: sending.length };
    });
    return result ?? { locked: false, requeued: 0, reconciled: 0 };
  }
}
