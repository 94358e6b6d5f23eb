import { containsPhrase, damerauLevenshtein, detectLanguage, normalizeText, scoreKeywords, tokenMatches, tokenize } from './text';

describe('normalizeText', () => {
  it('lowercases, strips accents, punctuation and emoji and collapses spaces when given messy input', () => {
    expect(normalizeText('  ¿Cuándo   VENCE el IVA?? 😅 ')).toBe('cuando vence el iva');
  });

  it('joins form numbers when typed with a separator', () => {
    expect(tokenize('el F-29 y el f 3323')).toEqual(['el', 'f29', 'y', 'el', 'f3323']);
  });
});

describe('damerauLevenshtein', () => {
  it('counts a transposition as one edit', () => {
    expect(damerauLevenshtein('factura', 'facutra')).toBe(1);
    expect(damerauLevenshtein('horario', 'horaio')).toBe(1);
    expect(damerauLevenshtein('precio', 'plazo')).toBeGreaterThan(1);
  });
});

describe('tokenMatches', () => {
  it('tolerates one typo only for words of five letters or more', () => {
    expect(tokenMatches('ejecutibo', 'ejecutivo')).toBe(true);
    expect(tokenMatches('ola', 'hola')).toBe(false);
    expect(tokenMatches('facturas', 'factur*')).toBe(true);
  });
});

describe('containsPhrase', () => {
  it('matches consecutive words, and words anywhere when joined with +', () => {
    const tokens = tokenize('te mando las facturas del mes');
    expect(containsPhrase(tokens, 'facturas del mes')).toBe(true);
    expect(containsPhrase(tokens, 'mand*+factur*')).toBe(true);
    expect(containsPhrase(tokens, 'mes facturas')).toBe(false);
  });
});

describe('scoreKeywords', () => {
  it('adds up weak hints with a noisy-or and lets one strong phrase decide', () => {
    const tokens = tokenize('atienden el sabado');
    expect(scoreKeywords(tokens, { strong: [], weak: ['atienden', 'sabado*'] })).toBeCloseTo(0.6975);
    expect(scoreKeywords(tokens, { strong: ['atienden el'], weak: [] })).toBe(0.9);
  });
});

describe('detectLanguage', () => {
  it('tells English from Spanish in short chat messages', () => {
    expect(detectLanguage('How much do your plans cost?')).toBe('en');
    expect(detectLanguage('¿Cuánto cuestan los planes?')).toBe('es');
  });
});
