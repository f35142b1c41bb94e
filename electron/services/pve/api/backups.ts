import { z } from 'zod';
import { backupJobListData, type BackupJobEntry } from '../../../../shared/pve/backup-job';
import type { FormValue } from '../http/form';
import { segment, type ApiCall } from './api-call';

export type { BackupJobEntry };

export function backupJobsCall(): ApiCall<BackupJobEntry[]> {
  return { method: 'GET', path: '/cluster/backup', name: 'GET /cluster/backup', authenticated: true, data: backupJobListData };
}

export function createBackupJobCall(form: Record<string, FormValue>): ApiCall<null> {
  return { method: 'POST', path: '/cluster/backup', name: 'POST /cluster/backup', authenticated: true, form, data: z.null() };
}

/** `PUT /cluster/backup/{id}`: `delete` names the options to drop (PVE keeps what the form leaves out). */
export function updateBackupJobCall(id: string, form: Record<string, FormValue>): ApiCall<null> {
  return { method: 'PUT', path: `/cluster/backup/${segment(id)}`, name: 'PUT /cluster/backup/{id}', authenticated: true, form, data: z.null() };
}

export function deleteBackupJobCall(id: string): ApiCall<null> {
  return { method: 'DELETE', path: `/cluster/backup/${segment(id)}`, name: 'DELETE /cluster/backup/{id}', authenticated: true, data: z.null() };
}
