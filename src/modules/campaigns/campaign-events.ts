import type { EntityManager } from 'typeorm';
import { writeEvents } from '../../database/outbox';
import type { EventData } from '../../domain/events/event-catalogue';

type ProgressData = EventData['campaign.progress'];

/**
 * The event's counts, from the messages (a send that failed as unknown and was resolved by its status webhook counts
 * as sent): sent includes delivered and read; failed counts recipients whose message failed or who have none left.
 */
async function progressCounts(manager: EntityManager, campaignId: string): Promise<ProgressData> {
  const [row] = await manager.query(
    `SELECT count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read', 'played'))::int AS sent,
            count(*) FILTER (WHERE m.status IN ('delivered', 'read', 'played'))::int AS delivered,
            count(*) FILTER (WHERE m.status = 'failed' OR cr.status = 'failed' AND m.status IS NULL)::int AS failed, count(*)::int AS total
       FROM campaign_recipient cr LEFT JOIN message m ON m.id = cr.message_id WHERE cr.campaign_id = $1`,
    [campaignId],
  );
  return { campaignId, sent: row.sent, delivered: row.delivered, failed: row.failed, total: row.total };
}

const DUE = `status IN ('running', 'queued') AND (progress_emitted_at IS NULL OR progress_emitted_at <= now() - interval '1 second')`;

/**
 * campaign.progress, at most once a second per campaign whichever process runs it: the campaign row's
 * `progress_emitted_at` moves forward in the same transaction as the event is written (the row lock orders two
 * writers). The counts are read before that lock is taken: on a large campaign they take a while, and claims
 * share-lock the same row. False when the last one is less than a second old or the campaign is not running.
 */
export async function writeProgressIfDue(manager: EntityManager, campaignId: string): Promise<boolean> {
  const [due] = await manager.query(`SELECT 1 FROM campaign WHERE id = $1 AND ${DUE}`, [campaignId]);
  if (!due) return false;
  const counts = await progressCounts(manager, campaignId);
  const [rows] = await manager.query(
    `UPDATE campaign SET progress_emitted_at = now() WHERE id = $1 AND ${DUE} RETURNING organization_id AS "organizationId"`,
    [campaignId],
  );
  const row = (rows as Array<{ organizationId: string }>)[0];
  if (!row) return false;
  await writeEvents(manager, [{ organizationId: row.organizationId, type: 'campaign.progress', data: counts }]);
  return true;
}

/** campaign.completed, in the transaction that moved the campaign to `completed` (so exactly once). */
export async function writeCompleted(manager: EntityManager, campaign: { id: string; organizationId: string }): Promise<void> {
  await writeEvents(manager, [{ organizationId: campaign.organizationId, type: 'campaign.completed', data: await progressCounts(manager, campaign.id) }]);
}
