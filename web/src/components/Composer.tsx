import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { media, messages, quickReplies } from '../api/inbox';
import type { Conversation, Message, QuickReply } from '../api/types';
import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/i18n';
import { matchQuickReplies, quickReplyQuery } from '../lib/quick-replies';
import { snippet } from '../lib/thread';
import { isWindowOpen } from '../lib/window';
import { formatBytes } from './MessageContent';
import { TemplatePicker } from './TemplatePicker';

const EMOJI = ['😊', '😂', '😍', '🙂', '😉', '😅', '🤔', '😢', '😮', '🙌', '👍', '👎', '👌', '👏', '🙏', '💪', '👋', '🤝', '🎉', '❤️', '✅', '❌', '⭐', '🔥', '📦', '🚚', '💳', '📅', '⏰', '📍'];
const ACCEPT = 'image/jpeg,image/png,image/webp,video/mp4,video/3gpp,audio/aac,audio/amr,audio/mpeg,audio/mp4,audio/ogg,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx';

interface Props {
  conversation: Conversation;
  onSent: () => void;
  replyTo?: Message | null;
  onCancelReply?: () => void;
}

/** Free text only while the 24-hour window is open; after it closes the composer is a template picker. */
export function Composer({ conversation, onSent, replyTo = null, onCancelReply }: Props) {
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
  return <TextComposer conversation={conversation} onSent={onSent} replyTo={replyTo} onCancelReply={onCancelReply} />;
}

function TextComposer({ conversation, onSent, replyTo, onCancelReply }: { conversation: Conversation; onSent: () => void; replyTo: Message | null; onCancelReply?: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [saved, setSaved] = useState<QuickReply[] | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const text = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // `/` at the start opens the saved replies; they are loaded once, on first use.
  const query = quickReplyQuery(body);
  useEffect(() => {
    if (query !== null && saved === null) quickReplies.list().then(setSaved, () => setSaved([]));
  }, [query, saved]);
  const suggestions = useMemo(() => (query === null || !saved ? [] : matchQuickReplies(saved, query)), [query, saved]);
  useEffect(() => setHighlighted(0), [query]);

  function applyQuickReply(reply: QuickReply) {
    setBody(reply.body);
    text.current?.focus();
  }

  function insertEmoji(emoji: string) {
    const box = text.current;
    const at = box?.selectionStart ?? body.length;
    setBody(body.slice(0, at) + emoji + body.slice(box?.selectionEnd ?? at));
    setEmojiOpen(false);
    box?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || (!body.trim() && !file)) return;
    setBusy(true);
    setError(null);
    try {
      const replyId = replyTo?.id;
      if (file) {
        const uploaded = await media.upload(conversation.accountId, file);
        await messages.sendMedia(conversation.id, uploaded, body.trim() || undefined, replyId);
      } else {
        await messages.sendText(conversation.id, body.trim(), replyId);
      }
      setBody('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onCancelReply?.();
      onSent();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      {replyTo && (
        <div className="reply-banner" data-testid="reply-banner">
          <span>{t('composer.replyingTo', { text: snippet(replyTo) })}</span>
          <button type="button" onClick={onCancelReply} aria-label={t('composer.cancelReply')}>×</button>
        </div>
      )}
      {suggestions.length > 0 && (
        <ul className="quick-replies" role="listbox" id="quick-replies" aria-label={t('composer.quickReplies')}>
          {suggestions.map((reply, index) => (
            <li key={reply.id} id={`quick-reply-${reply.id}`} role="option" aria-selected={index === highlighted} onMouseDown={(e) => { e.preventDefault(); applyQuickReply(reply); }}>
              <strong>/{reply.shortcut}</strong> <span>{reply.body}</span>
            </li>
          ))}
        </ul>
      )}
      {query !== null && saved !== null && suggestions.length === 0 && <p className="composer-hint" role="status">{t('composer.noQuickReplies')}</p>}
      {file && (
        <div className="attachment" data-testid="attachment">
          <span>📎 {file.name} ({formatBytes(file.size)})</span>
          <button type="button" onClick={() => { setFile(null); if (fileInput.current) fileInput.current.value = ''; }} aria-label={t('composer.removeAttachment', { name: file.name })}>×</button>
        </div>
      )}
      <div className="composer-tools">
        <button type="button" className="tool" aria-expanded={emojiOpen} aria-controls="emoji-picker" onClick={() => setEmojiOpen(!emojiOpen)} aria-label={t('composer.emoji')}>😊</button>
        <label className="tool attach" title={t('composer.attach')}>
          <span aria-hidden="true">📎</span>
          <input ref={fileInput} type="file" className="sr-only" aria-label={t('composer.attach')} accept={ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
      </div>
      {emojiOpen && (
        <div className="emoji" id="emoji-picker" role="group" aria-label={t('composer.emoji')}>
          {EMOJI.map((emoji) => (
            <button key={emoji} type="button" aria-label={`${t('composer.emoji')} ${emoji}`} onClick={() => insertEmoji(emoji)}>{emoji}</button>
          ))}
        </div>
      )}
      <label className="sr-only" htmlFor="composer-text">{t('composer.label')}</label>
      <textarea
        id="composer-text"
        ref={text}
        value={body}
        placeholder={file ? t('composer.caption') : t('composer.placeholder')}
        rows={2}
        maxLength={4096}
        role={suggestions.length > 0 ? 'combobox' : undefined}
        aria-expanded={suggestions.length > 0 ? true : undefined}
        aria-controls={suggestions.length > 0 ? 'quick-replies' : undefined}
        aria-activedescendant={suggestions[highlighted] ? `quick-reply-${suggestions[highlighted].id}` : undefined}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (suggestions.length > 0) {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setHighlighted((h) => (h + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
              return;
            }
            if (e.key === 'Enter' || e.key === 'Tab') {
              e.preventDefault();
              applyQuickReply(suggestions[highlighted]);
              return;
            }
            if (e.key === 'Escape') {
              setBody('');
              return;
            }
          }
          if (e.key === 'Enter' && !e.shiftKey) void submit(e);
        }}
      />
      <button type="submit" disabled={busy || (!body.trim() && !file)}>{t('composer.send')}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
