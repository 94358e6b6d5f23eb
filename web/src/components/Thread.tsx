import { useEffect, useRef, useState } from 'react';
import { messages as messagesApi } from '../api/inbox';
import type { Message } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ticksFor } from '../lib/ticks';
import { shortTime } from '../lib/window';
import { MessageContent } from './MessageContent';

export function Thread({ messages, onRetried }: { messages: Message[] | null; onRetried: () => void }) {
  const { t } = useI18n();
  const end = useRef<HTMLLIElement>(null);
  // Braces matter: newer Chromium returns a Promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages?.length]);
  if (!messages) return <p className="placeholder">{t('thread.loading')}</p>;
  return (
    <ol className="thread" aria-label={t('thread.messages')} aria-live="polite">
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} onRetried={onRetried} />
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

export function MessageBubble({ message, onRetried }: { message: Message; onRetried: () => void }) {
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
    <li className={`bubble ${message.direction}`} data-testid="message" data-status={message.status}>
      {by && <span className="author">{by === 'thread.by.bot' && message.agentName ? `${t(by)} · ${message.agentName}` : t(by)}</span>}
      {message.replyToMessageId && <span className="quote">↩ {t('thread.reply')}</span>}
      <MessageContent message={message} />
      <span className="meta">
        <time dateTime={message.occurredAt}>{shortTime(message.occurredAt, locale)}</time>
        {message.direction === 'outbound' && (
          <span className={`ticks ${ticks.tone}`} role="img" aria-label={t(`status.${message.status}`)} title={t(`status.${message.status}`)} data-testid="ticks">
            {ticks.glyph}
          </span>
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
