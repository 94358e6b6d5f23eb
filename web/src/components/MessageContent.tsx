import { media as mediaApi } from '../api/inbox';
import type { Message } from '../api/types';
import { useI18n } from '../i18n/i18n';

const TYPE_ICONS: Record<string, string> = {
  image: '🖼️', video: '🎬', audio: '🎵', voice: '🎤', document: '📄', sticker: '🏷️', location: '📍', contacts: '👤', interactive: '🔘', template: '📋', reaction: '❤️', button: '🔘',
};

export function typeIcon(type: string): string {
  return TYPE_ICONS[type] ?? '';
}

type Content = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');
const record = (value: unknown): Content => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Content) : {});
const list = (value: unknown): Content[] => (Array.isArray(value) ? value.map(record) : []);

/** Renders a message as the customer sees it; unknown shapes fall back to the searchable text. */
export function MessageContent({ message }: { message: Message }) {
  const content = (message.content ?? {}) as Content;
  const text = message.text ?? (str(content.body) || '');
  switch (message.type) {
    case 'image':
    case 'sticker':
    case 'video':
    case 'audio':
    case 'voice':
    case 'document':
      return <MediaContent message={message} caption={text || str(content.caption)} />;
    case 'location':
      return <LocationContent content={content} text={text} />;
    case 'contacts':
      return <ContactsContent content={content} text={text} />;
    case 'interactive':
      return <InteractiveContent message={message} content={content} text={text} />;
    case 'reaction':
      return <p className="content reaction">{str(content.emoji) || text}</p>;
    case 'template':
      return <TemplateContent message={message} content={content} text={text} />;
    default:
      return (
        <p className="content">
          {typeIcon(message.type) && <span aria-hidden="true">{typeIcon(message.type)} </span>}
          {text || str(content.caption) || str(content.filename) || message.type}
        </p>
      );
  }
}

function MediaContent({ message, caption }: { message: Message; caption: string }) {
  const { t } = useI18n();
  const file = message.media;
  const content = (message.content ?? {}) as Content;
  const filename = file?.filename || str(content.filename) || t('media.file');
  // Received media is `pending` until the worker has downloaded it from the provider.
  const ready = file && file.status !== 'pending' && file.status !== 'failed';
  const url = ready ? mediaApi.url(file.id) : null;
  let preview: React.ReactNode;
  if (!url) preview = <span className="media-pending">{typeIcon(message.type)} {file?.status === 'failed' ? t('media.unavailable') : t('media.pending')}</span>;
  else if (message.type === 'image' || message.type === 'sticker') preview = <img className="media-image" src={url} alt={caption || t('media.image')} loading="lazy" />;
  else if (message.type === 'video') preview = <video className="media-video" src={url} controls preload="metadata" aria-label={caption || t('media.video')} />;
  else if (message.type === 'audio' || message.type === 'voice') preview = <audio className="media-audio" src={url} controls preload="none" aria-label={t('media.audio')} />;
  else preview = null;
  return (
    <div className="content media" data-testid="media">
      {preview}
      {url && (message.type === 'document' || message.type === 'video' || message.type === 'audio' || message.type === 'voice') && (
        <a className="media-download" href={url} download={filename}>
          <span aria-hidden="true">{typeIcon('document')} </span>
          {t('media.download', { name: filename })}
          {file?.sizeBytes ? ` (${formatBytes(file.sizeBytes)})` : ''}
        </a>
      )}
      {caption && <p className="caption">{caption}</p>}
    </div>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function LocationContent({ content, text }: { content: Content; text: string }) {
  const lat = content.latitude as number | undefined;
  const lng = content.longitude as number | undefined;
  return (
    <div className="content location">
      <span aria-hidden="true">{typeIcon('location')} </span>
      <strong>{str(content.name) || text}</strong>
      {str(content.address) && <span className="address">{str(content.address)}</span>}
      {lat !== undefined && lng !== undefined && (
        <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`} target="_blank" rel="noreferrer">{`${lat}, ${lng}`}</a>
      )}
    </div>
  );
}

function ContactsContent({ content, text }: { content: Content; text: string }) {
  // Inbound content is Meta's `{contacts: [...]}`; what we sent stored the array the same way.
  const cards = list(content.contacts ?? (Array.isArray(content) ? content : undefined));
  if (cards.length === 0) return <p className="content">{typeIcon('contacts')} {text}</p>;
  return (
    <ul className="content contact-cards">
      {cards.map((card, index) => {
        const name = record(card.name);
        const phones = list(card.phones);
        return (
          <li key={index} className="contact-card">
            <span aria-hidden="true">{typeIcon('contacts')} </span>
            <strong>{str(name.formatted_name) || str(name.formattedName) || [str(name.first_name), str(name.last_name)].filter(Boolean).join(' ')}</strong>
            {phones.map((phone, i) => <span key={i} className="phone">{str(phone.phone)}</span>)}
          </li>
        );
      })}
    </ul>
  );
}

function InteractiveContent({ message, content, text }: { message: Message; content: Content; text: string }) {
  const { t } = useI18n();
  const reply = record(content.button_reply ?? content.list_reply);
  if (message.direction === 'inbound' || str(reply.title)) {
    // The customer tapped a button or picked a list row: show what they chose.
    return <p className="content interactive-reply"><span aria-hidden="true">↪ </span>{str(reply.title) || text}</p>;
  }
  const header = record(content.header);
  const action = record(content.action);
  const buttons = list(action.buttons).map((button) => str(record(button.reply).title) || str(button.title)).filter(Boolean);
  const rows = list(action.sections).flatMap((section) => list(section.rows).map((row) => str(row.title)));
  return (
    <div className="content interactive">
      {str(header.text) && <strong>{str(header.text)}</strong>}
      <p>{str(record(content.body).text) || text}</p>
      {str(record(content.footer).text) && <small>{str(record(content.footer).text)}</small>}
      {buttons.length > 0 && <span className="choices">{buttons.map((title) => <span key={title} className="template-button">{title}</span>)}</span>}
      {(str(action.button) || str(action.buttonText)) && (
        <details className="list-menu">
          <summary>{str(action.button) || str(action.buttonText)}</summary>
          <ul aria-label={t('message.listOptions')}>{rows.map((row) => <li key={row}>{row}</li>)}</ul>
        </details>
      )}
    </div>
  );
}

function TemplateContent({ message, content, text }: { message: Message; content: Content; text: string }) {
  // The stored send carries the text the customer received, rendered from the approved template.
  return (
    <div className="content template">
      <span className="template-name">{typeIcon('template')} {message.templateName ?? str(content.name)}</span>
      <p>{text}</p>
    </div>
  );
}
