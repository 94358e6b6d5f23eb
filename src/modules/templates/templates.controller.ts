import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../auth/principal';
import {
  CreateTemplateDto,
  InstallTemplateSetDto,
  ListTemplatesQueryDto,
  PreviewTemplateDto,
  SyncTemplatesDto,
  UpdateTemplateDto,
} from './dto/templates.dto';
import { TemplateInstallService } from './template-install.service';
import { TemplateSyncService } from './template-sync.service';
import { TemplatesService } from './templates.service';

const TEMPLATE_EXAMPLE = {
  id: '0d4c3a52-7e4b-4b8e-9f3e-2f0a8d6c1b11',
  organizationId: '5b2f8c1e-0a4d-4c59-8e61-3c7f2b9d4a10',
  whatsappAccountId: '9a7e6d5c-4b3a-4291-8f7e-6d5c4b3a2910',
  name: 'recordatorio_renta',
  language: 'es',
  category: 'UTILITY',
  status: 'APPROVED',
  rejectionReason: null,
  quality: 'GREEN',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hola {{1}}, tu declaración vence el {{2}}.', example: { body_text: [['Pablo', '30 de abril']] } }],
  providerTemplateId: '1234567890123456',
  removedAt: null,
  lastSyncedAt: '2025-04-01T04:41:00.000Z',
  createdAt: '2025-03-30T12:00:00.000Z',
  updatedAt: '2025-04-01T04:41:00.000Z',
};

const INVALID_EXAMPLE = {
  statusCode: 400,
  code: 'TEMPLATE_INVALID',
  message: 'Template is invalid: name: name must be 1–512 lowercase letters, digits or underscores',
  details: { fields: [{ field: 'name', message: 'name must be 1–512 lowercase letters, digits or underscores' }] },
};

@ApiTags('templates')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly sync: TemplateSyncService,
    private readonly installer: TemplateInstallService,
  ) {}

  @Get()
  @ApiOperation({ summary: "List the organisation's templates (newest first, cursor-paginated); removed templates only with includeRemoved or status=DELETED" })
  @ApiOkResponse({ schema: { example: { data: [TEMPLATE_EXAMPLE], nextCursor: 'MjAyNS0wMy0zMFQxMjowMDowMC4wMDBafDBkNGMz' } } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTemplatesQueryDto) {
    return this.templates.list(principal.organizationId, { ...query, includeRemoved: query.includeRemoved === 'true' });
  }

  @Get('sets')
  @ApiOperation({ summary: 'Default Spanish template sets available for install-set' })
  @ApiOkResponse({ schema: { example: { data: [{ key: 'tax_accounting', label: 'Contabilidad y tributación', templates: [{ name: 'recordatorio_vencimiento_f29', language: 'es', category: 'UTILITY' }] }] } } })
  sets() {
    return { data: this.installer.sets() };
  }

  @Post()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Create a DRAFT template, validated with the rules Meta applies (400 TEMPLATE_INVALID lists every issue)' })
  @ApiResponse({ status: 201, schema: { example: { ...TEMPLATE_EXAMPLE, status: 'DRAFT', quality: null, providerTemplateId: null, lastSyncedAt: null } } })
  @ApiResponse({ status: 400, schema: { example: INVALID_EXAMPLE } })
  @ApiResponse({ status: 409, description: 'TEMPLATE_ALREADY_EXISTS (same account, name and language)' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTemplateDto) {
    return this.templates.create(principal.organizationId, body);
  }

  @Post('sync')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: "Pull every template of the account's WABA now (all pages); returns counts" })
  @ApiOkResponse({ schema: { example: { created: 3, updated: 1, removed: 1, total: 12 } } })
  syncNow(@CurrentPrincipal() principal: Principal, @Body() body: SyncTemplatesDto) {
    return this.sync.syncForOrganization(principal.organizationId, body.accountId);
  }

  @Post('install-set')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Install a default Spanish template set on an account as DRAFTs (idempotent; submit: true submits the new ones)' })
  @ApiOkResponse({
    schema: {
      example: {
        set: 'retail',
        created: 1,
        skipped: 1,
        submitted: 0,
        templates: [
          { id: '0d4c3a52-7e4b-4b8e-9f3e-2f0a8d6c1b11', name: 'pedido_listo_para_retiro', language: 'es', outcome: 'created', status: 'DRAFT' },
          { id: null, name: 'pedido_despachado_seguimiento', language: 'es', outcome: 'skipped' },
        ],
      },
    },
  })
  @ApiResponse({ status: 404, description: 'TEMPLATE_SET_NOT_FOUND or WHATSAPP_ACCOUNT_NOT_FOUND' })
  installSet(@CurrentPrincipal() principal: Principal, @Body() body: InstallTemplateSetDto) {
    return this.installer.install(principal.organizationId, body.accountId, body.set, { submit: body.submit });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One template with its status, quality, components and variables' })
  @ApiOkResponse({ schema: { example: TEMPLATE_EXAMPLE } })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.templates.get(principal.organizationId, id);
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Edit a DRAFT or REJECTED template (else 409 TEMPLATE_NOT_EDITABLE); an edited REJECTED template becomes a DRAFT' })
  @ApiOkResponse({ schema: { example: { ...TEMPLATE_EXAMPLE, status: 'DRAFT' } } })
  @ApiResponse({ status: 409, schema: { example: { statusCode: 409, code: 'TEMPLATE_NOT_EDITABLE', message: 'Template recordatorio_renta is APPROVED; only DRAFT or REJECTED templates can be edited', details: { status: 'APPROVED' } } } })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTemplateDto) {
    return this.templates.update(principal.organizationId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Delete the template here and, when it exists there, on Meta (this language only, by hsm_id)' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.templates.remove(principal.organizationId, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: "Create the template on the account's WABA; the status comes from Meta (PENDING, then status webhooks)" })
  @ApiOkResponse({ schema: { example: { ...TEMPLATE_EXAMPLE, status: 'PENDING', quality: null } } })
  @ApiResponse({ status: 409, description: 'TEMPLATE_ALREADY_SUBMITTED (only DRAFT or REJECTED templates are submitted)' })
  submit(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.templates.submit(principal.organizationId, id);
  }

  @Post(':id/preview')
  @MinRole(UserRole.Agent)
  @HttpCode(200)
  @ApiOperation({ summary: 'Fill the template: rendered text and the exact `template` object a send carries' })
  @ApiBody({ type: PreviewTemplateDto, examples: { positional: { value: { variables: { '1': 'Pablo', '2': '30 de abril' }, headerMedia: { link: 'https://cdn.example.com/renta.jpg' }, buttonParams: { '0': 'abc123' } } }, named: { value: { variables: { nombre: 'Pablo' } } } } })
  @ApiOkResponse({
    schema: {
      example: {
        rendered: { headerMedia: { format: 'IMAGE', link: 'https://cdn.example.com/renta.jpg' }, body: 'Hola Pablo, tu declaración vence el 30 de abril.', buttons: [{ type: 'URL', text: 'Ver documento', url: 'https://portal.example.com/docs/abc123' }] },
        text: 'Hola Pablo, tu declaración vence el 30 de abril.',
        template: {
          name: 'recordatorio_renta',
          language: { code: 'es' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/renta.jpg' } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }, { type: 'text', text: '30 de abril' }] },
            { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'abc123' }] },
          ],
        },
      },
    },
  })
  @ApiResponse({ status: 422, schema: { example: { statusCode: 422, code: 'TEMPLATE_VARIABLES_INVALID', message: 'Template variables are invalid: missing 2', details: { missing: ['2'], extra: [], malformed: [] } } } })
  preview(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PreviewTemplateDto) {
    return this.templates.preview(principal.organizationId, id, body.variables, {
      ...(body.headerMedia && { headerMedia: JSON.parse(JSON.stringify(body.headerMedia)) as PreviewTemplateDto['headerMedia'] }),
      ...(body.headerLocation && { headerLocation: body.headerLocation }),
      ...(body.buttonParams && { buttonParams: body.buttonParams }),
    });
  }
}
