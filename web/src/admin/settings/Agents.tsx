import { type FormEvent, useState } from 'react';
import { agentsApi } from '../../api/admin';
import type { AgentConfigView, KnowledgeEntry, TestResponseResult } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { attempt, useLoad } from './useLoad';

const splitList = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * The auto-reply agents. Every change writes the stored overlay (what the organisation changed over the defaults):
 * PUT /agents/config replaces the overlay, so each change is merged into the one we loaded.
 */
export function Agents() {
  const { t } = useI18n();
  const { data, error, reload, setError } = useLoad(() => agentsApi.config());
  const [keywordAgent, setKeywordAgent] = useState('');
  if (!data) return error ? <p role="alert" className="error">{error}</p> : null;
  const save = (change: Partial<AgentConfigView['stored']>) => void attempt(() => agentsApi.update({ config: { ...data.stored, ...change } }), setError, reload);
  const agentNames = Object.keys(data.config.agents);
  const keywordNames = Object.keys(data.config.keywords);
  const chosen = keywordAgent || keywordNames[0] || '';
  const keywords = data.config.keywords[chosen];

  return (
    <div className="agents">
      {error && <p role="alert" className="error">{error}</p>}
      <label className="switch">
        <input type="checkbox" checked={data.autoRepliesEnabled} onChange={(e) => void attempt(() => agentsApi.update({ autoRepliesEnabled: e.target.checked }), setError, reload)} />
        {t('settings.autoReplies')}
      </label>
      <fieldset>
        <legend>{t('settings.agentsEnabled')}</legend>
        <div className="checks">
          {agentNames.map((name) => (
            <label key={name}>
              <input type="checkbox" checked={data.config.agents[name].enabled !== false}
                onChange={(e) => save({ agents: { ...data.stored.agents, [name]: { ...data.stored.agents?.[name], enabled: e.target.checked } } })} />
              {name}
            </label>
          ))}
        </div>
      </fieldset>
      {keywords && (
        <form className="card" aria-labelledby="keywords-heading" key={chosen} onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          save({ keywords: { ...data.stored.keywords, [chosen]: { strong: splitList(String(form.get('strong'))), weak: splitList(String(form.get('weak'))) } } });
        }}>
          <h3 id="keywords-heading">{t('settings.keywords')}</h3>
          <label>{t('settings.agent')}<select value={chosen} onChange={(e) => setKeywordAgent(e.target.value)}>{keywordNames.map((name) => <option key={name}>{name}</option>)}</select></label>
          <label>{t('settings.strong')}<textarea name="strong" rows={3} defaultValue={keywords.strong.join(', ')} /></label>
          <label>{t('settings.weak')}<textarea name="weak" rows={2} defaultValue={keywords.weak.join(', ')} /></label>
          <button type="submit">{t('settings.save')}</button>
        </form>
      )}
      <Knowledge entries={data.config.knowledge} onSave={(knowledge) => save({ knowledge })} />
      <TestBox />
    </div>
  );
}

function Knowledge({ entries, onSave }: { entries: KnowledgeEntry[]; onSave: (entries: KnowledgeEntry[]) => void }) {
  const { t } = useI18n();
  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const entry: KnowledgeEntry = { id: `kb-${Date.now().toString(36)}`, topic: String(form.get('topic')), keywords: splitList(String(form.get('keywords'))), answer: String(form.get('answer')) };
    onSave([...entries, entry]);
    formElement.reset();
  }
  return (
    <section className="card" aria-labelledby="knowledge-heading">
      <h3 id="knowledge-heading">{t('settings.knowledge', { n: entries.length })}</h3>
      <ul className="knowledge">
        {entries.map((entry) => (
          <li key={entry.id}>
            <strong>{entry.topic}</strong> <small>{entry.keywords.join(', ')}</small>
            <p>{entry.answer}</p>
            <button type="button" className="danger" onClick={() => onSave(entries.filter((other) => other.id !== entry.id))}>{t('settings.remove')}</button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label={t('settings.newKnowledge')} className="stack">
        <label>{t('settings.topic')}<select name="topic">{['tax_reminders', 'dte', 'honorarios', 'sii', 'invoices'].map((topic) => <option key={topic}>{topic}</option>)}</select></label>
        <label>{t('settings.keywordsList')}<input name="keywords" required /></label>
        <label>{t('settings.answer')}<textarea name="answer" required rows={2} /></label>
        <button type="submit">{t('settings.add')}</button>
      </form>
    </section>
  );
}

function TestBox() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [result, setResult] = useState<TestResponseResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form className="card" aria-labelledby="test-heading" onSubmit={(event) => { event.preventDefault(); void attempt(async () => setResult(await agentsApi.test(text)), setError); }}>
      <h3 id="test-heading">{t('settings.testResponse')}</h3>
      <label>{t('settings.customerSays')}<input value={text} onChange={(e) => setText(e.target.value)} required /></label>
      <button type="submit">{t('settings.try')}</button>
      {error && <p role="alert" className="error">{error}</p>}
      {result && (
        <output data-testid="agent-reply">
          <strong>{`${result.agent} · ${Math.round(result.confidence * 100)}%${result.unsure ? ` · ${t('settings.unsure')}` : ''}`}</strong>
          {(result.reply?.messages ?? []).map((message, index) => <p key={index}>{message.text ?? `${message.type} ${message.name ?? ''}`}</p>)}
          {!result.reply?.messages?.length && <p>—</p>}
        </output>
      )}
    </form>
  );
}
