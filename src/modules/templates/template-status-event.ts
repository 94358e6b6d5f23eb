import type { NewEvent } from '../../domain/events/event-catalogue';
import type { MessageTemplate } from '../../database/entities/message-template.entity';

/** The `template.status` event of a template whose status (or rejection reason) became `status`. */
export function templateStatusEvent(
  row: Pick<MessageTemplate, 'id' | 'organizationId' | 'whatsappAccountId' | 'name' | 'language' | 'category'>,
  status: string,
  reason: string | null,
): NewEvent<'template.status'> {
  return {
    organizationId: row.organizationId,
    type: 'template.status',
    data: { templateId: row.id, whatsappAccountId: row.whatsappAccountId, name: row.name, language: row.language, category: row.category, status, reason },
  };
}
