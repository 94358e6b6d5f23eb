import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { Campaign } from '../../database/entities/campaign.entity';
import { CampaignStatus } from '../../database/entities/enums';
import { AccountRateLimiter } from '../communications/outbound/account-rate-limiter.service';
import { CampaignMessagesService, type CampaignRecipientInput } from '../communications/outbound/campaign-messages.service';
import type { MessageContentDto } from '../communications/outbound/dto/send-message.dto';
import type { TemplateCache } from '../communications/outbound/message-composer.service';
import { OutboundQueue, PRIORITY_BULK } from '../communications/outbound/outbound-queue.service';
import { CampaignAbTest } from './campaign-ab-test.service';
import { CampaignClock } from './campaign-clock';
import { CampaignTierReach } from './campaign-tier-reach';
import { writeCompleted, writeProgressIfDue } from './campaign-events';
import { type ClaimedRecipient, CampaignRecipientsStore } from './campaign-recipients.store';

/** Sends booked ahead before the runner sleeps, and how long before the last booked one it wakes. */
const AHEAD_MS = 2000;
/**
 * Claimed messages not yet tried, in seconds of the account's rate, above which the runner claims no more: when the
 * sends fall behind their booked slots (a saturated machine, a slow provider), claiming on at the booked pace only
 * grows a backlog of jobs that bounce between their slot and the delayed set, and that a pause must withdraw.
 */
const MAX_BACKLOG_S = 2 * (AHEAD_MS / 1000);
const BACKLOG_POLL_MS = 250;
const LEAD_MS = 1000;
const MAX_BATCH = 500;
/** A paused campaign's runner checks back this often (resume also wakes it at once). */
const PAUSED_POLL_MS = 5000;
/** Nothing to claim now (sending window, tier cap, retries later): look again after this. */
const IDLE_POLL_MS = 2000;
const IN_FLIGHT_POLL_MS = 500;
/** Recipients already `sent` are re-checked for a late failure (async status) at most this often. */
const FULL_SETTLE_MS = 10_000;
/** While a campaign sends, its recipients are settled and its progress written at most this often. */
const HOUSEKEEPING_MS = 1000;
/** …and for a large campaign, whose counts take long to read, less often: at most 1/HOUSEKEEPING_SHARE of the time. */
const HOUSEKEEPING_SHARE = 20;
/** A campaign whose last unanswered send (SEND_OUTCOME_UNKNOWN) is younger than this waits for its status before completing. */
const UNKNOWN_GRACE_MS = 10_000;

interface Housekeeping {
  running: Promise<void> | null;
  at: number;
  tookMs: number;
}

interface AccountLimits {
  rate: number;
  timezone: string;
  messagingLimit: number | null;
}

type Sleep = (at: number) => Promise<never>;

/**
 * The campaign runner job: a loop that claims the next second of recipients (SKIP LOCKED, so a second runner never
 * takes the same rows), turns them into queued messages through the send pipeline in the same transaction, books
 * their pacing slots, and sleeps until those are nearly used. It stops claiming the moment the campaign is not
 * running (the claim holds a share lock on the campaign row, so a pause waits for an open batch and then withdraws it).
 */
@Injectable()
export class CampaignRunner {
  private readonly housekeeping = new Map<string, Housekeeping>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: CampaignRecipientsStore,
    private readonly messages: CampaignMessagesService,
    private readonly queue: OutboundQueue,
    private readonly limiter: AccountRateLimiter,
    private readonly abTest: CampaignAbTest,
    private readonly tierReach: CampaignTierReach,
    private readonly clock: CampaignClock,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async run(campaignId: string, sleep: Sleep): Promise<{ outcome: string }> {
    // Housekeeping started beside the claims finishes before the job sleeps or ends: the next run, maybe in another
    // process, never settles the same recipients at the same time.
    const sleepAfterHousekeeping: Sleep = async (at) => {
      await this.waitForHousekeeping(campaignId);
      return sleep(at);
    };
    const result = await this.runUntilSleepOrEnd(campaignId, sleepAfterHousekeeping);
    await this.waitForHousekeeping(campaignId);
    this.housekeeping.delete(campaignId);
    return result;
  }

  private async runUntilSleepOrEnd(campaignId: string, sleep: Sleep): Promise<{ outcome: string }> {
    const templates: TemplateCache = new Map();
    let settledAt = 0;
    for (;;) {
      const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id: campaignId } });
      if (!campaign) return { outcome: 'missing' };
      if (campaign.status === CampaignStatus.Paused) return sleep(Date.now() + PAUSED_POLL_MS);
      if (campaign.status === CampaignStatus.Scheduled) {
        if (campaign.sendAt && campaign.sendAt.getTime() > this.clock.now().getTime()) return sleep(Date.now() + Math.min(campaign.sendAt.getTime() - this.clock.now().getTime(), 60_000));
        await this.dataSource.query(`UPDATE campaign SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now() WHERE id = $1 AND status = 'scheduled'`, [campaign.id]);
        continue;
      }
      if (campaign.status !== CampaignStatus.Running && campaign.status !== CampaignStatus.Queued) return { outcome: campaign.status };
      const full = Date.now() - settledAt >= FULL_SETTLE_MS;
      if (full) settledAt = Date.now();
      const wakeAt = await this.step(campaign, templates, full);
      if (wakeAt === 'done') return { outcome: 'completed' };
      if (wakeAt !== null) return sleep(wakeAt);
    }
  }

  /** One batch. Returns when to wake (epoch ms), null to go on at once, or 'done'. */
  private async step(campaign: Campaign, templates: TemplateCache, full: boolean): Promise<number | 'done' | null> {
    const now = this.clock.now();
    const expiresAt = expiryOf(campaign);
    if (expiresAt && now >= expiresAt) await this.store.expire(campaign.id);
    await this.abTest.decideIfDue(campaign, now);
    const account = await this.account(campaign.whatsappAccountId);
    if (await this.behind(campaign, account)) {
      this.housekeepBeside(campaign, now, full);
      return Date.now() + BACKLOG_POLL_MS;
    }
    const batch = await this.claimBatch(campaign, account, templates, now);
    if (batch === null) return Date.now();
    if (batch.claimed > 0) {
      this.housekeepBeside(campaign, now, full);
      if (batch.jobs === 0) return null;
      const lastDelay = await this.enqueue(campaign, account, batch.jobIds);
      return lastDelay > AHEAD_MS ? Date.now() + lastDelay - LEAD_MS : null;
    }
    await this.waitForHousekeeping(campaign.id);
    await this.housekeep(campaign, now, full);
    return this.idle(campaign, full);
  }

  /**
   * Settling recipients (and 131049 reschedules) and the progress event read the whole campaign: while it sends, they
   * run beside the claims, one at a time and at most once a HOUSEKEEPING_MS (longer for a large campaign), instead of
   * before every batch.
   */
  private housekeepBeside(campaign: Campaign, now: Date, full: boolean): void {
    const last = this.housekeeping.get(campaign.id);
    if (last && (last.running || Date.now() - last.at < Math.max(HOUSEKEEPING_MS, HOUSEKEEPING_SHARE * last.tookMs))) return;
    const entry: Housekeeping = { running: null, at: Date.now(), tookMs: 0 };
    entry.running = this.housekeep(campaign, now, full)
      .catch((error: unknown) => this.logger.warn({ campaignId: campaign.id, err: { message: (error as Error).message } }, 'campaign housekeeping failed; retried with the next batch'))
      .finally(() => {
        entry.running = null;
        entry.tookMs = Date.now() - entry.at;
      });
    this.housekeeping.set(campaign.id, entry);
  }

  private async waitForHousekeeping(campaignId: string): Promise<void> {
    await this.housekeeping.get(campaignId)?.running;
  }

  private async housekeep(campaign: Campaign, now: Date, full: boolean): Promise<void> {
    const retry = { now, baseDelayMs: this.config.CAMPAIGN_MARKETING_RETRY_MS, maxAttempts: this.config.CAMPAIGN_MARKETING_MAX_ATTEMPTS, expiresAt: expiryOf(campaign) };
    await this.store.settle(campaign.id, retry, full);
    await this.dataSource.transaction((manager) => writeProgressIfDue(manager, campaign.id));
  }

  private async idle(campaign: Campaign, settledFully: boolean): Promise<number | 'done'> {
    const left = await this.store.remaining(campaign.id);
    if (left.waiting === 0 && left.inFlight === 0) {
      // A late failure of a `sent` recipient (131049 async) must be seen before the campaign is called complete.
      if (!settledFully) return Date.now();
      // A send that got no answer is usually resolved by its status webhook within seconds: give it the time to.
      if ((await this.store.recentlyUnknown(campaign.id, UNKNOWN_GRACE_MS)) > 0) return Date.now() + IDLE_POLL_MS;
      return (await this.complete(campaign)) ? 'done' : Date.now();
    }
    if (left.waiting === 0) return Date.now() + IN_FLIGHT_POLL_MS;
    const retryIn = left.nextAttemptAt ? left.nextAttemptAt.getTime() - this.clock.now().getTime() : Infinity;
    return Date.now() + Math.max(IN_FLIGHT_POLL_MS, Math.min(IDLE_POLL_MS, retryIn));
  }

  /** The one place a campaign completes; campaign.completed is written in the same transaction. */
  private async complete(campaign: Campaign): Promise<boolean> {
    const completed = await this.dataSource.transaction(async (manager) => {
      const [, count] = await manager.query(
        `UPDATE campaign SET status = 'completed', completed_at = now(), updated_at = now() WHERE id = $1 AND status IN ('running', 'queued')`,
        [campaign.id],
      );
      if (count === 1) await writeCompleted(manager, campaign);
      return count === 1;
    });
    if (completed) this.logger.info({ campaignId: campaign.id }, 'campaign completed');
    return completed;
  }

  /** Whether the sends are MAX_BACKLOG_S or more behind the claims. */
  private async behind(campaign: Campaign, account: AccountLimits): Promise<boolean> {
    const cap = Math.max(MAX_BATCH, Math.ceil(account.rate * MAX_BACKLOG_S));
    return (await this.messages.untriedCount(campaign.organizationId, campaign.id, cap)) >= cap;
  }

  /** Null: the campaign stopped running meanwhile. */
  private async claimBatch(campaign: Campaign, account: AccountLimits, templates: TemplateCache, now: Date): Promise<{ claimed: number; jobs: number; jobIds: string[] } | null> {
    const limits = { now, limit: Math.min(MAX_BATCH, Math.max(1, account.rate)), accountTimezone: account.timezone, window: campaign.schedule?.window ?? null };
    // Contacts are found or created before the transaction: holding it open while another pooled connection
    // creates contacts would let a busy pool stall the claim (and the pause waiting on its lock).
    const contacts = await this.messages.resolveContacts(campaign.organizationId, await this.store.peek(campaign.id, limits));
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(`SELECT status FROM campaign WHERE id = $1 FOR SHARE`, [campaign.id]);
      if (row?.status !== CampaignStatus.Running && row?.status !== CampaignStatus.Queued) return null;
      let limit = limits.limit;
      if (account.messagingLimit !== null) {
        // One claimer per account at a time while the tier is counted, so two campaigns cannot both take the last slots.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`campaign-tier:${campaign.whatsappAccountId}`]);
        limit = Math.min(limit, account.messagingLimit - (await this.tierReach.reached(manager, campaign.whatsappAccountId, now, account.messagingLimit, limit)));
        if (limit <= 0) return { claimed: 0, jobs: 0, jobIds: [] };
      }
      const taken = await this.store.claim(manager, campaign.id, { ...limits, limit });
      if (account.messagingLimit !== null) await this.tierReach.add(campaign.whatsappAccountId, taken.length);
      if (taken.length === 0) return { claimed: 0, jobs: 0, jobIds: [] };
      // Rows another runner took meanwhile shift the claim past the peek: look those up here; what is still unknown is
      // left out of the record, so it stays pending.
      const unknown = taken.filter((r) => !contacts.has(r.phoneE164)).map((r) => r.phoneE164);
      for (const [phone, contact] of await this.messages.findContacts(campaign.organizationId, unknown, manager)) contacts.set(phone, contact);
      const claimed = taken.filter((r) => contacts.has(r.phoneE164));
      const mine = new Map(claimed.map((r) => [r.phoneE164, contacts.get(r.phoneE164)!]));
      const outcome = await this.messages.createBatch(manager, batchOf(campaign), claimed.map((r) => this.input(campaign, r)), mine, templates);
      await this.store.record(manager, now, outcome);
      return { claimed: taken.length, jobs: outcome.jobs.length, jobIds: outcome.jobs.map((j) => j.id) };
    });
  }

  private input(campaign: Campaign, r: ClaimedRecipient): CampaignRecipientInput {
    const base = campaign.content as MessageContentDto;
    const variant = r.variant === null ? null : (campaign.abTest?.variants?.[r.variant] as { content?: MessageContentDto } | undefined);
    const dto = variant?.content ? ({ ...base, ...variant.content } as MessageContentDto) : base;
    // The first attempt keeps the bulk key (`bulk:<campaign>:<phone>`); a 131049 reschedule is a new message.
    const key = r.attempts <= 1 ? `bulk:${campaign.id}:${r.phoneE164}` : `bulk:${campaign.id}:${r.phoneE164}:${r.attempts}`;
    return { id: r.id, phoneE164: r.phoneE164, dto, overrides: r.content, idempotencyKey: key };
  }

  /** Books the batch's pacing slots; returns the last one's delay (ms). */
  private async enqueue(campaign: Campaign, account: AccountLimits, ids: string[]): Promise<number> {
    const delays = await this.limiter.reserveBulk(campaign.whatsappAccountId, account.rate, ids.length);
    await this.queue.enqueue(ids.map((id, i) => ({ id, priority: PRIORITY_BULK, delayMs: delays[i] })));
    return delays.at(-1) ?? 0;
  }

  private async account(accountId: string): Promise<AccountLimits> {
    const [row] = await this.dataSource.query(
      `SELECT rate_limit_per_second AS rate, timezone, messaging_limit AS "messagingLimit" FROM whatsapp_account WHERE id = $1`,
      [accountId],
    );
    return row;
  }
}

function expiryOf(campaign: Campaign): Date | null {
  return campaign.schedule?.expiresAt ? new Date(campaign.schedule.expiresAt as string) : null;
}

function batchOf(campaign: Campaign) {
  const content = (campaign.content ?? {}) as MessageContentDto;
  return {
    campaignId: campaign.id,
    organizationId: campaign.organizationId,
    whatsappAccountId: campaign.whatsappAccountId,
    extras: { kind: content.kind, externalRef: content.externalRef, metadata: content.metadata },
    priority: PRIORITY_BULK,
  };
}
