import { useI18n } from '../i18n/i18n';

/** A labelled horizontal bar list: the numbers are text (screen readers and copy-paste get them), the bars are decoration. */
export function Bars({ label, rows, format = String }: { label: string; rows: Array<{ name: string; value: number }>; format?: (value: number) => string }) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((row) => row.value));
  return (
    <figure className="bars">
      <figcaption>{label}</figcaption>
      {rows.length === 0 && <p className="hint">{t('analytics.noData')}</p>}
      <ul>
        {rows.map((row) => (
          <li key={row.name}>
            <span className="bar-name">{row.name}</span>
            <span className="bar-track" aria-hidden="true"><span className="bar-fill" style={{ width: `${(row.value / max) * 100}%` }} /></span>
            <span className="bar-value">{format(row.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** Seconds as the largest sensible unit: 45 s, 12 min, 3.5 h. */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}
