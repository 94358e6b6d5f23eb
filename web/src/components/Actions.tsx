import { useState } from 'react';
import { conversations } from '../api/inbox';
import type { Conversation, Me } from '../api/types';
import { type MessageKey, useI18n } from '../i18n/i18n';

type Action = { label: MessageKey; run: () => Promise<unknown> };

export function Actions({ conversation, me, onChanged }: { conversation: Conversation; me: Me; onChanged: (next?: Conversation) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const id = conversation.id;
  const mine = conversation.assignee?.id === me.id;
  const actions: Action[] = [
    conversation.status === 'open' ? { label: 'actions.close', run: () => conversations.close(id) } : { label: 'actions.reopen', run: () => conversations.reopen(id) },
    conversation.botPaused ? { label: 'actions.resumeBot', run: () => conversations.resumeBot(id) } : { label: 'actions.pauseBot', run: () => conversations.pauseBot(id) },
    { label: 'actions.resetFlow', run: () => conversations.resetFlow(id) },
  ];
  if (me.kind === 'user') actions.unshift(mine ? { label: 'actions.unassign', run: () => conversations.assign(id, null) } : { label: 'actions.assignMe', run: () => conversations.assign(id, me.id) });

  async function run(action: Action) {
    setError(null);
    try {
      const result = await action.run();
      onChanged((result as Conversation | undefined)?.id ? (result as Conversation) : undefined);
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  return (
    <div className="actions" role="toolbar" aria-label={t('actions.heading')}>
      {actions.map((action) => (
        <button key={action.label} type="button" onClick={() => void run(action)}>{t(action.label)}</button>
      ))}
      {error && <span role="alert" className="error">{error}</span>}
    </div>
  );
}
