import { type FormEvent, useState } from 'react';
import { apiKeysApi } from '../../api/admin';
import { type Role, ROLES } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { attempt, useLoad } from './useLoad';

/** The key itself is shown once, right after creation; the list only ever shows its prefix. */
export function ApiKeys() {
  const { t } = useI18n();
  const { data, error, reload, setError } = useLoad(() => apiKeysApi.list());
  const [created, setCreated] = useState<string | null>(null);
  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void attempt(async () => {
      const key = await apiKeysApi.create(String(form.get('name')), form.get('role') as Role);
      setCreated(key.key);
      formElement.reset();
    }, setError, reload);
  }
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      {created && (
        <div className="card key-once" role="status">
          <p>{t('settings.keyOnce')}</p>
          <code data-testid="new-api-key">{created}</code>
          <button type="button" onClick={() => setCreated(null)}>{t('settings.keySaved')}</button>
        </div>
      )}
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{t('settings.tab.apiKeys')}</caption>
          <thead><tr><th scope="col">{t('settings.name')}</th><th scope="col">{t('settings.prefix')}</th><th scope="col">{t('settings.role')}</th><th scope="col">{t('settings.actions')}</th></tr></thead>
          <tbody>
            {data?.data.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td><code>{key.prefix}…</code></td>
                <td>{t(`role.${key.role}`)}</td>
                <td>{key.revokedAt ? t('settings.revoked') : <button type="button" className="danger" onClick={() => void attempt(() => apiKeysApi.revoke(key.id), setError, reload)}>{t('settings.revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card" onSubmit={create} aria-labelledby="key-form-heading">
        <h3 id="key-form-heading">{t('settings.newKey')}</h3>
        <label>{t('settings.name')}<input name="name" required /></label>
        <label>{t('settings.role')}<select name="role" defaultValue="agent">{ROLES.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}</select></label>
        <button type="submit">{t('settings.create')}</button>
      </form>
    </div>
  );
}
