import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../database/entities/enums';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/auth.dto';
import { CurrentPrincipal, MinRole, type Principal } from './principal';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiSecurity('api-key')
@MinRole(UserRole.Admin)
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.apiKeys.list(principal.organizationId), nextCursor: null };
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key; the `key` is shown only in this response' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto) {
    const { apiKey, key } = await this.apiKeys.create(principal, body);
    return { ...apiKey, key };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (it stops working at once)' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.apiKeys.revoke(principal.organizationId, id);
  }
}
