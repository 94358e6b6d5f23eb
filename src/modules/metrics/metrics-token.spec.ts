import { metricsScrapeAllowed } from './metrics-token';

describe('metricsScrapeAllowed', () => {
  it('leaves metrics open when no token is configured', () => {
    expect(metricsScrapeAllowed('', undefined)).toBe(true);
  });

  it('needs the configured bearer token when one is set', () => {
    expect(metricsScrapeAllowed('s3cret-token', 'Bearer s3cret-token')).toBe(true);
    expect(metricsScrapeAllowed('s3cret-token', 'Bearer wrong')).toBe(false);
    expect(metricsScrapeAllowed('s3cret-token', 's3cret-token')).toBe(false);
    expect(metricsScrapeAllowed('s3cret-token', undefined)).toBe(false);
  });
});
