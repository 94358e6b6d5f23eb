import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError, ValidationFailedError } from '../../../common/errors/domain-error';
import type { FlowDefinition, FlowRuntime } from '../flows/flow-definition';
import { validateFlowDefinition } from '../flows/flow-definition';
import { INSURANCE_SALES_FLOW, insuranceRuntime } from '../flows/shipped/insurance-sales.flow';
import { RECRUITING_SCREENING_FLOW } from '../flows/shipped/recruiting-screening.flow';
import { AgentsErrorCode } from '../agents.errors';

export const SHIPPED_FLOWS: readonly FlowDefinition[] = [INSURANCE_SALES_FLOW, RECRUITING_SCREENING_FLOW];

/** Calculators available to every flow (shipped or stored). */
export const FLOW_RUNTIME: FlowRuntime = insuranceRuntime();

const KEY = /^[a-z0-9][a-z0-9_-]{0,99}$/;

export interface FlowView {
  key: string;
  name: string;
  enabled: boolean;
  /** `shipped`: built in; `custom`: the organisation's own; `override`: the organisation's row replacing a shipped flow. */
  source: 'shipped' | 'custom' | 'override';
  initialState: string;
  idleTimeoutMinutes: number;
  states: string[];
  definition: FlowDefinition;
  updatedAt: string | null;
}

export interface FlowInputBody {
  key?: string;
  name?: string;
  enabled?: boolean;
  definition?: FlowDefinition;
}

interface FlowRow {
  key: string;
  name: string;
  enabled: boolean;
  definition: FlowDefinition;
  updated_at: Date;
}

/**
 * Flows per organisation: the shipped ones plus `agent_flow` rows. A row whose key is a shipped
 * flow's id overrides it (a different definition, or `enabled: false` to switch it off).
 */
@Injectable()
export class AgentFlowsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The flows the FlowAgent runs for this organisation. */
  async active(organizationId: string): Promise<FlowDefinition[]> {
    return (await this.list(organizationId)).filter((flow) => flow.enabled).map((flow) => flow.definition);
  }

  async list(organizationId: string): Promise<FlowView[]> {
    const rows = await this.rows(organizationId);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const views: FlowView[] = SHIPPED_FLOWS.map((flow) => {
      const row = byKey.get(flow.id);
      return row ? view(row, 'override') : view({ key: flow.id, name: flow.name, enabled: true, definition: flow, updated_at: null as unknown as Date }, 'shipped');
    });
    for (const row of rows) if (!SHIPPED_FLOWS.some((flow) => flow.id === row.key)) views.push(view(row, 'custom'));
    return views;
  }

  async get(organizationId: string, key: string): Promise<FlowView> {
    const flow = (await this.list(organizationId)).find((candidate) => candidate.key === key);
    if (!flow) throw new NotFoundError(AgentsErrorCode.FlowNotFound, 'flow');
    return flow;
  }

  async create(organizationId: string, body: FlowInputBody): Promise<FlowView> {
    const key = body.key ?? body.definition?.id;
    if (!key || !KEY.test(key)) throw new ValidationFailedError('Invalid flow: key', [{ field: 'key', message: 'must be 1–100 lowercase letters, digits, "-" or "_"' }]);
    if (!body.definition) throw new ValidationFailedError('Invalid flow: definition', [{ field: 'definition', message: 'is required' }]);
    const definition = checked(key, body.definition);
    const inserted = (await this.dataSource.query(
      `INSERT INTO agent_flow (organization_id, key, name, enabled, definition) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, key) DO NOTHING RETURNING id`,
      [organizationId, key, body.name ?? definition.name ?? key, body.enabled ?? true, JSON.stringify(definition)],
    )) as unknown[];
    if (inserted.length === 0) throw new DomainError(AgentsErrorCode.FlowConflict, `A flow with key "${key}" already exists`, { key });
    return this.get(organizationId, key);
  }

  /** Updates a stored flow; for a shipped key without a row, stores the override. */
  async update(organizationId: string, key: string, body: FlowInputBody): Promise<FlowView> {
    const current = await this.get(organizationId, key);
    const definition = body.definition ? checked(key, body.definition) : current.definition;
    const name = body.name ?? (body.definition?.name && body.definition.name !== current.definition.name ? body.definition.name : current.name);
    const enabled = body.enabled ?? current.enabled;
    await this.dataSource.query(
      `INSERT INTO agent_flow (organization_id, key, name, enabled, definition) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, key) DO UPDATE SET name = EXCLUDED.name, enabled = EXCLUDED.enabled, definition = EXCLUDED.definition, updated_at = now()`,
      [organizationId, key, name, enabled, JSON.stringify(definition)],
    );
    return this.get(organizationId, key);
  }

  /** Deletes the stored row: a custom flow disappears, an overridden shipped flow returns to its default. */
  async remove(organizationId: string, key: string): Promise<void> {
    const [, count] = (await this.dataSource.query(`DELETE FROM agent_flow WHERE organization_id = $1 AND key = $2`, [organizationId, key])) as [unknown, number];
    if (!count) {
      if (SHIPPED_FLOWS.some((flow) => flow.id === key)) throw new DomainError(AgentsErrorCode.FlowIsShipped, 'Shipped flows cannot be deleted; disable them with PUT {enabled: false}', { key });
      throw new NotFoundError(AgentsErrorCode.FlowNotFound, 'flow');
    }
  }

  private async rows(organizationId: string): Promise<FlowRow[]> {
    return (await this.dataSource.query(`SELECT key, name, enabled, definition, updated_at FROM agent_flow WHERE organization_id = $1 ORDER BY created_at, key`, [organizationId])) as FlowRow[];
  }
}

function checked(key: string, definition: FlowDefinition): FlowDefinition {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) throw new ValidationFailedError('Invalid flow definition', [{ field: 'definition', message: 'must be an object' }]);
  const withId = { ...definition, id: key, name: definition.name ?? key };
  let errors: string[];
  try {
    errors = validateFlowDefinition(withId, FLOW_RUNTIME);
  } catch (error) {
    errors = [`definition is malformed: ${(error as Error).message}`];
  }
  if (errors.length > 0) throw new ValidationFailedError(`Invalid flow definition: ${errors[0]}`, errors.map((message) => ({ field: 'definition', message })));
  return withId;
}

function view(row: FlowRow, source: FlowView['source']): FlowView {
  const def = row.definition;
  return {
    key: row.key,
    name: row.name,
    enabled: row.enabled,
    source,
    initialState: def.initialState,
    idleTimeoutMinutes: def.idleTimeoutMinutes,
    states: Object.keys(def.states ?? {}),
    definition: def,
    updatedAt: row.updated_at ? new Date(row.updated_at).toISOString() : null,
  };
}
