import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { AgentFlowsService } from '../config/agent-flows.service';
import { AgentSettingsService } from '../config/agent-settings.service';
import { AgentAnalyticsService } from '../runtime/agent-analytics.service';
import { AgentPreviewService } from '../runtime/agent-preview.service';
import { RedisLlmBudget } from '../llm/redis-llm-budget';
import { AppConfig } from '../../../config/app-config';
import { AgentConfigViewDto, CreateFlowDto, FlowListDto, FlowViewDto, ResponseAnalyticsDto, ResponsesAnalyticsQueryDto, TestResponseDto, TestResponseResultDto, UpdateAgentConfigDto, UpdateFlowDto } from './agents.dto';

@ApiTags('agents')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1')
export class AgentsController {
  constructor(
    private readonly settings: AgentSettingsService,
    private readonly flows: AgentFlowsService,
    private readonly preview: AgentPreviewService,
    private readonly analytics: AgentAnalyticsService,
    private readonly budget: RedisLlmBudget,
    private readonly appConfig: AppConfig,
  ) {}

  @Get('agents/config')
  @ApiOperation({ summary: 'The auto-reply configuration: stored overlay, resolved config (defaults included), org switch, LLM availability and budget' })
  @ApiOkResponse({ type: AgentConfigViewDto })
  async getConfig(@CurrentPrincipal() principal: Principal) {
    const org = await this.settings.load(principal.organizationId);
    return {
      autoRepliesEnabled: org.autoRepliesEnabled,
      stored: org.stored,
      config: this.settings.resolve(org),
      llm: {
        available: this.appConfig.llmEnabled,
        monthlyTokenBudget: org.monthlyTokenBudget,
        usedThisMonth: await this.budget.used(principal.organizationId),
      },
    };
  }

  @Put('agents/config')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Update the auto-reply configuration (validated); `config` replaces the stored overlay' })
  @ApiOkResponse({ type: AgentConfigViewDto })
  async putConfig(@CurrentPrincipal() principal: Principal, @Body() body: UpdateAgentConfigDto) {
    await this.settings.update(principal.organizationId, body);
    return this.getConfig(principal);
  }

  @Post('agents/test-response')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Route a text through the agents exactly like an inbound message, without sending anything' })
  @ApiOkResponse({ type: TestResponseResultDto })
  testResponse(@CurrentPrincipal() principal: Principal, @Body() body: TestResponseDto) {
    return this.preview.preview(principal.organizationId, { text: body.text, contactId: body.contactId, at: body.at ? new Date(body.at) : undefined });
  }

  @Get('agents/flows')
  @ApiOperation({ summary: 'Shipped and stored flows with their state names' })
  @ApiOkResponse({ type: FlowListDto })
  async listFlows(@CurrentPrincipal() principal: Principal) {
    return { data: await this.flows.list(principal.organizationId) };
  }

  @Get('agents/flows/:key')
  @ApiOperation({ summary: 'One flow with its definition' })
  @ApiOkResponse({ type: FlowViewDto })
  getFlow(@CurrentPrincipal() principal: Principal, @Param('key') key: string) {
    return this.flows.get(principal.organizationId, key);
  }

  @Post('agents/flows')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Create a flow (definition validated)' })
  @ApiCreatedResponse({ type: FlowViewDto })
  createFlow(@CurrentPrincipal() principal: Principal, @Body() body: CreateFlowDto) {
    return this.flows.create(principal.organizationId, body);
  }

  @Put('agents/flows/:key')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Update a flow; for a shipped flow stores an override (e.g. {enabled: false})' })
  @ApiOkResponse({ type: FlowViewDto })
  updateFlow(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Body() body: UpdateFlowDto) {
    return this.flows.update(principal.organizationId, key, body);
  }

  @Delete('agents/flows/:key')
  @ApiOperation({ summary: "Delete the organisation's flow (or its override of a shipped one)" })
  @MinRole(UserRole.Admin)
  @HttpCode(204)
  async deleteFlow(@CurrentPrincipal() principal: Principal, @Param('key') key: string): Promise<void> {
    await this.flows.remove(principal.organizationId, key);
  }

  @Get('analytics/responses')
  @ApiOperation({ summary: 'Auto-response rate, handoff rate, per-agent counts, mean confidence and inbound→reply time' })
  @ApiOkResponse({ type: ResponseAnalyticsDto })
  responses(@CurrentPrincipal() principal: Principal, @Query() query: ResponsesAnalyticsQueryDto) {
    return this.analytics.responses(principal.organizationId, query.from, query.to);
  }
}
