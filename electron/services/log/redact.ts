const secretKey = /pass(word|phrase)?|secret|token|ticket|cookie|csrf|authorization|private.?key|otp/i;
const maxDepth = 6;

/** Masks values under secret-looking keys and flattens errors to name, message and stack. */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = secretKey.test(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}
