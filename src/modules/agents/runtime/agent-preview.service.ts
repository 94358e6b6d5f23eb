import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import type { BusinessHours } from '../../../database/entities/whatsapp-account.entity';
import { AgentFlowsService, SHIPPED_FLOWS } from '../config/agent-flows.service';
import { AgentSettingsService } from '../config/agent-settings.service';
import type { AgentReply, BotState } from '../engine/agent.types';
import { AgentEngine } from './agent-engine.service';
import { CommunicationsErrorCode } from '../../communications/communications.errors';

export interface PreviewRequest {
  text: string;
  /** Use this contact's name and, when it has a conversation, its bot state (read only). */
  contactId?: string;
  /** Route as if it were this instant (business hours); default now. */
  at?: Date;
}

export interface PreviewResult {
  agent: string;
  /** The intent routed to (rules or classifier), before an unsure streak turns it into a handoff. */
  intent: string;
  classifier?: { intent: string; confidence: number };
  /** Whether the out-of-hours notice would be added to this reply. */
  outOfHoursNotice: boolean;
  confidence: number;
  scores: Record<string, number>;
  reply: AgentReply;
  unsure: boolean;
  llm?: string;
}

const DEFAULT_TIMEZONE = 'America/Santiago';

/** Routes a text exactly as the worker would, without storing or sending anything. */
@Injectable()
export class AgentPreviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: AgentSettingsService,
    private readonly flows: AgentFlowsService,
    private readonly engine: AgentEngine,
  ) {}

  /** `organizationId` undefined: the default config and the shipped flows (CLI without --organization). */
  async preview(organizationId: string | undefined, request: PreviewRequest): Promise<PreviewResult> {
    const org = organizationId ? await this.settings.load(organizationId) : undefined;
    const account = organizationId ? await this.defaultAccount(organizationId) : undefined;
    let contact: { id: string; name?: string; phone?: string } = { id: 'preview' };
    let botState: BotState = {};
    if (request.contactId && organizationId) {
      const [row] = (await this.dataSource.query(`SELECT id, name, profile_name, phone_e164 FROM contact WHERE id = $1 AND organization_id = $2`, [request.contactId, organizationId])) as Array<{
        id: string;
        name: string | null;
        profile_name: string | null;
        phone_e164: string | null;
      }>;
      if (!row) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
      contact = { id: row.id, name: row.name ?? row.profile_name ?? undefined, phone: row.phone_e164 ?? undefined };
      const [conversation] = (await this.dataSource.query(
        `SELECT bot_state FROM conversation WHERE contact_id = $1 AND organization_id = $2 ${account ? 'AND whatsapp_account_id = $3' : ''} ORDER BY last_message_at DESC NULLS LAST LIMIT 1`,
        account ? [row.id, organizationId, account.id] : [row.id, organizationId],
      )) as Array<{ bot_state: BotState | null }>;
      botState = conversation?.bot_state ?? {};
    }
    const now = request.at ?? new Date();
    const streak = Number(botState.unsureStreak);
    const result = await this.engine.route(
      {
        organizationId: organizationId ?? 'preview',
        messages: [{ text: request.text, type: 'text', timestamp: now }],
        contact: { ...contact, optedOut: false },
        history: [],
        conversation: { id: 'preview', botState, botPaused: false, accountTimezone: account?.timezone ?? DEFAULT_TIMEZONE, unsureStreak: Number.isFinite(streak) ? streak : 0 },
        config: this.settings.resolve(org, account?.business_hours),
        now,
      },
      organizationId ? await this.flows.active(organizationId) : [...SHIPPED_FLOWS],
    );
    return {
      agent: result.agent,
      intent: result.intent,
      ...(result.classifier ? { classifier: result.classifier } : {}),
      outOfHoursNotice: result.outOfHoursNotice,
      confidence: result.confidence, scores: result.scores, reply: result.reply, unsure: result.unsure, ...(result.llm ? { llm: result.llm } : {}),
    };
  }

  private async defaultAccount(organizationId: string): Promise<{ id: string; timezone: string; business_hours: BusinessHours | null } | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id, timezone, business_hours FROM whatsapp_account WHERE organization_id = $1 ORDER BY is_default DESC, created_at LIMIT 1`,
      [organizationId],
    )) as Array<{ id: string; timezone: string; business_hours: BusinessHours | null }>;
    return row;
  }
}
