import { Injectable } from '@nestjs/common';
import { AgentFlowsService, SHIPPED_FLOWS } from '../config/agent-flows.service';
import type { AgentReply } from '../engine/agent.types';
import { AgentEngine } from './agent-engine.service';
import { type PreviewRequest, TurnLoader } from './turn-loader';

export type { PreviewRequest } from './turn-loader';

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

/** Routes a text exactly as the worker would, without storing or sending anything. */
@Injectable()
export class AgentPreviewService {
  constructor(
    private readonly turns: TurnLoader,
    private readonly flows: AgentFlowsService,
    private readonly engine: AgentEngine,
  ) {}

  /** `organizationId` undefined: the default config and the shipped flows (CLI without --organization). */
  async preview(organizationId: string | undefined, request: PreviewRequest): Promise<PreviewResult> {
    const context = await this.turns.preview(organizationId, request);
    const result = await this.engine.route(context, organizationId ? await this.flows.active(organizationId) : [...SHIPPED_FLOWS]);
    return {
      agent: result.agent,
      intent: result.intent,
      ...(result.classifier ? { classifier: result.classifier } : {}),
      outOfHoursNotice: result.outOfHoursNotice,
      confidence: result.confidence,
      scores: result.scores,
      reply: result.reply,
      unsure: result.unsure,
      ...(result.llm ? { llm: result.llm } : {}),
    };
  }
}
