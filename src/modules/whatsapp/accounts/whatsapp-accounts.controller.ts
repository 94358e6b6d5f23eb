import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { CreateWhatsappAccountDto, UpdateWhatsappAccountDto } from './dto/whatsapp-account.dto';
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
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWhatsappAccountDto) {
    return this.accounts.create(principal.organizationId, body);
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.accounts.list(principal.organizationId), nextCursor: null };
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.get(principal.organizationId, id);
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWhatsappAccountDto) {
    return this.accounts.update(principal.organizationId, id, body);
  }

  @Delete(':id')
  @MinRole(UserRole.Admin)
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.accounts.remove(principal.organizationId, id);
  }

  @Post(':id/test')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: "Health check against the provider: reachability, credentials and response time" })
  test(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.test(principal.organizationId, id);
  }
}
