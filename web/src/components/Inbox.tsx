import { useCallback, useEffect, useMemo, useState } from 'react';
import { type ConversationFilters, conversations as conversationsApi, listConversations } from '../api/inbox';
import type { Conversation, Me } from '../api/types';
import { coalesce, useEvents } from '../hooks/useEvents';
import { useI18n } from '../i18n/i18n';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { Filters } from './Filters';
import { LocaleSwitch } from './LocaleSwitch';

export function unreadTitle(total: number, base: string): string {
  return total > 0 ? `(${total}) ${base}` : base;
}

export function Inbox({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<ConversationFilters>({ status: 'open' });
  const [items, setItems] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const [unread, setUnread] = useState(0);

  const reload = useCallback(() => {
    listConversations(filters, me).then((page) => {
      setItems(page.data);
      setCursor(page.nextCursor);
    }, () => undefined);
    // The organisation's total, not the loaded page's: the title counts what nobody has read yet.
    conversationsApi.unread().then((totals) => setUnread(totals.messages), () => undefined);
  }, [filters, me]);
  useEffect(reload, [reload]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    const from = cursor;
    setCursor(null);
    listConversations(filters, me, from).then((page) => {
      setItems((previous) => [...previous, ...page.data]);
      setCursor(page.nextCursor);
    }, () => setCursor(from));
  }, [cursor, filters, me]);

  const refresh = useMemo(() => coalesce(() => {
    reload();
    setVersion((v) => v + 1);
  }, 150), [reload]);
  useEvents(() => refresh());

  useEffect(() => {
    document.title = unreadTitle(unread, t('app.title'));
  }, [unread, t]);

  const selected = items.find((c) => c.id === selectedId) ?? null;
  return (
    <div className={`shell ${selectedId ? 'has-selection' : ''}`}>
      <header className="topbar">
        <h1>{t('inbox.heading')}</h1>
        <span className="unread-total" aria-live="polite">{t('inbox.unreadCount', { n: unread })}</span>
        <LocaleSwitch />
        <button type="button" onClick={onLogout}>{t('nav.logout')}</button>
      </header>
      <section className="list-pane" aria-label={t('inbox.heading')}>
        <Filters value={filters} onChange={setFilters} />
        <ConversationList items={items} selectedId={selectedId} onSelect={setSelectedId} onEndReached={loadMore} />
      </section>
      <section className="thread-pane" aria-label={t('thread.messages')}>
        {selectedId ? (
          <ConversationView key={selectedId} id={selectedId} summary={selected} me={me} version={version} onBack={() => setSelectedId(null)} onChanged={refresh} />
        ) : (
          <p className="placeholder">{t('inbox.select')}</p>
        )}
      </section>
    </div>
  );
}
