#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on loopback.
#
#   scripts/with-postgres.sh CMD [ARG...]
#
# Starts a new cluster from Debian's postgresql package in a temporary
# directory on a free port, creates a role `kanalvakt` (LOGIN CREATEDB, so
# Django can create its test databases) and a database `kanalvakt`, exports
# DATABASE_URL for CMD, and removes the cluster when CMD ends, fails or is
# interrupted. Exits with CMD's exit code.
set -euo pipefail

if (($# == 0)); then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    echo "error: PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin;" \
        "run scripts/ensure-debian-packages.sh (or set PG_BIN)" >&2
    exit 1
fi

# initdb refuses to run as root: as root, run the cluster as an unprivileged user.
as_owner=()
if ((EUID == 0)); then
    owner=${PG_OWNER:-postgres}
    id "$owner" >/dev/null 2>&1 || owner=nobody
    as_owner=(runuser -u "$owner" -- env -C /)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kanalvakt-pg.XXXXXX")
chmod 755 "$tmp"
data="$tmp/data"
sock="$tmp/sock"
mkdir -m 700 "$data"
mkdir -m 700 "$sock"
if ((${#as_owner[@]})); then
    chown "$owner" "$data" "$sock"
fi

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -f "$data/postmaster.pid" ]]; then
        "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

"${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || {
    cat "$tmp/initdb.log" >&2
    exit 1
}

# Durability is pointless for a cluster that is thrown away: trade it for speed.
started=0
for _ in 1 2 3 4 5; do
    port=$(free_port)
    if "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null; then
        started=1
        break
    fi
done
if ((started == 0)); then
    echo "error: PostgreSQL did not start; its log:" >&2
    cat "$data/server.log" >&2 || true
    exit 1
fi

"${as_owner[@]}" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE kanalvakt LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE kanalvakt OWNER kanalvakt"

export DATABASE_URL="postgres://kanalvakt:$password@127.0.0.1:$port/kanalvakt"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (removed afterwards)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
