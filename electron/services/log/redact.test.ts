import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('masks secret-looking keys at any depth and keeps the rest', () => {
    const out = redact({
      user: 'root@pam',
      password: 'hunter2',
      nested: { CSRFPreventionToken: 'abc', list: [{ ticket: 'PVE:x' }], port: 5900 },
    });
    expect(out).toEqual({
      user: 'root@pam',
      password: '[redacted]',
      nested: { CSRFPreventionToken: '[redacted]', list: [{ ticket: '[redacted]' }], port: 5900 },
    });
  });

  it('flattens errors to name, message and stack', () => {
    const out = redact(new TypeError('boom')) as Record<string, unknown>;
    expect(out.name).toBe('TypeError');
    expect(out.message).toBe('boom');
    expect(String(out.stack)).toContain('boom');
  });

  it('stops at a cycle-safe depth', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(JSON.stringify(redact(loop))).toContain('[too deep]');
  });
});
