import { createCipheriv } from 'node:crypto';

/** RFB's VNC authentication: a 16-byte challenge, answered by DES-encrypting it with the password. */
export const vncChallengeBytes = 16;

function reverseBits(byte: number): number {
  let reversed = 0;
  for (let bit = 0; bit < 8; bit += 1) if ((byte & (1 << bit)) !== 0) reversed |= 0x80 >> bit;
  return reversed;
}

/**
 * The answer to a VNC-authentication challenge: the challenge DES-ECB-encrypted with the password's first 8 bytes
 * (zero-padded), each key byte bit-reversed as VNC's DES has always done. OpenSSL 3 keeps single DES in its legacy
 * provider, which Node does not load; triple DES with the same key three times (EDE) is single DES.
 */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  if (challenge.length !== vncChallengeBytes) throw new RangeError(`A VNC challenge has ${vncChallengeBytes} bytes, not ${challenge.length}.`);
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < key.length; i += 1) key[i] = reverseBits(key[i] ?? 0);
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}
