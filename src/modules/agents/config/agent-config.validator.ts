import type { AgentConfigInput, Weekday } from '../engine/agent.types';
import { validateRules } from '../engine/agents/keyword-rules.agent';

export interface FieldProblem {
  field: string;
  message: string;
}

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TOP_LEVEL = new Set(['organizationName', 'threshold', 'handoffAfterUnsure', 'agents', 'businessHours', 'texts', 'keywords', 'rules', 'knowledge', 'llm', 'interestAnalysis']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Problems in an organisation's stored agent config (the `AgentConfigInput` overlay), empty when valid. */
export function validateAgentConfigInput(input: unknown): FieldProblem[] {
  if (!isObject(input)) return [{ field: 'agents', message: 'must be an object' }];
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  for (const key of Object.keys(input)) if (!TOP_LEVEL.has(key)) add(key, 'is not a known setting');
  const cfg = input as AgentConfigInput & Record<string, unknown>;
  if (cfg.organizationName !== undefined && (typeof cfg.organizationName !== 'string' || cfg.organizationName.length > 200)) add('organizationName', 'must be a string of at most 200 characters');
  if (cfg.threshold !== undefined && !(typeof cfg.threshold === 'number' && cfg.threshold > 0 && cfg.threshold <= 1)) add('threshold', 'must be a number in (0, 1]');
  if (cfg.handoffAfterUnsure !== undefined && !(Number.isInteger(cfg.handoffAfterUnsure) && cfg.handoffAfterUnsure >= 1 && cfg.handoffAfterUnsure <= 20)) {
    add('handoffAfterUnsure', 'must be an integer between 1 and 20');
  }
  if (cfg.agents !== undefined) {
    if (!isObject(cfg.agents)) add('agents', 'must be an object keyed by agent name');
    else
      for (const [name, value] of Object.entries(cfg.agents)) {
        if (!isObject(value)) add(`agents.${name}`, 'must be an object');
        else {
          if (value.enabled !== undefined && typeof value.enabled !== 'boolean') add(`agents.${name}.enabled`, 'must be a boolean');
          if (value.priority !== undefined && typeof value.priority !== 'number') add(`agents.${name}.priority`, 'must be a number');
        }
      }
  }
  if (cfg.businessHours !== undefined) problems.push(...validateBusinessHours(cfg.businessHours, 'businessHours'));
  if (cfg.texts !== undefined) {
    if (!isObject(cfg.texts)) add('texts', 'must be an object');
    else
      for (const [key, text] of Object.entries(cfg.texts)) {
        if (!isObject(text) || Object.entries(text).some(([lang, value]) => !['es', 'en'].includes(lang) || typeof value !== 'string')) add(`texts.${key}`, 'must be {es?, en?} strings');
      }
  }
  if (cfg.keywords !== undefined) {
    if (!isObject(cfg.keywords)) add('keywords', 'must be an object');
    else
      for (const [key, set] of Object.entries(cfg.keywords)) {
        if (!isObject(set)) add(`keywords.${key}`, 'must be {strong?, weak?}');
        else for (const kind of ['strong', 'weak'] as const) if (set[kind] !== undefined && !isStringArray(set[kind])) add(`keywords.${key}.${kind}`, 'must be an array of strings');
      }
  }
  if (cfg.rules !== undefined) {
    if (!Array.isArray(cfg.rules) || cfg.rules.some((rule) => !isObject(rule))) add('rules', 'must be an array of {match, pattern, reply, priority?}');
    else for (const message of validateRules(cfg.rules)) add(message.split(' ')[0], message.slice(message.indexOf(' ') + 1));
  }
  if (cfg.knowledge !== undefined) {
    if (!Array.isArray(cfg.knowledge)) add('knowledge', 'must be an array');
    else
      cfg.knowledge.forEach((entry, index) => {
        if (!isObject(entry) || typeof entry.id !== 'string' || typeof entry.topic !== 'string' || !isStringArray(entry.keywords) || typeof entry.answer !== 'string' || !entry.answer.trim()) {
          add(`knowledge[${index}]`, 'must be {id, topic, keywords: string[], answer, answerEn?}');
        }
      });
  }
  if (cfg.llm !== undefined) {
    if (!isObject(cfg.llm)) add('llm', 'must be an object');
    else {
      const llm = cfg.llm as Record<string, unknown>;
      if (llm.enabled !== undefined && typeof llm.enabled !== 'boolean') add('llm.enabled', 'must be a boolean');
      if (llm.instructions !== undefined && (typeof llm.instructions !== 'string' || llm.instructions.length > 4000)) add('llm.instructions', 'must be a string of at most 4000 characters');
      for (const [key, min, max] of [['maxTokens', 16, 4000], ['temperature', 0, 2], ['timeoutMs', 100, 60000], ['historyLimit', 0, 50]] as const) {
        const value = llm[key];
        if (value !== undefined && !(typeof value === 'number' && value >= min && value <= max)) add(`llm.${key}`, `must be a number between ${min} and ${max}`);
      }
      if (llm.model !== undefined && typeof llm.model !== 'string') add('llm.model', 'must be a string');
    }
  }
  if (cfg.interestAnalysis !== undefined && !(isObject(cfg.interestAnalysis) && typeof cfg.interestAnalysis.enabled === 'boolean')) add('interestAnalysis', 'must be {enabled: boolean}');
  return problems;
}

export function validateBusinessHours(hours: unknown, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(hours) || !isObject(hours.weekly)) return [{ field, message: 'must be {weekly: {mon: [["09:00","18:00"]], …}, holidays?: ["YYYY-MM-DD"]}' }];
  for (const [day, slots] of Object.entries(hours.weekly)) {
    if (!WEEKDAYS.includes(day as Weekday)) problems.push({ field: `${field}.weekly.${day}`, message: 'is not a weekday (mon..sun)' });
    else if (!Array.isArray(slots) || slots.some((slot) => !Array.isArray(slot) || slot.length !== 2 || !CLOCK.test(String(slot[0])) || !CLOCK.test(String(slot[1])) || String(slot[0]) >= String(slot[1]))) {
      problems.push({ field: `${field}.weekly.${day}`, message: 'must be a list of ["HH:MM","HH:MM"] with open before close' });
    }
  }
  if (hours.holidays !== undefined && !(isStringArray(hours.holidays) && hours.holidays.every((date) => DATE.test(date)))) problems.push({ field: `${field}.holidays`, message: 'must be a list of YYYY-MM-DD dates' });
  return problems;
}
