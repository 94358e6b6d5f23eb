import type { Message } from '../api/types';

const TYPE_ICONS: Record<string, string> = {
  image: '🖼️', video: '🎬', audio: '🎵', voice: '🎤', document: '📄', sticker: '🏷️', location: '📍', contacts: '👤', interactive: '🔘', template: '📋', reaction: '❤️', button: '🔘',
};

export function typeIcon(type: string): string {
  return TYPE_ICONS[type] ?? '';
}

type Content = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Renders a message as the customer sees it; unknown shapes fall back to the searchable text. */
export function MessageContent({ message }: { message: Message }) {
  const content = (message.content ?? {}) as Content;
  const text = message.text ?? str(content.body) ?? '';
  switch (message.type) {
    case 'location': {
      const lat = content.latitude as number | undefined;
      const lng = content.longitude as number | undefined;
      return (
        <p className="content">
          {typeIcon('location')} {str(content.name) || text}{' '}
          {lat !== undefined && lng !== undefined && <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}`} target="_blank" rel="noreferrer">{`${lat}, ${lng}`}</a>}
        </p>
      );
    }
    case 'reaction':
      return <p className="content reaction">{str(content.emoji) || text}</p>;
    case 'template':
      return (
        <div className="content template">
          <span className="template-name">{typeIcon('template')} {message.templateName}</span>
          <p>{text}</p>
        </div>
      );
    default:
      return (
        <p className="content">
          {typeIcon(message.type) && <span aria-hidden="true">{typeIcon(message.type)} </span>}
          {text || str(content.caption) || str(content.filename) || message.type}
        </p>
      );
  }
}
