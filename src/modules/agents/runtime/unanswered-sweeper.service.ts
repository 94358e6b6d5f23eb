import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { withTryAdvisoryLock } from '../../../database/advisory-lock';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';

const SWEEP_LOCK = 'conversa:sweep-unanswered-conversations';
const BATCH = 1000;
/** Older customer messages are not answered late; the runner's own burst window is 30 minutes. */
const LOOKBACK_MS = 30 * 60_000;

/**
 * The SweepUnansweredConversations job: a debounced `agents.run` job lives only in Redis, so a Redis that
 * restarts empty loses it and the customer is never answered. This finds conversations whose newest inbound
 * message has no agent run (the run's trigger key is conversation + that message) and enqueues the run again;
 * the runner's claim makes a duplicate harmless.
 */
@Injectable()
export class UnansweredSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** `olderThanMs`: leave alone what a pending debounced job will still answer (it fires a debounce after the newest message). */
  async sweep(olderThanMs = this.config.AGENTS_DEBOUNCE_MS + 60_000): Promise<number> {
    const found = await withTryAdvisoryLock(this.dataSource, SWEEP_LOCK, async (db) => {
      const rows: Array<{ id: string; latest: string }> = await db.query(
        `SELECT c.id, latest.id AS latest FROM conversation c
           JOIN whatsapp_account a ON a.id = c.whatsapp_account_id AND a.auto_replies_enabled
           JOIN organization o ON o.id = c.organization_id AND o.settings->>'autoRepliesEnabled' IS DISTINCT FROM 'false'
           CROSS JOIN LATERAL (
             SELECT m.id, m.created_at FROM message m WHERE m.conversation_id = c.id AND m.direction = 'inbound'
              ORDER BY m.created_at DESC, m.occurred_at DESC LIMIT 1) latest
          WHERE c.last_inbound_at > now() - make_interval(secs => $1::float / 1000) AND NOT c.bot_paused
            AND latest.created_at < now() - make_interval(secs => $2::float / 1000)
            AND latest.created_at > now() - make_interval(secs => $1::float / 1000)
            AND NOT EXISTS (SELECT 1 FROM agent_run r WHERE r.trigger_key = c.id || ':' || latest.id)
          LIMIT $3`,
        [LOOKBACK_MS, olderThanMs, BATCH],
      );
      // Keyed by the unanswered message: sweeps that overlap a slow queue add it once.
      await this.jobs.enqueueBulk(rows.map((row) => ({ name: JobName.RunAgents, data: { conversationId: row.id }, opts: { priority: 1 }, key: `${row.id}-${row.latest}` })));
      if (rows.length > 0) this.logger.warn({ count: rows.length }, 'unanswered conversations re-enqueued for agents');
      return rows.length;
    });
    return found ?? 0;
  }
}
