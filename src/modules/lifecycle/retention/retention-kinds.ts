import type { RetentionPolicy } from '../../../database/entities/retention-policy.entity';

/** Kinds in the order a run applies them: whole conversations first, so nothing is counted twice. */
export const RETENTION_KINDS = ['conversations', 'media', 'messageBodies', 'webhookEvents', 'agentRuns', 'campaignRecipients'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** Age in days per kind; null keeps that kind. */
export type RetentionAges = Record<RetentionKind, number | null>;

export function agesOf(policy: RetentionPolicy | null): RetentionAges {
  return {
    conversations: policy?.closedConversationDays ?? null,
    media: policy?.mediaDays ?? null,
    messageBodies: policy?.messageBodyDays ?? null,
    webhookEvents: policy?.webhookEventDays ?? null,
    agentRuns: policy?.agentRunDays ?? null,
    campaignRecipients: policy?.campaignRecipientDays ?? null,
  };
}

/** The CLI's `--kind`: the seeds' names for groups of kinds. */
export const CLI_KINDS: Record<string, RetentionKind[]> = {
  messages: ['messageBodies'],
  media: ['media'],
  events: ['webhookEvents'],
  conversations: ['conversations'],
  all: [...RETENTION_KINDS],
};

export function cutoffOf(asOf: Date, days: number): Date {
  return new Date(asOf.getTime() - days * 24 * 3600 * 1000);
}
