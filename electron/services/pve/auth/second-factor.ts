import { PveError } from '../errors';

/** Second factors PVE may offer; only `totp`, `recovery` and `yubico` can be answered without a browser. */
export type SecondFactorKind = 'totp' | 'recovery' | 'yubico' | 'webauthn' | 'u2f';

const knownKinds: readonly SecondFactorKind[] = ['totp', 'recovery', 'yubico', 'webauthn', 'u2f'];

/** What the user typed in the second-factor dialog. */
export type SecondFactorAnswer = { kind: 'totp' | 'yubico'; code: string } | { kind: 'recovery'; key: string };

/**
 * Reads the factors a partial ticket allows. Its data part is
 * `!tfa!<challenge JSON>` with `:` escaped as `%3A`, and the JSON's keys name
 * the factors (`{"totp":true,"recovery":[0,3,7]}`); `recovery` lists the
 * unused keys' indices, `[]` when none is left, so an empty list offers none.
 */
export function secondFactorKinds(partialTicket: string): SecondFactorKind[] {
  const match = /^PVE:!tfa!([^:]*):/.exec(partialTicket);
  let challenge: unknown;
  try {
    challenge = match?.[1] === undefined ? undefined : (JSON.parse(decodeURIComponent(match[1])) as unknown);
  } catch {
    challenge = undefined;
  }
  if (challenge === null || typeof challenge !== 'object') {
    throw new PveError(
      'BAD_RESPONSE',
      {
        en: 'The server asked for a second factor but its challenge could not be read. Log in through the PVE web interface to check the account.',
        fr: 'Le serveur a demandé un second facteur, mais son défi n’a pas pu être lu. Connectez-vous à l’interface web de PVE pour vérifier le compte.',
      },
      { call: 'POST /access/ticket', problem: 'unreadable second-factor challenge' },
    );
  }
  const offered = challenge as Record<string, unknown>;
  return knownKinds.filter((kind) => {
    const value = offered[kind];
    return value !== undefined && value !== null && value !== false && value !== 0 && !(Array.isArray(value) && value.length === 0);
  });
}

/** The `password` field of the second login step: `totp:123456`, `recovery:<key>`, `yubico:<otp>`. */
export function secondFactorPassword(answer: SecondFactorAnswer): string {
  const value = answer.kind === 'recovery' ? answer.key : answer.code;
  return `${answer.kind}:${value.trim()}`;
}
