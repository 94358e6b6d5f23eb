import { type FormEvent, useState } from 'react';
import { accountsApi, templatesApi } from '../../api/admin';
import type { Template } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { renderTemplate, templateVariables } from '../../lib/templates';
import { attempt, useLoad } from './useLoad';

const CATEGORIES = ['UTILITY', 'MARKETING', 'AUTHENTICATION'];

/** A BODY (and optional FOOTER) template as Meta expects it, with the example values Meta requires for each variable. */
export function draftComponents(body: string, footer: string, examples: Record<string, string>): unknown[] {
  const draft: Template = { id: '', whatsappAccountId: '', name: '', language: '', status: '', components: [{ type: 'BODY', text: body }] };
  const names = templateVariables(draft);
  const bodyComponent = names.length ? { type: 'BODY', text: body, example: { body_text: [names.map((name) => examples[name] || name)] } } : { type: 'BODY', text: body };
  return footer.trim() ? [bodyComponent, { type: 'FOOTER', text: footer.trim() }] : [bodyComponent];
}

export function Templates() {
  const { t } = useI18n();
  const accounts = useLoad(() => accountsApi.list());
  const list = useLoad(() => templatesApi.list());
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      {(list.error || error) && <p role="alert" className="error">{list.error ?? error}</p>}
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{t('settings.tab.templates')}</caption>
          <thead><tr><th scope="col">{t('settings.name')}</th><th scope="col">{t('settings.language')}</th><th scope="col">{t('campaigns.state')}</th><th scope="col">{t('settings.actions')}</th></tr></thead>
          <tbody>
            {list.data?.data.map((template) => (
              <tr key={template.id} data-testid="template-row">
                <td>{template.name}</td>
                <td>{template.language}</td>
                <td>{template.status}</td>
                <td>{['DRAFT', 'REJECTED'].includes(template.status) && (
                  <button type="button" onClick={() => void attempt(() => templatesApi.submit(template.id), setError, list.reload)}>{t('settings.submit')}</button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {accounts.data && accounts.data.data.length > 0 && <TemplateForm accountIds={accounts.data.data.map((a) => [a.id, a.name])} onCreated={list.reload} />}
    </div>
  );
}

function TemplateForm({ accountIds, onCreated }: { accountIds: Array<[string, string]>; onCreated: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [footer, setFooter] = useState('');
  const [examples, setExamples] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const draft: Template = { id: '', whatsappAccountId: '', name: '', language: '', status: '', components: [{ type: 'BODY', text: body }, ...(footer ? [{ type: 'FOOTER', text: footer }] : [])] };
  const names = templateVariables(draft);
  const preview = renderTemplate(draft, examples);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void attempt(
      () => templatesApi.create({ accountId: String(form.get('accountId')), name: String(form.get('name')), language: String(form.get('language')), category: String(form.get('category')), components: draftComponents(body, footer, examples) }),
      setError,
      () => { formElement.reset(); setBody(''); setFooter(''); setExamples({}); onCreated(); },
    );
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="template-form-heading">
      <h3 id="template-form-heading">{t('settings.newTemplate')}</h3>
      <label>{t('campaigns.account')}<select name="accountId">{accountIds.map(([id, name]) => <option key={id} value={id}>{name}</option>)}</select></label>
      <label>{t('settings.name')}<input name="name" required pattern="[a-z0-9_]+" title="a-z 0-9 _" /></label>
      <label>{t('settings.language')}<input name="language" required defaultValue="es" /></label>
      <label>{t('settings.category')}<select name="category">{CATEGORIES.map((c) => <option key={c}>{c}</option>)}</select></label>
      <label>{t('settings.body')}<textarea value={body} onChange={(e) => setBody(e.target.value)} required rows={3} placeholder="Hola {{1}}, …" /></label>
      <label>{t('settings.footer')}<input value={footer} onChange={(e) => setFooter(e.target.value)} /></label>
      {names.map((name) => (
        <label key={name}>{t('settings.example', { n: name })}<input value={examples[name] ?? ''} onChange={(e) => setExamples({ ...examples, [name]: e.target.value })} required /></label>
      ))}
      <figure className="template-preview">
        <figcaption>{t('template.preview')}</figcaption>
        <p data-testid="new-template-preview">{preview.body}</p>
        {preview.footer && <small>{preview.footer}</small>}
      </figure>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit">{t('settings.create')}</button>
    </form>
  );
}
