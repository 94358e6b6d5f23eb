import { useCallback, useEffect, useState } from 'react';
import { campaignsApi } from '../api/admin';
import type { Campaign, CampaignCounts } from '../api/admin-types';
import { useI18n } from '../i18n/i18n';
import { hrefOf } from '../lib/route';
import { AdminPage, type AdminScreenProps } from './AdminPage';
import { CampaignDetailView } from './CampaignDetail';
import { CampaignForm } from './CampaignForm';
import { isLive, progressOf } from './campaign-progress';
import { usePoll } from './usePoll';

/** `#/campaigns` lists, `#/campaigns/new` creates, `#/campaigns/<id>` follows one campaign. */
export default function Campaigns({ rest, onLogout }: AdminScreenProps) {
  const { t } = useI18n();
  const [list, setList] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    campaignsApi.list().then((page) => setList(page.data), (caught: Error) => setError(caught.message));
  }, []);
  useEffect(reload, [reload]);
  usePoll(reload, 3000, Boolean(list?.some((c) => isLive(c.status))));

  const [id] = rest;
  return (
    <AdminPage title={t('campaigns.heading')} onLogout={onLogout}>
      <div className="admin-columns">
        <section aria-labelledby="campaign-list-heading" className="admin-list">
          <div className="section-head">
            <h2 id="campaign-list-heading">{t('campaigns.list')}</h2>
            <a className="button-link" href={hrefOf('campaigns', 'new')}>{t('campaigns.new')}</a>
          </div>
          {error && <p role="alert" className="error">{error}</p>}
          {list?.length === 0 && <p className="placeholder">{t('campaigns.empty')}</p>}
          <ul className="campaign-list">
            {list?.map((campaign, index) => (
              <li key={campaign.id}>
                <a href={hrefOf('campaigns', campaign.id)} aria-current={campaign.id === id ? 'true' : undefined} data-testid="campaign-row">
                  <strong>{campaign.name ?? campaign.id.slice(0, 8)}</strong>
                  <span className={`status status-${campaign.status}`}>{t(`campaign.status.${campaign.status}`)}</span>
                  {index < PROGRESS_ROWS && campaign.status !== 'draft' ? <RowProgress campaign={campaign} /> : <small>{t('campaigns.recipients', { n: campaign.totalRecipients })}</small>}
                </a>
              </li>
            ))}
          </ul>
        </section>
        <section className="admin-detail" aria-label={t('campaigns.detail')}>
          {id === 'new' ? (
            <CampaignForm onCreated={(created) => { reload(); location.hash = hrefOf('campaigns', created.id); }} />
          ) : id ? (
            <CampaignDetailView key={id} id={id} onChanged={reload} />
          ) : (
            <p className="placeholder">{t('campaigns.select')}</p>
          )}
        </section>
      </div>
    </AdminPage>
  );
}

/** The list API carries no counts, so the newest campaigns fetch their own (refreshed while they send). */
const PROGRESS_ROWS = 20;

function RowProgress({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const [counts, setCounts] = useState<CampaignCounts | null>(null);
  const load = () => { campaignsApi.get(campaign.id).then((detail) => setCounts(detail.counts), () => undefined); };
  useEffect(load, [campaign.id, campaign.status]);
  usePoll(load, 3000, isLive(campaign.status));
  if (!counts) return <small>{t('campaigns.recipients', { n: campaign.totalRecipients })}</small>;
  const progress = progressOf(counts);
  return (
    <small className="row-progress">
      {t('campaigns.progress', { done: progress.done, total: progress.total, percent: progress.percent })}
      <progress max={Math.max(progress.total, 1)} value={progress.done} aria-hidden="true" />
    </small>
  );
}
