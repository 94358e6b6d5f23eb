import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../common/http/openapi-page';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/auth-responses.dto';
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
  @ApiOperation({ summary: "List the organisation's API keys (never the keys themselves)" })
  @ApiPageResponse(ApiKeyDto)
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.apiKeys.list(principal.organizationId), nextCursor: null };
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key; the `key` is shown only in this response' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
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
