import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from './shell-quote';

const run = promisify(execFile);

describe('shellQuote', () => {
  it('leaves literal words bare and quotes everything else', () => {
    expect(shellQuote('/var/tmp/p2v.abc')).toBe('/var/tmp/p2v.abc');
    expect(shellQuote(1048576)).toBe('1048576');
    expect(shellQuote('driver=raw,file.filename=/x')).toBe('driver=raw,file.filename=/x');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('gives bash back every word exactly, whatever it holds', async () => {
    const words = ['plain', 'two words', "quote ' inside", '$(touch /tmp/pwned)', '`id`', 'semi;colon', 'new\nline', '*', '~', '-n', '"', '\\', '!x', ''];
    const { stdout } = await run('bash', ['-c', `printf '%s\\0' ${shellCommand(words)}`]);
    expect(stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
