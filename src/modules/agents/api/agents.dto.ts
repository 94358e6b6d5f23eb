import { IsBoolean, IsDateString, IsInt, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import type { AgentConfigInput } from '../engine/agent.types';
import type { FlowDefinition } from '../flows/flow-definition';

export class UpdateAgentConfigDto {
  /** Organisation-wide switch (every account also has its own `autoRepliesEnabled`). */
  @IsOptional() @IsBoolean()
  autoRepliesEnabled?: boolean;

  /** Replaces the stored overlay (`AgentConfigInput`); everything not given comes from the defaults. */
  @IsOptional() @IsObject()
  config?: AgentConfigInput;

  @IsOptional() @IsInt() @Min(0)
  monthlyTokenBudget?: number;
}

export class TestResponseDto {
  @IsString() @MinLength(1) @MaxLength(4096)
  text: string;

  @IsOptional() @IsUUID()
  contactId?: string;

  /** Route as if it were this instant (business hours). */
  @IsOptional() @IsDateString()
  at?: string;
}

export class CreateFlowDto {
  @IsOptional() @IsString() @MaxLength(100)
  key?: string;

  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @IsObject()
  definition: FlowDefinition;
}

export class UpdateFlowDto {
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @IsOptional() @IsObject()
  definition?: FlowDefinition;
}

export class ResponsesAnalyticsQueryDto {
  @IsOptional() @IsDateString()
  from?: string;

  @IsOptional() @IsDateString()
  to?: string;
}
