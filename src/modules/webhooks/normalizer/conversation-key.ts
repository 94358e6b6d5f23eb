import type { CustomerIdentity, NormalizedEvent, StatusRecipient } from '../../../domain/normalized-event.types';

type CustomerIds = Pick<CustomerIdentity, 'waId' | 'bsuid' | 'phone'> | StatusRecipient;

/**
 * wa_id first (what Meta keys chats on), then BSUID, then Kapso's E.164 phone
 * reduced to digits so it lines up with a wa_id of the same number.
 */
function customerPart(who: CustomerIds): string | undefined {
  if (who.waId) return `wa:${who.waId}`;
  if (who.bsuid) return `bsuid:${who.bsuid}`;
  const phoneDigits = who.phone?.replace(/\D/g, '');
  return phoneDigits ? `wa:${phoneDigits}` : undefined;
}

function customerOf(event: NormalizedEvent): CustomerIds | undefined {
  switch (event.kind) {
    case 'inbound_message':
      return event.from;
    case 'outbound_echo':
      return event.to;
    case 'status':
      return event.recipient;
    case 'user_preference':
      return event.user;
    case 'conversation_lifecycle':
      return event.customer;
    default:
      return undefined;
  }
}

/**
 * Key for per-conversation ordering (`<phoneNumberId>:wa:<waId>` or `…:bsuid:<id>`);
 * undefined for events that belong to no conversation (templates, account updates…).
 */
export function conversationKey(event: NormalizedEvent): string | undefined {
  const who = customerOf(event);
  const phoneNumberId = 'phoneNumberId' in event ? event.phoneNumberId : undefined;
  if (!who || !phoneNumberId) return undefined;
  const customer = customerPart(who);
  return customer ? `${phoneNumberId}:${customer}` : undefined;
}
