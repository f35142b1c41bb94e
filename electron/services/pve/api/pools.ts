import { poolListData, type PoolEntry } from '../../../../shared/pve/pool';
import type { ApiCall } from './api-call';

export type { PoolEntry };

/** `GET /pools?poolid=`: PVE 9's way to read one pool (`GET /pools/{poolid}` is deprecated); Pool.Audit on `/pool/{poolid}`. */
export function poolCall(poolid: string): ApiCall<PoolEntry[]> {
  return { method: 'GET', path: '/pools', name: 'GET /pools', authenticated: true, query: { poolid }, data: poolListData };
}
