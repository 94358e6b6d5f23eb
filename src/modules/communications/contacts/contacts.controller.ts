import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { ContactErasureService } from './contact-erasure.service';
import {
  ContactDto,
  ContactNoteDto,
  ContactNotePageDto,
  ContactPageDto,
  CreateContactDto,
  CreateNoteDto,
  ErasureResultDto,
  ListContactsQueryDto,
  UpdateContactDto,
  ContactSummaryDto,
} from './dto/contact.dto';
import { MessagePageDto } from '../messages/dto/message.dto';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { ContactDirectoryService } from './contact-directory.service';
import { ContactSummaryService } from './contact-summary.service';
import { ConversationActionsService } from '../conversations/conversation-actions.service';
import { BotResetDto, ContactBotResetResultDto } from '../conversations/dto/conversation.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactDirectoryService,
    private readonly summaries: ContactSummaryService,
    private readonly erasure: ContactErasureService,
    private readonly conversationActions: ConversationActionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List or search contacts by name or phone (any format), newest first' })
  @ApiOkResponse({ type: ContactPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListContactsQueryDto) {
    return this.contacts.list(principal.organizationId, query);
  }

  @Post()
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Create a contact by phone and name (409 CONTACT_CONFLICT when the number exists)' })
  @ApiCreatedResponse({ type: ContactDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateContactDto) {
    return this.contacts.create(principal.organizationId, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contact with labels, notes count, consent and custom attributes' })
  @ApiOkResponse({ type: ContactDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.get(principal.organizationId, id);
  }

  @Get(':id/summary')
  @ApiOperation({ summary: "A contact's messaging history in numbers: counts by status, reply rate, interest, consent" })
  @ApiOkResponse({ type: ContactSummaryDto })
  summary(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.summaries.summarize(principal.organizationId, id);
  }

  @Patch(':id')
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Edit name, labels and custom attributes' })
  @ApiOkResponse({ type: ContactDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateContactDto) {
    return this.contacts.update(principal.organizationId, id, body);
  }

  @Delete(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: "Right to erasure: delete the contact, its conversations, messages, media, notes and campaign rows" })
  @ApiOkResponse({ type: ErasureResultDto })
  erase(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.erasure.erase(principal.organizationId, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "Messages across all of the contact's conversations, newest first" })
  @ApiOkResponse({ type: MessagePageDto })
  history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.contacts.history(principal.organizationId, id, query);
  }

  @Post(':id/notes')
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Add an internal note (author and time recorded)' })
  @ApiCreatedResponse({ type: ContactNoteDto })
  addNote(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateNoteDto) {
    return this.contacts.addNote(principal, id, body);
  }

  @Get(':id/notes')
  @ApiOperation({ summary: 'Internal notes, newest first' })
  @ApiOkResponse({ type: ContactNotePageDto })
  notes(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.contacts.listNotes(principal.organizationId, id, query);
  }

  @Post(':idOrPhone/bot/reset')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({
    summary: "Reset the bot on every conversation of a contact, by contact id or phone number (any format): flow state, slots and flow labels cleared; `resumeBot` also hands them back to the bot",
  })
  @ApiOkResponse({ type: ContactBotResetResultDto })
  resetBot(@CurrentPrincipal() principal: Principal, @Param('idOrPhone') idOrPhone: string, @Body() body: BotResetDto = {}) {
    return this.conversationActions.resetBotForContact(principal.organizationId, idOrPhone, { resumeBot: body?.resumeBot });
  }

  @Post(':id/opt-out')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Opt the contact out of marketing (source: admin)' })
  @ApiOkResponse({ type: ContactDto })
  optOut(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.setOptOut(principal.organizationId, id, true);
  }

  @Post(':id/opt-in')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Opt the contact back in to marketing (source: admin)' })
  @ApiOkResponse({ type: ContactDto })
  optIn(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.setOptOut(principal.organizationId, id, false);
  }
}
