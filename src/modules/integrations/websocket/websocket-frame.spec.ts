import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../delivery/webhook-signature';
import { isWebsocketUrl, websocketFrame, type WebsocketFrame } from './websocket-frame';

describe('websocketFrame', () => {
  it('carries the signed body and headers that the standardwebhooks package verifies', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ id: 'evt-1', type: 'message.received', data: { text: 'hola' } });
    const frame = JSON.parse(websocketFrame('evt-1', body, [secret])) as WebsocketFrame;
    expect(frame.body).toBe(body);
    expect(frame.headers['webhook-id']).toBe('evt-1');
    expect(new Webhook(secret).verify(frame.body, frame.headers)).toMatchObject({ id: 'evt-1', type: 'message.received' });
    expect(() => new Webhook(generateWebhookSecret()).verify(frame.body, frame.headers)).toThrow();
  });

  it('tells ws(s) URLs from http(s) ones', () => {
    expect(['ws://h/x', 'WSS://h', 'http://h', 'https://h'].map(isWebsocketUrl)).toEqual([true, true, false, false]);
  });
});
