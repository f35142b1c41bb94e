#!/bin/sh
# The lab's P2V source server runs sshd through this script, in a mount and UTS
# namespace of its own (unshare -m -u --propagation private): nothing mounted
# here is seen outside, and it all goes when the last process inside exits.
# Usage: private-root.sh <state dir> <command…> (execs the command once ready).
#   /dev        a tmpfs with the host's null, zero, full, random, urandom, tty,
#               ptmx and pts bound in, plus sda: the disk FILE bound in as a
#               "block device" (a regular file: reads and seeks behave the same)
#   /root       <state>/root-home (root's authorized_keys; the host's untouched)
#   /etc/fstab  <state>/fstab, /etc/shadow <state>/shadow (root's lab password)
#   /usr/local/sbin  <state>/sbin: the fake lsblk, ip, lsinitramfs, dpkg-query
#   /usr/bin/perl    <state>/no-perl when it exists: a perl that is not there
#   hostname    srv-legacy01
set -eu
state=$1
shift
dev="$state/dev"
mkdir -p "$dev"
mount -t tmpfs -o mode=0755,size=1m p2v-source-dev "$dev"
for node in null zero full random urandom tty ptmx; do
  touch "$dev/$node"
  mount --bind "/dev/$node" "$dev/$node"
done
mkdir "$dev/pts" "$dev/shm"
mount --bind /dev/pts "$dev/pts"
ln -s /proc/self/fd "$dev/fd"
ln -s /proc/self/fd/0 "$dev/stdin"
ln -s /proc/self/fd/1 "$dev/stdout"
ln -s /proc/self/fd/2 "$dev/stderr"
touch "$dev/sda"
mount --bind "$state/disk.img" "$dev/sda"
# Recursive: the binds inside the tmpfs come along.
mount --rbind "$dev" /dev
mount --bind "$state/root-home" /root
mount --bind "$state/fstab" /etc/fstab
mount --bind "$state/shadow" /etc/shadow
mount --bind "$state/sbin" /usr/local/sbin
# A server without perl, when the test asks for one (the digest's coreutils fallback).
if [ -f "$state/no-perl" ]; then mount --bind "$state/no-perl" /usr/bin/perl; fi
hostname srv-legacy01
exec "$@"
