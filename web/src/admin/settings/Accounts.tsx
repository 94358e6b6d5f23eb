import { type FormEvent, useState } from 'react';
import { accountsApi } from '../../api/admin';
import type { Account } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { formatWeekly, parseWeekly, WEEKDAYS } from './business-hours';
import { attempt, useLoad } from './useLoad';

export function Accounts() {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => accountsApi.list());
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      {data?.data.map((account) => <AccountCard key={account.id} account={account} onSaved={reload} />)}
      {data?.data.length === 0 && <p className="placeholder">{t('settings.none')}</p>}
    </div>
  );
}

function AccountCard({ account, onSaved }: { account: Account; onSaved: () => void }) {
  const { t } = useI18n();
  const [hours, setHours] = useState(() => formatWeekly(account.businessHours?.weekly));
  const [timezone, setTimezone] = useState(account.timezone);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const id = account.id.slice(0, 8);

  function save(event: FormEvent) {
    event.preventDefault();
    const weekly = parseWeekly(hours);
    if (!weekly.ok) return setError(t('settings.hoursInvalid', { day: t(`weekday.${weekly.day}`) }));
    void attempt(() => accountsApi.update(account.id, { timezone, businessHours: { ...account.businessHours, weekly: weekly.value } }), setError, () => { setStatus(t('settings.saved')); onSaved(); });
  }
  function test() {
    setStatus(null);
    void attempt(async () => {
      const health = await accountsApi.test(account.id);
      setStatus(health.ok ? t('settings.testOk', { ms: health.latencyMs }) : t('settings.testFailed', { error: health.error ?? '' }));
    }, setError);
  }

  return (
    <form className="card" onSubmit={save} aria-labelledby={`account-${id}`}>
      <h3 id={`account-${id}`}>{`${account.name} · ${account.displayPhoneNumber ?? ''}`} <small>{account.provider}{account.isDefault ? ` · ${t('settings.default')}` : ''}</small></h3>
      <label>{t('settings.timezone')}<input value={timezone} onChange={(e) => setTimezone(e.target.value)} required /></label>
      <fieldset className="hours">
        <legend>{t('settings.businessHours')}</legend>
        {WEEKDAYS.map((day) => (
          <label key={day}>
            {t(`weekday.${day}`)}
            <input value={hours[day]} placeholder="09:00-18:00" onChange={(e) => setHours({ ...hours, [day]: e.target.value })} />
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit">{t('settings.save')}</button>
        <button type="button" onClick={test}>{t('settings.testConnection')}</button>
      </div>
      {status && <p role="status">{status}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
