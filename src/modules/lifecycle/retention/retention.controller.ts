import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { CreateLegalHoldDto, LegalHoldDto, RetentionPolicyDto, RetentionPreviewDto, RetentionRunPageDto } from './dto/retention.dto';
import { RetentionEngine } from './retention-engine.service';
import { RetentionSettingsService } from './retention-settings.service';

/** Retention is the owners' decision: every route, reads included, needs an owner. */
@ApiTags('settings')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/settings/retention')
export class RetentionController {
  constructor(
    private readonly settings: RetentionSettingsService,
    private readonly engine: RetentionEngine,
  ) {}

  @Get()
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'The retention ages in days per kind (null keeps that kind)' })
  @ApiOkResponse({ type: RetentionPolicyDto })
  get(@CurrentPrincipal() principal: Principal) {
    return this.settings.getPolicy(principal.organizationId);
  }

  @Put()
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Replace the retention policy (applied by the daily retention job)' })
  @ApiOkResponse({ type: RetentionPolicyDto })
  put(@CurrentPrincipal() principal: Principal, @Body() body: RetentionPolicyDto) {
    return this.settings.putPolicy(principal.organizationId, body);
  }

  @Post('preview')
  @HttpCode(200)
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Dry run: what the policy would remove now, by kind and count' })
  @ApiOkResponse({ type: RetentionPreviewDto })
  async preview(@CurrentPrincipal() principal: Principal): Promise<RetentionPreviewDto> {
    const asOf = new Date();
    return { asOf: asOf.toISOString(), counts: await this.engine.preview(principal.organizationId, asOf) };
  }

  @Get('runs')
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Audit of retention runs, newest first' })
  @ApiOkResponse({ type: RetentionRunPageDto })
  runs(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto) {
    return this.settings.listRuns(principal.organizationId, query.limit, query.cursor);
  }

  @Get('holds')
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Legal holds: contacts and conversations exempt from retention' })
  @ApiOkResponse({ type: [LegalHoldDto] })
  holds(@CurrentPrincipal() principal: Principal) {
    return this.settings.listHolds(principal.organizationId);
  }

  @Post('holds')
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Put a contact or a conversation under legal hold (idempotent)' })
  @ApiCreatedResponse({ type: LegalHoldDto })
  addHold(@CurrentPrincipal() principal: Principal, @Body() body: CreateLegalHoldDto) {
    return this.settings.addHold(principal.organizationId, body);
  }

  @Delete('holds/:id')
  @HttpCode(204)
  @MinRole(UserRole.Owner)
  @ApiOperation({ summary: 'Release a legal hold' })
  async removeHold(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.settings.removeHold(principal.organizationId, id);
  }
}
