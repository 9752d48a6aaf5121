#!/usr/bin/env bash
# `make demo`: migrate, seed the demo organisations, collect static files, then
# run the web server, the task worker and the scheduler together until Ctrl-C.
#
# Runs with DEBUG off like production, but with the insecure development key
# and non-secure cookies, so it is for a developer's own machine over plain
# http only. PORT (default 8000) chooses the port on 127.0.0.1.
#
# Every platform is played by the local stand-in platform at /standin/
# ("Lokal ersättningsplattform – inte en riktig tjänst"), so replies, hiding,
# removing, publishing and snapshots work without internet.
#
# Running it again keeps the data: the seeding only adds what is missing and the
# inboxes are topped up to 60 messages, not filled again. To start from scratch,
# stop the demo and delete the database: rm var/kanalvakt.sqlite3*
#
# The set-up steps write their output to var/demo-setup.log, the web server and
# the scheduler to var/demo-web.log and var/demo-scheduler.log, the task worker
# (and the e-mail it sends, printed by the console mail backend) to
# var/demo-worker.log; the screen stays quiet and ends with the address and the
# login (the task worker's warnings still show). Ctrl-C stops everything and
# exits with status 0, under make too.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."

export DEBUG=0
export KANALVAKT_INSECURE_DEV_KEY=1
export SECURE_COOKIES=0
# New comments keep arriving in the demo organisations while the demo runs.
export KANALVAKT_DEMO_TRAFFIC=1
# The stand-in platform answers every connector; snapshots may fetch its pages.
export KANALVAKT_STANDIN=1
PORT=${PORT:-8000}
# "localhost", not 127.0.0.1: browsers offer security keys (WebAuthn) only for a
# domain name, and localhost counts as a secure context without https.
url="http://localhost:$PORT/"
export SITE_URL=${SITE_URL:-${url%/}}
export OUTBOUND_ALLOW_HOSTS="localhost:$PORT,127.0.0.1:$PORT"
# Only warnings and errors from the running processes.
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
bin=${KANALVAKT_BIN:-.venv/bin}
kanalvakt=("$bin/kanalvakt")

# Under make, Ctrl-C would reach make too, and make then dies of it ("Interrupt",
# status 130) however cleanly the demo stops. So in a terminal the script runs
# again as the terminal's foreground job, where Ctrl-C reaches it alone.
if [[ -z ${KANALVAKT_DEMO_FOREGROUND:-} && -t 0 ]]; then
    export KANALVAKT_DEMO_FOREGROUND=1
    exec "$bin/python" -m kanalvakt.demo.foreground -- "$self" "$@"
fi
var=${KANALVAKT_VAR_DIR:-var}
mkdir -p "$var"
# "Anslut via Bluesky" (atproto OAuth) against the stand-in: a client key of the
# demo's own (written once, before the start-up checks look for it), and DID
# documents from the stand-in's PLC directory.
export OAUTH_BLUESKY_KEY_FILE=${OAUTH_BLUESKY_KEY_FILE:-$(cd "$var" && pwd)/demo-bluesky-client.pem}
export BLUESKY_PLC_DIRECTORY=${BLUESKY_PLC_DIRECTORY:-$SITE_URL/standin/bluesky/plc}
"$bin/python" -m kanalvakt.demo.standin.clientkey "$OAUTH_BLUESKY_KEY_FILE"
setup_log=$var/demo-setup.log
: >"$setup_log"

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
trap 'echo; echo "Stoppar demon…"; stop; exit 0' INT
trap 'stop; exit 143' TERM
trap stop EXIT

if ! "$bin/python" - "$PORT" <<'PY'
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
PY
then
    echo "error: port $PORT on 127.0.0.1 is in use; choose another: make demo PORT=8001" >&2
    exit 1
fi

# One step of the set-up: a line on screen, the details in the log.
step() {
    local title=$1
    shift
    printf '  %s … ' "$title"
    if "$@" >>"$setup_log" 2>&1; then
        echo "klart"
    else
        echo "misslyckades"
        echo "error: '$*' failed; the last lines of $setup_log:" >&2
        tail -n 20 "$setup_log" >&2
        exit 1
    fi
}

echo "Kanalvakt-demo: förbereder (detaljer i $setup_log)"
step "databasen" "${kanalvakt[@]}" migrate --noinput -v0
step "demoorganisationerna och ersättningsplattformen" "${kanalvakt[@]}" demo
step "inkorgarna" "${kanalvakt[@]}" demo_traffic --up-to 60
step "diarium, ögonblicksbilder och en utlämnad begäran" "${kanalvakt[@]}" demo_records
step "statiska filer" "${kanalvakt[@]}" collectstatic --noinput -v0
# The last line `kanalvakt demo` printed is the login.
login=$(grep -a "Logga in som" "$setup_log" | tail -n 1)

# Each of the three runs in its own process group (`set -m`), so the terminal's
# Ctrl-C reaches only this script, which stops them once, with SIGTERM.
set -m
"$bin/waitress-serve" --listen="127.0.0.1:$PORT" --threads=8 kanalvakt.wsgi:application \
    >>"$var/demo-web.log" 2>&1 &
pids+=($!)
web=$!
"${kanalvakt[@]}" worker -v0 >>"$var/demo-worker.log" &
pids+=($!)
"${kanalvakt[@]}" crontask --no-heartbeat -v0 >>"$var/demo-scheduler.log" 2>&1 &
pids+=($!)
set +m

for _ in $(seq 150); do
    if ! kill -0 "$web" 2>/dev/null; then
        echo "error: the web server stopped while starting; see $var/demo-web.log" >&2
        exit 1
    fi
    if "$bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "logga-in/", timeout=2)' "$url" 2>/dev/null; then
        break
    fi
    sleep 0.2
done

cat <<MSG

  Kanalvakt körs på $url
  $login
  Ersättningsplattformen (inte en riktig tjänst): ${url}standin/

  E-post som demon skickar: $var/demo-worker.log
  Webbserver, uppgiftskö och schemaläggare körs; Ctrl-C stoppar allt.

MSG

# If any of the three ends on its own, stop the others too.
set +e
wait -n "${pids[@]}"
status=$?
set -e
echo "error: a demo process ended (exit status $status); stopping the others" >&2
exit 1
