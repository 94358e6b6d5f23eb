import { WebhookProvider } from '../../../database/entities/enums';
import { normalizeKapsoPayload } from './kapso-payload.normalizer';
import { isMetaShapedPayload, normalizeMetaPayload } from './meta-payload.normalizer';
import type { NormalizedItem } from '../../../domain/normalized-event.types';

/** Kapso forwards Meta-shaped payloads too; anything else from Kapso is its own event format. */
export function normalizeProviderPayload(provider: WebhookProvider, payload: unknown, eventName: string | null): NormalizedItem[] {
  if (provider === WebhookProvider.Kapso && !isMetaShapedPayload(payload)) return normalizeKapsoPayload(payload, eventName ?? undefined);
  return normalizeMetaPayload(payload, provider === WebhookProvider.Kapso ? 'kapso' : 'meta');
}

/** The numbers an event concerns: who may see it in the failed-events list. */
export function phoneNumberIdsOf(items: NormalizedItem[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.ok && 'phoneNumberId' in item.event && typeof item.event.phoneNumberId === 'string') ids.add(item.event.phoneNumberId.slice(0, 64));
  }
  return [...ids];
}
