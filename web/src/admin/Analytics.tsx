import { useEffect, useState } from 'react';
import { analyticsApi, campaignsApi, type Range } from '../api/admin';
import type { Campaign, CampaignVariantRow, Overview, TemplateRow } from '../api/admin-types';
import { useI18n } from '../i18n/i18n';
import { AdminPage, type AdminScreenProps } from './AdminPage';
import { Bars, duration, percent } from './Bars';

const DAY = 86_400_000;
export const rangeOf = (days: number, now = Date.now()): Range => ({ from: new Date(now - days * DAY).toISOString() });

interface Reports {
  overview: Overview;
  buckets: Array<{ bucket: string; conversations: number }>;
  templates: TemplateRow[];
  window: { conversations: number; windowExpired: number; share: number | null };
}

export default function Analytics({ onLogout }: AdminScreenProps) {
  const { t } = useI18n();
  const [days, setDays] = useState(30);
  const [reports, setReports] = useState<Reports | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const range = rangeOf(days);
    Promise.all([analyticsApi.overview(range), analyticsApi.distribution(range), analyticsApi.templates(range), analyticsApi.window(range)]).then(
      ([overview, distribution, templates, window]) => { setReports({ overview, buckets: distribution.buckets, templates: templates.data, window }); setError(null); },
      (caught: Error) => setError(caught.message),
    );
  }, [days]);

  return (
    <AdminPage title={t('analytics.heading')} onLogout={onLogout}>
      <label className="range">
        {t('analytics.range')}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 30, 90].map((n) => <option key={n} value={n}>{t('analytics.lastDays', { n })}</option>)}
        </select>
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      {reports && <ReportsView reports={reports} />}
      <CampaignRates />
    </AdminPage>
  );
}

function ReportsView({ reports: { overview, buckets, templates, window } }: { reports: Reports }) {
  const { t } = useI18n();
  const kpis: Array<[string, string]> = [
    [t('analytics.opened'), String(overview.conversations.opened)],
    [t('analytics.resolved'), String(overview.conversations.resolved)],
    [t('analytics.inbound'), String(overview.messages.inbound)],
    [t('analytics.outbound'), String(overview.messages.outbound)],
    [t('analytics.firstResponse'), `${duration(overview.firstResponseSeconds.median)} · p90 ${duration(overview.firstResponseSeconds.p90)}`],
    [t('analytics.resolution'), `${duration(overview.resolutionSeconds.median)} · p90 ${duration(overview.resolutionSeconds.p90)}`],
    [t('analytics.handoffRate'), percent(overview.handoffRate)],
    [t('analytics.autoResolution'), percent(overview.autoResolutionRate)],
    [t('analytics.windowExpired'), `${percent(window.share)} (${window.windowExpired}/${window.conversations})`],
  ];
  return (
    <div className="analytics">
      <dl className="kpis" data-testid="kpis">
        {kpis.map(([name, value]) => <div key={name}><dt>{name}</dt><dd>{value}</dd></div>)}
      </dl>
      <div className="charts">
        <Bars label={t('analytics.inboundPerDay')} rows={overview.series.map((day) => ({ name: day.day, value: day.inbound }))} />
        <Bars label={t('analytics.outboundPerDay')} rows={overview.series.map((day) => ({ name: day.day, value: day.outbound }))} />
        <Bars label={t('analytics.firstResponseBuckets')} rows={buckets.map((b) => ({ name: b.bucket, value: b.conversations }))} />
        <Bars label={t('analytics.templateReadRate')} rows={templates.map((row) => ({ name: `${row.templateName} (${row.language})`, value: row.readRate ?? 0 }))} format={percent} />
      </div>
      {templates.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>{t('analytics.templates')}</caption>
            <thead><tr><th scope="col">{t('campaigns.template')}</th><th scope="col">{t('analytics.sends')}</th><th scope="col">{t('analytics.delivered')}</th><th scope="col">{t('analytics.read')}</th><th scope="col">{t('analytics.failed')}</th></tr></thead>
            <tbody>
              {templates.map((row) => (
                <tr key={`${row.templateName}-${row.language}`}><td>{`${row.templateName} (${row.language})`}</td><td>{row.sends}</td><td>{percent(row.deliveredRate)}</td><td>{percent(row.readRate)}</td><td>{row.failed}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Delivered, read and replied rates per variant of the chosen campaign. */
function CampaignRates() {
  const { t } = useI18n();
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [id, setId] = useState('');
  const [rows, setRows] = useState<CampaignVariantRow[] | null>(null);
  useEffect(() => {
    campaignsApi.list().then((page) => { setCampaigns(page.data); setId(page.data[0]?.id ?? ''); }, () => undefined);
  }, []);
  useEffect(() => {
    if (id) analyticsApi.campaign(id).then((report) => setRows(report.data), () => setRows(null));
  }, [id]);
  if (campaigns.length === 0) return null;
  return (
    <section aria-labelledby="campaign-rates-heading" className="campaign-rates">
      <h2 id="campaign-rates-heading">{t('analytics.campaignRates')}</h2>
      <label>
        {t('analytics.campaign')}
        <select value={id} onChange={(e) => setId(e.target.value)}>
          {campaigns.map((campaign) => <option key={campaign.id} value={campaign.id}>{campaign.name ?? campaign.id}</option>)}
        </select>
      </label>
      {rows?.map((row) => (
        <Bars key={row.variant} label={`${row.variant} · ${t('campaigns.recipients', { n: row.recipients })}`} format={percent}
          rows={[{ name: t('analytics.delivered'), value: row.deliveredRate ?? 0 }, { name: t('analytics.read'), value: row.readRate ?? 0 }, { name: t('analytics.replied'), value: row.repliedRate ?? 0 }]} />
      ))}
    </section>
  );
}
