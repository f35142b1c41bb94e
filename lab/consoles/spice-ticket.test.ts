import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueSpiceProxyTicket, verifySpiceProxyTicket } from './spice-ticket';

const key = randomBytes(32);
const target = { node: 'pve2', vmid: 101, tlsPort: 61001 };
const issuedAt = 1_800_000_000;
const lifetime = 40;

describe('spice proxy tickets (pve-common Ticket.pm verify_spice_connect_url)', () => {
  const ticket = issueSpiceProxyTicket(key, target, issuedAt + 0.7);

  it('opens its guest while its age in whole seconds is over -20 and under 40', () => {
    for (const age of [-19, 0, 39, 39.9]) expect(verifySpiceProxyTicket(key, ticket, issuedAt + age, lifetime)).toEqual({ ok: true, target });
  });

  it('is expired from 40 s on, and refused 20 s or more before its time stamp', () => {
    for (const age of [40, 41, -20, -21]) expect(verifySpiceProxyTicket(key, ticket, issuedAt + age, lifetime)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a ticket signed with another key or changed', () => {
    expect(verifySpiceProxyTicket(randomBytes(32), ticket, issuedAt, lifetime)).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifySpiceProxyTicket(key, ticket.replace(':101:', ':102:'), issuedAt, lifetime)).toEqual({ ok: false, reason: 'bad signature' });
  });
});
