import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { burstTokens, containsPhrase } from '../text';
import { configuredText, keywordScore, textReply } from './agent-support';

/** Words that may accompany a greeting without turning it into a question. */
const FILLER = new Set(['como', 'estas', 'esta', 'estan', 'que', 'tal', 'dias', 'dia', 'tardes', 'noches', 'buen', 'buena', 'buenas', 'buenos', 'muy', 'y', 'usted', 'ustedes', 'todo', 'bien', 'a', 'todos', 'there', 'team', 'equipo', 'don', 'dona', 'senor', 'senora', 'srta', 'sr', 'sra', 'muchas', 'mil', 'gracias', 'por', 'su', 'tu', 'la', 'el', 'ayuda', 'saludos', 'cordiales', 'de', 'nuevo', 'again', 'good', 'morning', 'afternoon', 'evening', 'hi', 'hello', 'hey', 'thanks', 'thank', 'you', 'so', 'much', 'ok', 'okay', 'perfecto', 'genial', 'excelente', 'listo', 'dale', 'vale', 'hola', 'holi', 'ola', 'alo', 'chao', 'adios', 'hasta', 'luego', 'pronto', 'nos', 'vemos', 'un', 'abrazo', 'slds', 'bye']);
const THANKS = ['gracias', 'thanks', 'thank you', 'muchas gracias', 'chao', 'adios', 'hasta luego', 'bye'];

export class GreetingAgent implements Agent {
  readonly name = AgentName.Greeting;
  readonly priority = 10;

  evaluate(ctx: AgentContext): number {
    const score = keywordScore(ctx, this.name);
    if (score === 0) return 0;
    const tokens = burstTokens(ctx);
    const nameTokens = new Set((ctx.contact.name ?? '').toLowerCase().split(/\s+/));
    const extra = tokens.filter((token) => !FILLER.has(token) && !nameTokens.has(token) && !/^\d+$/.test(token));
    if (extra.length === 0) return 0.85;
    // One unknown word is usually a name ("hola don Carlos"); more means a question follows.
    return extra.length <= 1 && tokens.length <= 6 ? 0.6 : 0.3;
  }

  respond(ctx: AgentContext): AgentReply {
    const tokens = burstTokens(ctx);
    const greets = ['hola', 'buenas', 'buenos dias', 'hello', 'hi', 'hey'].some((phrase) => containsPhrase(tokens, phrase));
    const thanks = THANKS.some((phrase) => containsPhrase(tokens, phrase));
    return textReply(configuredText(ctx, thanks && !greets ? 'greeting.thanks' : 'greeting.reply'));
  }
}
