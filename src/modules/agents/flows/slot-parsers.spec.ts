import { parseSlot, parseSpanishNumber } from './slot-parsers';

describe('parseSpanishNumber', () => {
  it.each([
    ['1980', 1980],
    ['800.000', 800_000],
    ['$ 1.200.000', 1_200_000],
    ['1,5 millones', 1_500_000],
    ['800 mil', 800_000],
    ['800k', 800_000],
    ['tengo 35 años', 35],
    ['3.000 UF', 3000],
  ])('reads "%s" as %d', (text, expected) => {
    expect(parseSpanishNumber(text)).toBe(expected);
  });

  it.each(['1980x', '19a80', '2019 algo', '1980 x', 'dos mil', ''])('rejects the partial match "%s"', (text) => {
    expect(parseSpanishNumber(text)).toBeUndefined();
  });
});

describe('parseSlot', () => {
  it('rejects "1980x" as a vehicle year when the slot wants an integer year', () => {
    const slot = { name: 'vehicle_year', prompt: '¿Año?', errorMessage: 'Año inválido', validation: { type: 'number' as const, min: 1980, max: 2100, integer: true } };

    expect(parseSlot(slot, { text: '1980x' }, new Date())).toEqual({ ok: false });
    expect(parseSlot(slot, { text: '1980' }, new Date())).toMatchObject({ ok: true, value: 1980 });
  });
});
