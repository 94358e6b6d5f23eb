import { isTimestampText, isUuidText } from './pagination';

describe('isTimestampText', () => {
  it.each(['2026-01-01T00:00:00.000Z', '2026-02-28 23:59:59.123456+00', '2024-02-29T12:00:00Z', '0001-01-01 00:00:00+05:30', '2026-06-30T10:00:00-0300'])('accepts %s', (value) => {
    expect(isTimestampText(value)).toBe(true);
  });

  it.each(['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '0000-01-01 00:00:00', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00+99', '99999-01-01T00:00:00Z', '2026-01-01', 'x', 5, null])('rejects %s', (value) => {
    expect(isTimestampText(value)).toBe(false);
  });
});

describe('isUuidText', () => {
  it('accepts only the 8-4-4-4-12 hex form', () => {
    expect(isUuidText('b9db8081-0ea8-49d8-953f-69a179292a38')).toBe(true);
    expect(isUuidText('b9db8081-0ea8-49d8-953f-69a179292a3')).toBe(false);
    expect(isUuidText('------------------------------------')).toBe(false);
  });
});
