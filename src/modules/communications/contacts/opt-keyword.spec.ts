import { detectOptKeyword } from './opt-keyword';

describe('detectOptKeyword', () => {
  it.each([['STOP'], ['stop'], [' Stop. '], ['BAJA'], ['baja!'], ['¡Baja!'], ['Detener'], ['cancelar suscripción'], ['CANCELAR  SUSCRIPCION'], ['stop 🙏']])(
    'returns opt_out when the whole message is %s',
    (text) => {
      expect(detectOptKeyword(text)).toBe('opt_out');
    },
  );

  it.each([['START'], ['start'], ['Alta'], ['ALTA.'], ['suscribir'], ['Suscríbir']])('returns opt_in when the whole message is %s', (text) => {
    expect(detectOptKeyword(text)).toBe('opt_in');
  });

  it.each([['please stop'], ["don't stop"], ['stopped'], ['dar de baja'], ['bajar'], ['start now'], [''], ['   '], [undefined], [null]])(
    'returns null when %s is not exactly a keyword',
    (text) => {
      expect(detectOptKeyword(text)).toBeNull();
    },
  );
});
