import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, isValidWebhookSecret, webhookHeaders } from './webhook-signature';

describe('webhookHeaders', () => {
  it('signs so that the standardwebhooks package verifies the body, with either secret during a rotation', () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = JSON.stringify({ id: 'evt', type: 'test.ping', data: { a: 'é' } });
    const headers = webhookHeaders('evt-1', body, [newSecret, oldSecret]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('isValidWebhookSecret', () => {
  it('accepts generated secrets and refuses other shapes', () => {
    expect(isValidWebhookSecret(generateWebhookSecret())).toBe(true);
    expect(isValidWebhookSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(isValidWebhookSecret('secret')).toBe(false);
  });
});
