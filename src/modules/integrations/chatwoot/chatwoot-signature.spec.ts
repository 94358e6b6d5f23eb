import { signChatwoot, verifyChatwootRequest } from './chatwoot-signature';

describe('verifyChatwootRequest', () => {
  const secret = 'cw-callback-secret';
  const body = Buffer.from('{"event":"message_created","id":42}');
  const now = 1_800_000_000_000;
  const ts = String(now / 1000);

  it('accepts a signature over "{timestamp}.{body}" with a fresh timestamp', () => {
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, ts, secret), timestamp: ts }, secret, now)).toBe(true);
  });

  it('refuses a signature over another body, with another secret, or over the body alone', () => {
    expect(verifyChatwootRequest(Buffer.from('{"event":"message_created","id":43}'), { signature: signChatwoot(body, ts, secret), timestamp: ts }, secret, now)).toBe(false);
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, ts, 'other'), timestamp: ts }, secret, now)).toBe(false);
    const bodyOnly = signChatwoot(body, ts, secret).replace(/^sha256=/, '');
    expect(verifyChatwootRequest(body, { signature: bodyOnly, timestamp: ts }, secret, now)).toBe(false);
  });

  it('refuses a timestamp more than five minutes away, or none', () => {
    const old = String(now / 1000 - 301);
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, old, secret), timestamp: old }, secret, now)).toBe(false);
    const future = String(now / 1000 + 301);
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, future, secret), timestamp: future }, secret, now)).toBe(false);
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, ts, secret) }, secret, now)).toBe(false);
  });

  it('accepts the shared token only when the request carries no signature', () => {
    expect(verifyChatwootRequest(body, { token: secret }, secret, now)).toBe(true);
    expect(verifyChatwootRequest(body, { token: 'guess' }, secret, now)).toBe(false);
    expect(verifyChatwootRequest(body, { token: secret, signature: 'sha256=00', timestamp: ts }, secret, now)).toBe(false);
  });

  it('refuses everything when no secret is configured', () => {
    expect(verifyChatwootRequest(body, { token: '' }, '', now)).toBe(false);
    expect(verifyChatwootRequest(body, { signature: signChatwoot(body, ts, ''), timestamp: ts }, null, now)).toBe(false);
  });
});
