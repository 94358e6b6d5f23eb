import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../delivery/webhook-signature';
import { backoffMs } from './websocket-connection';
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

describe('backoffMs', () => {
  it('doubles from the base up to the cap, jittered into the upper half', () => {
    for (let failures = 1; failures <= 12; failures += 1) {
      const ceiling = Math.min(30_000, 250 * 2 ** (failures - 1));
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffMs(failures, 250, 30_000);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(new Set(Array.from({ length: 20 }, () => backoffMs(5, 250, 30_000))).size).toBeGreaterThan(1);
  });
});
