#!/usr/bin/env bash
# Runs a command inside a private D-Bus session that has a real, unlocked
# gnome-keyring Secret Service, so tests talk to the same service a desktop
# user has, without a desktop, a display or a password prompt (CI runs as root
# with no session at all).
#
#     scripts/with-keyring.sh build/dev/tests/tst_keychainsecretstore
#     scripts/with-keyring.sh ctest --test-dir build/dev --output-on-failure
#     scripts/with-keyring.sh --no-keyring build/dev/app/sluice   # a bus, but no Secret Service
#     scripts/with-keyring.sh --no-dbus    build/dev/app/sluice   # no session bus at all
#
# What it does (default mode):
#   1. makes a fresh private directory (mktemp, mode 700) and points HOME,
#      XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR into
#      it, so nothing touches the real home, config or keyring;
#   2. starts a private session bus (dbus-run-session) and, inside it,
#      gnome-keyring-daemon --unlock --components=secrets with a random,
#      non-empty password on stdin: that creates the "login" collection
#      encrypted (an empty password would make gnome-keyring store it in
#      plain text) and unlocked, and the default alias points at it;
#   3. gnome-keyring-daemon --start claims org.freedesktop.secrets on the bus;
#   4. checks with secret-tool (store, lookup, clear of a canary item) that
#      the service really works, and fails loudly (exit 70) if it does not;
#   5. runs the command and returns its exit status; then stops the daemon
#      and the bus and deletes the directory.
# The command sees SLUICE_KEYRING_HOME (the private directory) and
# SLUICE_KEYRING=secret-service, so a test knows where the private files are.
# Run nested (SLUICE_KEYRING already set), the script just runs the command.
#
# The bus daemon's own chatter goes to $SLUICE_KEYRING_HOME/dbus.log, shown
# only when setting up the keyring fails.
#
# Needs: dbus-daemon + dbus-run-session (dbus-bin/dbus-daemon), gnome-keyring,
# secret-tool (libsecret-tools).

set -euo pipefail

usage() {
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

die() {
    echo "with-keyring.sh: $*" >&2
    exit 70
}

# --- inner part: runs inside dbus-run-session ------------------------------
if [[ "${1:-}" == "--inner" ]]; then
    shift
    # Give the command back the caller's stderr (saved as fd 3 outside); the
    # bus daemon keeps writing its log to the file.
    exec 2>&3 3>&-
    : >"$SLUICE_KEYRING_HOME/inner-started"

    daemon_pid=""
    # shellcheck disable=SC2317  # called from the trap
    stop_daemon() {
        if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
            kill "$daemon_pid" 2>/dev/null || true
            for _ in $(seq 50); do
                kill -0 "$daemon_pid" 2>/dev/null || break
                sleep 0.05
            done
        fi
    }
    trap stop_daemon EXIT

    if [[ "${SLUICE_KEYRING}" == "secret-service" ]]; then
        password=$(head -c 24 /dev/urandom | base64)
        # Creates and unlocks the login keyring (encrypted with the password).
        printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets \
            >"$SLUICE_KEYRING_HOME/keyring.log" 2>&1 \
            || { cat "$SLUICE_KEYRING_HOME/keyring.log" >&2; die "gnome-keyring-daemon --unlock failed"; }
        unset password
        # Finishes the start-up: registers org.freedesktop.secrets on our bus.
        gnome-keyring-daemon --start --components=secrets >>"$SLUICE_KEYRING_HOME/keyring.log" 2>&1 \
            || { cat "$SLUICE_KEYRING_HOME/keyring.log" >&2; die "gnome-keyring-daemon --start failed"; }

        # The daemon's pid, from the bus (never by process name).
        daemon_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null \
            | awk '/uint32/ { print $2 }') || true

        # Prove that the Secret Service stores and returns a secret without a prompt.
        canary="canary-$RANDOM$RANDOM"
        ok=""
        for _ in $(seq 50); do
            if printf '%s' "$canary" | timeout 10 secret-tool store --label=with-keyring-canary \
                   sluice-with-keyring canary >/dev/null 2>&1 \
               && [[ "$(timeout 10 secret-tool lookup sluice-with-keyring canary 2>/dev/null)" == "$canary" ]]; then
                timeout 10 secret-tool clear sluice-with-keyring canary >/dev/null 2>&1 || true
                ok=1
                break
            fi
            sleep 0.1
        done
        if [[ -z "$ok" ]]; then
            cat "$SLUICE_KEYRING_HOME/keyring.log" "$SLUICE_KEYRING_HOME/dbus.log" >&2 2>/dev/null || true
            die "the Secret Service does not store secrets (see the logs above)"
        fi
    fi

    status=0
    "$@" || status=$?
    exit "$status"
fi

# --- outer part --------------------------------------------------------------
mode=secret-service
case "${1:-}" in
    --no-keyring) mode=none; shift ;;
    --no-dbus) mode=no-dbus; shift ;;
    -h|--help|"") usage ;;
    --) shift ;;
esac
[[ $# -gt 0 ]] || usage

# Nested call: a keyring (or deliberately none) is already set up.
if [[ -n "${SLUICE_KEYRING:-}" && "$mode" == "$SLUICE_KEYRING" ]]; then
    exec "$@"
fi

for tool in dbus-run-session dbus-send; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dbus-bin dbus-daemon)"
done
if [[ "$mode" == secret-service ]]; then
    command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring-daemon is missing (apt-get install gnome-keyring)"
    command -v secret-tool >/dev/null || die "secret-tool is missing (apt-get install libsecret-tools)"
fi

# ccache keeps its cache where it was.
export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}"

# Short base path: gnome-keyring's control socket lives under XDG_RUNTIME_DIR
# and unix socket paths are limited to ~100 bytes.
base=$(mktemp -d /tmp/sluice-keyring.XXXXXX)
chmod 700 "$base"
# shellcheck disable=SC2317  # called from the trap
cleanup() { rm -rf "$base"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$base/home" "$base/config" "$base/data" "$base/cache" "$base/run"
chmod 700 "$base/run"
export HOME="$base/home"
export XDG_CONFIG_HOME="$base/config"
export XDG_DATA_HOME="$base/data"
export XDG_CACHE_HOME="$base/cache"
export XDG_RUNTIME_DIR="$base/run"
export SLUICE_KEYRING_HOME="$base"
export SLUICE_KEYRING="$mode"
# No desktop: nothing may try to reach a display or another session's keyring.
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK \
      DBUS_SESSION_BUS_PID XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION

if [[ "$mode" == no-dbus ]]; then
    # An address where no bus listens: every D-Bus client fails to connect.
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$base/run/no-bus-here"
    status=0
    "$@" || status=$?
    exit "$status"
fi
unset DBUS_SESSION_BUS_ADDRESS

config_args=()
if [[ "$mode" == none ]]; then
    # A session bus with no activatable services: org.freedesktop.secrets
    # cannot be started, as on a desktop without any keychain.
    cat >"$base/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$base/run</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    config_args=(--config-file="$base/session.conf")
fi

status=0
# fd 3 carries our stderr past dbus-run-session, whose daemon logs to a file.
dbus-run-session "${config_args[@]}" -- bash "$0" --inner "$@" 3>&2 2>"$base/dbus.log" || status=$?
if [[ ! -e "$base/inner-started" ]]; then
    cat "$base/dbus.log" >&2 || true
    die "could not start a private D-Bus session (dbus-run-session exited with $status)"
fi
exit "$status"
