import { MessageDirection, MessageStatus } from '../../../database/entities/enums';
import { Injectable } from '@nestjs/common';
import { DomainError, ValidationFailedError } from '../../../common/errors/domain-error';
import { MessageTemplate } from '../../../database/entities/message-template.entity';
import type { TemplateDefinition } from '../../templates/template-definition';
import { renderTemplate } from '../../templates/template.renderer';
import type { TemplateVariables } from '../../templates/template-variables';
import type { OutboundMessage } from '../../whatsapp/provider/outbound-message';
import { validateOutboundMessage } from '../../whatsapp/provider/outbound-message.validator';
import type { MessageContentDto, TemplateRefDto } from './dto/send-message.dto';
import { contentText, mapRequestContent, metaTemplateToOutbound, type OutboundRequestType } from './outbound-content.mapper';
import { TemplatesService } from '../../templates/templates.service';
import { CommunicationsErrorCode } from '../communications.errors';

/** What the row stores: the type's object (camelCase) or, for templates, the reference plus the rendered Meta object. */
export interface ComposedMessage {
  type: string;
  content: Record<string, unknown>;
  text: string | null;
  templateName: string | null;
  templateLanguage: string | null;
  templateVariables: TemplateVariables | null;
  isFallback: boolean;
  /** MARKETING templates are refused for opted-out contacts. */
  templateCategory: string | null;
}

/** What every new queued outbound row takes from its composed content (single sends and bulk alike). */
export function queuedColumns(composed: ComposedMessage) {
  return {
    direction: MessageDirection.Outbound,
    status: MessageStatus.Queued,
    type: composed.type,
    content: composed.content,
    text: composed.text,
    occurredAt: new Date(),
    templateName: composed.templateName,
    templateLanguage: composed.templateLanguage,
    templateVariables: composed.templateVariables,
    isFallback: composed.isFallback,
  };
}

export interface Recipient {
  phoneE164: string;
  optedOut: boolean;
  windowOpen: boolean;
}

export interface ComposeOverrides {
  variables?: TemplateVariables;
  content?: Record<string, unknown>;
}

export type TemplateRow = Pick<MessageTemplate, 'name' | 'language' | 'category' | 'status' | 'parameterFormat' | 'components'>;

export type TemplateCache = Map<string, TemplateRow>;

/**
 * Send rules before anything is queued: type shapes (provider validator), 24-hour window
 * (or the fallback template), opt-out for MARKETING templates, template exists/approved/variables.
 */
@Injectable()
export class MessageComposer {
  constructor(private readonly templates: TemplatesService) {}

  loadTemplate(accountId: string, ref: Pick<TemplateRefDto, 'name' | 'language'>): Promise<TemplateRow> {
    return this.templates.approvedTemplate(accountId, ref.name, ref.language);
  }

  /** `templates` caches rows by `name:language` (bulk sends look each up once). */
  async compose(
    accountId: string,
    dto: MessageContentDto,
    recipient: Recipient,
    overrides: ComposeOverrides = {},
    templates: TemplateCache = new Map(),
  ): Promise<ComposedMessage> {
    if (dto.type === 'template') {
      if (!dto.template) throw new ValidationFailedError('Invalid message: template is required', [{ field: 'template', message: 'is required' }]);
      return this.composeTemplate(accountId, dto.template, recipient, overrides.variables, false, templates);
    }
    const raw = overrides.content ? { ...(dto[dto.type] as object), ...overrides.content } : dto[dto.type];
    const mapped = mapRequestContent(dto.type, raw);
    this.assertValid(dto.type, recipient.phoneE164, mapped.message, mapped.violations);
    if (!recipient.windowOpen) {
      if (!dto.fallbackTemplate) {
        throw new DomainError(CommunicationsErrorCode.WindowClosed, 'The 24-hour customer service window is closed: only templates can be sent (or give a fallbackTemplate)');
      }
      return this.composeTemplate(accountId, dto.fallbackTemplate, recipient, dto.fallbackTemplate.variables, true, templates);
    }
    const content = dto.type === 'contacts' ? { contacts: raw } : (raw as Record<string, unknown>);
    return {
      type: dto.type,
      content,
      text: contentText(dto.type, raw),
      templateName: null,
      templateLanguage: null,
      templateVariables: null,
      isFallback: false,
      templateCategory: null,
    };
  }

  private async composeTemplate(
    accountId: string,
    ref: TemplateRefDto,
    recipient: Recipient,
    variablesOverride: TemplateVariables | undefined,
    isFallback: boolean,
    templates: TemplateCache,
  ): Promise<ComposedMessage> {
    const cacheKey = `${ref.name}:${ref.language}`;
    const row = templates.get(cacheKey) ?? (await this.loadTemplate(accountId, ref));
    templates.set(cacheKey, row);
    if (row.category === 'MARKETING' && recipient.optedOut) {
      throw new DomainError(CommunicationsErrorCode.ContactOptedOut, 'The contact opted out of marketing messages');
    }
    const variables = variablesOverride ?? ref.variables ?? [];
    const def = { name: row.name, language: row.language, category: row.category, parameterFormat: row.parameterFormat, components: row.components } as unknown as TemplateDefinition;
    const rendered = renderTemplate(def, variables, { headerMedia: ref.headerMedia, headerLocation: ref.headerLocation, buttonParams: ref.buttonParams });
    const message = metaTemplateToOutbound(rendered.metaTemplate);
    this.assertValid('template', recipient.phoneE164, message, []);
    return {
      type: 'template',
      content: { name: row.name, language: row.language, variables, template: rendered.metaTemplate },
      text: rendered.text,
      templateName: row.name,
      templateLanguage: row.language,
      templateVariables: variables,
      isFallback,
      templateCategory: row.category,
    };
  }

  private assertValid(type: OutboundRequestType, to: string, message: OutboundMessage | null, violations: Array<{ field: string; message: string }>): void {
    const all = message ? [...violations, ...validateOutboundMessage(to, message)] : violations;
    if (all.length === 0) return;
    const fields = all.map((v) => ({ field: v.field === 'to' || v.field === 'type' || v.field.startsWith(`${type}`) ? v.field : `${type}.${v.field}`, message: v.message }));
    throw new ValidationFailedError(`Invalid ${type} message: ${fields.map((f) => f.field).join(', ')}`, fields);
  }
}
