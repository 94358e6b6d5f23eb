import { useI18n } from '../i18n/i18n';
import { hrefOf } from '../lib/route';
import { AdminPage, type AdminScreenProps } from './AdminPage';
import { Accounts } from './settings/Accounts';
import { Agents } from './settings/Agents';
import { ApiKeys } from './settings/ApiKeys';
import { Flows } from './settings/Flows';
import { Templates } from './settings/Templates';
import { Users } from './settings/Users';
import { Webhooks } from './settings/Webhooks';

export const SETTINGS_TABS = ['accounts', 'templates', 'agents', 'flows', 'users', 'apiKeys', 'webhooks'] as const;
type Tab = (typeof SETTINGS_TABS)[number];
const PANELS: Record<Tab, () => React.JSX.Element | null> = { accounts: Accounts, templates: Templates, agents: Agents, flows: Flows, users: Users, apiKeys: ApiKeys, webhooks: Webhooks };

/** `#/settings/<tab>`: one panel at a time, chosen by links so each is bookmarkable. */
export default function Settings({ rest, onLogout }: AdminScreenProps) {
  const { t } = useI18n();
  const tab: Tab = (SETTINGS_TABS as readonly string[]).includes(rest[0]) ? (rest[0] as Tab) : 'accounts';
  const Panel = PANELS[tab];
  return (
    <AdminPage title={t('settings.heading')} onLogout={onLogout}>
      <nav className="sub-nav" aria-label={t('settings.heading')}>
        <ul>
          {SETTINGS_TABS.map((name) => (
            <li key={name}><a href={hrefOf('settings', name)} aria-current={name === tab ? 'page' : undefined}>{t(`settings.tab.${name}`)}</a></li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="settings-panel-heading" className="settings-panel">
        <h2 id="settings-panel-heading">{t(`settings.tab.${tab}`)}</h2>
        <Panel />
      </section>
    </AdminPage>
  );
}
