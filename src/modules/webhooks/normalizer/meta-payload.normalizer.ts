import { parseManagementChange } from './management-change.parser';
import {
  itemRecord,
  parseCall,
  parseChangeError,
  parseEchoMessage,
  parseInboundMessage,
  parseStatus,
  parseUserPreference,
  type ChangeScope,
} from './message-item.parser';
import type { JsonRecord, NormalizedEvent, NormalizedItem, Provider } from '../../../domain/normalized-event.types';
import {
  asArray,
  asRecord,
  failedItem,
  parseTimestamp,
  readArray,
  readRecord,
  readString,
  safeItem,
  safeItems,
} from './payload-readers';

type ItemParser = (item: JsonRecord, scope: ChangeScope) => NormalizedEvent;

/** Every per-item array Meta puts in a change value, in the order they are emitted. */
const ITEM_ARRAYS: ReadonlyArray<readonly [string, ItemParser]> = [
  ['messages', parseInboundMessage],
  ['message_echoes', parseEchoMessage],
  ['statuses', parseStatus],
  ['errors', parseChangeError],
  ['user_preferences', parseUserPreference],
  ['calls', parseCall],
];

function changeScope(change: JsonRecord, value: JsonRecord, provider: Provider, entry: JsonRecord): ChangeScope {
  const metadata = readRecord(value, 'metadata');
  const contacts = (readArray(value, 'contacts') ?? []).map(asRecord).filter((c): c is JsonRecord => !!c);
  return {
    provider,
    field: readString(change, 'field') ?? '',
    wabaId: readString(entry, 'id'),
    phoneNumberId: readString(metadata, 'phone_number_id'),
    displayPhoneNumber: readString(metadata, 'display_phone_number') ?? readString(value, 'display_phone_number'),
    occurredAt: parseTimestamp(entry.time),
    contacts,
  };
}

function normalizeChange(raw: unknown, path: string, provider: Provider, entry: JsonRecord): NormalizedItem[] {
  const change = asRecord(raw);
  const value = readRecord(change, 'value');
  if (!change || !value) return [failedItem(path, 'change has no value object')];
  const scope = changeScope(change, value, provider, entry);
  const items: NormalizedItem[] = [];
  for (const [key, parse] of ITEM_ARRAYS) {
    const list = readArray(value, key) ?? [];
    list.forEach((item, i) => {
      const itemPath = `${path}.${key}[${i}]`;
      items.push(safeItem(itemPath, () => parse(itemRecord(item), scope)));
    });
  }
  if (items.length > 0) return items;
  return [safeItem(path, () => parseManagementChange(value, scope))];
}

function normalizeEntry(raw: unknown, path: string, provider: Provider): NormalizedItem[] {
  const entry = asRecord(raw);
  if (!entry) return [failedItem(path, 'entry is not an object')];
  const changes = readArray(entry, 'changes');
  if (!changes) return [failedItem(`${path}.changes`, 'entry has no changes[]')];
  return changes.flatMap((change, i) => safeItems(`${path}.changes[${i}]`, () => normalizeChange(change, `${path}.changes[${i}]`, provider, entry)));
}

/**
 * Meta `whatsapp_business_account` payloads (also Kapso webhooks of kind `meta`,
 * with `provider: 'kapso'`). Walks every entry, change and item; never throws.
 */
export function normalizeMetaPayload(payload: unknown, provider: Provider = 'meta'): NormalizedItem[] {
  const root = asRecord(payload);
  if (!root) return [failedItem('$', 'payload is not a JSON object')];
  const entries = asArray(root.entry);
  if (!entries) return [failedItem('entry', 'payload has no entry[]')];
  return entries.flatMap((entry, i) => normalizeEntry(entry, `entry[${i}]`, provider));
}

export function isMetaShapedPayload(payload: unknown): boolean {
  const root = asRecord(payload);
  return !!root && (root.object === 'whatsapp_business_account' || Array.isArray(root.entry));
}
