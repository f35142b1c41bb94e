import type { z } from 'zod';
import type { FormValue } from '../http/form';
import type { HttpMethod } from '../http/exchange';

/**
 * One typed PVE API call: where it goes, what it sends, and the schema its
 * `data` must satisfy. Built only by the functions in this folder, one per
 * endpoint the app uses, so callers never assemble paths or read unchecked
 * answers.
 */
export interface ApiCall<T> {
  method: HttpMethod;
  /** Below `/api2/json`, path segments already encoded. */
  path: string;
  /** The documented route, such as `GET /nodes/{node}/status`: names the call in errors and logs. */
  name: string;
  query?: Record<string, FormValue>;
  form?: Record<string, FormValue>;
  /** False for the few calls PVE answers without a session (`/access/domains`, `/access/ticket`). */
  authenticated: boolean;
  data: z.ZodType<T>;
}

/** Encodes one path segment (node names, storage ids, UPIDs). */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
