import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, hashSecret, verifySecret } from './crypto';

describe('crypto', () => {
  describe('encryptSecret', () => {
    const key = randomBytes(32);

    it('round-trips and never repeats a ciphertext for the same plaintext', () => {
      const a = encryptSecret('EAAG-token', key);
      const b = encryptSecret('EAAG-token', key);
      expect(a).not.toBe(b);
      expect(a).not.toContain('EAAG');
      expect(decryptSecret(a, key)).toBe('EAAG-token');
    });

    it('refuses a tampered ciphertext or the wrong key', () => {
      const sealed = encryptSecret('secret', key);
      const parts = sealed.split(':');
      const flipped = Buffer.from(parts[3], 'base64');
      flipped[0] ^= 1;
      expect(() => decryptSecret([...parts.slice(0, 3), flipped.toString('base64')].join(':'), key)).toThrow();
      expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
    });
  });

  describe('hashSecret', () => {
    it('verifies the right password only', async () => {
      const stored = await hashSecret('correct horse');
      expect(stored.startsWith('scrypt$')).toBe(true);
      await expect(verifySecret('correct horse', stored)).resolves.toBe(true);
      await expect(verifySecret('wrong horse', stored)).resolves.toBe(false);
      await expect(verifySecret('x', 'not-a-hash')).resolves.toBe(false);
    });
  });
});
