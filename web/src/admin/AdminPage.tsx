import type { ReactNode } from 'react';
import { LocaleSwitch } from '../components/LocaleSwitch';
import { useI18n } from '../i18n/i18n';

export interface AdminScreenProps {
  rest: string[];
  me: { role: string };
  onLogout: () => void;
}

/** The frame every admin screen shares: a heading bar like the inbox's, and a scrolling body. */
export function AdminPage({ title, onLogout, children }: { title: string; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="admin">
      <header className="topbar">
        <h1>{title}</h1>
        <LocaleSwitch />
        <button type="button" onClick={onLogout}>{t('nav.logout')}</button>
      </header>
      <main className="admin-body">{children}</main>
    </div>
  );
}
