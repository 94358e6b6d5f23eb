import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { CreateQuickReplyDto, ListQuickRepliesQueryDto, QuickReplyDto, QuickReplyListDto, UpdateQuickReplyDto } from './quick-reply.dto';
import { QuickRepliesService } from './quick-replies.service';

/** Everyone reads the saved replies (the composer offers them after `/`); owners and admins manage them. */
@ApiTags('quick-replies')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/quick-replies')
export class QuickRepliesController {
  constructor(private readonly quickReplies: QuickRepliesService) {}

  @Get()
  @ApiOperation({ summary: 'Saved replies sorted by shortcut, optionally filtered by a prefix of the shortcut or text in the body' })
  @ApiOkResponse({ type: QuickReplyListDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListQuickRepliesQueryDto) {
    return this.quickReplies.list(principal.organizationId, query.q);
  }

  @Post()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Save a reply under a shortcut (409 QUICK_REPLY_CONFLICT when the shortcut exists, ignoring case)' })
  @ApiCreatedResponse({ type: QuickReplyDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateQuickReplyDto) {
    return this.quickReplies.create(principal.organizationId, body);
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Change the shortcut or the text of a saved reply' })
  @ApiOkResponse({ type: QuickReplyDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateQuickReplyDto) {
    return this.quickReplies.update(principal.organizationId, id, body);
  }

  @Delete(':id')
  @MinRole(UserRole.Admin)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a saved reply' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.quickReplies.remove(principal.organizationId, id);
  }
}
