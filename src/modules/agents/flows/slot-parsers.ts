import { normalizeText, tokenMatches, tokenize } from '../engine/text';
import type { ChoiceOption, SlotDefinition } from './flow-definition';

export type SlotParse = { ok: true; value: string | number; label: string } | { ok: false };

export interface SlotAnswer {
  text?: string;
  replyId?: string;
}

const MULTIPLIERS: Record<string, number> = { mil: 1_000, k: 1_000, millon: 1_000_000, millones: 1_000_000, palo: 1_000_000, palos: 1_000_000, lucas: 1_000, luca: 1_000 };

/** Words that may follow the number without changing it. */
const UNITS = new Set(['anos', 'ano', 'uf', 'pesos', 'peso', 'clp', 'm2', 'mts', 'metros']);

/** Numbers as Chileans type them: "800.000", "$ 1.200.000", "1,5 millones", "800 mil", "35 años"; "1980x" or "2019 algo" is not a number. */
export function parseSpanishNumber(text: string): number | undefined {
  // normalizeText joins "1.200.000" into one token; the digits themselves are read from the text as typed.
  const match = normalizeText(text).match(/^(?:[a-z]+ )*?(\d+)( ?[a-z0-9]+)?$/);
  if (!match) return undefined;
  const word = match[2]?.trim();
  if (word && !(word in MULTIPLIERS) && !UNITS.has(word)) return undefined;
  const value = Number(toPlainDigits(text, match[1]));
  if (!Number.isFinite(value)) return undefined;
  return value * (word ? (MULTIPLIERS[word] ?? 1) : 1);
}

/** "1.200.000" → 1200000, "1,5" → 1.5, "1,200,000" → 1200000, from the digits as typed. */
function toPlainDigits(original: string, normalized: string): string {
  const typed = original.match(/-?\d[\d.,]*/)?.[0].replace(/[.,]$/, '') ?? normalized;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(typed)) return typed.replace(/\./g, '').replace(',', '.');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(typed)) return typed.replace(/,/g, '');
  return typed.replace(',', '.');
}

/** `DD/MM/YYYY`, `DD-MM-YYYY`, `YYYY-MM-DD`, `hoy`, `mañana`; returns `YYYY-MM-DD`. */
export function parseSpanishDate(text: string, now: Date): string | undefined {
  const normalized = normalizeText(text);
  if (normalized === 'hoy' || normalized === 'today') return now.toISOString().slice(0, 10);
  if (normalized === 'manana' || normalized === 'tomorrow') return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const iso = text.match(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/);
  const local = text.match(/\b(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})\b/);
  const [year, month, day] = iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : local ? [normalizeYear(Number(local[3])), Number(local[2]), Number(local[1])] : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function normalizeYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

export function matchChoice(options: ChoiceOption[], answer: SlotAnswer): ChoiceOption | undefined {
  if (answer.replyId) {
    const byId = options.find((option) => option.id === answer.replyId);
    if (byId) return byId;
  }
  const text = normalizeText(answer.text ?? '');
  if (!text) return undefined;
  const tokens = tokenize(text);
  const index = Number(text);
  if (Number.isInteger(index) && index >= 1 && index <= options.length) return options[index - 1];
  return options.find((option) =>
    [option.id, option.title, ...(option.synonyms ?? [])].some((candidate) => {
      const words = normalizeText(candidate).split(' ');
      return normalizeText(candidate) === text || (words.length === 1 && tokens.some((token) => tokenMatches(token, words[0])));
    }),
  );
}

export function parseSlot(slot: SlotDefinition, answer: SlotAnswer, now: Date): SlotParse {
  const text = (answer.text ?? '').trim();
  const validation = slot.validation;
  switch (validation.type) {
    case 'choice': {
      const option = matchChoice(validation.options, answer);
      return option ? { ok: true, value: option.id, label: option.title } : { ok: false };
    }
    case 'number': {
      const value = parseSpanishNumber(text);
      if (value === undefined || (validation.integer && !Number.isInteger(value))) return { ok: false };
      if ((validation.min !== undefined && value < validation.min) || (validation.max !== undefined && value > validation.max)) return { ok: false };
      return { ok: true, value, label: formatNumber(value) };
    }
    case 'date': {
      const value = parseSpanishDate(text, now);
      if (!value || (validation.notBefore === 'today' && value < now.toISOString().slice(0, 10))) return { ok: false };
      return { ok: true, value, label: value.split('-').reverse().join('/') };
    }
    case 'regex': {
      const ok = new RegExp(validation.pattern, 'i').test(text);
      return ok ? { ok: true, value: text, label: text } : { ok: false };
    }
    case 'text': {
      const ok = text.length >= (validation.minLength ?? 1) && text.length <= (validation.maxLength ?? 500);
      return ok ? { ok: true, value: text, label: text } : { ok: false };
    }
  }
}

/** es-CL grouping without relying on the runtime's ICU data: 1234567.5 → "1.234.567,5". */
export function formatNumber(value: number): string {
  const [integer, decimals] = String(Math.abs(value)).split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${value < 0 ? '-' : ''}${grouped}${decimals ? `,${decimals}` : ''}`;
}
