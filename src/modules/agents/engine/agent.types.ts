/** Contracts of the pure auto-reply engine: no database, no queues. */

/** Per-conversation engine memory (the `conversation.bot_state` JSONB column). */
export type BotState = Record<string, unknown>;

export type Language = 'es' | 'en';

export type InboundMessageType = 'text' | 'interactive' | 'button' | 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'location' | 'contacts' | 'reaction' | 'unknown';

export interface InboundText {
  text?: string;
  type: InboundMessageType | string;
  /** Id of the tapped button or list row (interactive replies). */
  interactiveReplyId?: string;
  timestamp: Date;
}

export interface HistoryEntry {
  direction: 'inbound' | 'outbound';
  text?: string;
  at: Date;
}

export interface AgentContext {
  organizationId: string;
  /** The burst being answered, oldest first. */
  messages: InboundText[];
  contact: { id: string; name?: string; phone?: string; optedOut: boolean };
  history: HistoryEntry[];
  conversation: { id: string; botState: BotState; botPaused: boolean; accountTimezone: string; unsureStreak: number };
  /** The organisation's config, resolved over the defaults (see `resolveAgentConfig`). */
  config: AgentConfig;
  now: Date;
  language?: Language;
  /** Filled by the registry for agents with `usesIntents`: first-pass scores of the other agents. */
  intents?: Record<string, number>;
}

export interface ReplyButton {
  id: string;
  /** WhatsApp limits button titles to 20 characters. */
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type OutboundReply =
  | { type: 'text'; text: string; isAi?: boolean }
  | { type: 'buttons'; text: string; buttons: ReplyButton[]; isAi?: boolean }
  | { type: 'list'; text: string; button: string; sections: Array<{ title?: string; rows: ListRow[] }>; isAi?: boolean }
  | { type: 'template'; name: string; language: string; variables: string[] };

export type Interest = 'interested' | 'not_interested' | 'question' | 'unknown';

export interface AgentSideEffects {
  addLabels?: string[];
  handoff?: { reason: string };
  /**
   * From an agent: a patch (keys set to `null` are removed). From the registry's
   * result: the complete next bot state, ready to persist.
   */
  botState?: BotState;
  interest?: Interest;
}

export interface AgentReply {
  messages: OutboundReply[];
  sideEffects?: AgentSideEffects;
}

export interface Agent {
  readonly name: string;
  /** Higher wins a tie on confidence. */
  readonly priority: number;
  /** Evaluated after the others, with `ctx.intents` set (e.g. flows triggered by an intent). */
  readonly usesIntents?: boolean;
  /** Confidence 0..1 that this agent should answer. */
  evaluate(ctx: AgentContext): Promise<number> | number;
  respond(ctx: AgentContext): Promise<AgentReply> | AgentReply;
}

export type LlmOutcome = 'ok' | 'declined' | 'budget_exhausted' | 'timeout' | 'error';

export interface LlmConsultation {
  outcome: LlmOutcome;
  /** A rule agent's name the model classified the message as, when it is one of `intents`. */
  intent?: string;
  reply?: AgentReply;
  confidence?: number;
}

/** The optional model-backed agent; only consulted when the rule agents are unsure. */
export interface LlmConsultant {
  readonly name: string;
  consult(ctx: AgentContext, options: { intents: string[]; signal?: AbortSignal }): Promise<LlmConsultation>;
}

export interface LocalizedText {
  es: string;
  en: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHoursConfig {
  /** Local [open, close] times per weekday, e.g. `{ mon: [['09:00', '18:00']] }`. */
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays?: string[];
}

export interface KeywordSet {
  /** Phrases that on their own identify the intent (weight 0.9). A trailing `*` matches a prefix. */
  strong: string[];
  /** Hints that only count together with others (weight 0.45). */
  weak: string[];
}

export interface KeywordRule {
  match: 'exact' | 'contains' | 'regex';
  pattern: string;
  reply: string;
  priority?: number;
}

export interface KnowledgeEntry {
  id: string;
  /** The agent that answers with it: tax_reminders, dte, honorarios, sii, invoices. */
  topic: string;
  keywords: string[];
  answer: string;
  answerEn?: string;
}

export interface LlmAgentConfig {
  enabled: boolean;
  /** The organisation's own instructions for the model (tone, scope). */
  instructions: string;
  model: string;
  maxTokens: number;
  temperature: number;
  timeoutMs: number;
  /** How many recent history entries go into the prompt. */
  historyLimit: number;
}

export interface AgentConfig {
  organizationName: string;
  threshold: number;
  handoffAfterUnsure: number;
  agents: Record<string, { enabled?: boolean; priority?: number }>;
  businessHours?: BusinessHoursConfig;
  texts: Record<string, LocalizedText>;
  keywords: Record<string, KeywordSet>;
  rules: KeywordRule[];
  knowledge: KnowledgeEntry[];
  llm: LlmAgentConfig;
  interestAnalysis: { enabled: boolean };
}

/** What an organisation stores: any subset of the config; the rest comes from the defaults. */
export type AgentConfigInput = Partial<Omit<AgentConfig, 'llm' | 'texts' | 'keywords'>> & {
  llm?: Partial<LlmAgentConfig>;
  texts?: Record<string, Partial<LocalizedText>>;
  keywords?: Record<string, Partial<KeywordSet>>;
};
