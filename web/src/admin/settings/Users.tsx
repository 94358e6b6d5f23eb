import type { FormEvent } from 'react';
import { usersApi } from '../../api/admin';
import { type Role, ROLES } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { attempt, useLoad } from './useLoad';

export function Users() {
  const { t } = useI18n();
  const { data, error, reload, setError } = useLoad(() => usersApi.list());
  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void attempt(() => usersApi.create({ email: String(form.get('email')), password: String(form.get('password')), name: String(form.get('name')) || undefined, role: form.get('role') as Role }), setError, () => { formElement.reset(); reload(); });
  }
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{t('settings.tab.users')}</caption>
          <thead><tr><th scope="col">{t('login.email')}</th><th scope="col">{t('settings.name')}</th><th scope="col">{t('settings.role')}</th><th scope="col">{t('settings.active')}</th></tr></thead>
          <tbody>
            {data?.data.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name}</td>
                <td>
                  <select aria-label={t('settings.roleOf', { email: user.email })} value={user.role} onChange={(e) => void attempt(() => usersApi.update(user.id, { role: e.target.value as Role }), setError, reload)}>
                    {ROLES.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}
                  </select>
                </td>
                <td><input type="checkbox" aria-label={t('settings.activeOf', { email: user.email })} checked={user.isActive} onChange={(e) => void attempt(() => usersApi.update(user.id, { isActive: e.target.checked }), setError, reload)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card" onSubmit={create} aria-labelledby="user-form-heading">
        <h3 id="user-form-heading">{t('settings.newUser')}</h3>
        <label>{t('login.email')}<input name="email" type="email" required autoComplete="off" /></label>
        <label>{t('settings.name')}<input name="name" /></label>
        <label>{t('login.password')}<input name="password" type="password" required minLength={8} autoComplete="new-password" /></label>
        <label>{t('settings.role')}<select name="role" defaultValue="agent">{ROLES.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}</select></label>
        <button type="submit">{t('settings.create')}</button>
      </form>
    </div>
  );
}
