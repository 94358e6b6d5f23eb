import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../common/http/openapi-page';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import { UserRole } from '../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../auth/principal';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignStats } from './campaign-stats.service';
import { CampaignsErrorCode } from './campaigns.errors';
import { CampaignsService } from './campaigns.service';
import { CampaignDetailDto, CampaignDto, CampaignRecipientDto, CampaignStateDto, CsvImportResultDto } from './dto/campaign-response.dto';
import { CreateCampaignDto, ListCampaignsQueryDto, ListRecipientsQueryDto, UpdateCampaignDto } from './dto/campaign.dto';

const userOf = (p: Principal) => (p.kind === 'user' ? p.id : null);

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: CampaignLifecycle,
    private readonly stats: CampaignStats,
  ) {}

  @Post()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Create a draft: content, audience (contacts, labels, explicit list), schedule, A/B test' })
  @ApiCreatedResponse({ type: CampaignDto })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCampaignDto) {
    return this.campaigns.create(principal.organizationId, userOf(principal), dto);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns, newest first, by status and account' })
  @ApiPageResponse(CampaignDto)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCampaignsQueryDto) {
    return this.campaigns.list(principal.organizationId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The campaign with counts by state (and per A/B variant), skip reasons and failure codes' })
  @ApiOkResponse({ type: CampaignDetailDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const campaign = await this.campaigns.get(principal.organizationId, id);
    return { ...campaign, ...(await this.stats.counts(id)) };
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Edit a draft (the audience given replaces the whole audience)' })
  @ApiOkResponse({ type: CampaignDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCampaignDto) {
    return this.campaigns.update(principal.organizationId, id, dto);
  }

  @Post(':id/audience/csv')
  @MinRole(UserRole.Admin)
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Add recipients from a CSV (`phone` column, other columns are template variables); answers a preview, row errors and duplicates' })
  @ApiBody({ description: 'CSV with a `phone` column', schema: { type: 'string', example: 'phone,name\n+56912345678,Ana\n' } })
  @ApiCreatedResponse({ type: CsvImportResultDto })
  importCsv(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest) {
    if (!(request.body instanceof Readable)) throw new DomainError(CampaignsErrorCode.CsvInvalid, 'Send the CSV as the request body with Content-Type: text/csv');
    return this.campaigns.importCsv(principal.organizationId, id, request.body);
  }

  @Post(':id/duplicate')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Copy a campaign (content, audience, schedule, A/B test) as a new draft' })
  @ApiCreatedResponse({ type: CampaignDto })
  duplicate(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.campaigns.duplicate(principal.organizationId, userOf(principal), id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Start sending now, or at `schedule.startAt` when it is in the future (templates must be approved)' })
  @ApiOkResponse({ type: CampaignStateDto })
  start(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.start(principal.organizationId, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Pause sending; recipients not yet sent wait' })
  @ApiOkResponse({ type: CampaignStateDto })
  pause(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.pause(principal.organizationId, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Resume a paused campaign' })
  @ApiOkResponse({ type: CampaignStateDto })
  resume(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.resume(principal.organizationId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Cancel: recipients not yet sent become `cancelled`' })
  @ApiOkResponse({ type: CampaignStateDto })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.cancel(principal.organizationId, id);
  }

  @Get(':id/recipients')
  @ApiOperation({ summary: 'Recipients by state and reason (paged)' })
  @ApiPageResponse(CampaignRecipientDto)
  async recipients(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ListRecipientsQueryDto) {
    await this.campaigns.load(principal.organizationId, id);
    return this.stats.recipients(id, query);
  }

  @Get(':id/recipients.csv')
  @ApiOperation({ summary: 'Every recipient with its state and reason, as CSV (streamed)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV: phone, status, reason, …', content: { 'text/csv': { schema: { type: 'string' } } } })
  async exportCsv(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply) {
    await this.campaigns.load(principal.organizationId, id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="campaign-${id}-recipients.csv"`)
      .send(Readable.from(this.stats.csv(id)));
  }
}
