import type { JobsOptions } from 'bullmq';
import { JobName } from './job-names';

const keepFailed = { age: 7 * 24 * 3600, count: 10000 };

/** Retry policy per job name, beside the name. Completed jobs are dropped, failed ones kept a week. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.ProcessWebhookEvent]: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  // 1 try + at most 3 automatic retries; the handler may pick a longer provider-suggested delay.
  [JobName.SendMessage]: { attempts: 4, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
  [JobName.DownloadMedia]: { attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
  // A run is a loop that delays itself; a crash (DB down) retries it, and the campaign sweep re-enqueues it after that.
  [JobName.RunCampaign]: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  [JobName.SweepCampaigns]: { attempts: 1 },
  [JobName.RunAgents]: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
  [JobName.SyncTemplates]: { attempts: 3, backoff: { type: 'exponential', delay: 30000 } },
  [JobName.SweepWebhookEvents]: { attempts: 1 },
  [JobName.SweepQueuedMessages]: { attempts: 1 },
  [JobName.SweepUnansweredConversations]: { attempts: 1 },
  [JobName.PurgeWebhookEvents]: { attempts: 1 },
  [JobName.SyncAllTemplates]: { attempts: 1 },
  [JobName.Noop]: { attempts: 1 },
  // A failed run resumes at the next day's run: its criteria are the data's state.
  [JobName.ApplyRetention]: { attempts: 1 },
  [JobName.RollupAnalytics]: { attempts: 1 },
  // The handler keeps its own retry schedule (WEBHOOK_RETRY_SCHEDULE_MS) by delaying the job; these attempts cover crashes.
  [JobName.DeliverWebhook]: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  // Chatwoot down for a while: about 17 minutes of retries before the event is left failed.
  [JobName.SyncChatwoot]: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  // Retries cover a database or Chatwoot (private note) outage; the send itself is idempotent by the Chatwoot message id.
  [JobName.ApplyChatwootEvent]: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  [JobName.BackfillChatwoot]: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  // The next run picks up what this one could not repair.
  [JobName.ReconcileChatwoot]: { attempts: 1 },
};

export function optionsFor(name: JobName, overrides: JobsOptions = {}): JobsOptions {
  return { removeOnComplete: true, removeOnFail: keepFailed, ...JOB_OPTIONS[name], ...overrides };
}

/** BullMQ rejects ':' and all-digit custom ids. */
export function jobIdFor(name: JobName, key: string): string {
  return `${name.replace(/\./g, '-')}-${key.replace(/:/g, '-')}`;
}
