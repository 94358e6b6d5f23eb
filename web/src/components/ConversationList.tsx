import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Conversation } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useNow } from '../hooks/useNow';
import { shortTime, windowRemaining } from '../lib/window';

const ROW_HEIGHT = 76;

/** Virtualised: only the rows in view are in the DOM, so 10,000 conversations scroll like 20. */
export function ConversationList(props: { items: Conversation[]; selectedId: string | null; onSelect: (id: string) => void; onEndReached: () => void }) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  // initialRect: a first paint before the scroller is measured (and jsdom, which measures nothing).
  const virtual = useVirtualizer({ count: props.items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8, initialRect: { width: 360, height: 800 } });
  const rows = virtual.getVirtualItems();
  const last = rows.at(-1)?.index ?? 0;
  const { items, onEndReached } = props;
  useEffect(() => {
    if (items.length > 0 && last >= items.length - 10) onEndReached();
  }, [last, items.length, onEndReached]);

  if (props.items.length === 0) return <p className="placeholder">{t('inbox.empty')}</p>;
  return (
    <div ref={scroller} className="conversation-scroller">
      <ul className="conversation-list" style={{ height: virtual.getTotalSize() }} aria-label={t('inbox.heading')}>
        {rows.map((row) => {
          const conversation = props.items[row.index];
          return (
            <li key={conversation.id} style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}>
              <ConversationRow conversation={conversation} selected={conversation.id === props.selectedId} onSelect={props.onSelect} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ConversationRow({ conversation, selected, onSelect }: { conversation: Conversation; selected: boolean; onSelect: (id: string) => void }) {
  const { t, locale } = useI18n();
  const now = useNow(30_000);
  const contact = conversation.contact;
  const name = contact.name ?? contact.profileName ?? contact.phoneE164 ?? '—';
  const remaining = windowRemaining(conversation.windowExpiresAt, now);
  return (
    <button type="button" className={`conversation-row ${selected ? 'selected' : ''}`} aria-current={selected ? 'true' : undefined} onClick={() => onSelect(conversation.id)} data-testid="conversation-row">
      <span className="row-top">
        <strong className="contact-name">{name}</strong>
        <time dateTime={conversation.lastMessageAt ?? undefined}>{shortTime(conversation.lastMessageAt, locale, now)}</time>
      </span>
      <span className="row-middle">
        <span className="preview">{conversation.lastMessagePreview ?? ''}</span>
        {conversation.unreadCount > 0 && <span className="unread-badge" aria-label={t('inbox.unreadCount', { n: conversation.unreadCount })}>{conversation.unreadCount}</span>}
      </span>
      <span className="row-bottom">
        <span className={`badge ${conversation.botPaused ? 'human' : 'bot'}`}>{conversation.botPaused ? t('badge.human') : t('badge.bot')}</span>
        <span className={`window ${remaining ? 'open' : 'closed'}`}>{remaining ? t('window.open', { time: remaining }) : t('window.closed')}</span>
        {conversation.assignee && <span className="assignee">{conversation.assignee.name ?? conversation.assignee.email}</span>}
        {conversation.labels.slice(0, 3).map((label) => <span key={label} className="label">{label}</span>)}
      </span>
    </button>
  );
}
