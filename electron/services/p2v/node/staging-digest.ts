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
 * Perl with Digest::SHA is on every PVE node (and most Linux servers); the
 * blocks are hashed by OpenSSL through Net::SSLeay where it loads (pveproxy
 * uses it, so every PVE node has it): about three times Digest::SHA's speed,
 * SHA-NI included, and the same bytes out. Holes
 * of a sparse file are skipped unread: SEEK_DATA (whence 3) jumps to the next
 * data, and a hole is zeros. Where SEEK_DATA is not supported (a block device
 * answers "data" everywhere, an old filesystem fails) every block is read.
 * Arguments: path, offset, length, and at most how many processes hash at
 * once (default 1; never more than the host's CPUs): Digest::SHA has no
 * SHA-NI, so one process hashes a few hundred MB/s. Each worker hashes a
 * contiguous share of the blocks with a file handle of its own and hands its
 * lines back, which are digested in block order. Prints the digest.
 */
export const SHA256_BLOCKS_PERL = String.raw`
use strict;
use warnings;
use Digest::SHA;
use Errno qw(ENXIO);
use POSIX ();
my ($path, $offset, $length, $max_workers) = @ARGV;
my $block_hex = \&Digest::SHA::sha256_hex;
if (eval { require Net::SSLeay; Net::SSLeay::SHA256("abc") eq Digest::SHA::sha256("abc") }) {
    $block_hex = sub { unpack("H*", Net::SSLeay::SHA256($_[0])) };
}
my $block_size = 1048576;
my $end = $offset + $length;
open(my $fh, "<:raw", $path) or die "cannot open $path: $!\n";
my $size = sysseek($fh, 0, 2);
die "cannot seek in $path: $!\n" if !defined $size;
die "$path has $size bytes, fewer than the $end to digest\n" if $size < $end;
close($fh);

# The lines of the blocks of [$pos, $until), in order.
sub range_lines {
    my ($pos, $until) = @_;
    open(my $in, "<:raw", $path) or die "cannot open $path: $!\n";
    my $lines = "";
    while ($pos < $until) {
        my $data = sysseek($in, $pos, 3);
        if (!defined $data) {
            last if $! == ENXIO;
            $data = $pos;
        }
        last if $data >= $until;
        my $index = int($data / $block_size);
        my $start = $index * $block_size;
        $start = $pos if $start < $pos;
        my $stop = ($index + 1) * $block_size;
        $stop = $until if $stop > $until;
        sysseek($in, $start, 0) or die "cannot seek in $path: $!\n";
        my $block = "";
        while (length($block) < $stop - $start) {
            my $read = sysread($in, $block, $stop - $start - length($block), length($block));
            die "cannot read $path: $!\n" if !defined $read;
            die "$path ended early at " . ($start + length($block)) . "\n" if $read == 0;
        }
        $lines .= "$index:" . $block_hex->($block) . "\n" if $block =~ tr/\0//c;
        $pos = $stop;
    }
    return $lines;
}

my $cpus = 0;
if (open(my $info, "<", "/proc/cpuinfo")) {
    $cpus = grep { /^processor\s*:/ } <$info>;
}
my $first = int($offset / $block_size);
my $blocks = $length == 0 ? 0 : int(($end - 1) / $block_size) - $first + 1;
my $workers = $max_workers // 1;
$workers = $cpus if $cpus > 0 && $workers > $cpus;
$workers = $blocks if $workers > $blocks;
$workers = 1 if $workers < 1;
my $digest = Digest::SHA->new(256);
if ($workers == 1) {
    $digest->add(range_lines($offset, $end));
    print $digest->hexdigest, "\n";
    exit 0;
}
my @children;
for my $worker (0 .. $workers - 1) {
    my $from = ($first + int($blocks * $worker / $workers)) * $block_size;
    $from = $offset if $from < $offset;
    my $to = $worker == $workers - 1 ? $end : ($first + int($blocks * ($worker + 1) / $workers)) * $block_size;
    pipe(my $reader, my $writer) or die "cannot make a pipe: $!\n";
    my $pid = fork();
    die "cannot fork: $!\n" if !defined $pid;
    if ($pid == 0) {
        close($reader);
        my $lines = eval { range_lines($from, $to) };
        if (!defined $lines) {
            print STDERR $@;
            POSIX::_exit(1);
        }
        print $writer $lines;
        close($writer) or POSIX::_exit(1);
        POSIX::_exit(0);
    }
    close($writer);
    push @children, [$pid, $reader];
}
for my $child (@children) {
    my ($pid, $reader) = @$child;
    my $lines = do { local $/; <$reader> };
    close($reader);
    waitpid($pid, 0);
    die "a digest worker failed\n" if $? != 0;
    $digest->add($lines // "");
}
print $digest->hexdigest, "\n";
`;

/**
 * The shell command printing the sha256-blocks digest of [offset, offset+length) of `path` (a file or a block
 * device), hashed by up to `workers` processes at once.
 */
export function sha256BlocksCommand(path: string, offset: number, length: number, workers = 1): string {
  if (![offset, length].every((n) => Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`sha256BlocksCommand: range ${offset}+${length}`);
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`sha256BlocksCommand: ${workers} workers`);
  return shellCommand(['perl', '-e', SHA256_BLOCKS_PERL, '--', path, offset, length, workers]);
}

/**
 * How many of the node's CPUs hash its staging copy: the verification waits on the slower side, and one perl
 * process is slower than the workstation's hashing (OpenSSL, with SHA-NI where the CPU has it).
 */
const STAGING_DIGEST_WORKERS = 4;

/** The sha256-blocks digest (hex) of [offset, offset+length) of a raw staging file on the node. */
export async function stagingDigest(ssh: NodeShell, path: string, offset: number, length: number, signal?: AbortSignal): Promise<string> {
  const command = sha256BlocksCommand(path, offset, length, STAGING_DIGEST_WORKERS);
  const { stdout } = await runOnNode(ssh, 'the staging digest (perl)', command, {
    ...(signal === undefined ? {} : { signal }),
    hint: 'Check that perl and its Digest::SHA module are installed on the node.',
  });
  const digest = stdout.trim();
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new IpcError('BAD_RESPONSE', `The staging digest on the node printed "${digest.slice(0, 80)}", not a sha256.`);
  return digest;
}
