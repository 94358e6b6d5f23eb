import { type FormEvent, useState } from 'react';
import { webhooksApi } from '../../api/admin';
import type { WebhookEndpoint } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { attempt, useLoad } from './useLoad';

const splitList = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

/** Outbound webhook endpoints: create (the signing secret is shown once), recent deliveries, replay a time range. */
export function Webhooks() {
  const { t } = useI18n();
  const { data, error, reload, setError } = useLoad(() => webhooksApi.list());
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void attempt(async () => {
      const endpoint = await webhooksApi.create(String(form.get('url')), splitList(String(form.get('events'))));
      setSecret(endpoint.secret);
      formElement.reset();
    }, setError, reload);
  }
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      {secret && (
        <div className="card key-once" role="status">
          <p>{t('settings.secretOnce')}</p>
          <code>{secret}</code>
          <button type="button" onClick={() => setSecret(null)}>{t('settings.keySaved')}</button>
        </div>
      )}
      <ul className="card-list">
        {data?.data.map((endpoint) => (
          <li key={endpoint.id} className="card">
            <h3>{endpoint.url}</h3>
            <p>{endpoint.events.join(', ')} · {endpoint.enabled ? t('settings.enabled') : `${t('settings.disabled')} ${endpoint.disabledReason ?? ''}`}</p>
            <button type="button" aria-expanded={open === endpoint.id} onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>{t('settings.deliveries')}</button>
            {open === endpoint.id && <Deliveries endpoint={endpoint} />}
          </li>
        ))}
      </ul>
      {data?.data.length === 0 && <p className="placeholder">{t('settings.none')}</p>}
      <form className="card" onSubmit={create} aria-labelledby="webhook-form-heading">
        <h3 id="webhook-form-heading">{t('settings.newWebhook')}</h3>
        <label>URL<input name="url" type="url" required placeholder="https://" /></label>
        <label>{t('settings.events')}<input name="events" required defaultValue="message.received, message.status" /></label>
        <button type="submit">{t('settings.create')}</button>
      </form>
    </div>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useI18n();
  const { data, error, reload, setError } = useLoad(() => webhooksApi.deliveries(endpoint.id));
  const [replayed, setReplayed] = useState<number | null>(null);
  const [hours, setHours] = useState(24);
  function replay(event: FormEvent) {
    event.preventDefault();
    const until = new Date();
    const since = new Date(until.getTime() - hours * 3600_000);
    void attempt(async () => setReplayed((await webhooksApi.replay(endpoint.id, since.toISOString(), until.toISOString())).deliveries), setError, reload);
  }
  return (
    <div>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{t('settings.deliveries')}</caption>
          <thead><tr><th scope="col">{t('settings.event')}</th><th scope="col">{t('campaigns.state')}</th><th scope="col">{t('settings.attempts')}</th><th scope="col">HTTP</th><th scope="col">{t('campaigns.error')}</th></tr></thead>
          <tbody>
            {data?.data.map((delivery) => (
              <tr key={delivery.id}><td>{delivery.eventType}</td><td>{delivery.status}</td><td>{delivery.attempts}</td><td>{delivery.responseCode ?? ''}</td><td>{delivery.error ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="inline-form" onSubmit={replay}>
        <label>{t('settings.replayHours')}<input type="number" min={1} max={720} value={hours} onChange={(e) => setHours(Number(e.target.value))} /></label>
        <button type="submit">{t('settings.replay')}</button>
      </form>
      {replayed !== null && <p role="status">{t('settings.replayed', { n: replayed })}</p>}
    </div>
  );
}
