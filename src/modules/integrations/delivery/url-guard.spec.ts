import { isBlockedAddress, urlRefusal } from './url-guard';

describe('urlRefusal', () => {
  it('refuses private, loopback and link-local targets unless allowed', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/', 'https://192.168.0.10/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://localhost:9000/', 'http://[::ffff:127.0.0.1]/']) {
      expect(await urlRefusal(url, false)).toMatch(/private|resolve/);
    }
    expect(await urlRefusal('http://127.0.0.1:8080/x', true)).toBeNull();
    expect(await urlRefusal('http://93.184.216.34/hook', false)).toBeNull();
  });

  it('refuses other schemes and credentials even when private URLs are allowed', async () => {
    expect(await urlRefusal('ftp://example.com/', true)).toMatch(/http/);
    expect(await urlRefusal('file:///etc/passwd', true)).toMatch(/http/);
    expect(await urlRefusal('http://user:pw@example.com/', true)).toMatch(/credentials/);
  });
});

describe('isBlockedAddress', () => {
  it('tells public from private addresses', () => {
    expect(isBlockedAddress('8.8.8.8')).toBe(false);
    expect(isBlockedAddress('172.20.0.1')).toBe(true);
    expect(isBlockedAddress('2001:4860:4860::8888')).toBe(false);
    expect(isBlockedAddress('fd00::1')).toBe(true);
  });
});
