/** `{{1}}` (positional) and `{{first_name}}` (named) variables inside template text. */
export type PlaceholderKind = 'positional' | 'named' | 'invalid';

export interface Placeholder {
  /** The token as written, braces included. */
  raw: string;
  /** `'1'` for `{{1}}`, `'first_name'` for `{{first_name}}`, the inner text when invalid. */
  key: string;
  kind: PlaceholderKind;
  start: number;
  end: number;
}

export interface ParsedText {
  placeholders: Placeholder[];
  /** A `{{` or `}}` left over once every `{{…}}` token is removed (mismatched braces). */
  hasStrayBraces: boolean;
}

const TOKEN = /\{\{([^{}]*)\}\}/g;
const POSITIONAL_KEY = /^[1-9][0-9]*$/;
export const NAMED_KEY = /^[a-z][a-z0-9_]*$/;

export function parsePlaceholders(text: string): ParsedText {
  const placeholders: Placeholder[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const key = match[1];
    placeholders.push({ raw: match[0], key, kind: kindOf(key), start: match.index, end: match.index + match[0].length });
  }
  const rest = text.replace(TOKEN, '');
  return { placeholders, hasStrayBraces: rest.includes('{{') || rest.includes('}}') };
}

/** Distinct keys in order of first appearance. */
export function distinctKeys(placeholders: Placeholder[]): string[] {
  return [...new Set(placeholders.map((p) => p.key))];
}

/** Replaces every valid placeholder with `valueOf(key)`; invalid tokens stay as written. */
export function fillPlaceholders(text: string, valueOf: (key: string) => string): string {
  return text.replace(TOKEN, (raw: string, key: string) => (kindOf(key) === 'invalid' ? raw : valueOf(key)));
}

function kindOf(key: string): PlaceholderKind {
  if (POSITIONAL_KEY.test(key)) return 'positional';
  if (NAMED_KEY.test(key)) return 'named';
  return 'invalid';
}
