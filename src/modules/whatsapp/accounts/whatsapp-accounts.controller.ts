import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../../common/http/openapi-page';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { AccountHealthDto, CreateWhatsappAccountDto, UpdateWhatsappAccountDto, WhatsappAccountDto } from './dto/whatsapp-account.dto';
import { WhatsappAccountsService } from './whatsapp-accounts.service';

@ApiTags('whatsapp accounts')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/whatsapp/accounts')
export class WhatsappAccountsController {
  constructor(private readonly accounts: WhatsappAccountsService) {}

  @Post()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Connect a WhatsApp number (Meta, Kapso or sandbox); secrets are stored encrypted and never returned' })
  @ApiCreatedResponse({ type: WhatsappAccountDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWhatsappAccountDto) {
    return this.accounts.create(principal.organizationId, body);
  }

  @Get()
  @ApiOperation({ summary: "List the organisation's WhatsApp numbers" })
  @ApiPageResponse(WhatsappAccountDto)
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.accounts.list(principal.organizationId), nextCursor: null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One WhatsApp number with its settings and what Meta reports about it' })
  @ApiOkResponse({ type: WhatsappAccountDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.get(principal.organizationId, id);
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Change a number: name, credentials, rate limit, timezone, business hours, auto-replies' })
  @ApiOkResponse({ type: WhatsappAccountDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWhatsappAccountDto) {
    return this.accounts.update(principal.organizationId, id, body);
  }

  @Delete(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Remove a number (refused while it has conversations)' })
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.accounts.remove(principal.organizationId, id);
  }

  @Post(':id/test')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: "Health check against the provider: reachability, credentials and response time" })
  @ApiOkResponse({ type: AccountHealthDto })
  test(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.test(principal.organizationId, id);
  }
}
