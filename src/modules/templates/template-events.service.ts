import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { type EntityManager, In, Repository } from 'typeorm';
import { writeEvents } from '../../database/outbox';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { MessageTemplate } from '../../database/entities/message-template.entity';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import type {
  NormalizedEvent,
  TemplateCategoryEvent,
  TemplateQualityEvent,
  TemplateStatusEvent,
} from '../../domain/normalized-event.types';
import { templateStatusEvent } from './template-status-event';
import { asCategory, REMOVED_STATUS } from './templates.service';

export type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

export interface TemplateEventResult {
  /** Template rows the event matched (a WABA's template exists once per account of that WABA). */
  matched: number;
  /** Rows whose stored state changed; 0 when the event was already applied. */
  changed: number;
}

/** Meta events that do not name a status of their own. */
const STATUS_ALIASES: Record<string, string> = { REINSTATED: 'APPROVED' };

/**
 * Applies WABA-level template webhooks (`message_template_status_update`,
 * `message_template_quality_update`, `template_category_update`) to `message_template` rows.
 * Matching: rows with `providerTemplateId = event.templateId`; when none, rows named
 * `templateName` + `language` on the accounts of `event.wabaId` (which then get the id).
 * Idempotent: every update sets absolute values, so applying an event twice equals once.
 * Other event kinds (including `template_components`, left to the next sync) are ignored.
 */
@Injectable()
export class TemplateEventsService {
  constructor(
    @InjectRepository(MessageTemplate) private readonly templates: Repository<MessageTemplate>,
    @InjectRepository(WhatsappAccount) private readonly accounts: Repository<WhatsappAccount>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async apply(event: NormalizedEvent): Promise<TemplateEventResult> {
    if (event.kind !== 'template_status' && event.kind !== 'template_quality' && event.kind !== 'template_category') {
      return { matched: 0, changed: 0 };
    }
    const rows = await this.match(event);
    if (rows.length === 0) {
      this.logger.warn({ kind: event.kind, templateId: event.templateId, wabaId: event.wabaId }, 'template event matched no template');
      return { matched: 0, changed: 0 };
    }
    const patch = { ...this.patchFor(event, rows[0]), ...(event.templateId ? { providerTemplateId: event.templateId } : {}) };
    const stale = rows.filter((row) => Object.entries(patch).some(([k, v]) => !sameValue(row[k as keyof MessageTemplate], v)));
    if (stale.length > 0) await this.templates.manager.transaction((manager) => this.update(manager, stale, patch));
    this.logger.info({ kind: event.kind, templateId: event.templateId, matched: rows.length, changed: stale.length }, 'template event applied');
    return { matched: rows.length, changed: stale.length };
  }

  /**
   * Updates the rows and, in the same transaction, writes a `template.status` for each row whose status or rejection
   * reason changes (re-read under lock, so a concurrent copy of the event writes none).
   */
  private async update(manager: EntityManager, rows: MessageTemplate[], patch: Partial<MessageTemplate>): Promise<void> {
    const ids = rows.map((row) => row.id);
    const current: Array<{ id: string; status: string; rejection_reason: string | null }> = await manager.query(
      `SELECT id, status, rejection_reason FROM message_template WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    await manager.getRepository(MessageTemplate).update({ id: In(ids) }, patch);
    if (patch.status === undefined) return;
    const changed = new Set(current.filter((row) => row.status !== patch.status || (row.rejection_reason ?? null) !== (patch.rejectionReason ?? null)).map((row) => row.id));
    await writeEvents(
      manager,
      rows.filter((row) => changed.has(row.id)).map((row) => templateStatusEvent({ ...row, category: patch.category ?? row.category }, patch.status!, patch.rejectionReason ?? null)),
    );
  }

  private async match(event: TemplateEvent): Promise<MessageTemplate[]> {
    if (event.templateId) {
      const byId = await this.templates.find({ where: { providerTemplateId: event.templateId } });
      if (byId.length > 0) return byId;
    }
    if (!event.wabaId || !event.templateName) return [];
    const accounts = await this.accounts.find({ where: { wabaId: event.wabaId }, select: { id: true } });
    if (accounts.length === 0) return [];
    return this.templates.find({
      where: {
        whatsappAccountId: In(accounts.map((a) => a.id)),
        name: event.templateName,
        ...(event.language ? { language: event.language } : {}),
      },
    });
  }

  private patchFor(event: TemplateEvent, row: MessageTemplate): Partial<MessageTemplate> {
    switch (event.kind) {
      case 'template_status': {
        const raw = String(event.event ?? '').toUpperCase();
        const status = STATUS_ALIASES[raw] ?? raw;
        const category = asCategory(event.category);
        const patch: Partial<MessageTemplate> = {
          status,
          rejectionReason: status === 'REJECTED' ? rejectionReason(event) : null,
          ...(category ? { category } : {}),
        };
        // DELETED keeps the first removal time, so a replayed event changes nothing.
        if (status === REMOVED_STATUS) patch.removedAt = row.removedAt ?? event.occurredAt ?? new Date();
        else patch.removedAt = null;
        return patch;
      }
      case 'template_quality':
        return event.newQuality ? { quality: event.newQuality.toUpperCase() } : {};
      case 'template_category': {
        const category = asCategory(event.newCategory);
        return category ? { category } : {};
      }
    }
  }
}

function rejectionReason(event: TemplateStatusEvent): string | null {
  const reason = [event.reason, event.rejectionInfo?.reason].find((r) => r && r !== 'NONE') ?? null;
  const recommendation = event.rejectionInfo?.recommendation;
  if (reason && recommendation) return `${reason}: ${recommendation}`;
  return reason ?? recommendation ?? null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}
