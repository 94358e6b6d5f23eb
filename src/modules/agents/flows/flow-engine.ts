import type { OutboundReply } from '../engine/agent.types';
import { containsPhrase, interpolate, tokenize } from '../engine/text';
import type { FlowDefinition, FlowMessage, FlowRuntime, FlowStateDefinition, FlowTransition, SlotDefinition } from './flow-definition';
import { parseSlot } from './slot-parsers';

/** A conversation's position in a flow; lives in the bot state as plain JSON. */
export interface FlowState {
  flowId: string;
  current: string;
  slots: Record<string, string | number>;
  /** Computed values (e.g. the quote) available to templates. */
  vars: Record<string, string | number>;
  startedAt: string;
  updatedAt: string;
}

export interface FlowInput {
  text?: string;
  replyId?: string;
  intent?: string;
}

export interface FlowStep {
  /** Undefined only when the customer left the flow with an exit keyword. */
  state: FlowState | undefined;
  replies: OutboundReply[];
  completed: boolean;
  /** The previous state had expired and the flow started over. */
  restarted?: boolean;
  cancelled?: boolean;
}

/** Chained automatic transitions stop here, so a cyclic definition cannot spin forever. */
const MAX_CHAIN = 20;

export function isFlowExpired(def: FlowDefinition, state: FlowState, now: Date): boolean {
  return now.getTime() - new Date(state.updatedAt).getTime() > def.idleTimeoutMinutes * 60_000;
}

/** Pure: the next state and what to say, given the previous state and the customer's answer. */
export function advance(def: FlowDefinition, state: FlowState | undefined, input: FlowInput, now: Date, runtime: FlowRuntime = {}): FlowStep {
  const expired = state !== undefined && (state.flowId !== def.id || isFlowExpired(def, state, now));
  if (!state || expired || def.states[state.current]?.terminal || !def.states[state.current]) {
    const fresh: FlowState = { flowId: def.id, current: def.initialState, slots: {}, vars: {}, startedAt: now.toISOString(), updatedAt: now.toISOString() };
    const step = enter(def, fresh, def.initialState, now, runtime, []);
    return expired ? { ...step, restarted: true } : step;
  }
  if (matchesAny(input.text, def.exitKeywords)) return { state: undefined, replies: [], completed: true, cancelled: true };
  const current = { ...state, updatedAt: now.toISOString() };
  const stateDef = def.states[current.current];
  const slot = pendingSlot(stateDef, current.slots);
  if (slot) return answerSlot(def, current, stateDef, slot, input, now, runtime);
  const transition = findTransition(stateDef, input, false);
  if (!transition) return { state: current, replies: reask(stateDef, current), completed: false };
  return enter(def, current, transition.to, now, runtime, []);
}

function answerSlot(def: FlowDefinition, state: FlowState, stateDef: FlowStateDefinition, slot: SlotDefinition, input: FlowInput, now: Date, runtime: FlowRuntime): FlowStep {
  const parsed = parseSlot(slot, input, now);
  if (!parsed.ok) return { state, replies: [textReply(render(slot.errorMessage, state)), slotPrompt(slot, state)], completed: false };
  const next: FlowState = { ...state, slots: { ...state.slots, [slot.name]: parsed.value, [`${slot.name}_label`]: parsed.label } };
  const following = pendingSlot(stateDef, next.slots);
  if (following) return { state: next, replies: [slotPrompt(following, next)], completed: false };
  const transition = findTransition(stateDef, input, true);
  if (!transition) return { state: next, replies: [], completed: false };
  return enter(def, next, transition.to, now, runtime, []);
}

function enter(def: FlowDefinition, state: FlowState, name: string, now: Date, runtime: FlowRuntime, replies: OutboundReply[], depth = 0): FlowStep {
  const stateDef = def.states[name];
  let next: FlowState = { ...state, current: name, updatedAt: now.toISOString() };
  if (stateDef.compute) {
    const calculator = runtime.calculators?.[stateDef.compute];
    if (calculator) next = { ...next, vars: { ...next.vars, ...calculator(next.slots, now) } };
  }
  const out = [...replies, ...(stateDef.messages ?? []).map((message) => renderMessage(message, next))];
  if (stateDef.terminal) return { state: next, replies: out, completed: true };
  const slot = pendingSlot(stateDef, next.slots);
  if (slot) return { state: next, replies: [...out, slotPrompt(slot, next)], completed: false };
  const automatic = (stateDef.transitions ?? []).find((transition) => 'always' in transition.on || 'slotsComplete' in transition.on);
  if (automatic && depth < MAX_CHAIN) return enter(def, next, automatic.to, now, runtime, out, depth + 1);
  return { state: next, replies: out, completed: false };
}

/** The first slot still empty whose `when` condition holds. */
function pendingSlot(stateDef: FlowStateDefinition, slots: FlowState['slots']): SlotDefinition | undefined {
  return (stateDef.slots ?? []).find((slot) => {
    if (slots[slot.name] !== undefined) return false;
    return !slot.when || slot.when.in.includes(String(slots[slot.when.slot]));
  });
}

function findTransition(stateDef: FlowStateDefinition, input: FlowInput, slotsJustCompleted: boolean): FlowTransition | undefined {
  const transitions = stateDef.transitions ?? [];
  const tokens = tokenize(input.text ?? '');
  const triggered = (transition: FlowTransition): boolean => {
    const on = transition.on;
    if ('replyId' in on) return input.replyId === on.replyId;
    if ('keyword' in on) return tokens.length > 0 && containsPhrase(tokens, on.keyword);
    if ('intent' in on) return input.intent === on.intent;
    if ('slotsComplete' in on) return slotsJustCompleted;
    return 'always' in on;
  };
  // Explicit answers (button, keyword, intent) outrank the automatic ones.
  return transitions.find((transition) => !('slotsComplete' in transition.on) && !('always' in transition.on) && triggered(transition)) ?? transitions.find(triggered);
}

function reask(stateDef: FlowStateDefinition, state: FlowState): OutboundReply[] {
  const messages = (stateDef.messages ?? []).map((message) => renderMessage(message, state));
  return stateDef.unmatchedMessage ? [textReply(render(stateDef.unmatchedMessage, state)), ...messages] : messages;
}

function slotPrompt(slot: SlotDefinition, state: FlowState): OutboundReply {
  const text = render(slot.prompt, state);
  const validation = slot.validation;
  if (validation.type !== 'choice') return textReply(text);
  if ((validation.display ?? 'buttons') === 'buttons') return { type: 'buttons', text, buttons: validation.options.map(({ id, title }) => ({ id, title })) };
  return { type: 'list', text, button: 'Elegir', sections: [{ rows: validation.options.map(({ id, title }) => ({ id, title })) }] };
}

function renderMessage(message: FlowMessage, state: FlowState): OutboundReply {
  const text = render(message.text, state);
  if (message.type === 'buttons') return { type: 'buttons', text, buttons: message.buttons };
  if (message.type === 'list') return { type: 'list', text, button: message.button, sections: [{ rows: message.rows }] };
  return textReply(text);
}

function render(template: string, state: FlowState): string {
  return interpolate(template, { ...state.slots, ...state.vars });
}

function textReply(text: string): OutboundReply {
  return { type: 'text', text };
}

export function matchesAny(text: string | undefined, phrases: string[] | undefined): boolean {
  const tokens = tokenize(text ?? '');
  return tokens.length > 0 && (phrases ?? []).some((phrase) => containsPhrase(tokens, phrase));
}
