import { type FormEvent, useState } from 'react';
import { session } from '../api/inbox';
import { useI18n } from '../i18n/i18n';
import { LocaleSwitch } from './LocaleSwitch';

export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      await session.login(String(form.get('email')), String(form.get('password')));
      onLoggedIn();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-heading">
        <h1 id="login-heading">{t('login.heading')}</h1>
        <label>
          {t('login.email')}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {failed && <p role="alert" className="error">{t('login.failed')}</p>}
        <button type="submit" disabled={busy}>{t('login.submit')}</button>
        <LocaleSwitch />
      </form>
    </main>
  );
}
