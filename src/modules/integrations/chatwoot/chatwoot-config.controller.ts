import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { ChatwootBackfillService } from './chatwoot-backfill.service';
import { ChatwootConfigService } from './chatwoot-config.service';
import { ChatwootConfigViewDto, ChatwootSyncStatusDto, ChatwootTestResultDto } from './dto/chatwoot-responses.dto';
import { ChatwootBackfillDto, ChatwootBackfillStartedDto } from './dto/chatwoot-backfill.dto';
import { PutChatwootConfigDto } from './dto/chatwoot-config.dto';

/** The organisation's Chatwoot connection: owners and admins only. */
@ApiTags('integrations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/integrations/chatwoot')
export class ChatwootConfigController {
  constructor(
    private readonly configs: ChatwootConfigService,
    private readonly backfills: ChatwootBackfillService,
  ) {}

  @Put()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Create or replace the configuration; the access token is write-only' })
  @ApiOkResponse({ type: ChatwootConfigViewDto })
  put(@CurrentPrincipal() p: Principal, @Body() body: PutChatwootConfigDto) {
    return this.configs.put(p.organizationId, body);
  }

  @Post('test')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Checks the stored access token and inbox against Chatwoot (GET the inbox)' })
  @ApiOkResponse({ type: ChatwootTestResultDto })
  test(@CurrentPrincipal() p: Principal) {
    return this.configs.test(p.organizationId);
  }

  @Post('backfill')
  @HttpCode(202)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Push existing conversations (contact, conversation, messages) to Chatwoot; what is there already is not created again' })
  @ApiAcceptedResponse({ type: ChatwootBackfillStartedDto })
  backfill(@CurrentPrincipal() p: Principal, @Body() body: ChatwootBackfillDto) {
    return this.backfills.start(p.organizationId, new Date(body.since));
  }

  @Get('status')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Last successful sync, events pending and failed, the latest error' })
  @ApiOkResponse({ type: ChatwootSyncStatusDto })
  status(@CurrentPrincipal() p: Principal) {
    return this.configs.status(p.organizationId);
  }

  @Get()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'The configuration (without the access token)' })
  @ApiOkResponse({ type: ChatwootConfigViewDto })
  get(@CurrentPrincipal() p: Principal) {
    return this.configs.get(p.organizationId);
  }
}
