import { useCallback, useEffect, useState } from 'react';
import { conversations } from '../api/inbox';
import type { Conversation, Me, Message } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Actions } from './Actions';
import { Composer } from './Composer';
import { ContactPanel } from './ContactPanel';
import { Thread } from './Thread';

interface Props {
  id: string;
  summary: Conversation | null;
  me: Me;
  /** Bumped by the inbox on every live event: refetch. */
  version: number;
  onBack: () => void;
  onChanged: () => void;
}

export function ConversationView({ id, summary, me, version, onBack, onChanged }: Props) {
  const { t } = useI18n();
  const [conversation, setConversation] = useState<Conversation | null>(summary);
  const [thread, setThread] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<Message | null>(null);

  const load = useCallback(async () => {
    try {
      const [fresh, page] = await Promise.all([conversations.get(id), conversations.messages(id)]);
      setConversation(fresh);
      setThread([...page.data].reverse());
      if (fresh.unreadCount > 0) await conversations.read(id).then(onChanged, () => undefined);
    } catch (caught) {
      setError((caught as Error).message);
    }
  }, [id, onChanged]);
  useEffect(() => void load(), [load, version]);

  const changed = useCallback(
    (next?: Conversation) => {
      if (next) setConversation(next);
      onChanged();
      void load();
    },
    [load, onChanged],
  );

  if (!conversation) return <p className="placeholder">{error ?? t('thread.loading')}</p>;
  const contact = conversation.contact;
  return (
    <div className="conversation">
      <header className="conversation-header">
        <button type="button" className="back" onClick={onBack} aria-label={t('inbox.back')}>←</button>
        <h2>{contact.name ?? contact.profileName ?? contact.phoneE164}</h2>
        <Actions conversation={conversation} me={me} onChanged={changed} />
      </header>
      <div className="conversation-body">
        <div className="conversation-main">
          {error && <p role="alert" className="error">{t('error.generic', { message: error })}</p>}
          <Thread messages={thread} onRetried={() => void load()} onReply={setReplyTo} />
          <Composer conversation={conversation} onSent={() => void load()} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} />
        </div>
        <ContactPanel
          conversation={conversation}
          me={me}
          onChanged={changed}
          onErased={() => {
            onBack();
            onChanged();
          }}
        />
      </div>
    </div>
  );
}
