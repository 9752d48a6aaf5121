#!/usr/bin/env bash
# `make demo`: migrate, seed the demo organisations, collect static files, then
# run the web server, the task worker and the scheduler together until Ctrl-C.
#
# Runs with DEBUG off like production, but with the insecure development key
# and non-secure cookies, so it is for a developer's own machine over plain
# http only. PORT (default 8000) chooses the port on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBUG=0
export KANALVAKT_INSECURE_DEV_KEY=1
export SECURE_COOKIES=0
# New comments keep arriving in the demo organisations while the demo runs.
export KANALVAKT_DEMO_TRAFFIC=1
PORT=${PORT:-8000}
url="http://127.0.0.1:$PORT/"
export SITE_URL=${SITE_URL:-${url%/}}
bin=.venv/bin
kanalvakt=("$bin/kanalvakt")

if ! "$bin/python" - "$PORT" <<'PY'
import socket, sys
with socket.socket() as s:
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
PY
then
    echo "error: port $PORT on 127.0.0.1 is in use; choose another: make demo PORT=8001" >&2
    exit 1
fi

echo "== migrating the database"
"${kanalvakt[@]}" migrate --noinput -v0
echo "== seeding demo data"
# The last line `kanalvakt demo` prints is the demo login, repeated at the end.
if "${kanalvakt[@]}" help demo >/dev/null 2>&1; then
    seeded=$("${kanalvakt[@]}" demo)
    printf '%s\n' "$seeded"
else
    seeded="(no demo data: the 'kanalvakt demo' command is not available)"
    echo "warning: $seeded" >&2
fi
echo "== filling inboxes, registrar queues and snapshots"
"${kanalvakt[@]}" demo_traffic --count 60
"${kanalvakt[@]}" demo_records
echo "== collecting static files"
"${kanalvakt[@]}" collectstatic --noinput -v0

pids=()
stop() {
    trap - INT TERM EXIT
    ((${#pids[@]})) || return 0
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "${pids[@]}" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap 'echo; echo "Stopping…"; stop; exit 0' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$bin/waitress-serve" --listen="127.0.0.1:$PORT" --threads=8 kanalvakt.wsgi:application &
pids+=($!)
web=$!
"${kanalvakt[@]}" db_worker --no-reload &
pids+=($!)
"${kanalvakt[@]}" crontask --no-heartbeat &
pids+=($!)

for _ in $(seq 150); do
    if ! kill -0 "$web" 2>/dev/null; then
        echo "error: the web server stopped while starting" >&2
        exit 1
    fi
    if "$bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "logga-in/", timeout=2)' "$url" 2>/dev/null; then
        break
    fi
    sleep 0.2
done

cat <<MSG

  Kanalvakt runs at $url
  $(printf '%s\n' "$seeded" | tail -n 1)

  Web server, task worker and scheduler are running; Ctrl-C stops them all.

MSG

# If any of the three ends on its own, stop the others too.
set +e
wait -n "${pids[@]}"
status=$?
set -e
echo "error: a demo process ended (exit status $status); stopping the others" >&2
exit 1
