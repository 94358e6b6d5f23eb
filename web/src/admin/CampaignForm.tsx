import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { accountsApi, campaignsApi, templatesApi } from '../api/admin';
import type { Account, Campaign, CsvImportResult } from '../api/admin-types';
import type { Template } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { renderTemplate, templateVariables } from '../lib/templates';
import { csvHeader } from './campaign-progress';
import { CsvResult } from './CsvResult';

const splitList = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * A draft from an approved template: fixed variable values for everyone, audience from labels and/or a CSV
 * (`phone` plus one column per variable). The CSV's preview and row errors are shown before anything is started.
 */
export function CampaignForm({ onCreated }: { onCreated: (campaign: Campaign) => void }) {
  const { t } = useI18n();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [accountId, setAccountId] = useState('');
  const [templates, setTemplates] = useState<Template[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [csv, setCsv] = useState<string | null>(null);
  const [imported, setImported] = useState<{ campaign: Campaign; result: CsvImportResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    accountsApi.list().then((page) => {
      setAccounts(page.data);
      setAccountId(page.data.find((a) => a.isDefault)?.id ?? page.data[0]?.id ?? '');
    }, (caught: Error) => setError(caught.message));
  }, []);
  useEffect(() => {
    if (!accountId) return;
    templatesApi.list(accountId, 'APPROVED').then((page) => {
      setTemplates(page.data);
      setTemplateId(page.data[0]?.id ?? '');
    }, (caught: Error) => setError(caught.message));
  }, [accountId]);

  const template = templates.find((item) => item.id === templateId) ?? null;
  const names = useMemo(() => (template ? templateVariables(template) : []), [template]);
  const csvColumns = csv ? csvHeader(csv).filter((column) => column !== 'phone') : [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!template) return;
    const form = new FormData(event.currentTarget);
    const labels = splitList(String(form.get('labels') ?? ''));
    const variables = Object.fromEntries(names.filter((name) => values[name]?.trim()).map((name) => [name, values[name].trim()]));
    setBusy(true);
    setError(null);
    try {
      const campaign = await campaignsApi.create({
        name: String(form.get('name')),
        accountId,
        content: { type: 'template', template: { name: template.name, language: template.language, ...(Object.keys(variables).length ? { variables } : {}) } },
        audience: labels.length ? { labels } : {},
      });
      if (csv) {
        const result = await campaignsApi.importCsv(campaign.id, csv);
        setImported({ campaign, result });
      } else {
        onCreated(campaign);
      }
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (imported) {
    return (
      <div className="campaign-form">
        <h2>{t('campaigns.csvResult')}</h2>
        <CsvResult result={imported.result} />
        <button type="button" onClick={() => onCreated(imported.campaign)}>{t('campaigns.continue')}</button>
      </div>
    );
  }

  const preview = template ? renderTemplate(template, values) : null;
  return (
    <form className="campaign-form" onSubmit={submit} aria-labelledby="campaign-form-heading">
      <h2 id="campaign-form-heading">{t('campaigns.new')}</h2>
      <label>{t('campaigns.name')}<input name="name" required maxLength={200} /></label>
      <label>
        {t('campaigns.account')}
        <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          {accounts.map((account) => <option key={account.id} value={account.id}>{`${account.name} ${account.displayPhoneNumber ?? ''}`}</option>)}
        </select>
      </label>
      {templates.length === 0 ? (
        <p className="error">{t('campaigns.noTemplates')}</p>
      ) : (
        <label>
          {t('campaigns.template')}
          <select value={templateId} onChange={(e) => { setTemplateId(e.target.value); setValues({}); }}>
            {templates.map((item) => <option key={item.id} value={item.id}>{`${item.name} (${item.language})`}</option>)}
          </select>
        </label>
      )}
      {names.length > 0 && (
        <fieldset>
          <legend>{t('campaigns.variables')}</legend>
          <p className="hint">{t('campaigns.variablesHint')}</p>
          {names.map((name) => (
            <label key={name}>
              {t('template.variable', { n: name })}
              <input value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            </label>
          ))}
        </fieldset>
      )}
      {preview && (
        <figure className="template-preview">
          <figcaption>{t('template.preview')}</figcaption>
          <p data-testid="campaign-preview">{preview.body}</p>
        </figure>
      )}
      <fieldset>
        <legend>{t('campaigns.audience')}</legend>
        <label>{t('campaigns.labels')}<input name="labels" placeholder="clientes, vip" /></label>
        <label>
          {t('campaigns.csv')}
          <input type="file" accept=".csv,text/csv" onChange={(e) => { const file = e.target.files?.[0]; if (file) void file.text().then(setCsv); else setCsv(null); }} />
        </label>
        <p className="hint">{t('campaigns.csvHint')}</p>
        {csv && <p className="hint" data-testid="csv-columns">{t('campaigns.csvColumns', { columns: csvColumns.join(', ') || '—' })}</p>}
      </fieldset>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={busy || !template}>{t('campaigns.create')}</button>
    </form>
  );
}
