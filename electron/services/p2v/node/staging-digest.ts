import type { TargetFormat } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';
import type { NodeDisk } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand } from './shell-quote';

/** The block of the "sha256-blocks" digest. */
export const DIGEST_BLOCK_SIZE = 1024 * 1024;

/**
 * The canonical "sha256-blocks" digest of the bytes [offset, offset+length)
 * of a disk as its guest sees it, the same on the workstation (the NBD
 * export's rangeDigest) and on the node: the range is cut at multiples of
 * 1 MiB into blocks (block index = absolute offset / 1 MiB; the first and last
 * may be shorter when the range does not start or end on a boundary); each
 * block with a non-zero byte gives the line `${index}:${sha256 hex of the block}\n`,
 * all-zero blocks give nothing; the digest is the sha256 hex of the lines in order.
 *
 * Perl with Digest::SHA is on every PVE node (and most Linux servers); the
 * blocks are hashed by OpenSSL through Net::SSLeay where it loads (pveproxy
 * uses it, so every PVE node has it): about three times Digest::SHA's speed,
 * SHA-NI included, and the same bytes out.
 *
 * A raw file or device is read as it is. Holes of a sparse file are skipped
 * unread: SEEK_DATA (whence 3) jumps to the next data, and a hole is zeros.
 * Where SEEK_DATA is not supported (a block device answers "data" everywhere,
 * an old filesystem fails) every block is read.
 *
 * A qcow2 file is read through its own tables, as QEMU reads it: the L1 table,
 * the L2 tables it points to, and each cluster's data, or zeros for a cluster
 * that is unallocated, flagged zero, or a hole of the file (SEEK_DATA). Only the layout qemu-img and PVE write
 * for a new image is read (version 2 or 3, no backing file, no encryption, no
 * external data file, no extended L2 entries, no compressed cluster); anything
 * else stops the script, so a file it misunderstood can never pass for equal.
 *
 * Arguments: path, offset, length, at most how many processes hash at once
 * (default 1; never more than the host's CPUs), and the format (raw, the
 * default, or qcow2). Each worker hashes a contiguous share of the blocks with
 * a file handle of its own and hands its lines back, which are digested in
 * block order. Prints the digest.
 */
export const SHA256_BLOCKS_PERL = String.raw`
use strict;
use warnings;
use Digest::SHA;
use Errno qw(ENXIO);
use POSIX ();
my ($path, $offset, $length, $max_workers, $format) = @ARGV;
$format //= "raw";
die "unknown format $format\n" if $format ne "raw" && $format ne "qcow2";
my $block_hex = \&Digest::SHA::sha256_hex;
if (eval { require Net::SSLeay; Net::SSLeay::SHA256("abc") eq Digest::SHA::sha256("abc") }) {
    $block_hex = sub { unpack("H*", Net::SSLeay::SHA256($_[0])) };
}
my $block_size = 1048576;
my $end = $offset + $length;

sub read_at {
    my ($in, $at, $count) = @_;
    sysseek($in, $at, 0) or die "cannot seek in $path: $!\n";
    my $data = "";
    while (length($data) < $count) {
        my $read = sysread($in, $data, $count - length($data), length($data));
        die "cannot read $path: $!\n" if !defined $read;
        die "$path ended early at " . ($at + length($data)) . "\n" if $read == 0;
    }
    return $data;
}

# qcow2: the header's geometry and the L1 table, read once before the workers fork.
my ($cluster_bits, $cluster_size, $l2_entries, @l1);
# Bits 9 to 55 of an L1 or L2 entry: the offset of a table or a cluster in the file.
my $offset_mask = (1 << 56) - 512;
open(my $fh, "<:raw", $path) or die "cannot open $path: $!\n";
my $size;
if ($format eq "qcow2") {
    my ($magic, $version, $backing, undef, $bits, $virtual, $crypt, $l1_size, $l1_offset) =
        unpack("a4 N Q> N N Q> N N Q>", read_at($fh, 0, 72));
    die "$path is not a qcow2 file\n" if $magic ne "QFI\xfb";
    die "$path is qcow2 version $version\n" if $version != 2 && $version != 3;
    die "$path has a backing file\n" if $backing != 0;
    die "$path is encrypted\n" if $crypt != 0;
    die "$path has clusters of 2^$bits bytes\n" if $bits < 9 || $bits > 21;
    if ($version == 3) {
        my ($incompatible) = unpack("Q>", read_at($fh, 72, 8));
        # Allowed: dirty (0), compression type (3; no compressed cluster is read). Not: corrupt, external data, extended L2.
        die "$path uses qcow2 features this reader does not know (incompatible bits $incompatible)\n" if $incompatible & ~9;
    }
    ($cluster_bits, $cluster_size, $l2_entries, $size) = ($bits, 1 << $bits, (1 << $bits) / 8, $virtual);
    @l1 = unpack("Q>*", read_at($fh, $l1_offset, $l1_size * 8)) if $l1_size > 0;
} else {
    $size = sysseek($fh, 0, 2);
    die "cannot seek in $path: $!\n" if !defined $size;
}
die "$path has $size bytes, fewer than the $end to digest\n" if $size < $end;
close($fh);

# Where a qcow2 cluster's data is in the file, or 0 when the cluster reads as zeros.
my ($l2_at, @l2) = (0);
sub qcow2_host {
    my ($in, $cluster) = @_;
    my $l1_index = int($cluster / $l2_entries);
    return 0 if $l1_index >= @l1;
    my $table = $l1[$l1_index] & $offset_mask;
    return 0 if $table == 0;
    die "$path has a misaligned L2 table\n" if $table % $cluster_size;
    if ($table != $l2_at) {
        @l2 = unpack("Q>*", read_at($in, $table, $cluster_size));
        $l2_at = $table;
    }
    my $entry = $l2[$cluster % $l2_entries];
    die "$path has a compressed cluster\n" if ($entry >> 62) & 1;
    return 0 if $entry & 1;
    my $host = $entry & $offset_mask;
    die "$path has a misaligned data cluster\n" if $host % $cluster_size;
    return $host;
}

# Whether the file's bytes [at, at+count) are a hole (zeros, unread): a preallocated qcow2 has clusters for the whole
# disk, and the ones never written are holes of its file. The last hole found is remembered: clusters follow each other.
my ($hole_from, $hole_to) = (0, 0);
sub in_file_hole {
    my ($in, $at, $count) = @_;
    return 1 if $at >= $hole_from && $at + $count <= $hole_to;
    my $data = sysseek($in, $at, 3);
    if (!defined $data) {
        return 0 if $! != ENXIO;
        $data = ~0;
    }
    ($hole_from, $hole_to) = ($at, $data);
    return $at + $count <= $data;
}

# The guest's bytes [start, stop) of a qcow2 file, or undef when every cluster there reads as zeros.
sub qcow2_bytes {
    my ($in, $start, $stop) = @_;
    my ($bytes, $any, $pos) = ("", 0, $start);
    while ($pos < $stop) {
        my $within = $pos % $cluster_size;
        my $count = $cluster_size - $within;
        $count = $stop - $pos if $count > $stop - $pos;
        my $host = qcow2_host($in, int($pos / $cluster_size));
        if ($host && !in_file_hole($in, $host + $within, $count)) {
            $bytes .= read_at($in, $host + $within, $count);
            $any = 1;
        } else {
            $bytes .= "\0" x $count;
        }
        $pos += $count;
    }
    return $any ? $bytes : undef;
}

# Where data may start at or after $pos in a raw file (undef: none left); qcow2 answers $pos, its tables tell.
sub next_data {
    my ($in, $pos) = @_;
    return $pos if $format eq "qcow2";
    my $data = sysseek($in, $pos, 3);
    return $data if defined $data;
    return undef if $! == ENXIO;
    return $pos;
}

# The lines of the blocks of [$pos, $until), in order.
sub range_lines {
    my ($pos, $until) = @_;
    open(my $in, "<:raw", $path) or die "cannot open $path: $!\n";
    my $lines = "";
    while ($pos < $until) {
        my $data = next_data($in, $pos);
        last if !defined $data || $data >= $until;
        my $index = int($data / $block_size);
        my $start = $index * $block_size;
        $start = $pos if $start < $pos;
        my $stop = ($index + 1) * $block_size;
        $stop = $until if $stop > $until;
        my $block = $format eq "qcow2" ? qcow2_bytes($in, $start, $stop) : read_at($in, $start, $stop - $start);
        $lines .= "$index:" . $block_hex->($block) . "\n" if defined $block && $block =~ tr/\0//c;
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
 * The shell command printing the sha256-blocks digest of [offset, offset+length) of `path` (a raw file or block
 * device, or a qcow2 file), hashed by up to `workers` processes at once.
 */
export function sha256BlocksCommand(path: string, offset: number, length: number, workers = 1, format: TargetFormat = 'raw'): string {
  if (![offset, length].every((n) => Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`sha256BlocksCommand: range ${offset}+${length}`);
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`sha256BlocksCommand: ${workers} workers`);
  return shellCommand(['perl', '-e', SHA256_BLOCKS_PERL, '--', path, offset, length, workers, format]);
}

/**
 * How many of the node's CPUs hash its copy: the verification waits on the slower side, and one perl
 * process is slower than the workstation's hashing (OpenSSL, with SHA-NI where the CPU has it).
 */
const NODE_DIGEST_WORKERS = 4;

/** The sha256-blocks digest (hex) of [offset, offset+length) of what the guest sees of a file on the node. */
export async function nodeFileDigest(ssh: NodeShell, file: NodeDisk, offset: number, length: number, signal?: AbortSignal): Promise<string> {
  const command = sha256BlocksCommand(file.path, offset, length, NODE_DIGEST_WORKERS, file.format);
  const { stdout } = await runOnNode(ssh, { en: 'the digest on the node (perl)', fr: 'Le calcul d’empreinte (perl)' }, command, {
    ...(signal === undefined ? {} : { signal }),
    hint: {
      en: 'Check that perl and its Digest::SHA module are installed on the node.',
      fr: 'Vérifiez que perl et son module Digest::SHA sont installés sur le nœud.',
    },
  });
  const digest = stdout.trim();
  if (!/^[0-9a-f]{64}$/.test(digest)) {
    throw new IpcError('BAD_RESPONSE', {
      en: `The digest on the node printed "${digest.slice(0, 80)}", not a sha256.`,
      fr: `Le calcul d’empreinte sur le nœud a affiché « ${digest.slice(0, 80)} », qui n’est pas une empreinte sha256.`,
    });
  }
  return digest;
}
