import { useCallback, useEffect, useState } from 'react';
import { campaignsApi } from '../api/admin';
import { type CampaignDetail, RECIPIENT_STATUSES, type Recipient } from '../api/admin-types';
import { useI18n } from '../i18n/i18n';
import { actionsFor, isLive, progressOf } from './campaign-progress';
import { usePoll } from './usePoll';

/** One campaign: live progress (polled while it sends), its controls, and every recipient's outcome with the reason. */
export function CampaignDetailView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useI18n();
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    campaignsApi.get(id).then(setCampaign, (caught: Error) => setError(caught.message));
  }, [id]);
  useEffect(load, [load]);
  // Delivered, read and replied keep changing after the last send, so a finished campaign is still refreshed, slowly.
  const live = Boolean(campaign && isLive(campaign.status));
  usePoll(load, live ? 1500 : 5000, Boolean(campaign && campaign.status !== 'draft'));

  async function act(action: 'start' | 'pause' | 'resume' | 'cancel') {
    setBusy(true);
    setError(null);
    try {
      await campaignsApi[action](id);
      load();
      onChanged();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!campaign) return error ? <p role="alert" className="error">{error}</p> : <p className="placeholder">{t('thread.loading')}</p>;
  const progress = progressOf(campaign.counts);
  const reasons = { ...campaign.counts.failedByCode, ...campaign.counts.skippedByReason };
  return (
    <article className="campaign-detail" aria-labelledby="campaign-heading">
      <h2 id="campaign-heading">{campaign.name}</h2>
      <p>
        <span className={`status status-${campaign.status}`} data-testid="campaign-status">{t(`campaign.status.${campaign.status}`)}</span>
        {campaign.content?.template && <span className="template-name">{` ${campaign.content.template.name} (${campaign.content.template.language})`}</span>}
      </p>
      <label className="progress">
        {t('campaigns.progress', { done: progress.done, total: progress.total, percent: progress.percent })}
        <progress max={Math.max(progress.total, 1)} value={progress.done} data-testid="campaign-progress" />
      </label>
      <dl className="counts">
        {(['pending', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'expired', 'cancelled', 'optedOut'] as const).map((key) => (
          <div key={key}><dt>{t(`campaign.count.${key}`)}</dt><dd data-testid={`count-${key}`}>{campaign.counts[key]}</dd></div>
        ))}
      </dl>
      {Object.keys(reasons).length > 0 && (
        <ul className="reasons" aria-label={t('campaigns.reasons')}>
          {Object.entries(reasons).map(([reason, n]) => <li key={reason}><code>{reason}</code>: {n}</li>)}
        </ul>
      )}
      <div className="actions">
        {actionsFor(campaign.status).map((action) => (
          <button key={action} type="button" disabled={busy} onClick={() => void act(action)} className={action === 'cancel' ? 'danger' : undefined}>
            {t(`campaigns.action.${action}`)}
          </button>
        ))}
        <a className="button-link" href={campaignsApi.csvHref(id)} download>{t('campaigns.export')}</a>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <Recipients id={id} version={campaign.counts} />
    </article>
  );
}

function Recipients({ id, version }: { id: string; version: unknown }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [rows, setRows] = useState<Recipient[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    campaignsApi.recipients(id, { status, reason: reason.trim() }).then((page) => { setRows(page.data); setError(null); }, (caught: Error) => setError(caught.message));
  }, [id, status, reason, version]);
  return (
    <section aria-labelledby="recipients-heading">
      <h3 id="recipients-heading">{t('campaigns.recipientsHeading')}</h3>
      <div className="inline-form">
        {/* Labels by id, not wrapping: a wrapped select's options would become part of its accessible name. */}
        <label htmlFor="recipient-status">{t('campaigns.filterStatus')}</label>
        <select id="recipient-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('filter.all')}</option>
          {RECIPIENT_STATUSES.map((value) => <option key={value} value={value}>{t(`recipient.status.${value}`)}</option>)}
        </select>
        <label htmlFor="recipient-reason">{t('campaigns.filterReason')}</label>
        <input id="recipient-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="131026" />
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="table-scroll">
        <table className="recipients">
          <thead><tr><th scope="col">{t('campaigns.phone')}</th><th scope="col">{t('campaigns.state')}</th><th scope="col">{t('campaigns.reason')}</th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="recipient-row">
                <td>{row.phone}</td>
                <td>{t(`recipient.status.${row.status as (typeof RECIPIENT_STATUSES)[number]}`)}{row.messageStatus ? ` · ${row.messageStatus}` : ''}</td>
                <td>{row.reason ? `${row.reason}${row.reasonMessage ? ` · ${row.reasonMessage}` : ''}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="placeholder">{t('campaigns.noRecipients')}</p>}
    </section>
  );
}
