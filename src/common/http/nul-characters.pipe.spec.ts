import { DomainError } from '../errors/domain-error';
import { containsNul, RejectNulCharactersPipe } from './nul-characters.pipe';

describe(RejectNulCharactersPipe.name, () => {
  const pipe = new RejectNulCharactersPipe();

  it('answers INVALID_CHARACTERS for a NUL in a query value, a key, a path parameter or a nested body string', () => {
    for (const [value, type] of [[{ q: 'a\0' }, 'query'], [{ 'k\0': 'v' }, 'query'], ['id\0', 'param'], [{ a: [{ b: 'x\0y' }] }, 'body']] as const) {
      expect(() => pipe.transform(value, { type })).toThrow(DomainError);
    }
  });

  it('passes everything else through unchanged, and leaves custom parameters (the principal) alone', () => {
    const body = { a: ['ok', 1, null, { b: 'ñandú 😀' }] };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('x\0', { type: 'custom' })).toBe('x\0');
  });

  it('walks nesting deeper than the call stack', () => {
    let deep: unknown = 'end\0';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(containsNul(deep)).toBe(true);
  });
});
