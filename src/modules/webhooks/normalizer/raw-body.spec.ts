import { parseRawBody } from './raw-body';

describe('parseRawBody', () => {
  it('drops \\u0000 and replaces lone surrogates in string values, keeping surrogate pairs', () => {
    const parsed = parseRawBody(Buffer.from('{"a":"x\\u0000y","b":["\\ud83d","\\ud83d\\ude00","\\udc00z"],"c":1}'));
    expect(parsed).toEqual({ a: 'xy', b: ['\uFFFD', '😀', '\uFFFDz'], c: 1 });
  });

  it('walks nesting deeper than the call stack allows', () => {
    const depth = 200_000;
    const parsed = parseRawBody(Buffer.from(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`));
    let inner: unknown = parsed;
    for (let i = 0; i < depth; i += 1) inner = (inner as unknown[])[0];
    expect(inner).toBe('');
  });

  it('cleans a body that is a bare string, and keeps an out-of-range number as Infinity', () => {
    expect(parseRawBody(Buffer.from('"\\u0000ok"'))).toBe('ok');
    expect(parseRawBody(Buffer.from('{"n":1e999999}'))).toEqual({ n: Infinity });
  });
});
