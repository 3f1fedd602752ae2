#!/usr/bin/env bash
# The four services as separate processes against the local PostgreSQL and Kafka (make up).
#   services.sh start    start REPLICAS (default 1) processes of each service, wait until ready
#   services.sh stop     stop them (SIGTERM, then SIGKILL after 20 s)
#   services.sh status   which run, and their readiness
# Replica 1 listens on the service's own port (8001-8004); replica i on port + 10*(i-1).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VAR="${KOSHQON_VAR:-$ROOT/var}"
RUN="$VAR/run"
LOG="$VAR/log"
REPLICAS="${REPLICAS:-1}"
KOSHQON="$ROOT/.venv/bin/koshqon"
declare -A PORTS=([registration]=8001 [permits]=8002 [diaspora]=8003 [statistics]=8004)
SERVICES=(registration permits diaspora statistics)

# shellcheck source=deploy/local/env.sh
source "$HERE/env.sh"
PG_BASE="${KOSHQON_PG_ADMIN_URL%/*}"
PG_BASE="${PG_BASE/postgresql:\/\//postgresql+asyncpg://}"

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ready() {
    local port=$1
    python3 - "$port" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health/ready", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

start() {
    [[ -x "$KOSHQON" ]] || { echo "services: run 'make up' (it installs .venv first)" >&2; exit 1; }
    mkdir -p "$RUN" "$LOG"
    local service i port upper pidfile
    for service in "${SERVICES[@]}"; do
        upper="${service^^}"
        for ((i = 1; i <= REPLICAS; i++)); do
            port=$((PORTS[$service] + 10 * (i - 1)))
            pidfile="$RUN/$service-$i.pid"
            if alive "$pidfile"; then
                echo "[$service-$i] already running (pid $(cat "$pidfile"))"
                continue
            fi
            env "KOSHQON_${upper}_DATABASE_URL=$PG_BASE/koshqon_$service" \
                "KOSHQON_${upper}_BUS=kafka" \
                "KOSHQON_${upper}_KAFKA_BOOTSTRAP=$KOSHQON_KAFKA_BOOTSTRAP" \
                "KOSHQON_${upper}_PORT=$port" \
                nohup "$KOSHQON" serve "$service" >>"$LOG/$service-$i.log" 2>&1 &
            echo $! >"$pidfile"
        done
    done
    local deadline=$((SECONDS + 90))
    for service in "${SERVICES[@]}"; do
        for ((i = 1; i <= REPLICAS; i++)); do
            port=$((PORTS[$service] + 10 * (i - 1)))
            until ready "$port"; do
                if ! alive "$RUN/$service-$i.pid" || ((SECONDS > deadline)); then
                    echo "[$service-$i] did not become ready; last log lines:" >&2
                    tail -n 20 "$LOG/$service-$i.log" >&2
                    exit 1
                fi
                sleep 0.5
            done
            echo "[$service-$i] ready: http://127.0.0.1:$port/docs  (log: $LOG/$service-$i.log)"
        done
    done
}

stop() {
    local pidfile pid
    shopt -s nullglob
    for pidfile in "$RUN"/*.pid; do
        pid="$(cat "$pidfile")"
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pidfile in "$RUN"/*.pid; do
        pid="$(cat "$pidfile")"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
        echo "[$(basename "$pidfile" .pid)] stopped"
        rm -f "$pidfile"
    done
}

status() {
    local pidfile name port service i code=0
    shopt -s nullglob
    for pidfile in "$RUN"/*.pid; do
        name="$(basename "$pidfile" .pid)"
        service="${name%-*}"
        i="${name##*-}"
        port=$((PORTS[$service] + 10 * (i - 1)))
        if alive "$pidfile" && ready "$port"; then
            echo "[$name] ready on http://127.0.0.1:$port"
        else
            echo "[$name] not ready"; code=1
        fi
    done
    return $code
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 {start|stop|status}" >&2; exit 2 ;;
esac
