import type { MetaTemplateMessage } from '../../templates/template.renderer';
import type { OutboundMessage } from '../../whatsapp/provider/outbound-message';
import { mapRequestContent, metaTemplateToOutbound, type OutboundRequestType } from './outbound-content.mapper';

/** A stored row's content → the provider model (the worker reloads the row; the job carries only its id). */
export function outboundFromRow(row: { id: string; type: string; content: Record<string, unknown>; contextProviderMessageId: string | null }): OutboundMessage {
  let message: OutboundMessage | null;
  if (row.type === 'template') {
    message = metaTemplateToOutbound(row.content.template as MetaTemplateMessage);
  } else {
    const raw = row.type === 'contacts' ? row.content.contacts : row.content;
    message = mapRequestContent(row.type as OutboundRequestType, raw).message;
  }
  if (!message) throw new Error(`Stored message ${row.id} has unusable ${row.type} content`);
  return {
    ...message,
    bizOpaqueCallbackData: row.id,
    ...(row.contextProviderMessageId ? { replyToProviderMessageId: row.contextProviderMessageId } : {}),
  };
}
