import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { Repository } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { LegalHold } from '../../../database/entities/legal-hold.entity';
import { RetentionPolicy } from '../../../database/entities/retention-policy.entity';
import { RetentionRun } from '../../../database/entities/retention-run.entity';
import { MetricsService } from '../../metrics/metrics.service';
import { DataCopies } from '../../communications/retention/data-copies';
import { type CommunicationsRetentionKind, type CommunicationsRetentionScope, RetentionStore } from '../../communications/retention/retention-store.service';
import { agesOf, cutoffOf, RETENTION_KINDS, type RetentionAges, type RetentionKind } from './retention-kinds';

const BATCH = 500;
const COMMUNICATIONS_KINDS: ReadonlySet<string> = new Set<CommunicationsRetentionKind>(['conversations', 'media', 'messageBodies', 'agentRuns', 'campaignRecipients']);

export type RetentionCounts = Partial<Record<RetentionKind, number>>;

export interface RunOptions {
  trigger: 'schedule' | 'cli' | 'api';
  asOf?: Date;
  dryRun?: boolean;
  /** Ages to apply instead of the stored policy (the CLI's --days). */
  ages?: RetentionAges;
  onProgress?: (kind: RetentionKind, done: number, total: number) => void;
}

/**
 * Applies an organisation's retention ages: counts (preview, dry run) or removes in batches of BATCH rows, each
 * batch its own short transaction, kinds in RETENTION_KINDS order. Preview and run use the same predicates, so
 * with the same clock and data they give the same counts. Every run, dry or not, leaves an audit row.
 */
@Injectable()
export class RetentionEngine {
  private readonly removed: Counter<'kind'>;

  constructor(
    @InjectRepository(RetentionPolicy) private readonly policies: Repository<RetentionPolicy>,
    @InjectRepository(RetentionRun) private readonly runs: Repository<RetentionRun>,
    @InjectRepository(LegalHold) private readonly holds: Repository<LegalHold>,
    private readonly store: RetentionStore,
    private readonly copies: DataCopies,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.removed = metrics.counter('conversa_retention_removed_total', 'Rows removed (bodies scrubbed) by retention, per kind', ['kind']);
  }

  async preview(organizationId: string, asOf = new Date(), ages?: RetentionAges): Promise<RetentionCounts> {
    const applied = ages ?? agesOf(await this.policies.findOneBy({ organizationId }));
    const scope = await this.scope(organizationId, asOf, applied);
    const counts: RetentionCounts = {};
    for (const kind of activeKinds(applied)) counts[kind] = await this.count(kind, { ...scope, cutoff: cutoffOf(asOf, applied[kind]!) });
    return counts;
  }

  async run(organizationId: string, options: RunOptions): Promise<RetentionRun> {
    const asOf = options.asOf ?? new Date();
    const ages = options.ages ?? agesOf(await this.policies.findOneBy({ organizationId }));
    const run = await this.runs.save(this.runs.create({ organizationId, trigger: options.trigger, dryRun: options.dryRun === true, asOf, policy: ages, status: 'running', removed: {} }));
    try {
      // A failed run still records what it removed before failing (the next run resumes from the data's state).
      if (options.dryRun) run.removed = await this.preview(organizationId, asOf, ages);
      else await this.apply(organizationId, asOf, ages, run.removed, options.onProgress);
      run.status = 'completed';
    } catch (error) {
      run.status = 'failed';
      this.logger.error({ runId: run.id, err: { message: (error as Error).message } }, 'retention run failed');
      throw error;
    } finally {
      run.finishedAt = new Date();
      await this.runs.save(run);
    }
    this.logger.info({ runId: run.id, organizationId, trigger: run.trigger, dryRun: run.dryRun, removed: run.removed }, 'retention run finished');
    return run;
  }

  /** The scheduled job: every organisation with a policy. */
  async runAll(): Promise<number> {
    const policies = await this.policies.find({ select: { organizationId: true } });
    for (const { organizationId } of policies) await this.run(organizationId, { trigger: 'schedule' });
    return policies.length;
  }

  private async apply(organizationId: string, asOf: Date, ages: RetentionAges, counts: RetentionCounts, onProgress?: RunOptions['onProgress']): Promise<void> {
    const scope = await this.scope(organizationId, asOf, ages);
    for (const kind of activeKinds(ages)) {
      const kindScope = { ...scope, cutoff: cutoffOf(asOf, ages[kind]!) };
      const total = onProgress ? await this.count(kind, kindScope) : 0;
      let done = 0;
      counts[kind] = 0;
      for (let batch = await this.removeBatch(kind, kindScope); batch > 0; batch = await this.removeBatch(kind, kindScope)) {
        done += batch;
        counts[kind] = done;
        this.removed.inc({ kind }, batch);
        onProgress?.(kind, done, Math.max(total, done));
      }
      if (kind === 'messageBodies') await this.store.scrubPreviews(kindScope);
    }
  }

  private count(kind: RetentionKind, scope: CommunicationsRetentionScope): Promise<number> {
    if (COMMUNICATIONS_KINDS.has(kind)) return this.store.count(kind as CommunicationsRetentionKind, scope);
    const copy = this.copyFor(kind);
    return copy ? copy.count(this.runs.manager, scope) : Promise.resolve(0);
  }

  private async removeBatch(kind: RetentionKind, scope: CommunicationsRetentionScope): Promise<number> {
    if (COMMUNICATIONS_KINDS.has(kind)) return (await this.store.removeBatch(kind as CommunicationsRetentionKind, scope, BATCH)).count;
    const copy = this.copyFor(kind);
    return copy ? copy.removeBatch(this.runs.manager, scope, BATCH) : 0;
  }

  private copyFor(kind: RetentionKind) {
    return this.copies.all().find((copy) => copy.retention?.kind === kind)?.retention;
  }

  private async scope(organizationId: string, asOf: Date, ages: RetentionAges): Promise<CommunicationsRetentionScope> {
    const holds = await this.holds.find({ where: { organizationId } });
    const heldContactIds = holds.map((hold) => hold.contactId).filter((id): id is string => Boolean(id));
    const phones = heldContactIds.length
      ? ((await this.holds.manager.query(`SELECT phone_e164 FROM contact WHERE id = ANY($1::uuid[]) AND phone_e164 IS NOT NULL`, [heldContactIds])) as Array<{ phone_e164: string }>)
      : [];
    return {
      organizationId,
      cutoff: asOf,
      heldContactIds,
      heldConversationIds: holds.map((hold) => hold.conversationId).filter((id): id is string => Boolean(id)),
      heldPhones: phones.map((row) => row.phone_e164),
      conversationCutoff: ages.conversations === null ? null : cutoffOf(asOf, ages.conversations),
    };
  }
}

function activeKinds(ages: RetentionAges): RetentionKind[] {
  return RETENTION_KINDS.filter((kind) => ages[kind] !== null);
}

