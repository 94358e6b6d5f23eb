import type { AgentContext, KeywordSet, Language, LocalizedText } from './agent.types';

const STRONG_WEIGHT = 0.9;
const WEAK_WEIGHT = 0.45;
const FUZZY_MIN_LENGTH = 5;

/** Lowercase, no accents, no punctuation or emoji, single spaces; `F-29` / `f 29` become `f29`. */
export function normalizeText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d)[.,](\d)/g, '$1$2')
    .replace(/\bf[\s\-.°º#]*(\d{2,4})\b/g, 'f$1')
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(input: string): string[] {
  const normalized = normalizeText(input);
  return normalized ? normalized.split(' ') : [];
}

/** Optimal-string-alignment Damerau-Levenshtein distance, stopping early once above `max`. */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
      rows[i][j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** One token against one keyword token: exact, prefix (`factur*`), or one typo for words of 5+ letters. */
export function tokenMatches(token: string, keyword: string): boolean {
  if (keyword.endsWith('*')) {
    const stem = keyword.slice(0, -1);
    if (token.startsWith(stem)) return true;
    // Short stems would swallow unrelated words with one typo ("abren" ~ "arrendar").
    if (stem.length < FUZZY_MIN_LENGTH + 1 || token.length < stem.length - 1) return false;
    return damerauLevenshtein(token.slice(0, stem.length), stem, 1) <= 1 || damerauLevenshtein(token.slice(0, stem.length - 1), stem, 1) <= 1;
  }
  if (token === keyword) return true;
  if (token.length < FUZZY_MIN_LENGTH || keyword.length < FUZZY_MIN_LENGTH) return false;
  return damerauLevenshtein(token, keyword, 1) <= 1;
}

/** Whether the phrase's tokens appear consecutively (typo-tolerant) in `tokens`; `a+b` needs both anywhere. */
export function containsPhrase(tokens: string[], phrase: string): boolean {
  if (phrase.includes('+')) return phrase.split('+').every((part) => containsSequence(tokens, part.trim()));
  return containsSequence(tokens, phrase);
}

function containsSequence(tokens: string[], phrase: string): boolean {
  const parts = phrase.split(' ').map((part) => (part.endsWith('*') ? normalizeText(part.slice(0, -1)) + '*' : normalizeText(part))).filter(Boolean);
  if (parts.length === 0 || parts.length > tokens.length) return false;
  for (let start = 0; start + parts.length <= tokens.length; start++) {
    if (parts.every((part, offset) => tokenMatches(tokens[start + offset], part))) return true;
  }
  return false;
}

/** Noisy-OR of the matched keywords' weights: one strong phrase is enough, weak hints add up. */
export function scoreKeywords(tokens: string[], keywords: KeywordSet | undefined): number {
  if (!keywords) return 0;
  let miss = 1;
  for (const phrase of keywords.strong ?? []) if (containsPhrase(tokens, phrase)) miss *= 1 - STRONG_WEIGHT;
  for (const phrase of keywords.weak ?? []) if (containsPhrase(tokens, phrase)) miss *= 1 - WEAK_WEIGHT;
  return round(1 - miss);
}

export function round(value: number, decimals = 4): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The whole burst as one text (button and list titles included). */
export function burstText(ctx: Pick<AgentContext, 'messages'>): string {
  return ctx.messages
    .map((message) => message.text ?? '')
    .filter((text) => text.trim().length > 0)
    .join(' ');
}

export function burstTokens(ctx: Pick<AgentContext, 'messages'>): string[] {
  return tokenize(burstText(ctx));
}

const ENGLISH_MARKERS = new Set(['the', 'is', 'are', 'what', 'how', 'hello', 'hi', 'you', 'my', 'do', 'does', 'i', 'want', 'need', 'please', 'thanks', 'can', 'your', 'with', 'to', 'price', 'open', 'when', 'much', 'talk', 'person', 'good', 'morning', 'hey', 'not', 'working', 'where', 'have', 'would', 'like', 'interested', 'job', 'it', 'this', 'be']);
const SPANISH_MARKERS = new Set(['el', 'la', 'los', 'las', 'que', 'de', 'por', 'para', 'con', 'es', 'como', 'cuanto', 'hola', 'quiero', 'necesito', 'tengo', 'mi', 'un', 'una', 'gracias', 'buenas', 'buenos', 'dias', 'no', 'si', 'me', 'y', 'en', 'del', 'al', 'hay', 'puedo', 'estoy', 'favor', 'se', 'su', 'tu', 'ustedes']);

/** Crude but dependable for short chat messages: count marker words of each language. */
export function detectLanguage(text: string): Language {
  let english = 0;
  let spanish = 0;
  for (const token of tokenize(text)) {
    if (ENGLISH_MARKERS.has(token)) english++;
    if (SPANISH_MARKERS.has(token)) spanish++;
  }
  return english > spanish ? 'en' : 'es';
}

export function contextLanguage(ctx: AgentContext): Language {
  return ctx.language ?? detectLanguage(burstText(ctx));
}

/** Replaces `{{key}}` placeholders; unknown keys become empty. */
export function interpolate(template: string, vars: Record<string, string | number | undefined>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, key: string) => {
    const value = vars[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function pickText(text: LocalizedText | undefined, language: Language): string {
  if (!text) return '';
  return (language === 'en' ? text.en : text.es) || text.es || text.en || '';
}
