import { describe, expect, it } from 'vitest';
import { needsAcknowledgement, rollbackRisk } from './rollback-risk';

describe('rollbackRisk', () => {
  it.each([
    [{ name: 'dc01' }, 'domain-controller', 'dc'],
    [{ name: 'srv-ad-dc' }, 'domain-controller', 'ad-dc'],
    [{ name: 'win-core', tags: ['addc'] }, 'domain-controller', 'addc'],
    [{ name: 'win-core', notes: 'Primary **Domain Controller** for LAB.LOCAL' }, 'domain-controller', 'Domain Controller'],
    [{ name: 'ldap01' }, 'directory', 'ldap'],
    [{ name: 'idm', notes: 'FreeIPA replica' }, 'directory', 'FreeIPA'],
    [{ name: 'dir2', tags: ['389ds'] }, 'directory', '389ds'],
    [{ name: 'mysql01' }, 'database', 'mysql'],
    [{ name: 'preprod-mysql' }, 'database', 'mysql'],
    [{ name: 'app', tags: ['postgresql'] }, 'database', 'postgresql'],
    [{ name: 'cache', notes: 'redis for sessions' }, 'database', 'redis'],
    [{ name: 'db02' }, 'database', 'db'],
  ])('%o is a %s guest', (guest, kind, evidence) => {
    const risk = rollbackRisk(guest);
    expect(risk.kind).toBe(kind);
    expect(risk.evidence).toBe(evidence);
    expect(needsAcknowledgement(risk)).toBe(true);
  });

  it.each([
    { name: 'web01' },
    { name: 'print01' },
    { name: 'owncloud01', notes: 'Add users in the admin page; adder, address.' },
    { name: 'tomcat01', tags: ['java'] },
    {},
  ])('%o gets only the general warning', (guest) => {
    const risk = rollbackRisk(guest);
    expect(risk).toEqual({ kind: 'general' });
    expect(needsAcknowledgement(risk)).toBe(false);
  });

  it('ranks a domain controller above a database found first', () => {
    expect(rollbackRisk({ name: 'mysql-dc' }).kind).toBe('domain-controller');
    expect(rollbackRisk({ name: 'sql', notes: 'also the ldap replica' })).toEqual({ kind: 'directory', evidence: 'ldap', source: 'notes' });
  });

  it('says where the evidence was', () => {
    expect(rollbackRisk({ name: 'x', tags: ['prod', 'mariadb'] }).source).toBe('tags');
  });
});
