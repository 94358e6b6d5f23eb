import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { contacts, conversations } from '../api/inbox';
import type { Contact, Conversation, Me, Message, Note } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { snippet } from '../lib/thread';
import { typeIcon } from './MessageContent';

interface Props {
  conversation: Conversation;
  me: Me;
  onChanged: (next?: Conversation) => void;
  /** The contact and its conversations are gone: leave the conversation. */
  onErased: () => void;
}

const MANAGERS = new Set(['owner', 'admin']);

export function ContactPanel({ conversation, me, onChanged, onErased }: Props) {
  const { t } = useI18n();
  const contactId = conversation.contact.id;
  const [contact, setContact] = useState<Contact | null>(null);
  const [notes, setNotes] = useState<Note[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    contacts.get(contactId).then(setContact, () => undefined);
    contacts.notes(contactId).then((page) => setNotes(page.data), () => undefined);
  }, [contactId]);
  useEffect(load, [load]);

  const attempt = (work: () => Promise<unknown>) => {
    setError(null);
    return work().then(load).catch((caught: Error) => setError(caught.message));
  };

  return (
    <aside className="contact-panel" aria-labelledby="contact-heading">
      <h2 id="contact-heading">{t('contact.heading')}</h2>
      <p className="contact-name">{contact?.name ?? conversation.contact.profileName ?? ''}</p>
      <dl>
        <dt>{t('contact.phone')}</dt>
        <dd>{conversation.contact.phoneE164}</dd>
      </dl>
      <Labels conversation={conversation} onChanged={onChanged} onError={setError} />
      <Attributes attributes={contact?.customAttributes ?? {}} onChange={(change) => attempt(() => contacts.setAttributes(contactId, change))} />
      <section aria-labelledby="consent-heading">
        <h3 id="consent-heading">{t('contact.consent')}</h3>
        <p data-testid="consent">{contact?.optedOutAt ? t('contact.optedOut') : t('contact.optedIn')}</p>
        {contact && (
          <button type="button" onClick={() => void attempt(() => (contact.optedOutAt ? contacts.optIn(contactId) : contacts.optOut(contactId)).then(() => onChanged()))}>
            {contact.optedOutAt ? t('contact.optIn') : t('contact.optOut')}
          </button>
        )}
      </section>
      <Notes notes={notes} onAdd={(body) => attempt(() => contacts.addNote(contactId, body))} />
      <History contactId={contactId} conversationId={conversation.id} />
      {MANAGERS.has(me.role) && <Erase name={contact?.name ?? conversation.contact.phoneE164 ?? ''} onConfirm={() => contacts.erase(contactId).then(onErased)} />}
      {error && <p role="alert" className="error">{error}</p>}
    </aside>
  );
}

function Labels({ conversation, onChanged, onError }: { conversation: Conversation; onChanged: (next?: Conversation) => void; onError: (message: string) => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState('');
  const change = (delta: { add?: string[]; remove?: string[] }) =>
    conversations.labels(conversation.id, delta).then(onChanged, (caught: Error) => onError(caught.message));
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!label.trim()) return;
    void change({ add: [label.trim()] }).then(() => setLabel(''));
  }
  return (
    <section aria-labelledby="labels-heading">
      <h3 id="labels-heading">{t('contact.labels')}</h3>
      <ul className="labels">
        {conversation.labels.map((name) => (
          <li key={name} className="label">
            {name}
            <button type="button" aria-label={t('contact.removeLabel', { label: name })} onClick={() => void change({ remove: [name] })}>×</button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="inline-form">
        <label className="sr-only" htmlFor="new-label">{t('contact.addLabel')}</label>
        <input id="new-label" value={label} placeholder={t('contact.addLabel')} onChange={(e) => setLabel(e.target.value)} maxLength={64} />
        <button type="submit">{t('contact.add')}</button>
      </form>
    </section>
  );
}

/** Custom attributes: edit a value in place, add a key, remove one (the API merges; null removes). */
function Attributes({ attributes, onChange }: { attributes: Record<string, unknown>; onChange: (change: Record<string, string | null>) => Promise<unknown> }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  function add(event: FormEvent) {
    event.preventDefault();
    if (!key.trim()) return;
    void onChange({ [key.trim()]: value }).then(() => {
      setKey('');
      setValue('');
    });
  }
  const entries = Object.entries(attributes);
  return (
    <section aria-labelledby="attributes-heading">
      <h3 id="attributes-heading">{t('contact.attributes')}</h3>
      {entries.length === 0 && <p className="muted">{t('contact.noAttributes')}</p>}
      <ul className="attributes">
        {entries.map(([name, current]) => (
          <AttributeRow key={`${name}:${String(current)}`} name={name} value={typeof current === 'string' ? current : JSON.stringify(current)} onChange={onChange} />
        ))}
      </ul>
      <form onSubmit={add} className="inline-form attribute-form">
        <label className="sr-only" htmlFor="new-attribute-key">{t('contact.attributeKey')}</label>
        <input id="new-attribute-key" value={key} placeholder={t('contact.attributeKey')} onChange={(e) => setKey(e.target.value)} maxLength={64} />
        <label className="sr-only" htmlFor="new-attribute-value">{t('contact.attributeValue')}</label>
        <input id="new-attribute-value" value={value} placeholder={t('contact.attributeValue')} onChange={(e) => setValue(e.target.value)} maxLength={500} />
        <button type="submit">{t('contact.saveAttribute')}</button>
      </form>
    </section>
  );
}

function AttributeRow({ name, value, onChange }: { name: string; value: string; onChange: (change: Record<string, string | null>) => Promise<unknown> }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(value);
  // Enter saves and the blur that follows must not save the same value again.
  const saved = useRef(value);
  const save = () => {
    if (draft === saved.current) return;
    saved.current = draft;
    void onChange({ [name]: draft });
  };
  return (
    <li className="attribute">
      <label>
        <span className="attribute-name">{name}</span>
        <input value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={save} onKeyDown={(e) => (e.key === 'Enter' ? (e.preventDefault(), save()) : undefined)} maxLength={500} />
      </label>
      <button type="button" aria-label={t('contact.removeAttribute', { name })} onClick={() => void onChange({ [name]: null })}>×</button>
    </li>
  );
}

function Notes({ notes, onAdd }: { notes: Note[]; onAdd: (body: string) => Promise<unknown> }) {
  const { t, locale } = useI18n();
  const [body, setBody] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    void onAdd(body.trim()).then(() => setBody(''));
  }
  return (
    <section aria-labelledby="notes-heading">
      <h3 id="notes-heading">{t('contact.notes')}</h3>
      <ul className="notes">
        {notes.map((note) => (
          <li key={note.id}>
            <p>{note.body}</p>
            <small>{note.author?.name ?? note.author?.email ?? ''} · {new Date(note.createdAt).toLocaleString(locale)}</small>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <label className="sr-only" htmlFor="new-note">{t('contact.addNote')}</label>
        <textarea id="new-note" value={body} placeholder={t('contact.addNote')} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={4000} />
        <button type="submit">{t('contact.saveNote')}</button>
      </form>
    </section>
  );
}

/** The contact's messages across all its conversations (newest first), loaded when opened. */
function History({ contactId, conversationId }: { contactId: string; conversationId: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Message[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) contacts.history(contactId).then((page) => setItems(page.data), () => setItems([]));
  }, [open, contactId]);
  const conversationsSeen = items ? new Set(items.map((m) => m.conversationId)).size : 0;
  return (
    <details className="history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t('contact.history')}</summary>
      {open && !items && <p>{t('thread.loading')}</p>}
      {items && (
        <>
          <p className="muted">{t('contact.historySummary', { messages: items.length, conversations: conversationsSeen })}</p>
          <ol className="history-list" data-testid="history">
            {items.map((message) => (
              <li key={message.id} className={message.conversationId === conversationId ? 'current' : 'other'}>
                <span aria-hidden="true">{message.direction === 'inbound' ? '←' : '→'} {typeIcon(message.type)} </span>
                <span className="sr-only">{message.direction === 'inbound' ? t('contact.fromContact') : t('contact.toContact')}: </span>
                {snippet(message)}
                <small>
                  {' · '}
                  {new Date(message.occurredAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })}
                  {message.conversationId !== conversationId && ` · ${t('contact.otherConversation')}`}
                </small>
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
}

/** Right to erasure, behind a confirmation that names what goes. */
function Erase({ name, onConfirm }: { name: string; onConfirm: () => Promise<unknown> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);
  function close() {
    setConfirming(false);
    opener.current?.focus();
  }
  async function erase() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="erase-heading" className="erase">
      <h3 id="erase-heading">{t('contact.erase')}</h3>
      {!confirming ? (
        <button ref={opener} type="button" className="danger" onClick={() => setConfirming(true)}>{t('contact.erase')}</button>
      ) : (
        <div role="alertdialog" aria-modal="false" aria-labelledby="erase-question" aria-describedby="erase-consequence" className="confirm" onKeyDown={(e) => (e.key === 'Escape' ? close() : undefined)}>
          <p id="erase-question"><strong>{t('contact.eraseQuestion', { name })}</strong></p>
          <p id="erase-consequence">{t('contact.eraseConsequence')}</p>
          <button ref={cancel} type="button" onClick={close} disabled={busy}>{t('contact.cancel')}</button>
          <button type="button" className="danger" onClick={() => void erase()} disabled={busy}>{t('contact.eraseConfirm')}</button>
          {error && <p role="alert" className="error">{error}</p>}
        </div>
      )}
    </section>
  );
}
