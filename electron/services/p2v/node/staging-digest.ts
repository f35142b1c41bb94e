import { IpcError } from '../../../../shared/ipc/errors';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand } from './shell-quote';

/** The block of the "sha256-blocks" digest. */
export const DIGEST_BLOCK_SIZE = 1024 * 1024;

/**
 * The canonical "sha256-blocks" digest of the bytes [offset, offset+length)
 * of a raw disk, the same on the workstation (the NBD export's rangeDigest)
 * and on the node: the range is cut at multiples of 1 MiB into blocks (block
 * index = absolute offset / 1 MiB; the first and last may be shorter when the
 * range does not start or end on a boundary); each block with a non-zero
 * byte gives the line `${index}:${sha256 hex of the block}\n`, all-zero blocks
 * give nothing; the digest is the sha256 hex of the lines in order.
 *
 * Perl with Digest::SHA is on every PVE node (and most Linux servers). Holes
 * of a sparse file are skipped unread: SEEK_DATA (whence 3) jumps to the next
 * data, and a hole is zeros. Where SEEK_DATA is not supported (a block device
 * answers "data" everywhere, an old filesystem fails) every block is read.
 * Arguments: path, offset, length; prints the digest.
 */
export const SHA256_BLOCKS_PERL = String.raw`
use strict;
use warnings;
use Digest::SHA;
use Errno qw(ENXIO);
my ($path, $offset, $length) = @ARGV;
my $block_size = 1048576;
my $end = $offset + $length;
open(my $fh, "<:raw", $path) or die "cannot open $path: $!\n";
my $size = sysseek($fh, 0, 2);
die "cannot seek in $path: $!\n" if !defined $size;
die "$path has $size bytes, fewer than the $end to digest\n" if $size < $end;
my $lines = Digest::SHA->new(256);
my $pos = $offset;
while ($pos < $end) {
    my $data = sysseek($fh, $pos, 3);
    if (!defined $data) {
        last if $! == ENXIO;
        $data = $pos;
    }
    last if $data >= $end;
    my $index = int($data / $block_size);
    my $start = $index * $block_size;
    $start = $pos if $start < $pos;
    my $stop = ($index + 1) * $block_size;
    $stop = $end if $stop > $end;
    sysseek($fh, $start, 0) or die "cannot seek in $path: $!\n";
    my $block = "";
    while (length($block) < $stop - $start) {
        my $read = sysread($fh, $block, $stop - $start - length($block), length($block));
        die "cannot read $path: $!\n" if !defined $read;
        die "$path ended early at " . ($start + length($block)) . "\n" if $read == 0;
    }
    $lines->add("$index:" . Digest::SHA::sha256_hex($block) . "\n") if $block =~ tr/\0//c;
    $pos = $stop;
}
print $lines->hexdigest, "\n";
`;

/** The shell command printing the sha256-blocks digest of [offset, offset+length) of `path` (a file or a block device). */
export function sha256BlocksCommand(path: string, offset: number, length: number): string {
  if (![offset, length].every((n) => Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`sha256BlocksCommand: range ${offset}+${length}`);
  return shellCommand(['perl', '-e', SHA256_BLOCKS_PERL, '--', path, offset, length]);
}

/** The sha256-blocks digest (hex) of [offset, offset+length) of a raw staging file on the node. */
export async function stagingDigest(ssh: NodeShell, path: string, offset: number, length: number, signal?: AbortSignal): Promise<string> {
  const { stdout } = await runOnNode(ssh, 'the staging digest (perl)', sha256BlocksCommand(path, offset, length), {
    ...(signal === undefined ? {} : { signal }),
    hint: 'Check that perl and its Digest::SHA module are installed on the node.',
  });
  const digest = stdout.trim();
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new IpcError('BAD_RESPONSE', `The staging digest on the node printed "${digest.slice(0, 80)}", not a sha256.`);
  return digest;
}
