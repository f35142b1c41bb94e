import { z } from 'zod';
import type { ApiCall } from './api-call';

/**
 * `GET /cluster/resources` as a list of unchecked items, for the inventory,
 * which checks each item on its own so one malformed item is skipped
 * instead of failing the whole answer. Anything but a list is a BAD_RESPONSE.
 */
export function clusterResourceListCall(): ApiCall<unknown[]> {
  return { method: 'GET', path: '/cluster/resources', name: 'GET /cluster/resources', authenticated: true, data: z.array(z.unknown()) };
}
