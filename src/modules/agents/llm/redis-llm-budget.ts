import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RedisClient } from '../../../common/redis/redis-client';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { REDIS } from '../../../common/redis/redis.module';
import { AppConfig } from '../../../config/app-config';
import type { OrganizationSettings } from '../../../database/entities/organization.entity';
import { MetricsService } from '../../metrics/metrics.service';
import { DEFAULT_LLM_MONTHLY_TOKEN_BUDGET } from '../config/agent-settings.service';
import type { LlmBudget } from './llm-agent';

/** Adds `tokens` only when the month's total stays within the budget; atomic across workers. */
const CONSUME = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if used + want > tonumber(ARGV[2]) then return -1 end
local total = redis.call('INCRBY', KEYS[1], want)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return total
`;
const MONTH_TTL_SECONDS = 40 * 24 * 3600;

/** Per-organisation monthly token budget (`organization.settings.llm.monthlyTokenBudget`), counted in Redis per UTC month. */
@Injectable()
export class RedisLlmBudget implements LlmBudget {
  private readonly logger: Logger;
  private readonly exhausted;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'agents' });
    this.exhausted = metrics.counter('conversa_llm_budget_exhausted_total', 'LLM consultations refused because the organisation used its monthly token budget', ['organization']);
  }

  async tryConsume(orgId: string, tokens: number, now = new Date()): Promise<boolean> {
    const budget = await this.budgetOf(orgId);
    const month = now.toISOString().slice(0, 7);
    const result = Number(await this.redis.eval(CONSUME, 1, this.key(orgId, month), String(Math.max(0, Math.ceil(tokens))), String(budget), String(MONTH_TTL_SECONDS)));
    if (result >= 0) return true;
    this.exhausted.inc({ organization: orgId });
    // One warning per organisation and month, however many messages arrive afterwards.
    const first = await this.redis.set(`${this.key(orgId, month)}:warned`, '1', 'EX', MONTH_TTL_SECONDS, 'NX');
    if (first) this.logger.warn({ organizationId: orgId, month, monthlyTokenBudget: budget, requestedTokens: tokens }, 'llm monthly token budget exhausted: LLM agent disabled for the organisation until next month');
    return false;
  }

  async used(orgId: string, now = new Date()): Promise<number> {
    return Number((await this.redis.get(this.key(orgId, now.toISOString().slice(0, 7)))) ?? 0);
  }

  private key(orgId: string, month: string): string {
    return `${this.config.QUEUE_PREFIX}:llm-budget:${orgId}:${month}`;
  }

  private async budgetOf(orgId: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT settings FROM organization WHERE id = $1`, [orgId])) as Array<{ settings: OrganizationSettings | null }>;
    const value = row?.settings?.llm?.monthlyTokenBudget;
    return typeof value === 'number' && value >= 0 ? value : DEFAULT_LLM_MONTHLY_TOKEN_BUDGET;
  }
}
