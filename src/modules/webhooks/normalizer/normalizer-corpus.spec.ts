import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORPUS_DIR } from '../../../../test/support/corpus';
import { normalizeKapsoPayload } from './kapso-payload.normalizer';
import { normalizeMetaPayload } from './meta-payload.normalizer';
import type { NormalizedEvent, NormalizedEventKind, NormalizedItem } from '../../../domain/normalized-event.types';

/** Table-driven over every corpus file, discovered at run time so new files are covered. */
const META_DIR = resolve(CORPUS_DIR, 'meta');
const KAPSO_DIR = resolve(CORPUS_DIR, 'kapso');

type Json = Record<string, unknown>;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function load(dir: string, file: string): Json {
  return JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Json;
}

function events(items: NormalizedItem[]): NormalizedEvent[] {
  return items.flatMap((i) => (i.ok ? [i.event] : []));
}

function failures(items: NormalizedItem[]): string[] {
  return items.flatMap((i) => (i.ok ? [] : [i.path]));
}

function only<K extends NormalizedEventKind>(items: NormalizedItem[], kind: K): Array<Extract<NormalizedEvent, { kind: K }>> {
  return events(items).filter((e): e is Extract<NormalizedEvent, { kind: K }> => e.kind === kind);
}

const ITEM_KEYS = ['messages', 'message_echoes', 'statuses', 'errors', 'user_preferences', 'calls'];

/** Independent count: one event per item of every item array, or one for a change without items. */
function expectedMetaCount(payload: Json): number {
  const entries = (payload.entry as Json[] | undefined) ?? [];
  return entries.reduce((sum, entry) => {
    const changes = (entry.changes as Json[] | undefined) ?? [];
    return (
      sum +
      changes.reduce((n, change) => {
        const value = (change.value ?? {}) as Json;
        const items = ITEM_KEYS.reduce((k, key) => k + (Array.isArray(value[key]) ? (value[key] as unknown[]).length : 0), 0);
        return n + Math.max(items, 1);
      }, 0)
    );
  }, 0);
}

/** The only corpus item that cannot be applied: a synthetic stub change with no metadata.phone_number_id. */
const KNOWN_META_FAILURES: Readonly<Record<string, string[]>> = {
  'batch-one-entry-18-changes-all-fields.kapso-whatsapp-cloud-api-js.json': ['entry[0].changes[15].message_echoes[0]'],
};

const KIND_BY_PREFIX: ReadonlyArray<readonly [string, NormalizedEventKind[]]> = [
  ['account-update-', ['account_update']],
  ['business-capability-', ['business_capability']],
  ['inbound-', ['inbound_message', 'change_error']],
  ['message-template-components-', ['template_components']],
  ['message-template-quality-', ['template_quality']],
  ['message-template-status-', ['template_status']],
  ['phone-number-quality-', ['phone_quality']],
  ['security', ['security']],
  ['smb-message-echoes-', ['outbound_echo']],
  ['status-', ['status']],
  ['system-', ['inbound_message']],
  ['template-category-', ['template_category']],
  ['user-preferences', ['user_preference']],
  ['value-level-errors-', ['change_error']],
];

const metaFiles = jsonFiles(META_DIR);

describe('normalizeMetaPayload (corpus)', () => {
  it('finds the Meta corpus files', () => {
    expect(metaFiles.length).toBeGreaterThan(100);
  });

  describe.each(metaFiles)('%s', (file) => {
    const payload = load(META_DIR, file);
    const items = normalizeMetaPayload(payload);

    it('yields one item per message, status, error, call and item-less change when normalised', () => {
      expect(items).toHaveLength(expectedMetaCount(payload));
    });

    it('fails no item when the file is well-formed', () => {
      expect(failures(items)).toEqual(KNOWN_META_FAILURES[file] ?? []);
    });

    it('produces the kind its file name announces', () => {
      const normalised = events(items);
      expect(normalised.length).toBeGreaterThan(0);
      // Batch files mix kinds on purpose; every other file name must map to its kinds.
      if (file.startsWith('batch-')) return;
      const expected = KIND_BY_PREFIX.find(([prefix]) => file.startsWith(prefix))?.[1];
      expect({ file, known: Boolean(expected) }).toEqual({ file, known: true });
      for (const event of normalised) expect(expected).toContain(event.kind);
    });
  });
});

function kapsoEventName(file: string, payload: Json): string | undefined {
  if (file.startsWith('fragment-')) return 'whatsapp.message.received';
  const headers = payload.headers as Json | undefined;
  const fromHeaders = headers?.['X-Webhook-Event'] ?? headers?.['x-webhook-event'];
  if (typeof fromHeaders === 'string') return fromHeaders;
  return file.replace(/^project-/, '').replace(/\.json$/, '').replace(/-[^.]+$/, '');
}

/** Fragments are only the message object: put them in the received envelope, keeping their own fields. */
function kapsoPayload(file: string): Json {
  const payload = load(KAPSO_DIR, file);
  if (!file.startsWith('fragment-')) return (payload.body as Json | undefined) ?? payload;
  const envelope = load(KAPSO_DIR, 'whatsapp.message.received.json');
  const base = envelope.message as Json;
  return { ...envelope, message: { id: base.id, timestamp: base.timestamp, ...(payload.message as Json) } };
}

function expectedKapsoCount(name: string | undefined, payload: Json): number {
  if (!name?.startsWith('whatsapp.message.') || name === 'whatsapp.message.received') return 1;
  const history = (((payload.message as Json).kapso as Json | undefined)?.statuses as Json[] | undefined) ?? [];
  const status = name.slice('whatsapp.message.'.length);
  return 1 + history.length + (history.some((s) => s.status === status) ? 0 : 1);
}

const KAPSO_KINDS: ReadonlyArray<readonly [RegExp, NormalizedEventKind[]]> = [
  [/^whatsapp\.message\.received$/, ['inbound_message']],
  [/^whatsapp\.message\./, ['outbound_echo', 'status']],
  [/^whatsapp\.conversation\./, ['conversation_lifecycle']],
  [/^workflow\.execution\./, ['workflow']],
  [/^whatsapp\.(phone_number|config)\./, ['account_update']],
];

const kapsoFiles = jsonFiles(KAPSO_DIR);

describe('normalizeKapsoPayload (corpus)', () => {
  it('finds the Kapso corpus files', () => {
    expect(kapsoFiles.length).toBeGreaterThan(10);
  });

  describe.each(kapsoFiles)('%s', (file) => {
    const payload = kapsoPayload(file);
    const name = kapsoEventName(file, load(KAPSO_DIR, file));
    const items = normalizeKapsoPayload(payload, name);

    it('yields the expected number of items and fails none when normalised', () => {
      expect(failures(items)).toEqual([]);
      expect(items).toHaveLength(expectedKapsoCount(name, payload));
    });

    it('produces the kinds its event name announces and never an ignored event', () => {
      const expected = KAPSO_KINDS.find(([pattern]) => pattern.test(name ?? ''))?.[1];
      expect(expected).toBeDefined();
      for (const event of events(items)) expect(expected).toContain(event.kind);
    });

    it('tags every event with the kapso provider', () => {
      for (const event of events(items)) expect(event.provider).toBe('kapso');
    });
  });
});

describe('corpus specifics', () => {
  const meta = (file: string) => normalizeMetaPayload(load(META_DIR, file));
  const kapso = (file: string) => normalizeKapsoPayload(kapsoPayload(file), kapsoEventName(file, load(KAPSO_DIR, file)));

  it('yields 3 inbound messages, 1 status and 1 ignored call when one change carries all of them', () => {
    const items = meta('batch-one-change-3-messages-1-status-1-call.kapso-whatsapp-cloud-api-js.json');
    expect(only(items, 'inbound_message').map((m) => [m.providerMessageId, m.type])).toEqual([
      ['wamid.order', 'order'],
      ['wamid.sticker', 'sticker'],
      ['wamid.flow', 'interactive'],
    ]);
    expect(only(items, 'status').map((s) => [s.providerMessageId, s.status])).toEqual([['wamid.order', 'sent']]);
    expect(only(items, 'ignored')).toHaveLength(1);
    expect(only(items, 'ignored')[0].reason).toContain('call');
    const flow = only(items, 'inbound_message')[2];
    expect(flow.contextProviderMessageId).toBe('wamid.original');
    expect(flow.referredProduct).toEqual({ catalogId: 'CATREF', productRetailerId: 'SKU-REF' });
    expect(only(items, 'inbound_message')[1].media).toMatchObject({ id: 'STICKER_ID', animated: true });
  });

  it('walks every change when one entry has 18 fields', () => {
    const items = meta('batch-one-entry-18-changes-all-fields.kapso-whatsapp-cloud-api-js.json');
    const kinds = events(items).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['account_update', 'template_status', 'template_quality', 'template_category', 'security', 'phone_quality']),
    );
    expect(only(items, 'outbound_echo').map((e) => [e.providerMessageId, e.to.waId])).toEqual([['wamid.echo', '222']]);
    expect(only(items, 'user_preference')[0]).toMatchObject({ value: 'stop', marketingOpt: 'opt_out', user: { waId: '555' } });
  });

  it('yields both messages when one entry has two changes', () => {
    const texts = only(meta('batch-one-entry-two-changes.netflie.json'), 'inbound_message').map((m) => m.text);
    expect(texts).toEqual(['MESSAGE_BODY', 'MESSAGE_BODY2']);
  });

  it('sets the BSUID and leaves waId undefined when the sender has no phone number', () => {
    const [message] = only(meta('inbound-text-bsuid-only-no-from.netflie.json'), 'inbound_message');
    expect(message.from.bsuid).toBe('BSUID_123');
    expect(message.from.waId).toBeUndefined();
    expect(message.from.profileName).toBe('NAME');
  });

  it('keeps wa_id, BSUID and username when all are present', () => {
    const [message] = only(meta('inbound-text-bsuid-username.whatsapp-api-js.json'), 'inbound_message');
    expect(message.from).toEqual({
      waId: '16315551181',
      bsuid: 'US.13491208655302741918',
      parentBsuid: 'US.11815799212886844830',
      username: '@testusername',
      profileName: 'test user name',
    });
  });

  it.each(['inbound-reaction-removed-empty-emoji.pywa.json', 'inbound-reaction-removed-no-emoji.pywa.json', 'inbound-reaction-removed.netflie.json'])(
    'gives an empty emoji when the reaction in %s was removed',
    (file) => {
      const [message] = only(meta(file), 'inbound_message');
      expect(message.reaction?.emoji).toBe('');
      expect(message.reaction?.targetProviderMessageId).toBeTruthy();
    },
  );

  it('keeps the emoji and target when a reaction is added', () => {
    const [message] = only(meta('inbound-reaction.pywa.json'), 'inbound_message');
    expect(message.reaction).toEqual({ targetProviderMessageId: 'wamid.yzxyzx=', emoji: '😮' });
  });

  it.each([
    ['status-failed-130472.pywa.json', 130472],
    ['status-failed-131049.meta-docs.json', 131049],
    ['status-failed-131053.netflie.json', 131053],
  ])('carries the error code when %s reports a failure', (file, code) => {
    const [status] = only(meta(file), 'status');
    expect(status.status).toBe('failed');
    expect(status.errors?.[0].code).toBe(code);
    expect(status.errors?.[0].title).toBeTruthy();
  });

  it('reads error_data.details when a failed status has it', () => {
    const [status] = only(meta('status-failed-130472.pywa.json'), 'status');
    expect(status.errors?.[0].details).toBe("Failed to send message because this user's phone number is part of an experiment");
  });

  it('gives the reason and rejection info when a template is rejected', () => {
    const [event] = only(meta('message-template-status-update-rejected.pywa.json'), 'template_status');
    expect(event).toMatchObject({ event: 'REJECTED', reason: 'INVALID_FORMAT', templateName: 'abandoned_cart', language: 'en' });
    expect(event.templateId).toBe('1689556908129835');
    expect(event.rejectionInfo?.recommendation).toContain('Separate parameters');
  });

  it('routes a quality update sent under the status field when Meta docs mislabel it', () => {
    const [event] = only(meta('message-template-quality-update.meta-docs.json'), 'template_quality');
    expect(event).toMatchObject({ previousQuality: 'GREEN', newQuality: 'YELLOW', templateName: 'welcome_template' });
  });

  it.each([
    ['user-preferences-marketing-resume.pywa.json', 'resume', 'opt_in'],
    ['user-preferences.meta-docs.json', 'resume', 'opt_in'],
    ['user-preferences-marketing-signup.pywa.json', 'signup', 'opt_in'],
  ])('maps %s to a marketing preference', (file, value, opt) => {
    const [event] = only(meta(file), 'user_preference');
    expect(event).toMatchObject({ value, marketingOpt: opt, category: 'marketing_messages', user: { waId: '16505551234' } });
  });

  it('maps a business-app text to an outbound echo addressed to the customer', () => {
    const [echo] = only(meta('smb-message-echoes-text.pywa.json'), 'outbound_echo');
    expect(echo).toMatchObject({ source: 'business_app', type: 'text', text: 'Test message', to: { waId: '<WHATSAPP_USER_PHONE_NUMBER>', bsuid: '<BSUID>' } });
  });

  it('finds the customer in from when an echo puts the business number in to', () => {
    const [edit] = only(meta('smb-message-echoes-edit.pywa.json'), 'outbound_echo');
    expect(edit.to.waId).toBe('972987654321');
    expect(edit.edit).toEqual({ targetProviderMessageId: 'wamid.zzzzzz', newText: 'Text was edited' });
    const [revoke] = only(meta('smb-message-echoes-revoke.pywa.json'), 'outbound_echo');
    expect(revoke.revoke).toEqual({ targetProviderMessageId: 'wamid.zzzzzz' });
  });

  it('links an edit and a revoke to their original messages when the user changes a message', () => {
    const [edit] = only(meta('inbound-edit.pywa.json'), 'inbound_message');
    expect(edit.edit?.newText).toBe('Updated image caption');
    const [revoke] = only(meta('inbound-revoke.pywa.json'), 'inbound_message');
    expect(revoke.revoke?.targetProviderMessageId).toBe('<ORIGINAL_WHATSAPP_MESSAGE_ID>');
  });

  it('reports the new wa_id when the customer changed number', () => {
    const [message] = only(meta('system-user-changed-number.meta-docs.json'), 'inbound_message');
    expect(message.system).toMatchObject({ systemType: 'user_changed_number', newWaId: '12195555358' });
    expect(message.text).toContain('changed from 16505551234');
  });

  it('keeps the unsupported error and type when Meta cannot render a message', () => {
    const [message] = only(meta('inbound-unsupported-edit-131051.meta-docs.json'), 'inbound_message');
    expect(message.type).toBe('unsupported');
    expect(message.content).toEqual({ type: 'edit' });
    expect(message.errors?.[0]).toMatchObject({ code: 131051, details: 'Message type is currently not supported.' });
  });

  it('reads the older details field when an unknown message has errors', () => {
    const [message] = only(meta('inbound-unknown-type.netflie.json'), 'inbound_message');
    expect(message.errors?.[0]).toMatchObject({ code: 131051, details: 'Message type is not currently supported' });
  });

  it('emits the value-level error separately when a change has messages and errors', () => {
    const items = meta('inbound-interactive-without-body.pywa.json');
    expect(only(items, 'inbound_message')[0]).toMatchObject({ type: 'interactive', content: {} });
    expect(only(items, 'change_error')[0].error).toMatchObject({ code: 131000, details: 'Unsupported webhook payload' });
  });

  it('extracts searchable text for each message type', () => {
    const text = (file: string) => only(meta(file), 'inbound_message')[0].text;
    expect(text('inbound-image.meta-docs.json')).toBe('Taj Mahal');
    expect(text('inbound-button-template-quick-reply.meta-docs.json')).toBe('Unsubscribe');
    expect(text('inbound-interactive-list-reply-with-description.pywa.json')).toBe('title\ndescription');
    expect(text('inbound-interactive-button-reply.pywa.json')).toBe('title');
    expect(text('inbound-location.meta-docs.json')).toBe('Philz Coffee\n101 Forest Ave, Palo Alto, CA 94301');
    expect(text('inbound-contacts.pywa.json')).toBe('Chandler Bing, Monica, Rachel Green');
    expect(text('inbound-order.pywa.json')).toBe('Order: 3 product(s), 7 unit(s)');
    expect(text('inbound-location-current.pywa.json')).toBeUndefined();
  });

  it('maps media fields when a voice note and a document arrive', () => {
    const [voice] = only(meta('inbound-audio-voice.meta-docs.json'), 'inbound_message');
    expect(voice.media).toMatchObject({ id: '1908647269898587', mimeType: 'audio/ogg; codecs=opus', voice: true });
    const [doc] = only(meta('inbound-document.lowkruc-go-whatsapp-api.json'), 'inbound_message');
    expect(doc.media).toMatchObject({ filename: 'data_product (2).csv', mimeType: 'text/csv' });
  });

  it('parses numeric and string timestamps to the same instant', () => {
    const [numeric] = only(meta('inbound-button-with-context-and-referral.netflie.json'), 'inbound_message');
    const [text] = only(meta('inbound-text.netflie.json'), 'inbound_message');
    expect(numeric.timestamp.toISOString()).toBe(text.timestamp.toISOString());
    expect(numeric.referral?.sourceId).toBe('ADID');
    expect(numeric.forwarded).toBe(true);
    expect(numeric.frequentlyForwarded).toBe(true);
  });

  it('keeps pricing, conversation and callback data when a status carries them', () => {
    const [sent] = only(meta('status-sent-biz-opaque-callback-data.pywa.json'), 'status');
    expect(sent.bizOpaqueCallbackData).toBe('some data');
    expect(sent.pricing).toEqual({ billable: true, pricingModel: 'CBP', category: 'service' });
    expect(sent.conversation).toEqual({ id: '7270432eae37498234f4444b35ffc5', originType: 'service', expiresAt: new Date(1698339900 * 1000) });
    const [bsuid] = only(meta('status-read-bsuid.whatsapp-api-js.json'), 'status');
    expect(bsuid.recipient).toMatchObject({ waId: '16315551181', bsuid: 'US.13491208655302741918' });
  });

  it('maps Kapso received, delivered and failed events to inbound, echo and statuses', () => {
    const [received] = only(kapso('whatsapp.message.received.json'), 'inbound_message');
    expect(received).toMatchObject({ providerMessageId: 'wamid.123', text: 'Hello', from: { phone: '+15551234567', profileName: 'John Doe' } });
    expect(received.from.waId).toBeUndefined();
    const delivered = kapso('whatsapp.message.delivered.json');
    expect(only(delivered, 'status').map((s) => s.status)).toEqual(['sent', 'delivered']);
    expect(only(delivered, 'outbound_echo')[0]).toMatchObject({ source: 'kapso', providerMessageId: 'wamid.456', to: { waId: '15551234567' } });
    const failed = only(kapso('whatsapp.message.failed-131047.json'), 'status');
    expect(failed.find((s) => s.status === 'failed')?.errors?.[0].code).toBe(131047);
  });

  it('fills Kapso extras when fragments carry a transcript, media data or interactive replies', () => {
    expect(only(kapso('fragment-message-audio-transcript.json'), 'inbound_message')[0].text).toBe('Hello, I need help with my order');
    expect(only(kapso('fragment-message-image.json'), 'inbound_message')[0].media).toMatchObject({
      id: 'media_id_123',
      caption: 'Photo description',
      mimeType: 'image/jpeg',
      filename: 'photo.jpg',
    });
    expect(only(kapso('fragment-message-interactive-button-reply.json'), 'inbound_message')[0].text).toBe('Confirm');
    expect(only(kapso('fragment-message-reaction.json'), 'inbound_message')[0].reaction?.emoji).toBe('👍');
  });

  it('maps Kapso conversation and workflow events', () => {
    expect(only(kapso('whatsapp.conversation.inactive.json'), 'conversation_lifecycle')[0]).toMatchObject({
      phase: 'inactive',
      providerConversationId: 'conv_789',
      inactivityMinutes: 60,
      sinceProviderMessageId: 'wamid.ANCHOR',
    });
    expect(only(kapso('project-workflow.execution.handoff.json'), 'workflow')[0]).toMatchObject({
      phase: 'handoff',
      reason: 'User requested human assistance',
      providerConversationId: 'conv_789',
    });
  });
});
