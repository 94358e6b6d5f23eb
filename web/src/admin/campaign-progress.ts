import type { CampaignCounts, CampaignStatus } from '../api/admin-types';

/** Recipients with a final outcome (sent or not) out of the total; 0 for an empty audience. */
export function progressOf(counts: CampaignCounts): { done: number; total: number; percent: number } {
  const done = counts.sent + counts.failed + counts.skipped + counts.expired + counts.cancelled;
  const total = counts.total;
  return { done, total, percent: total === 0 ? 0 : Math.min(100, Math.round((done / total) * 100)) };
}

export function actionsFor(status: CampaignStatus): Array<'start' | 'pause' | 'resume' | 'cancel'> {
  switch (status) {
    case 'draft': return ['start'];
    case 'scheduled': return ['cancel'];
    case 'queued':
    case 'running': return ['pause', 'cancel'];
    case 'paused': return ['resume', 'cancel'];
    default: return [];
  }
}

export const isLive = (status: CampaignStatus) => status === 'queued' || status === 'running' || status === 'scheduled';

/** `phone,name` CSV headers → how many template variables the file can fill, for the hint under the upload. */
export function csvHeader(text: string): string[] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '')).filter(Boolean);
}
