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
# A throwaway keyring with a throwaway password: it holds only test secrets and dies with the session.
eval "$(printf 'pve-desk-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$keyring_home"' EXIT
"$@"
