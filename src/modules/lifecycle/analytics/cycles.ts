import type { BusinessHours } from '../../../database/entities/whatsapp-account.entity';
import { businessSeconds } from './business-time';

export type TimelineKind = 'inbound' | 'bot' | 'human' | 'handoff' | 'closed' | 'reopened';

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
}

export interface Schedule {
  hours: BusinessHours | null;
  timeZone: string;
}

export interface Cycle {
  cycle: number;
  openedAt: Date;
  firstBotReplyAt: Date | null;
  handoffAt: Date | null;
  firstHumanReplyAt: Date | null;
  resolvedAt: Date | null;
  inboundCount: number;
  outboundCount: number;
  humanReplies: number;
  firstResponseSeconds: number | null;
  firstResponseBusinessSeconds: number | null;
  resolutionSeconds: number | null;
  resolutionBusinessSeconds: number | null;
  autoResolved: boolean;
  windowExpired: boolean;
}

const WINDOW_MS = 24 * 3600 * 1000;
/** Same-instant entries: the customer's message opens before anything answers it, a close comes last. */
const ORDER: Record<TimelineKind, number> = { reopened: 0, inbound: 1, handoff: 2, bot: 3, human: 4, closed: 5 };

interface Draft {
  openedAt: Date;
  firstBotReplyAt: Date | null;
  handoffAt: Date | null;
  firstHumanReplyAt: Date | null;
  firstReplyAt: Date | null;
  lastInboundBeforeReply: Date | null;
  resolvedAt: Date | null;
  inboundCount: number;
  outboundCount: number;
  humanReplies: number;
}

/**
 * A conversation's cycles from its timeline. A cycle opens with the first customer message (or a reopen) while no
 * cycle is open and ends when it is closed; a reopen always starts a new cycle, so its first response is measured
 * afresh. First response and resolution count from the later of the opening and the last bot handoff before the
 * first human reply, so time the bot held the conversation is never a person's time.
 */
export function computeCycles(timeline: TimelineEntry[], schedule: Schedule, now: Date): Cycle[] {
  const sorted = [...timeline].sort((x, y) => x.at.getTime() - y.at.getTime() || ORDER[x.kind] - ORDER[y.kind]);
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  for (const entry of sorted) {
    const idle = !current || current.resolvedAt !== null;
    if (idle && (entry.kind === 'inbound' || entry.kind === 'reopened')) {
      current = open(entry.at);
      drafts.push(current);
    }
    if (!current || current.resolvedAt !== null) continue;
    apply(current, entry);
  }
  return drafts.map((draft, index) => finish(draft, index + 1, schedule, now));
}

function open(at: Date): Draft {
  return {
    openedAt: at,
    firstBotReplyAt: null,
    handoffAt: null,
    firstHumanReplyAt: null,
    firstReplyAt: null,
    lastInboundBeforeReply: null,
    resolvedAt: null,
    inboundCount: 0,
    outboundCount: 0,
    humanReplies: 0,
  };
}

function apply(draft: Draft, { at, kind }: TimelineEntry): void {
  if (kind === 'inbound') {
    draft.inboundCount += 1;
    if (!draft.firstReplyAt) draft.lastInboundBeforeReply = at;
  } else if (kind === 'bot' || kind === 'human') {
    draft.outboundCount += 1;
    draft.firstReplyAt ??= at;
    if (kind === 'bot') draft.firstBotReplyAt ??= at;
    else {
      draft.humanReplies += 1;
      draft.firstHumanReplyAt ??= at;
    }
  } else if (kind === 'handoff') {
    if (!draft.firstHumanReplyAt) draft.handoffAt = at;
  } else if (kind === 'closed') {
    draft.resolvedAt = at;
  }
}

function finish(draft: Draft, cycle: number, schedule: Schedule, now: Date): Cycle {
  const anchor = draft.handoffAt && draft.handoffAt > draft.openedAt ? draft.handoffAt : draft.openedAt;
  const seconds = (end: Date | null) => (end ? Math.max(0, Math.round((end.getTime() - anchor.getTime()) / 1000)) : null);
  const business = (end: Date | null) => (end ? businessSeconds(anchor, end, schedule.hours, schedule.timeZone) : null);
  const lastInbound = draft.lastInboundBeforeReply ?? draft.openedAt;
  const windowExpired = (draft.firstReplyAt ?? now).getTime() - lastInbound.getTime() > WINDOW_MS;
  return {
    cycle,
    openedAt: draft.openedAt,
    firstBotReplyAt: draft.firstBotReplyAt,
    handoffAt: draft.handoffAt,
    firstHumanReplyAt: draft.firstHumanReplyAt,
    resolvedAt: draft.resolvedAt,
    inboundCount: draft.inboundCount,
    outboundCount: draft.outboundCount,
    humanReplies: draft.humanReplies,
    firstResponseSeconds: seconds(draft.firstHumanReplyAt),
    firstResponseBusinessSeconds: business(draft.firstHumanReplyAt),
    resolutionSeconds: seconds(draft.resolvedAt),
    resolutionBusinessSeconds: business(draft.resolvedAt),
    autoResolved: draft.resolvedAt !== null && !draft.firstHumanReplyAt && !draft.handoffAt,
    windowExpired,
  };
}
