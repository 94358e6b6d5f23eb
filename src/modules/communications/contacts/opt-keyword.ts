export type OptKeyword = 'opt_out' | 'opt_in';

export const OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'BAJA', 'DETENER', 'CANCELAR SUSCRIPCION'];
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'ALTA', 'SUSCRIBIR'];

/** Upper case, accents folded, surrounding punctuation/emoji dropped, inner whitespace collapsed. */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

/** Only a message that is the keyword and nothing else counts ("stop", "¡Baja!"), never "don't stop". */
export function detectOptKeyword(text: string | null | undefined): OptKeyword | null {
  if (!text) return null;
  const normalized = normalizeKeywordText(text);
  if (OPT_OUT_KEYWORDS.includes(normalized)) return 'opt_out';
  if (OPT_IN_KEYWORDS.includes(normalized)) return 'opt_in';
  return null;
}
