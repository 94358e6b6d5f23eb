import { recipientTimezone } from './recipient-timezone';

describe('recipientTimezone', () => {
  it('takes the zone of the phone country when the contact has no attribute', () => {
    expect(recipientTimezone('+56912345678')).toBe('America/Santiago');
    expect(recipientTimezone('+525512345678')).toBe('America/Mexico_City');
    expect(recipientTimezone('+34612345678')).toBe('Europe/Madrid');
  });

  it('prefers a valid contact attribute and ignores an invalid one', () => {
    expect(recipientTimezone('+56912345678', 'Pacific/Easter')).toBe('Pacific/Easter');
    expect(recipientTimezone('+56912345678', 'Mars/Olympus')).toBe('America/Santiago');
  });

  it('answers null for a country it does not know', () => {
    expect(recipientTimezone('+97699112233')).toBeNull();
  });
});
