import { lazy, Suspense, useEffect, useState } from 'react';
import { session } from './api/inbox';
import type { Me } from './api/types';
import { AppNav } from './components/AppNav';
import { Inbox } from './components/Inbox';
import { Login } from './components/Login';
import { useI18n } from './i18n/i18n';
import { type Section, useRoute } from './lib/route';

// The admin screens are separate chunks: the inbox route downloads none of them.
const Campaigns = lazy(() => import('./admin/Campaigns'));
const Analytics = lazy(() => import('./admin/Analytics'));
const Settings = lazy(() => import('./admin/Settings'));

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    session.me().then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return null;
  if (me === null) return <Login onLoggedIn={() => session.me().then(setMe)} />;
  return <Shell me={me} onLogout={() => session.logout().finally(() => setMe(null))} />;
}

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const { t } = useI18n();
  const route = useRoute();
  return (
    <div className="app">
      <AppNav current={route.section} />
      <div className="app-content">
        {route.section === 'inbox' ? (
          <Inbox me={me} onLogout={onLogout} />
        ) : (
          <Suspense fallback={<p className="placeholder">{t('thread.loading')}</p>}>
            <AdminScreen section={route.section} rest={route.rest} me={me} onLogout={onLogout} />
          </Suspense>
        )}
      </div>
    </div>
  );
}

function AdminScreen({ section, rest, me, onLogout }: { section: Exclude<Section, 'inbox'>; rest: string[]; me: Me; onLogout: () => void }) {
  if (section === 'campaigns') return <Campaigns rest={rest} me={me} onLogout={onLogout} />;
  if (section === 'analytics') return <Analytics rest={rest} me={me} onLogout={onLogout} />;
  return <Settings rest={rest} me={me} onLogout={onLogout} />;
}
