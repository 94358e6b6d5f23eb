import { useEffect, useMemo, useRef, useState } from 'react';
import { messages as messagesApi } from '../api/inbox';
import type { Message } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ticksFor } from '../lib/ticks';
import { shortTime } from '../lib/window';
import { MessageContent } from './MessageContent';
import { groupReactions, snippet } from '../lib/thread';

export function Thread({ messages, onRetried, onReply }: { messages: Message[] | null; onRetried: () => void; onReply?: (message: Message) => void }) {
  const { t } = useI18n();
  const end = useRef<HTMLLIElement>(null);
  // Braces matter: newer Chromium returns a Promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages?.length]);
  const grouped = useMemo(() => groupReactions(messages ?? []), [messages]);
  const byId = useMemo(() => new Map((messages ?? []).map((message) => [message.id, message])), [messages]);
  if (!messages) return <p className="placeholder">{t('thread.loading')}</p>;
  return (
    <ol className="thread" aria-label={t('thread.messages')} aria-live="polite">
      {grouped.visible.map((message) => (
        <MessageBubble
          key={message.id}
          message={message}
          quoted={message.replyToMessageId ? (byId.get(message.replyToMessageId) ?? null) : null}
          reactions={grouped.reactions.get(message.id)}
          onRetried={onRetried}
          onReply={onReply}
        />
      ))}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}

function author(message: Message): 'thread.by.bot' | 'thread.by.campaign' | 'thread.by.agent' | null {
  if (message.direction === 'inbound') return null;
  if (message.isAi || message.agentName) return 'thread.by.bot';
  return message.kind === 'initial' || message.kind === 'follow_up' || message.kind === 'reminder' ? 'thread.by.campaign' : 'thread.by.agent';
}

interface BubbleProps {
  message: Message;
  onRetried: () => void;
  /** The message this one answers, when it is in the loaded thread. */
  quoted?: Message | null;
  reactions?: Array<{ emoji: string; direction: Message['direction'] }>;
  onReply?: (message: Message) => void;
}

export function MessageBubble({ message, onRetried, quoted, reactions, onReply }: BubbleProps) {
  const { t, locale } = useI18n();
  const [retrying, setRetrying] = useState(false);
  const by = author(message);
  const ticks = ticksFor(message.status);

  async function retry() {
    setRetrying(true);
    try {
      await messagesApi.retry(message.id);
      onRetried();
    } finally {
      setRetrying(false);
    }
  }

  return (
    <li id={`message-${message.id}`} className={`bubble ${message.direction}`} data-testid="message" data-status={message.status}>
      {by && <span className="author">{by === 'thread.by.bot' && message.agentName ? `${t(by)} · ${message.agentName}` : t(by)}</span>}
      {message.replyToMessageId &&
        (quoted ? (
          <a className="quote" href={`#message-${quoted.id}`} data-testid="quote">
            <span className="sr-only">{t('thread.reply')}: </span>
            {snippet(quoted) || t('thread.reply')}
          </a>
        ) : (
          <span className="quote">↩ {t('thread.reply')}</span>
        ))}
      <MessageContent message={message} />
      <span className="meta">
        {reactions && reactions.length > 0 && (
          <span className="reactions" data-testid="reactions" role="img" aria-label={t('thread.reactions', { list: reactions.map((r) => r.emoji).join(' ') })}>
            {reactions.map((reaction, index) => <span key={index} aria-hidden="true">{reaction.emoji}</span>)}
          </span>
        )}
        <time dateTime={message.occurredAt}>{shortTime(message.occurredAt, locale)}</time>
        {message.direction === 'outbound' && (
          <span className={`ticks ${ticks.tone}`} role="img" aria-label={t(`status.${message.status}`)} title={t(`status.${message.status}`)} data-testid="ticks">
            {ticks.glyph}
          </span>
        )}
        {onReply && message.providerMessageId !== null && message.status !== 'failed' && (
          <button type="button" className="reply-button" onClick={() => onReply(message)} aria-label={t('thread.replyTo', { text: snippet(message).slice(0, 40) })}>↩</button>
        )}
      </span>
      {message.status === 'failed' && (
        <span className="failure" role="alert">
          {t('thread.failed', { error: [message.errorCode, message.errorTitle].filter(Boolean).join(' · ') || '—' })}
          <button type="button" onClick={() => void retry()} disabled={retrying}>{t('thread.retry')}</button>
        </span>
      )}
    </li>
  );
}
