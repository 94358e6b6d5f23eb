import { webhookHeaders } from '../delivery/webhook-signature';

/**
 * One forwarded event as a WebSocket text frame: the Standard Webhooks headers an HTTP delivery carries and the
 * exact body they sign. A receiver verifies `body` with its `webhook-*` headers as it would an HTTP POST.
 */
export interface WebsocketFrame {
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
  body: string;
}

export function websocketFrame(eventId: string, body: string, secrets: string[], now = Date.now()): string {
  const signed = webhookHeaders(eventId, body, secrets, now);
  const frame: WebsocketFrame = {
    headers: { 'webhook-id': signed['webhook-id'], 'webhook-timestamp': signed['webhook-timestamp'], 'webhook-signature': signed['webhook-signature'] },
    body,
  };
  return JSON.stringify(frame);
}

export function isWebsocketUrl(url: string): boolean {
  return /^wss?:\/\//i.test(url);
}
