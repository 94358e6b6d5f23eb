import { useEffect, useState } from 'react';
import type { ConversationFilters } from '../api/inbox';
import { useI18n } from '../i18n/i18n';

type Toggle = 'unread' | 'mine' | 'unassigned' | 'botPaused';
const TOGGLES: Array<[Toggle, 'filter.unread' | 'filter.mine' | 'filter.unassigned' | 'filter.botPaused']> = [
  ['unread', 'filter.unread'],
  ['mine', 'filter.mine'],
  ['unassigned', 'filter.unassigned'],
  ['botPaused', 'filter.botPaused'],
];
// "Mine" and "unassigned" exclude each other.
const EXCLUSIVE: Partial<Record<Toggle, Toggle>> = { mine: 'unassigned', unassigned: 'mine' };

export function Filters({ value, onChange }: { value: ConversationFilters; onChange: (next: ConversationFilters) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState(value.q ?? '');
  // Search as the agent types, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => (q !== (value.q ?? '') ? onChange({ ...value, q }) : undefined), 300);
    return () => clearTimeout(timer);
  }, [q, value, onChange]);

  return (
    <div className="filters" role="group" aria-label={t('filter.label')}>
      <input type="search" aria-label={t('inbox.search')} placeholder={t('inbox.search')} value={q} onChange={(e) => setQ(e.target.value)} />
      <label>
        <span className="sr-only">{t('filter.status')}</span>
        <select value={value.status ?? ''} onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as ConversationFilters['status'] })}>
          <option value="open">{t('filter.open')}</option>
          <option value="closed">{t('filter.closed')}</option>
          <option value="">{t('filter.all')}</option>
        </select>
      </label>
      {TOGGLES.map(([key, label]) => (
        <button key={key} type="button" className="chip" aria-pressed={Boolean(value[key])} onClick={() => onChange({ ...value, [key]: !value[key], ...(EXCLUSIVE[key] && !value[key] ? { [EXCLUSIVE[key]]: false } : {}) })}>
          {t(label)}
        </button>
      ))}
      <input type="text" className="label-filter" aria-label={t('filter.labelName')} placeholder={t('filter.labelName')} value={value.label ?? ''} onChange={(e) => onChange({ ...value, label: e.target.value })} />
      <input type="text" className="label-filter" aria-label={t('filter.flowState')} placeholder={t('filter.flowState')} value={value.flowState ?? ''} onChange={(e) => onChange({ ...value, flowState: e.target.value })} maxLength={100} />
    </div>
  );
}
