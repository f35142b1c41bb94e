import type { PoolSummaryView } from '../../../shared/domain/inventory';
import type { InventoryClient } from './inventory-sessions';
import { cleanText } from './resource-items';

/** PVE allows long pool comments; the view shows a paragraph, not a document. */
const maxCommentChars = 4096;

/** A pool's comment from `GET /pools?poolid=`; a pool the user may not audit is simply not listed there. */
export async function readPoolSummary(client: Pick<InventoryClient, 'getPool'>, profileId: string, pool: string): Promise<PoolSummaryView> {
  const entry = (await client.getPool(pool)).find((candidate) => candidate.poolid === pool);
  if (entry === undefined) return { profileId, pool, audited: false };
  const comment = entry.comment === undefined ? '' : cleanText(entry.comment, maxCommentChars);
  return { profileId, pool, audited: true, ...(comment !== '' ? { comment } : {}) };
}
