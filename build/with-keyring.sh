#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring
# (the Secret Service keytar talks to), as on a desktop after login.
set -euo pipefail
if [ -z "${PVE_DESK_IN_KEYRING:-}" ]; then
  export PVE_DESK_IN_KEYRING=1
  exec dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
export XDG_DATA_HOME="$keyring_home" HOME_KEYRING_DIR="$keyring_home"
# A throwaway keyring with a throwaway password: it holds only test secrets. Run in the foreground
# (as our child, not daemonised) so it is stopped with the command: the daemonised one could outlive the session.
export GNOME_KEYRING_CONTROL="$keyring_home/control"
printf 'pve-desk-test\n' | gnome-keyring-daemon --foreground --unlock --components=secrets --control-directory="$GNOME_KEYRING_CONTROL" >/dev/null &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null || true; rm -rf "$keyring_home"' EXIT
# Ready once it owns the Secret Service name (5 s at most).
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.05
done
"$@"
