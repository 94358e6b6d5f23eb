import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { ConversationActionsService } from './conversation-actions.service';
import {
  AssignConversationDto,
  BotResetDto,
  ConversationDto,
  ConversationLabelsDto,
  ConversationPageDto,
  ListConversationsQueryDto,
  ReadReceiptResultDto,
  BotResetResultDto,
  UnreadSummaryDto,
} from './dto/conversation.dto';
import { MessagePageDto } from '../messages/dto/message.dto';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { ConversationQueriesService } from './conversation-queries.service';

@ApiTags('conversations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationQueriesService,
    private readonly actions: ConversationActionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List conversations by last activity (newest first), filtered, cursor-paginated' })
  @ApiOkResponse({ type: ConversationPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListConversationsQueryDto) {
    return this.conversations.list(principal.organizationId, query);
  }

  @Get('unread')
  @ApiOperation({ summary: "The organisation's unread totals (conversations and messages), for a page title" })
  @ApiOkResponse({ type: UnreadSummaryDto })
  unread(@CurrentPrincipal() principal: Principal) {
    return this.conversations.unreadSummary(principal.organizationId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation with its contact, window and assignee' })
  @ApiOkResponse({ type: ConversationDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.get(principal.organizationId, id);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "The conversation's messages, newest first, cursor-paginated" })
  @ApiOkResponse({ type: MessagePageDto })
  messages(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.conversations.messages(principal.organizationId, id, query);
  }

  @Post(':id/read')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark read: zero the unread count and send the read receipt of the latest inbound message (best effort)' })
  @ApiOkResponse({ type: ReadReceiptResultDto })
  read(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.actions.markRead(principal.organizationId, id);
  }

  @Post(':id/close')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the conversation (a new inbound message reopens it)' })
  @ApiOkResponse({ type: ConversationDto })
  close(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.actions.close(principal.organizationId, id);
  }

  @Post(':id/reopen')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a closed conversation' })
  @ApiOkResponse({ type: ConversationDto })
  reopen(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.actions.reopen(principal.organizationId, id);
  }

  @Post(':id/assign')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a user of the organisation, or unassign with null' })
  @ApiOkResponse({ type: ConversationDto })
  assign(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignConversationDto) {
    return this.actions.assign(principal.organizationId, id, body.userId);
  }

  @Post(':id/bot/pause')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the conversation to a person: the bot stops answering' })
  @ApiOkResponse({ type: ConversationDto })
  pauseBot(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.actions.pauseBot(principal.organizationId, id);
  }

  @Post(':id/bot/resume')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the conversation back to the bot (clears the handoff request)' })
  @ApiOkResponse({ type: ConversationDto })
  resumeBot(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.actions.resumeBot(principal.organizationId, id);
  }

  @Post(':id/bot/reset')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: "Clear the conversation's flow state, slots and flow labels (and unsure streak, out-of-hours marker); `resumeBot` also hands it back to the bot" })
  @ApiOkResponse({ type: BotResetResultDto })
  resetBot(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: BotResetDto = {}) {
    return this.actions.resetBot(principal.organizationId, id, { resumeBot: body?.resumeBot });
  }

  @Post(':id/labels')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Add and/or remove conversation labels' })
  @ApiOkResponse({ type: ConversationDto })
  labels(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConversationLabelsDto) {
    return this.actions.changeLabels(principal.organizationId, id, body);
  }
}
