import type { SendMessageDto } from '../../communications/outbound/dto/send-message.dto';
import type { InboundText, OutboundReply } from '../engine/agent.types';

/** An inbound message as the turn reads it. */
export interface BurstMessage {
  id: string;
  type: string;
  text: string | null;
  content: Record<string, unknown> | null;
  occurred_at: Date;
  created_at: Date;
}

export function toInboundText(row: Pick<BurstMessage, 'type' | 'text' | 'content' | 'occurred_at'>): InboundText {
  const content = row.content ?? {};
  const pick = (key: string): string | undefined => {
    const value = (content as Record<string, Record<string, unknown> | undefined>)[key]?.id;
    return typeof value === 'string' ? value : undefined;
  };
  const replyId = pick('button_reply') ?? pick('list_reply') ?? (row.type === 'button' && typeof content.payload === 'string' ? content.payload : undefined);
  return { text: row.text ?? undefined, type: row.type, ...(replyId ? { interactiveReplyId: replyId } : {}), timestamp: new Date(row.occurred_at) };
}

export function toSendDto(conversationId: string, reply: OutboundReply, metadata: Record<string, unknown>): SendMessageDto {
  const base = { conversationId, kind: 'agent', metadata } as Pick<SendMessageDto, 'conversationId' | 'kind' | 'metadata'>;
  switch (reply.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: reply.text } } as SendMessageDto;
    case 'buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'button', body: { text: reply.text }, action: { buttons: reply.buttons.slice(0, 3).map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title.slice(0, 20) } })) } },
      } as SendMessageDto;
    case 'list':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'list', body: { text: reply.text }, action: { button: reply.button.slice(0, 20), sections: reply.sections.map((section) => ({ ...(section.title ? { title: section.title } : {}), rows: section.rows })) } },
      } as SendMessageDto;
    case 'template':
      return { ...base, type: 'template', template: { name: reply.name, language: reply.language, variables: reply.variables } } as SendMessageDto;
  }
}
