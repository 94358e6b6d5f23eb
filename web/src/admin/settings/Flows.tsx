import { useState } from 'react';
import { agentsApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import { useLoad } from './useLoad';

/** The conversation flows and their states (read only: editing a flow's definition stays in the API). */
export function Flows() {
  const { t } = useI18n();
  const { data, error } = useLoad(() => agentsApi.flows());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      <ul className="card-list">
        {data?.data.map((flow) => (
          <li key={flow.key} className="card">
            <h3>{flow.name} <small>{`${flow.key} · ${flow.source} · ${flow.enabled ? t('settings.enabled') : t('settings.disabled')}`}</small></h3>
            <button type="button" aria-expanded={open === flow.key} onClick={() => setOpen(open === flow.key ? null : flow.key)}>{t('settings.viewStates', { n: flow.states.length })}</button>
            {open === flow.key && (
              <ol className="states">
                {flow.states.map((state) => <li key={state}>{state}{state === flow.initialState ? ` (${t('settings.initial')})` : ''}</li>)}
              </ol>
            )}
          </li>
        ))}
      </ul>
      {data?.data.length === 0 && <p className="placeholder">{t('settings.none')}</p>}
    </div>
  );
}
