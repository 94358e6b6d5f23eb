import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import type { OrganizationSettings } from '../../../database/entities/organization.entity';
import type { AgentConfig, AgentConfigInput, BusinessHoursConfig } from '../engine/agent.types';
import { DEFAULT_AGENT_CONFIG, resolveAgentConfig } from '../engine/default-agent-config';
import { validateAgentConfigInput } from './agent-config.validator';
import { AuthErrorCode } from '../../auth/auth.errors';

export const DEFAULT_LLM_MONTHLY_TOKEN_BUDGET = 200_000;

export interface OrganizationAgentSettings {
  organizationId: string;
  organizationName: string;
  settings: OrganizationSettings;
  /** What the organisation stored (`settings.agents`). */
  stored: AgentConfigInput;
  autoRepliesEnabled: boolean;
  monthlyTokenBudget: number;
}

export interface UpdateAgentSettings {
  autoRepliesEnabled?: boolean;
  /** Replaces the stored overlay (`settings.agents`); omitted keeps it. */
  config?: AgentConfigInput;
  monthlyTokenBudget?: number;
}

/** `organization.settings.agents` / `autoRepliesEnabled` / `llm`, resolved over the engine defaults and the environment. */
@Injectable()
export class AgentSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appConfig: AppConfig,
  ) {}

  async load(organizationId: string): Promise<OrganizationAgentSettings> {
    const [row] = (await this.dataSource.query(`SELECT id, name, settings FROM organization WHERE id = $1`, [organizationId])) as Array<{ id: string; name: string; settings: OrganizationSettings | null }>;
    if (!row) throw new NotFoundError(AuthErrorCode.OrganizationNotFound, 'organization');
    return this.fromRow(row);
  }

  fromRow(row: { id: string; name: string; settings: OrganizationSettings | null }): OrganizationAgentSettings {
    const settings = row.settings ?? {};
    const budget = settings.llm?.monthlyTokenBudget;
    return {
      organizationId: row.id,
      organizationName: row.name,
      settings,
      stored: (settings.agents ?? {}) as AgentConfigInput,
      autoRepliesEnabled: settings.autoRepliesEnabled !== false,
      monthlyTokenBudget: typeof budget === 'number' && budget >= 0 ? budget : DEFAULT_LLM_MONTHLY_TOKEN_BUDGET,
    };
  }

  /**
   * The engine config: defaults ← stored overlay, the organisation's name when none is configured,
   * the account's business hours when it has its own, and the LLM only when the environment provides one.
   */
  resolve(org: Pick<OrganizationAgentSettings, 'stored' | 'settings' | 'organizationName'> | undefined, accountHours?: BusinessHoursConfig | null): AgentConfig {
    const stored = org?.stored ?? {};
    const config = resolveAgentConfig(stored);
    if (org && stored.organizationName === undefined) config.organizationName = org.organizationName;
    if (accountHours && accountHours.weekly) config.businessHours = accountHours;
    const settingsLlm = org?.settings.llm ?? {};
    const wanted = stored.llm?.enabled ?? settingsLlm.enabled ?? DEFAULT_AGENT_CONFIG.llm.enabled;
    config.llm = {
      ...config.llm,
      enabled: this.appConfig.llmEnabled && wanted === true,
      instructions: stored.llm?.instructions ?? settingsLlm.instructions ?? config.llm.instructions,
      model: this.appConfig.LLM_MODEL,
      maxTokens: Math.min(config.llm.maxTokens, this.appConfig.LLM_MAX_TOKENS),
      timeoutMs: Math.min(config.llm.timeoutMs, this.appConfig.LLM_TIMEOUT_MS),
    };
    return config;
  }

  async update(organizationId: string, input: UpdateAgentSettings): Promise<void> {
    const problems = input.config === undefined ? [] : validateAgentConfigInput(input.config).map((p) => ({ field: `config.${p.field}`, message: p.message }));
    if (input.monthlyTokenBudget !== undefined && !(Number.isInteger(input.monthlyTokenBudget) && input.monthlyTokenBudget >= 0)) {
      problems.push({ field: 'monthlyTokenBudget', message: 'must be a non-negative integer' });
    }
    if (problems.length > 0) throw new ValidationFailedError(`Invalid agent configuration: ${problems.map((p) => p.field).join(', ')}`, problems);
    await this.load(organizationId);
    const patch: Record<string, unknown> = {};
    if (input.autoRepliesEnabled !== undefined) patch.autoRepliesEnabled = input.autoRepliesEnabled;
    if (input.config !== undefined) patch.agents = input.config;
    const llmPatch = input.monthlyTokenBudget !== undefined ? { monthlyTokenBudget: input.monthlyTokenBudget } : {};
    await this.dataSource.query(
      `UPDATE organization
          SET settings = (COALESCE(settings, '{}'::jsonb) || $2::jsonb)
                         || jsonb_build_object('llm', COALESCE(settings->'llm', '{}'::jsonb) || $3::jsonb),
              updated_at = now()
        WHERE id = $1`,
      [organizationId, JSON.stringify(patch), JSON.stringify(llmPatch)],
    );
  }
}
