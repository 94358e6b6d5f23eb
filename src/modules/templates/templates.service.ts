import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { TemplateCategory } from '../../database/entities/enums';
import { MessageTemplate } from '../../database/entities/message-template.entity';
import { WhatsappAccountsService } from '../whatsapp/accounts/whatsapp-accounts.service';
import { WhatsappProviderError } from '../whatsapp/provider/provider-errors';
import { WhatsappProviders } from '../whatsapp/whatsapp-providers.service';
import type { TemplateComponent, TemplateDefinition, TemplateParameterFormat } from './template-definition';
import { templateAsSent } from './template-outbound';
import { renderTemplate, type RenderedTemplate } from './template.renderer';
import { validateTemplateDefinition } from './template.validator';
import type { TemplateRenderOptions, TemplateVariables } from './template-variables';
import { TemplatesErrorCode } from './templates.errors';
import { decodeCursor, encodeCursor, escapeLike, type Page, pageLimit } from '../../common/pagination';

/** Statuses a user may edit (and submit): a local draft, or what Meta rejected. */
export const EDITABLE_STATUSES = ['DRAFT', 'REJECTED'];
export const DRAFT = 'DRAFT';
/** Local status of a template a sync (or a DELETED event) found gone from the WABA. */
export const REMOVED_STATUS = 'DELETED';

export interface CreateTemplateInput {
  accountId: string;
  name: unknown;
  language: unknown;
  category: unknown;
  parameterFormat?: unknown;
  components: unknown;
}

export type UpdateTemplateInput = Partial<Omit<CreateTemplateInput, 'accountId'>>;

export interface ListTemplatesFilter {
  accountId?: string;
  status?: string;
  category?: string;
  language?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
  includeRemoved?: boolean;
  limit?: number;
  cursor?: string;
}

export interface TemplatePreview {
  rendered: RenderedTemplate['rendered'];
  text: string;
  /** The `template` object of the Cloud API message, byte for byte as a send serialises it. */
  template: RenderedTemplate['metaTemplate'];
}

export interface ResolvedTemplate {
  template: MessageTemplate;
  rendered: RenderedTemplate;
}

export type PreviewOptions = Omit<TemplateRenderOptions, 'buttonParams'> & { buttonParams?: Record<number | string, string> };

/** The row as the pure template code sees it. */
export function toDefinition(row: Pick<MessageTemplate, 'name' | 'language' | 'category' | 'parameterFormat' | 'components'>): TemplateDefinition {
  return {
    name: row.name,
    language: row.language,
    category: row.category as TemplateDefinition['category'],
    parameterFormat: (row.parameterFormat as TemplateParameterFormat) ?? 'POSITIONAL',
    components: row.components as unknown as TemplateComponent[],
  };
}

/** `TEMPLATE_INVALID` (400) listing every broken rule, or nothing. */
export function assertValidDefinition(def: TemplateDefinition): void {
  const issues = validateTemplateDefinition(def);
  if (issues.length > 0) {
    throw new DomainError(TemplatesErrorCode.TemplateInvalid, `Template is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { fields: issues });
  }
}

const CREATED_MS = "date_trunc('milliseconds', t.created_at)";

@Injectable()
export class TemplatesService {
  constructor(
    @InjectRepository(MessageTemplate) private readonly templates: Repository<MessageTemplate>,
    private readonly accounts: WhatsappAccountsService,
    private readonly providers: WhatsappProviders,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Inserts a local DRAFT unless (account, name, language) exists; the new row's id, or null. */
  async insertDraftIfNew(organizationId: string, accountId: string, def: TemplateDefinition): Promise<string | null> {
    const inserted = await this.templates
      .createQueryBuilder()
      .insert()
      .into(MessageTemplate)
      .values({
        organizationId,
        whatsappAccountId: accountId,
        name: def.name,
        language: def.language,
        category: def.category as TemplateCategory,
        parameterFormat: def.parameterFormat,
        components: def.components as never,
        status: DRAFT,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (inserted.raw as Array<{ id: string }>)[0]?.id ?? null;
  }

  async create(organizationId: string, input: CreateTemplateInput): Promise<MessageTemplate> {
    await this.accounts.get(organizationId, input.accountId);
    const def = definitionFrom(input);
    assertValidDefinition(def);
    const id = await this.insertDraftIfNew(organizationId, input.accountId, def);
    if (!id) throw alreadyExists(def);
    return this.get(organizationId, id);
  }

  async list(organizationId: string, filter: ListTemplatesFilter): Promise<Page<MessageTemplate>> {
    const limit = pageLimit(filter.limit, 200, 50);
    const qb = this.templates.createQueryBuilder('t').where('t.organizationId = :organizationId', { organizationId });
    if (filter.accountId) qb.andWhere('t.whatsappAccountId = :accountId', { accountId: filter.accountId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status.toUpperCase() });
    if (filter.category) qb.andWhere('t.category = :category', { category: filter.category });
    if (filter.language) qb.andWhere('t.language = :language', { language: filter.language });
    if (filter.name) qb.andWhere('t.name ILIKE :name', { name: `%${escapeLike(filter.name.toLowerCase())}%` });
    if (!filter.includeRemoved && filter.status?.toUpperCase() !== REMOVED_STATUS) qb.andWhere('t.removedAt IS NULL');
    const cursor = decodeCursor(filter.cursor);
    if (cursor) qb.andWhere(`(${CREATED_MS}, t.id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))`, { createdAt: cursor.k, id: cursor.id });
    // Millisecond precision on both sides: the cursor carries a JS Date, PostgreSQL keeps microseconds.
    const rows = await qb.orderBy(CREATED_MS, 'DESC').addOrderBy('t.id', 'DESC').limit(limit + 1).getMany();
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > limit && last ? encodeCursor({ k: last.createdAt.toISOString(), id: last.id }) : null };
  }

  async get(organizationId: string, id: string): Promise<MessageTemplate> {
    const row = await this.templates.findOne({ where: { organizationId, id } });
    if (!row) throw new NotFoundError(TemplatesErrorCode.TemplateNotFound, 'template');
    return row;
  }

  /**
   * Edits a DRAFT or REJECTED template (else 409 `TEMPLATE_NOT_EDITABLE`). Name and language are
   * fixed once the template exists on Meta (they are its identity there). An edited REJECTED
   * template becomes a DRAFT again (keeping its providerTemplateId) until it is resubmitted.
   */
  async update(organizationId: string, id: string, input: UpdateTemplateInput): Promise<MessageTemplate> {
    const row = await this.get(organizationId, id);
    assertEditable(row);
    if (row.providerTemplateId && ((input.name !== undefined && input.name !== row.name) || (input.language !== undefined && input.language !== row.language))) {
      throw new DomainError(TemplatesErrorCode.TemplateNotEditable, 'name and language cannot change once the template exists on Meta; create a new template instead', { status: row.status });
    }
    const def = definitionFrom({
      accountId: row.whatsappAccountId,
      name: input.name ?? row.name,
      language: input.language ?? row.language,
      category: input.category ?? row.category,
      parameterFormat: input.parameterFormat ?? row.parameterFormat,
      components: input.components ?? row.components,
    });
    assertValidDefinition(def);
    if ((def.name !== row.name || def.language !== row.language) && (await this.exists(row.whatsappAccountId, def.name, def.language))) {
      throw alreadyExists(def);
    }
    // Conditional on the status read above, so a concurrent submit or status event wins cleanly.
    const result = await this.templates
      .createQueryBuilder()
      .update(MessageTemplate)
      .set({
        name: def.name,
        language: def.language,
        category: def.category as TemplateCategory,
        parameterFormat: def.parameterFormat,
        components: def.components as never,
        status: DRAFT,
      })
      .where('id = :id AND organization_id = :organizationId AND status IN (:...editable)', { id, organizationId, editable: EDITABLE_STATUSES })
      .execute();
    if (!result.affected) throw notEditable(await this.get(organizationId, id));
    return this.get(organizationId, id);
  }

  /** Deletes locally and, when the template exists on Meta, on the WABA (this language only, by hsm_id). */
  async remove(organizationId: string, id: string): Promise<void> {
    const row = await this.get(organizationId, id);
    if (row.providerTemplateId && !row.removedAt) {
      const { client, account } = await this.providers.forAccount(row.whatsappAccountId);
      try {
        await client.deleteTemplate(account, { name: row.name, hsmId: row.providerTemplateId });
      } catch (error) {
        // Already gone on Meta (deleted elsewhere): nothing left to delete there.
        if (!(error instanceof WhatsappProviderError && error.providerSubcode === 2593002)) throw error;
      }
    }
    await this.templates.delete({ id, organizationId });
  }

  /**
   * Creates the template on the account's WABA. Status and category then come from Meta's answer
   * (and later the status webhooks). A REJECTED template that was edited is deleted on Meta by
   * its hsm_id first, since Meta keeps one template per name and language.
   */
  async submit(organizationId: string, id: string): Promise<MessageTemplate> {
    const row = await this.get(organizationId, id);
    assertEditable(row, TemplatesErrorCode.TemplateAlreadySubmitted, 'submitted');
    const def = toDefinition(row);
    assertValidDefinition(def);
    const { client, account } = await this.providers.forAccount(row.whatsappAccountId);
    if (row.providerTemplateId) {
      try {
        await client.deleteTemplate(account, { name: row.name, hsmId: row.providerTemplateId });
      } catch (error) {
        if (!(error instanceof WhatsappProviderError && error.providerSubcode === 2593002)) throw error;
      }
    }
    const created = await client.createTemplate(account, {
      name: def.name,
      language: def.language,
      category: def.category,
      parameterFormat: def.parameterFormat === 'NAMED' ? 'named' : 'positional',
      components: def.components as unknown as Array<Record<string, unknown>>,
    });
    const category = asCategory(created.category) ?? row.category;
    await this.templates.update(
      { id, organizationId },
      { providerTemplateId: created.id, status: created.status.toUpperCase(), category, rejectionReason: null, removedAt: null },
    );
    this.logger.info({ templateId: id, providerTemplateId: created.id, status: created.status }, 'template submitted');
    return this.get(organizationId, id);
  }

  /** Fills a template for display: what `resolveForSend` would send, whatever the status. */
  async preview(organizationId: string, id: string, variables: TemplateVariables, options: PreviewOptions = {}): Promise<TemplatePreview> {
    const row = await this.get(organizationId, id);
    const result = renderTemplate(toDefinition(row), variables ?? {}, normaliseOptions(options));
    return { rendered: result.rendered, text: result.text, template: templateAsSent(result.metaTemplate) };
  }

  /**
   * For the send pipeline and agents: the APPROVED template of the account by name and language,
   * filled with `variables`. Throws `TEMPLATE_NOT_FOUND` (404), `TEMPLATE_NOT_APPROVED` (422) (details:
   * status, rejectionReason) or `TEMPLATE_VARIABLES_INVALID` (details: missing, extra, malformed).
   * Send `toOutboundTemplateMessage(rendered.metaTemplate)` to get exactly the previewed request.
   */
  async resolveForSend(
    organizationId: string,
    accountId: string,
    name: string,
    language: string,
    variables: TemplateVariables,
    options: PreviewOptions = {},
  ): Promise<ResolvedTemplate> {
    const template = await this.approvedTemplate(accountId, name, language, organizationId);
    return { template, rendered: renderTemplate(toDefinition(template), variables ?? {}, normaliseOptions(options)) };
  }

  /** The one rule "the template exists on the account and is APPROVED": the send pipeline and agents ask here. */
  async approvedTemplate(accountId: string, name: string, language: string, organizationId?: string): Promise<MessageTemplate> {
    const template = await this.templates.findOne({ where: { whatsappAccountId: accountId, name, language, ...(organizationId ? { organizationId } : {}) } });
    if (!template || template.removedAt) {
      throw new DomainError(TemplatesErrorCode.TemplateNotFound, `Template ${name} (${language}) does not exist on this WhatsApp account`, { name, language });
    }
    if (template.status !== 'APPROVED') {
      const reason = template.rejectionReason ? `: ${template.rejectionReason}` : '';
      throw new DomainError(
        TemplatesErrorCode.TemplateNotApproved,
        `Template ${name} (${language}) is ${template.status}, not APPROVED${reason}`,
        { templateId: template.id, name, language, status: template.status, rejectionReason: template.rejectionReason },
      );
    }
    return template;
  }

  private exists(whatsappAccountId: string, name: string, language: string): Promise<boolean> {
    return this.templates.exists({ where: { whatsappAccountId, name, language } });
  }
}

function definitionFrom(input: CreateTemplateInput): TemplateDefinition {
  return {
    name: input.name as string,
    language: input.language as string,
    category: input.category as TemplateDefinition['category'],
    parameterFormat: (input.parameterFormat ?? 'POSITIONAL') as TemplateParameterFormat,
    components: input.components as TemplateComponent[],
  };
}

function assertEditable(row: MessageTemplate, code = TemplatesErrorCode.TemplateNotEditable, verb = 'edited'): void {
  if (!EDITABLE_STATUSES.includes(row.status) || row.removedAt) throw notEditable(row, code, verb);
}

function notEditable(row: MessageTemplate, code = TemplatesErrorCode.TemplateNotEditable, verb = 'edited'): DomainError {
  return new DomainError(code, `Template ${row.name} is ${row.status}; only DRAFT or REJECTED templates can be ${verb}`, { status: row.status });
}

function alreadyExists(def: TemplateDefinition): DomainError {
  return new DomainError(TemplatesErrorCode.TemplateAlreadyExists, `A template ${def.name} (${def.language}) already exists on this account`, { name: def.name, language: def.language });
}

export function asCategory(value: unknown): TemplateCategory | undefined {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return (Object.values(TemplateCategory) as string[]).includes(upper) ? (upper as TemplateCategory) : undefined;
}

function normaliseOptions(options: PreviewOptions): TemplateRenderOptions {
  const { buttonParams, ...rest } = options ?? {};
  if (!buttonParams) return rest;
  return { ...rest, buttonParams: Object.fromEntries(Object.entries(buttonParams).map(([k, v]) => [Number(k), v])) };
}

