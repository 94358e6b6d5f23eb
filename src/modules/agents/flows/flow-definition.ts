import type { ListRow, ReplyButton } from '../engine/agent.types';
import { compileRule } from '../engine/agents/keyword-rules.agent';

/** Texts may use `{{slot}}`, `{{slot_label}}` (choice titles) and computed values. */
export type FlowMessage =
  | { type: 'text'; text: string }
  | { type: 'buttons'; text: string; buttons: ReplyButton[] }
  | { type: 'list'; text: string; button: string; rows: ListRow[] };

export interface ChoiceOption {
  id: string;
  title: string;
  /** Typed answers accepted for this option besides its id and title. */
  synonyms?: string[];
}

export type SlotValidation =
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  | { type: 'date'; notBefore?: 'today' }
  | { type: 'choice'; options: ChoiceOption[]; display?: 'buttons' | 'list' }
  | { type: 'text'; minLength?: number; maxLength?: number }
  | { type: 'regex'; pattern: string };

export interface SlotDefinition {
  name: string;
  prompt: string;
  validation: SlotValidation;
  /** Shown before the prompt is repeated after an invalid answer. */
  errorMessage: string;
  /** Only asked when another slot holds one of these values. */
  when?: { slot: string; in: string[] };
}

export type TransitionTrigger =
  | { replyId: string }
  | { keyword: string }
  | { intent: string }
  | { slotsComplete: true }
  | { always: true };

export interface FlowTransition {
  on: TransitionTrigger;
  to: string;
}

export interface FlowStateDefinition {
  messages?: FlowMessage[];
  slots?: SlotDefinition[];
  transitions?: FlowTransition[];
  /** Name of a runtime calculator whose result joins the template variables on entering. */
  compute?: string;
  terminal?: boolean;
  /** Applied when the flow ends in this state. */
  addLabels?: string[];
  handoff?: boolean;
  /** Said when the answer matches no transition; the state's messages follow. */
  unmatchedMessage?: string;
}

export interface FlowDefinition {
  id: string;
  name: string;
  initialState: string;
  /** Minutes without an answer after which the conversation starts the flow over. */
  idleTimeoutMinutes: number;
  /** What starts the flow when none is active. */
  triggers?: { keywords?: string[]; intents?: string[] };
  /** Typed by the customer, abandons the flow. */
  exitKeywords?: string[];
  states: Record<string, FlowStateDefinition>;
}

/** Computed template variables, e.g. a quote from the collected slots. */
export type FlowCalculator = (slots: Record<string, string | number>, now: Date) => Record<string, string | number>;

export interface FlowRuntime {
  calculators?: Record<string, FlowCalculator>;
}

/** All problems found, empty when the definition can run. */
export function validateFlowDefinition(def: FlowDefinition, runtime: FlowRuntime = {}): string[] {
  const errors: string[] = [];
  if (!def || typeof def !== 'object') return ['definition must be an object'];
  if (!def.id) errors.push('id is required');
  const states = def.states ?? {};
  const names = Object.keys(states);
  if (names.length === 0) errors.push('states must not be empty');
  if (!states[def.initialState]) errors.push(`initialState "${def.initialState}" does not exist`);
  if (!names.some((name) => states[name].terminal)) errors.push('at least one state must be terminal');
  if (!(def.idleTimeoutMinutes > 0)) errors.push('idleTimeoutMinutes must be a positive number');
  for (const name of names) errors.push(...validateState(name, states[name], names, runtime));
  return errors;
}

function validateState(name: string, state: FlowStateDefinition, names: string[], runtime: FlowRuntime): string[] {
  const errors: string[] = [];
  const where = `states.${name}`;
  for (const transition of state.transitions ?? []) {
    if (!names.includes(transition.to)) errors.push(`${where}: transition target "${transition.to}" does not exist`);
  }
  if (!state.terminal && (state.transitions ?? []).length === 0) errors.push(`${where}: a non-terminal state needs transitions`);
  if (state.compute && runtime.calculators && !runtime.calculators[state.compute]) errors.push(`${where}: calculator "${state.compute}" is not registered`);
  const slotNames = new Set<string>();
  for (const slot of state.slots ?? []) {
    if (slotNames.has(slot.name)) errors.push(`${where}: duplicate slot "${slot.name}"`);
    slotNames.add(slot.name);
    errors.push(...validateSlot(`${where}.slots.${slot.name}`, slot));
  }
  for (const message of state.messages ?? []) {
    if (message.type === 'buttons' && (message.buttons.length === 0 || message.buttons.length > 3)) errors.push(`${where}: buttons messages take 1 to 3 buttons`);
    if (message.type === 'list' && (message.rows.length === 0 || message.rows.length > 10)) errors.push(`${where}: list messages take 1 to 10 rows`);
  }
  return errors;
}

function validateSlot(where: string, slot: SlotDefinition): string[] {
  const errors: string[] = [];
  if (!slot.prompt) errors.push(`${where}: prompt is required`);
  if (!slot.errorMessage) errors.push(`${where}: errorMessage is required`);
  const validation = slot.validation;
  if (validation?.type === 'number' && validation.min !== undefined && validation.max !== undefined && validation.min > validation.max) errors.push(`${where}: min is greater than max`);
  if (validation?.type === 'choice') {
    if (validation.options.length === 0) errors.push(`${where}: choice needs options`);
    if ((validation.display ?? 'buttons') === 'buttons' && validation.options.length > 3) errors.push(`${where}: more than 3 options need display "list"`);
  }
  if (validation?.type === 'regex' && !compileRule(validation.pattern)) errors.push(`${where}: pattern is not a valid regular expression`);
  if (!validation || !['number', 'date', 'choice', 'text', 'regex'].includes(validation.type)) errors.push(`${where}: unknown validation type`);
  return errors;
}
