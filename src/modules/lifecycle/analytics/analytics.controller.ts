import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { AnalyticsReportsService } from './analytics-reports.service';
import { toCsv } from './csv';
import { AgentsReportDto, CampaignReportDto, FirstResponseDistributionDto, OverviewReportDto, TemplatesReportDto, WindowReportDto } from './dto/analytics-reports.dto';
import { AnalyticsQueryDto } from './dto/analytics-query.dto';

/** Reports over pre-aggregated conversation cycles; `Accept: text/csv` answers each report's rows as CSV. */
@ApiTags('analytics')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/analytics')
export class AnalyticsController {
  constructor(private readonly reports: AnalyticsReportsService) {}

  @Get('overview')
  @ApiOperation({ summary: 'Conversations opened/resolved, volumes, auto-resolution and handoff rates, first response and resolution times, per-day series' })
  @ApiOkResponse({ type: OverviewReportDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async overview(@CurrentPrincipal() principal: Principal, @Query() query: AnalyticsQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.overview(principal.organizationId, query);
    return answer(report, report.series, accept, reply);
  }

  @Get('first-response-distribution')
  @ApiOperation({ summary: 'Conversations by first response time: 0–1 h, 1–4 h, 4–8 h, 8–24 h, > 24 h' })
  @ApiOkResponse({ type: FirstResponseDistributionDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async distribution(@CurrentPrincipal() principal: Principal, @Query() query: AnalyticsQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.firstResponseDistribution(principal.organizationId, query);
    return answer(report, report.buckets, accept, reply);
  }

  @Get('agents')
  @ApiOperation({ summary: 'Per human agent: conversations, replies, median first response' })
  @ApiOkResponse({ type: AgentsReportDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async agents(@CurrentPrincipal() principal: Principal, @Query() query: AnalyticsQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.agents(principal.organizationId, query);
    return answer(report, report.data, accept, reply);
  }

  @Get('templates')
  @ApiOperation({ summary: 'Per template: sends, delivered and read rates; failures by error code' })
  @ApiOkResponse({ type: TemplatesReportDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async templates(@CurrentPrincipal() principal: Principal, @Query() query: AnalyticsQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.templates(principal.organizationId, query);
    return answer(report, report.data, accept, reply);
  }

  @Get('campaigns/:id')
  @ApiOperation({ summary: 'A campaign per variant: delivered, read and replied rates' })
  @ApiOkResponse({ type: CampaignReportDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async campaign(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.campaign(principal.organizationId, id);
    return answer(report, report.data, accept, reply);
  }

  @Get('window')
  @ApiOperation({ summary: 'Share of conversations whose 24-hour window expired before the business replied' })
  @ApiOkResponse({ type: WindowReportDto, description: 'JSON, or the rows as CSV with `Accept: text/csv`' })
  async window(@CurrentPrincipal() principal: Principal, @Query() query: AnalyticsQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.window(principal.organizationId, query);
    return answer(report, [{ conversations: report.conversations, windowExpired: report.windowExpired, share: report.share }], accept, reply);
  }
}

function answer<T>(report: T, rows: Array<Record<string, unknown>>, accept: string | undefined, reply: FastifyReply): T | string {
  if (!accept?.includes('text/csv')) return report;
  void reply.header('content-type', 'text/csv; charset=utf-8');
  return toCsv(rows);
}
