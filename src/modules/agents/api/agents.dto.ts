import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsInt, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import type { AgentConfigInput } from '../engine/agent.types';
import type { FlowDefinition } from '../flows/flow-definition';

const FLOW_EXAMPLE = {
  id: 'cita_simple',
  name: 'Agendar cita',
  initial: 'inicio',
  states: { inicio: { say: '¿Qué día le acomoda?', next: 'fin' }, fin: { say: '¡Listo, le confirmamos pronto!' } },
};

export class UpdateAgentConfigDto {
  /** Organisation-wide switch (every account also has its own `autoRepliesEnabled`). */
  @ApiPropertyOptional({ description: 'The organisation-wide switch (every account has its own too)', example: true })
  @IsOptional() @IsBoolean()
  autoRepliesEnabled?: boolean;

  /** Replaces the stored overlay (`AgentConfigInput`); everything not given comes from the defaults. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Replaces the stored overlay: organizationName, threshold, handoffAfterUnsure, agents, businessHours, texts, keywords, rules, knowledge, llm, interestAnalysis',
    example: { organizationName: 'Contadores Asociados', threshold: 0.6 },
  })
  @IsOptional() @IsObject()
  config?: AgentConfigInput;

  @ApiPropertyOptional({ description: 'LLM tokens per month (0 = no LLM replies)', example: 200000 })
  @IsOptional() @IsInt() @Min(0)
  monthlyTokenBudget?: number;
}

export class TestResponseDto {
  @ApiProperty({ example: '¿Cuándo vence el F29?', maxLength: 4096 })
  @IsString() @MinLength(1) @MaxLength(4096)
  text: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Use this contact's name and bot state (read only)" })
  @IsOptional() @IsUUID()
  contactId?: string;

  /** Route as if it were this instant (business hours). */
  @ApiPropertyOptional({ format: 'date-time', description: 'Route as if it were this instant (business hours)' })
  @IsOptional() @IsDateString()
  at?: string;
}

export class CreateFlowDto {
  @ApiPropertyOptional({ description: 'Default: definition.id', example: 'cita_simple' })
  @IsOptional() @IsString() @MaxLength(100)
  key?: string;

  @ApiPropertyOptional({ example: 'Agendar cita' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The flow: id, name, initial state, states (say, ask, options, next…)', example: FLOW_EXAMPLE })
  @IsObject()
  definition: FlowDefinition;
}

export class UpdateFlowDto {
  @ApiPropertyOptional({ example: 'Agendar cita' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: false, description: 'false switches a shipped flow off for this organisation' })
  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: FLOW_EXAMPLE })
  @IsOptional() @IsObject()
  definition?: FlowDefinition;
}

export class ResponsesAnalyticsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: 30 days before `to`' })
  @IsOptional() @IsDateString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @IsOptional() @IsDateString()
  to?: string;
}

export class AgentConfigViewDto {
  @ApiProperty() autoRepliesEnabled: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The stored overlay' }) stored: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The resolved configuration, defaults included' }) config: Record<string, unknown>;
  @ApiProperty({ type: 'object', properties: { available: { type: 'boolean' }, monthlyTokenBudget: { type: 'integer' }, usedThisMonth: { type: 'integer' } } })
  llm: { available: boolean; monthlyTokenBudget: number; usedThisMonth: number };
}

export class TestResponseResultDto {
  @ApiProperty({ example: 'tax_deadlines' }) agent: string;
  @ApiProperty({ example: 0.82 }) confidence: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Confidence of every agent' }) scores: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '`messages` it would send and `sideEffects` (handoff, state)' }) reply: Record<string, unknown>;
  @ApiProperty({ description: 'No agent was confident enough' }) unsure: boolean;
  @ApiPropertyOptional({ description: 'Why the LLM was or was not used' }) llm?: string;
}

export class FlowViewDto {
  @ApiProperty({ example: 'cita_simple' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: ['shipped', 'custom', 'override'] }) source: string;
  @ApiProperty() initialState: string;
  @ApiProperty() idleTimeoutMinutes: number;
  @ApiProperty({ type: [String] }) states: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) definition: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}

export class FlowListDto {
  @ApiProperty({ type: [FlowViewDto] }) data: FlowViewDto[];
}

export class ResponseAnalyticsDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'Inbound bursts considered (one agent run each)' }) bursts: number;
  @ApiProperty() replied: number;
  @ApiProperty() handoffs: number;
  @ApiProperty() skipped: number;
  @ApiProperty() failed: number;
  @ApiProperty({ example: 0.74 }) autoResponseRate: number;
  @ApiProperty({ example: 0.08 }) handoffRate: number;
  @ApiProperty() aiReplies: number;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { agent: { type: 'string' }, runs: { type: 'integer' }, meanConfidence: { type: 'number', nullable: true } } } })
  perAgent: Array<{ agent: string; runs: number; meanConfidence: number | null }>;
  @ApiProperty({ nullable: true, type: Number }) meanConfidence: number | null;
  @ApiProperty({ type: 'object', properties: { mean: { type: 'number', nullable: true }, p50: { type: 'number', nullable: true }, p95: { type: 'number', nullable: true }, samples: { type: 'integer' } } })
  timeToReplyMs: { mean: number | null; p50: number | null; p95: number | null; samples: number };
}
