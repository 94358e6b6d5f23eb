import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { MessageTemplate } from '../../database/entities/message-template.entity';
import { WhatsappAccountsService } from '../whatsapp/accounts/whatsapp-accounts.service';
import { listTemplateSets, type TemplateSet } from './default-template-sets';
import { DRAFT, TemplatesService } from './templates.service';
import { TemplatesErrorCode } from './templates.errors';

export interface InstallSetResult {
  set: string;
  created: number;
  skipped: number;
  /** Newly created templates submitted to Meta (only with `submit: true`). */
  submitted: number;
  templates: Array<{ id: string | null; name: string; language: string; outcome: 'created' | 'skipped'; status?: string; error?: string }>;
}

/**
 * Installs one of the Spanish default sets on an account as DRAFT templates. Idempotent: a template
 * whose (account, name, language) already exists is skipped, whatever its status (the unique index
 * decides, so two concurrent installs still create each template once). With `submit`, each newly
 * created template is submitted right away; a submit failure is reported per template and leaves
 * it as a DRAFT.
 */
@Injectable()
export class TemplateInstallService {
  constructor(
    @InjectRepository(MessageTemplate) private readonly templates: Repository<MessageTemplate>,
    private readonly accounts: WhatsappAccountsService,
    private readonly service: TemplatesService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  sets(): Array<Pick<TemplateSet, 'key' | 'label'> & { templates: Array<{ name: string; language: string; category: string }> }> {
    return listTemplateSets().map((set) => ({
      key: set.key,
      label: set.label,
      templates: set.templates.map((t) => ({ name: t.name, language: t.language, category: t.category })),
    }));
  }

  async install(organizationId: string, accountId: string, setKey: string, options: { submit?: boolean } = {}): Promise<InstallSetResult> {
    await this.accounts.get(organizationId, accountId);
    const set = listTemplateSets().find((s) => s.key === setKey);
    if (!set) {
      const known = listTemplateSets().map((s) => s.key);
      throw new DomainError(TemplatesErrorCode.TemplateSetNotFound, `Unknown template set ${setKey}; available: ${known.join(', ')}`, { available: known });
    }
    const result: InstallSetResult = { set: set.key, created: 0, skipped: 0, submitted: 0, templates: [] };
    for (const def of set.templates) {
      const id = await this.service.insertDraftIfNew(organizationId, accountId, def);
      if (!id) {
        result.skipped += 1;
        result.templates.push({ id: null, name: def.name, language: def.language, outcome: 'skipped' });
        continue;
      }
      result.created += 1;
      const entry: InstallSetResult['templates'][number] = { id, name: def.name, language: def.language, outcome: 'created', status: DRAFT };
      if (options.submit) {
        try {
          entry.status = (await this.service.submit(organizationId, id)).status;
          result.submitted += 1;
        } catch (error) {
          entry.error = error instanceof DomainError ? `${error.code}: ${error.message}` : 'submit failed';
        }
      }
      result.templates.push(entry);
    }
    this.logger.info({ whatsappAccountId: accountId, set: set.key, created: result.created, skipped: result.skipped }, 'template set installed');
    return result;
  }
}
