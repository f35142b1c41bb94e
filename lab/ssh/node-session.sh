#!/bin/sh
# sshd's ForceCommand on a lab node. sshd runs it through root's login shell
# once that shell's start-up files ran (Debian's bash reads ~/.bashrc for ssh
# commands; HOME is the node's own folder, but /etc files may still add to
# PATH). The node's tools must win, as `qm` in /usr/sbin does on a PVE node,
# so PATH is set here, after them.
PATH="$(dirname "$0")/bin:$PATH"
export PATH
if [ -n "$SSH_ORIGINAL_COMMAND" ]; then
  # Commands, and the SFTP server as a subsystem. --norc: root's files ran
  # already, and would put their folders before the node's again.
  exec /bin/bash --norc -c "$SSH_ORIGINAL_COMMAND"
fi
# An interactive login gets the same shell as the lab's termproxy node shell.
PS1="root@${LAB_NODE}:\\w# "
export PS1
exec /bin/bash --noprofile --norc -i
