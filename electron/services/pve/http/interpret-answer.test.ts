import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiCall } from '../api/api-call';
import { PveError } from '../errors';
import { interpretAnswer } from './interpret-answer';

const listGuests: ApiCall<{ name: string; comment: string }[]> = {
  method: 'GET',
  path: '/cluster/resources',
  name: 'GET /cluster/resources',
  authenticated: true,
  data: z.array(z.object({ name: z.string(), comment: z.string() })),
};
const endpoint = 'https://127.0.0.1:8006';

function failure(call: () => unknown): PveError {
  try {
    call();
  } catch (error) {
    if (error instanceof PveError) return error;
    throw error;
  }
  throw new Error('expected a PveError');
}

describe('server strings lose their bidi controls at the boundary', () => {
  it('in the data of an answer, raw or written as JSON escapes', () => {
    const body = '{"data":[{"name":"vm-\u202Egpj.exe","comment":"\\u2066admin\\u2069 \\u200Fok\\u061c"}]}';
    expect(interpretAnswer(listGuests, { status: 200, statusMessage: 'OK', body }, endpoint)).toEqual([{ name: 'vm-gpj.exe', comment: 'admin ok' }]);
  });

  it('in the error text PVE puts in the body or only in the status line', () => {
    const inBody = failure(() =>
      interpretAnswer(listGuests, { status: 500, statusMessage: 'x', body: '{"data":null,"message":"storage \\u202Elacol\\u202C is full"}' }, endpoint),
    );
    expect(inBody.message).toContain('storage lacol is full');
    expect(inBody.message).not.toMatch(/[\u202A-\u202E]/);
    const inStatusLine = failure(() => interpretAnswer(listGuests, { status: 500, statusMessage: 'node \u2067pve1\u2069 is down', body: '' }, endpoint));
    expect(inStatusLine.message).toContain('node pve1 is down');
  });
});

describe('refusals are written in French beside the English', () => {
  it('names the missing privilege in both languages, quoting the call as it is', () => {
    const denied = failure(() =>
      interpretAnswer(listGuests, { status: 403, statusMessage: 'Permission check failed (/vms/100, VM.Audit)', body: '' }, endpoint),
    );
    expect(denied.message).toBe(
      'This account lacks the privilege VM.Audit on /vms/100 (GET /cluster/resources). Ask a PVE administrator to grant it, or use an account that has it.',
    );
    expect(denied.translations?.fr).toBe(
      'Il manque à ce compte le privilège VM.Audit sur /vms/100 (GET /cluster/resources). Demandez à un administrateur PVE de le lui accorder, ou utilisez un compte qui le possède.',
    );
  });
});
