import type { Interest } from './agent.types';
import { containsPhrase, tokenize } from './text';

const NOT_INTERESTED = [
  'no me interesa', 'no nos interesa', 'no estoy interesad*', 'no estoy buscando', 'no busco', 'no por ahora', 'no gracias', 'ya encontre', 'ya tengo trabajo',
  'ya estoy trabajando', 'no estoy disponible', 'no tengo disponibilidad', 'descart*', 'declin*', 'no es para mi', 'no me sirve', 'no me acomoda', 'paso', 'no quiero',
  'no me llamen', 'no me escriban', 'borrar* de la lista', 'eliminar* de la lista', 'dejen de escribir', 'no insistan', 'no califico', 'no puedo aceptar', 'no cumplo',
  'not interested', 'no thanks', 'no thank you', 'already found', 'already have a job', 'not looking', 'remove me', 'unsubscribe', 'stop', 'pass', 'not for me', 'not available',
];
const INTERESTED = [
  'me interesa', 'me interesaria', 'estoy interesad*', 'interesad*', 'me gustaria postular', 'me gustaria participar', 'quiero postular', 'postulo', 'me postulo', 'postular',
  'me anoto', 'cuenten conmigo', 'cuenta conmigo', 'estoy disponible', 'tengo disponibilidad', 'disponible', 'por supuesto', 'claro que si', 'claro', 'obvio', 'encantad*',
  'de acuerdo', 'acepto', 'me parece bien', 'me parece excelente', 'perfecto', 'genial', 'dale', 'me sirve', 'me acomoda', 'agendemos', 'agendar',
  'interested', 'count me in', 'sounds good', 'sounds great', 'i am in', 'im in', 'i would love', 'id love', 'sure', 'yes', 'absolutely', 'definitely', 'available', 'lets do it', 'happy to',
];
const QUESTION_WORDS = ['que', 'cual', 'cuales', 'cuanto', 'cuanta', 'cuantos', 'cuantas', 'donde', 'como', 'cuando', 'quien', 'quienes', 'what', 'how', 'where', 'when', 'which', 'who', 'is', 'are', 'does', 'do', 'can', 'could'];
const QUESTION_PHRASES = ['me pueden contar', 'me podrian contar', 'mas informacion', 'mas info', 'mas detalles', 'de que se trata', 'quisiera saber', 'quiero saber', 'me gustaria saber', 'necesito saber', 'tell me more', 'more info', 'more details'];

/** Intent of a reply to a recruiting message. A declared interest wins over a follow-up question. */
export function classifyInterest(text: string | undefined): Interest {
  if (!text?.trim()) return 'unknown';
  const tokens = tokenize(text);
  if (tokens.length === 0) return 'unknown';
  if (NOT_INTERESTED.some((phrase) => containsPhrase(tokens, phrase)) || isBareNo(tokens)) return 'not_interested';
  if (INTERESTED.some((phrase) => containsPhrase(tokens, phrase)) || isBareYes(tokens)) return 'interested';
  if (isQuestion(text, tokens)) return 'question';
  return 'unknown';
}

function isBareYes(tokens: string[]): boolean {
  return ['si', 'yes', 'yep', 'yeah', 'sip', 'sii'].includes(tokens[0]);
}

function isBareNo(tokens: string[]): boolean {
  if (tokens[0] !== 'no' || ['se', 'entiendo', 'estoy', 'tengo'].includes(tokens[1])) return false;
  return tokens.length <= 3 || tokens[1] === 'gracias';
}

function isQuestion(raw: string, tokens: string[]): boolean {
  if (raw.includes('?') || raw.includes('¿')) return true;
  if (QUESTION_PHRASES.some((phrase) => containsPhrase(tokens, phrase))) return true;
  return QUESTION_WORDS.includes(tokens[0]);
}
