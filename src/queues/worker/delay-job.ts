import { DelayedError, type Job } from 'bullmq';

/** Puts the running job back in the delayed set until `at` (epoch ms); BullMQ counts no attempt for it. */
export async function delayJob(job: Job, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}
