import { useEffect, useState } from 'react';
import { session } from './api/inbox';
import type { Me } from './api/types';
import { Inbox } from './components/Inbox';
import { Login } from './components/Login';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    session.me().then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return null;
  if (me === null) return <Login onLoggedIn={() => session.me().then(setMe)} />;
  return <Inbox me={me} onLogout={() => session.logout().finally(() => setMe(null))} />;
}
