import { stat } from 'node:fs/promises';
import type { WorkstationImage } from '../../../../shared/domain/p2v';
// TEMPORARY until helper A's workstation/image-probe lands; never committed.
export async function probeImage(path: string): Promise<WorkstationImage> {
  return { path, fileSize: (await stat(path)).size, warnings: [] };
}
