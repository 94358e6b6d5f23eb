import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { contacts, conversations } from '../api/inbox';
import type { Contact, Conversation, Note } from '../api/types';
import { useI18n } from '../i18n/i18n';

export function ContactPanel({ conversation, onChanged }: { conversation: Conversation; onChanged: (next?: Conversation) => void }) {
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

  const attempt = (work: () => Promise<unknown>) => work().then(load).catch((caught: Error) => setError(caught.message));

  return (
    <aside className="contact-panel" aria-labelledby="contact-heading">
      <h2 id="contact-heading">{t('contact.heading')}</h2>
      <p className="contact-name">{contact?.name ?? conversation.contact.profileName ?? ''}</p>
      <dl>
        <dt>{t('contact.phone')}</dt>
        <dd>{conversation.contact.phoneE164}</dd>
        {contact?.customAttributes && Object.entries(contact.customAttributes).map(([key, value]) => (
          <div key={key}><dt>{key}</dt><dd>{String(value)}</dd></div>
        ))}
      </dl>
      <Labels conversation={conversation} onChanged={onChanged} onError={setError} />
      <section aria-labelledby="consent-heading">
        <h3 id="consent-heading">{t('contact.consent')}</h3>
        <p>{contact?.optedOutAt ? t('contact.optedOut') : t('contact.optedIn')}</p>
        {contact && (
          <button type="button" onClick={() => void attempt(() => (contact.optedOutAt ? contacts.optIn(contactId) : contacts.optOut(contactId)).then(() => onChanged()))}>
            {contact.optedOutAt ? t('contact.optIn') : t('contact.optOut')}
          </button>
        )}
      </section>
      <Notes notes={notes} onAdd={(body) => attempt(() => contacts.addNote(contactId, body))} />
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
