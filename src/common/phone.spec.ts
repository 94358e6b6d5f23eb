import { DomainError } from './errors/domain-error';
import { canonicalWaPhone, normalizePhone, phoneVariants, waIdToE164 } from './phone';

describe('phone', () => {
  describe('normalizePhone', () => {
    it.each([
      ['CL mobile international', '+56 9 8765 4321', undefined, '+56987654321'],
      ['CL mobile national', '9 8765 4321', 'CL', '+56987654321'],
      ['CL landline', '+56 2 2345 6789', undefined, '+56223456789'],
      ['AR mobile international with 9', '+54 9 11 1234-5678', undefined, '+5491112345678'],
      ['AR mobile national with 15', '011 15 1234-5678', 'AR', '+5491112345678'],
      ['AR mobile from abroad with 00', '00 54 9 11 1234 5678', 'ES', '+5491112345678'],
      ['MX typed without the 1', '+52 55 1234 5678', undefined, '+525512345678'],
      ['MX national', '55 1234 5678', 'MX', '+525512345678'],
      ['MX legacy mobile +521', '+52 1 55 1234 5678', undefined, '+525512345678'],
      ['BR mobile with 9', '+55 11 98765-4321', undefined, '+5511987654321'],
      ['BR mobile national', '(11) 98765-4321', 'BR', '+5511987654321'],
      ['BR legacy mobile without 9', '+55 11 8765-4321', undefined, '+5511987654321'],
      ['BR landline', '+55 21 2345-6789', undefined, '+552123456789'],
      ['ES mobile', '+34 612 34 56 78', undefined, '+34612345678'],
      ['ES national', '612345678', 'ES', '+34612345678'],
      ['ES with 0034', '0034 612 345 678', 'ES', '+34612345678'],
      ['US formatted', '+1 (415) 555-2671', undefined, '+14155552671'],
      ['US national', '415-555-2671', 'US', '+14155552671'],
    ] as const)('returns canonical E.164 for %s', (_label, input, region, expected) => {
      expect(normalizePhone(input, region)).toBe(expected);
    });

    // Possible (country code and length right) although outside libphonenumber's assigned ranges: Meta decides (131026).
    it.each([
      ['the README sample CL mobile', '+56912345678', undefined, '+56912345678'],
      ['a CL mobile typed nationally', '9 1234 5678', 'CL', '+56912345678'],
      ['a US number in an unassigned area code', '+1 200 555 0123', undefined, '+12005550123'],
      ['an AR mobile in an unassigned area', '+54 9 20 1234 5678', undefined, '+5492012345678'],
      ['a MX legacy mobile +521 in an unassigned range', '+52 1 20 0000 0000', undefined, '+522000000000'],
      ['a BR legacy mobile in an unassigned range', '+55 11 6000 0000', undefined, '+5511960000000'],
    ] as const)('accepts %s when it is possible but not valid', (_label, input, region, expected) => {
      expect(normalizePhone(input, region)).toBe(expected);
    });

    it.each([['abc'], [''], ['+1 415 555 267'], ['123'], ['+999 1234567'], ['+56 9 1234 567'], ['+56123'], ['+52 55 1234 56789']])('throws INVALID_PHONE_NUMBER when input is %j', (input) => {
      expect(() => normalizePhone(input, 'US')).toThrow(DomainError);
      try {
        normalizePhone(input, 'US');
      } catch (error) {
        expect((error as DomainError).code).toBe('INVALID_PHONE_NUMBER');
        expect((error as DomainError).status).toBe(400);
      }
    });

    it.each([
      ['no default region', '573103391854', undefined],
      ['a default region it is too long for', '573103391854', 'CL'],
      ['a 00 prefix and no default region', '0057 310 339 1854', undefined],
    ] as const)('hints at the country code when it is missing with %s', (_label, input, region) => {
      const error = thrown(() => normalizePhone(input, region));
      expect(error.code).toBe('INVALID_PHONE_NUMBER');
      expect(error.message).toContain('add the country code, e.g. +57…');
      expect(error.details).toMatchObject({ hint: 'add the country code, e.g. +57…' });
    });

    it('asks for a country code when there is no default region and the digits name no country', () => {
      expect(thrown(() => normalizePhone('999 123 4567', undefined)).message).toContain('add the country code after a +');
    });

    it('gives no country-code hint when the number starts with + and is impossible', () => {
      const error = thrown(() => normalizePhone('+56 9 1234 567'));
      expect(error.message).not.toContain('country code');
      expect(error.details).not.toHaveProperty('hint');
    });

    it('does not put the full number in the error details when invalid', () => {
      try {
        normalizePhone('+1 415 555 267');
        throw new Error('expected a throw');
      } catch (error) {
        expect(JSON.stringify((error as DomainError).details)).not.toContain('415555267');
      }
    });
  });

  describe('waIdToE164', () => {
    it('maps a Mexican wa_id with the legacy 1 to the same key as a typed number', () => {
      expect(waIdToE164('5215512345678')).toBe(normalizePhone('+52 55 1234 5678'));
    });

    it('maps a Brazilian wa_id without the ninth digit to the same key as a typed number', () => {
      expect(waIdToE164('551187654321')).toBe(normalizePhone('(11) 98765-4321', 'BR'));
    });

    it('keeps other countries unchanged', () => {
      expect(waIdToE164('56987654321')).toBe('+56987654321');
      expect(waIdToE164('5491112345678')).toBe('+5491112345678');
    });

    it('throws when the wa_id is not digits', () => {
      expect(() => waIdToE164('abc')).toThrow(DomainError);
      expect(() => waIdToE164('0123456')).toThrow(DomainError);
    });
  });

  describe('canonicalWaPhone', () => {
    it('leaves a Brazilian landline alone when the subscriber starts with 2-5', () => {
      expect(canonicalWaPhone('+552123456789')).toBe('+552123456789');
    });

    it('is idempotent when applied twice', () => {
      for (const value of ['+5215512345678', '+551187654321', '+14155552671']) {
        expect(canonicalWaPhone(canonicalWaPhone(value))).toBe(canonicalWaPhone(value));
      }
    });

    it('throws when the value has no leading plus', () => {
      expect(() => canonicalWaPhone('5215512345678')).toThrow(DomainError);
    });
  });

  describe('phoneVariants', () => {
    it('lists both Mexican spellings with the canonical one first', () => {
      expect(phoneVariants('+5215512345678')).toEqual(['+525512345678', '+5215512345678']);
      expect(phoneVariants('+525512345678')).toEqual(['+525512345678', '+5215512345678']);
    });

    it('lists both Brazilian mobile spellings with the canonical one first', () => {
      expect(phoneVariants('+551187654321')).toEqual(['+5511987654321', '+551187654321']);
      expect(phoneVariants('+5511987654321')).toEqual(['+5511987654321', '+551187654321']);
    });

    it('returns a single variant when the country has no alternative spelling', () => {
      expect(phoneVariants('+34612345678')).toEqual(['+34612345678']);
      expect(phoneVariants('+552123456789')).toEqual(['+552123456789']);
    });
  });
});

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
