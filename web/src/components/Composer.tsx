import { type FormEvent, useState } from 'react';
import { messages } from '../api/inbox';
import type { Conversation } from '../api/types';
import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/i18n';
import { isWindowOpen } from '../lib/window';
import { TemplatePicker } from './TemplatePicker';

const EMOJI = ['😊', '👍', '🙏', '🎉', '❤️', '👋'];

/** Free text only while the 24-hour window is open; after it closes the composer is a template picker. */
export function Composer({ conversation, onSent }: { conversation: Conversation; onSent: () => void }) {
  const { t } = useI18n();
  const now = useNow(15_000);
  if (conversation.contact.optedOutAt) return <p className="composer-note" role="status">{t('composer.optedOut')}</p>;
  if (!isWindowOpen(conversation.windowExpiresAt, now)) {
    return (
      <div className="composer closed">
        <p className="composer-note" role="status">{t('composer.windowClosed')}</p>
        <TemplatePicker conversation={conversation} onSent={onSent} />
      </div>
    );
  }
  return <TextComposer conversationId={conversation.id} onSent={onSent} />;
}

function TextComposer({ conversationId, onSent }: { conversationId: string; onSent: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await messages.sendText(conversationId, body.trim());
      setBody('');
      onSent();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <div className="emoji" role="group" aria-label={t('composer.emoji')}>
        {EMOJI.map((emoji) => (
          <button key={emoji} type="button" aria-label={`${t('composer.emoji')} ${emoji}`} onClick={() => setBody((b) => b + emoji)}>{emoji}</button>
        ))}
      </div>
      <label className="sr-only" htmlFor="composer-text">{t('composer.label')}</label>
      <textarea
        id="composer-text"
        value={body}
        placeholder={t('composer.label')}
        rows={2}
        maxLength={4096}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) void submit(e);
        }}
      />
      <button type="submit" disabled={busy || !body.trim()}>{t('composer.send')}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
