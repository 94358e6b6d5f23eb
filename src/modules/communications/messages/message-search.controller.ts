import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { MessageSearchPageDto, SearchMessagesQueryDto } from './dto/message.dto';
import { MessageSearchService } from './message-search.service';

/** Its own static path, so `/api/v1/messages/:id` (another module) never captures `search`. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/messages/search')
export class MessageSearchController {
  constructor(private readonly searchService: MessageSearchService) {}

  @Get()
  @ApiOperation({ summary: 'Full-text search over message text (Spanish + simple, accent-insensitive), ranked, with highlighted snippets' })
  @ApiOkResponse({ type: MessageSearchPageDto })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchMessagesQueryDto) {
    return this.searchService.search(principal.organizationId, query);
  }
}
