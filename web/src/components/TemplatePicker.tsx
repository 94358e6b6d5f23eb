import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { messages, templates } from '../api/inbox';
import type { Conversation, Template } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { allFilled, renderTemplate, templateVariables } from '../lib/templates';

export function TemplatePicker({ conversation, onSent }: { conversation: Conversation; onSent: () => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<Template[] | null>(null);
  const [chosenId, setChosenId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    templates.approved(conversation.accountId).then((page) => {
      setList(page.data);
      setChosenId(page.data[0]?.id ?? '');
    }, (caught: Error) => setError(caught.message));
  }, [conversation.accountId]);

  const chosen = list?.find((template) => template.id === chosenId) ?? null;
  const names = useMemo(() => (chosen ? templateVariables(chosen) : []), [chosen]);
  const preview = chosen ? renderTemplate(chosen, values) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await messages.sendTemplate(conversation.id, chosen, Object.fromEntries(names.map((name) => [name, values[name].trim()])));
      setValues({});
      onSent();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (list && list.length === 0) return <p className="composer-note">{t('template.none')}</p>;
  return (
    <form className="template-picker" onSubmit={submit} aria-label={t('template.heading')}>
      <label>
        {t('template.choose')}
        <select value={chosenId} onChange={(e) => { setChosenId(e.target.value); setValues({}); }}>
          {list?.map((template) => <option key={template.id} value={template.id}>{`${template.name} (${template.language})`}</option>)}
        </select>
      </label>
      {names.map((name) => (
        <label key={name}>
          {/^\d+$/.test(name) ? t('template.variable', { n: name }) : name}
          <input value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} required />
        </label>
      ))}
      {preview && (
        <figure className="template-preview" aria-label={t('template.preview')}>
          <figcaption>{t('template.preview')}</figcaption>
          {preview.header && <strong>{preview.header}</strong>}
          <p data-testid="template-preview">{preview.body}</p>
          {preview.footer && <small>{preview.footer}</small>}
          {preview.buttons.map((button) => <span key={button} className="template-button">{button}</span>)}
        </figure>
      )}
      <button type="submit" disabled={busy || !chosen || !allFilled(names, values)}>{t('template.send')}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
