import { z } from 'zod';
import { haResourceListData, type HaResourceEntry } from '../../../../shared/pve/ha';
import type { FormValue } from '../http/form';
import { segment, type ApiCall } from './api-call';

export type { HaResourceEntry };

export function haResourcesCall(): ApiCall<HaResourceEntry[]> {
  return {
    method: 'GET',
    path: '/cluster/ha/resources',
    name: 'GET /cluster/ha/resources',
    authenticated: true,
    query: { type: 'vm' },
    data: haResourceListData,
  };
}

export function createHaResourceCall(form: Record<string, FormValue>): ApiCall<null> {
  return { method: 'POST', path: '/cluster/ha/resources', name: 'POST /cluster/ha/resources', authenticated: true, form, data: z.null() };
}

/** `PUT /cluster/ha/resources/{sid}` with the digest read before, so a concurrent change is refused. */
export function updateHaResourceCall(sid: string, form: Record<string, FormValue>): ApiCall<null> {
  return { method: 'PUT', path: `/cluster/ha/resources/${segment(sid)}`, name: 'PUT /cluster/ha/resources/{sid}', authenticated: true, form, data: z.null() };
}

export function deleteHaResourceCall(sid: string): ApiCall<null> {
  return { method: 'DELETE', path: `/cluster/ha/resources/${segment(sid)}`, name: 'DELETE /cluster/ha/resources/{sid}', authenticated: true, data: z.null() };
}
