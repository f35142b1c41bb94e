/** A value PVE accepts in a form field; booleans go as 1/0 the way PVE's schema expects. */
export type FormValue = string | number | boolean | undefined;

/** Encodes fields as application/x-www-form-urlencoded, skipping the undefined ones. */
export function encodeForm(fields: Record<string, FormValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    params.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params.toString();
}
