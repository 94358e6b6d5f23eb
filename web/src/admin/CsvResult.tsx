import type { CsvImportResult } from '../api/admin-types';
import { useI18n } from '../i18n/i18n';

/** What the API answered for an uploaded CSV: counts, the first rows as they will be sent, and each rejected line. */
export function CsvResult({ result }: { result: CsvImportResult }) {
  const { t } = useI18n();
  return (
    <div className="csv-result" data-testid="csv-result">
      <p>{t('campaigns.csvCounts', { accepted: result.accepted, duplicates: result.duplicates, invalid: result.invalid, total: result.total })}</p>
      {result.preview.length > 0 && (
        <table>
          <caption>{t('campaigns.csvPreview')}</caption>
          <thead><tr><th scope="col">{t('campaigns.line')}</th><th scope="col">{t('campaigns.phone')}</th><th scope="col">{t('campaigns.variables')}</th></tr></thead>
          <tbody>
            {result.preview.map((row) => (
              <tr key={row.line}><td>{row.line}</td><td>{row.phone}</td><td>{row.variables ? JSON.stringify(row.variables) : ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {result.errors.length > 0 && (
        <table className="row-errors">
          <caption>{t('campaigns.csvErrors')}</caption>
          <thead><tr><th scope="col">{t('campaigns.line')}</th><th scope="col">{t('campaigns.error')}</th></tr></thead>
          <tbody>
            {result.errors.map((row) => <tr key={row.line}><td>{row.line}</td><td>{row.error}</td></tr>)}
          </tbody>
        </table>
      )}
    </div>
  );
}
