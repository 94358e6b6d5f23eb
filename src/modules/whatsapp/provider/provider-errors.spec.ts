import { mapAxiosError, mapGraphError, suggestedBackoffMs, WhatsappProviderError } from './provider-errors';

const graph = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `(#${code}) something`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: 'details' }, fbtrace_id: 'Atrace', ...extra },
});

describe(WhatsappProviderError.name, () => {
  describe('mapGraphError', () => {
    it.each([
      [4, 400, 'rate_limited', true],
      [80007, 400, 'rate_limited', true],
      [130429, 400, 'rate_limited', true],
      [131056, 400, 'pair_rate_limited', true],
      [131048, 400, 'policy', false],
      [131047, 400, 'window_closed', false],
      [131026, 400, 'undeliverable', false],
      [131049, 400, 'undeliverable', false],
      [131050, 400, 'undeliverable', false],
      [130472, 400, 'undeliverable', false],
      [132000, 400, 'template', false],
      [132001, 404, 'template', false],
      [132012, 400, 'template', false],
      [132015, 400, 'template', false],
      [132016, 400, 'template', false],
      [0, 401, 'authentication', false],
      [190, 401, 'authentication', false],
      [3, 500, 'permission', false],
      [10, 403, 'permission', false],
      [200, 403, 'permission', false],
      [299, 403, 'permission', false],
      [368, 403, 'policy', false],
      [130497, 403, 'policy', false],
      [131031, 403, 'policy', false],
      [100, 400, 'invalid_parameter', false],
      [131008, 400, 'invalid_parameter', false],
      [131009, 400, 'invalid_parameter', false],
      [33, 400, 'invalid_parameter', false],
      [1, 400, 'temporary', true],
      [2, 503, 'temporary', true],
      [131000, 500, 'temporary', true],
      [131016, 500, 'temporary', true],
      [133004, 503, 'temporary', true],
      [131057, 500, 'temporary', true],
    ] as const)('maps code %i (HTTP %i) to %s with retryable %s', (code, status, kind, retryable) => {
      const error = mapGraphError(status, graph(code));
      expect(error).toMatchObject({ kind, retryable, providerCode: code, httpStatus: status, fbtraceId: 'Atrace', providerDetails: 'details', status: 502 });
      if (retryable) expect(error.retryAfterMs).toBeGreaterThan(0);
      else expect(error.retryAfterMs).toBeUndefined();
    });

    it('falls back to the HTTP status when the body has no code', () => {
      expect(mapGraphError(502, '<html>bad gateway</html>')).toMatchObject({ kind: 'temporary', retryable: true });
      expect(mapGraphError(409, { error: 'in flight' })).toMatchObject({ kind: 'conflict_in_flight', retryable: true });
      expect(mapGraphError(418, {})).toMatchObject({ kind: 'invalid_parameter', retryable: false });
    });

    it('prefers a Retry-After header over the default delay when the error is retryable', () => {
      expect(mapGraphError(400, graph(130429), { retryAfterHeader: '7' }).retryAfterMs).toBe(7000);
    });

    it('redacts the token when the provider echoes it', () => {
      const error = mapGraphError(401, graph(190, { message: 'Invalid token EAAsecret123' }), { secrets: ['EAAsecret123'] });
      expect(error.message).not.toContain('EAAsecret123');
      expect(JSON.stringify(error)).not.toContain('EAAsecret123');
      expect(error.providerMessage).toContain('[REDACTED]');
    });
  });

  describe('mapAxiosError', () => {
    it.each([
      ['ECONNABORTED', 'timeout'],
      ['ETIMEDOUT', 'timeout'],
      ['ECONNREFUSED', 'network'],
      ['ECONNRESET', 'network'],
    ])('maps %s to a retryable %s error', (code, kind) => {
      expect(mapAxiosError({ isAxiosError: true, code, message: 'x', config: { headers: { Authorization: 'Bearer tok' } } })).toMatchObject({ kind, retryable: true });
    });

    it('never copies the request config into the error', () => {
      const error = mapAxiosError({ isAxiosError: true, code: 'ECONNRESET', config: { headers: { Authorization: 'Bearer tok-123456' } } });
      expect(JSON.stringify(error)).not.toContain('tok-123456');
    });

    it('decodes an arraybuffer error body from a binary request', () => {
      const data = Buffer.from(JSON.stringify(graph(131047)));
      expect(mapAxiosError({ isAxiosError: true, response: { status: 400, data, headers: {} } })).toMatchObject({ kind: 'window_closed' });
    });
  });

  describe('suggestedBackoffMs', () => {
    it('grows by 4^n seconds for pair rate limits', () => {
      const error = mapGraphError(400, graph(131056));
      expect([0, 1, 2].map((n) => suggestedBackoffMs(error, n))).toEqual([4000, 16000, 64000]);
    });
  });
});
