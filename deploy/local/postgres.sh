#!/usr/bin/env bash
# Local PostgreSQL for Koshqon development and tests, without Docker.
#
# A dedicated Debian cluster named "koshqon" (postgresql-common: pg_createcluster / pg_ctlcluster),
# listening on 127.0.0.1:55432 only, with a login role koshqon/koshqon and one database per service.
#
#   deploy/local/postgres.sh install   apt-get install postgresql when pg_createcluster is missing
#   deploy/local/postgres.sh start     create the cluster if needed, start it, create role + databases
#   deploy/local/postgres.sh stop      stop the cluster
#   deploy/local/postgres.sh status    exit 0 when the cluster accepts connections
#   deploy/local/postgres.sh url       print the admin URL the tests use
#
# Every command is idempotent. Environment overrides (rarely needed):
#   KOSHQON_PG_PORT (55432), KOSHQON_PG_CLUSTER (koshqon), KOSHQON_PG_WAIT_SECONDS (60)
set -euo pipefail

PG_CLUSTER="${KOSHQON_PG_CLUSTER:-koshqon}"
PG_PORT="${KOSHQON_PG_PORT:-55432}"
PG_HOST=127.0.0.1
PG_ROLE=koshqon
PG_PASSWORD=koshqon
PG_DATABASES=(koshqon_registration koshqon_permits koshqon_diaspora koshqon_statistics)
WAIT_SECONDS="${KOSHQON_PG_WAIT_SECONDS:-60}"
ADMIN_URL="postgresql://${PG_ROLE}:${PG_PASSWORD}@${PG_HOST}:${PG_PORT}/postgres"

log() { printf '[postgres] %s\n' "$*" >&2; }
die() { printf '[postgres] ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command as the postgres OS user (the cluster owner).
as_postgres() {
    if [[ "$(id -un)" == postgres ]]; then
        "$@"
    elif [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        sudo -n -u postgres -- "$@"
    fi
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo -n -- "$@"; fi
}

have_server() { command -v pg_createcluster >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1; }

cmd_install() {
    if have_server && [[ -n "$(server_versions)" ]]; then
        log "PostgreSQL server already installed (versions: $(server_versions | tr '\n' ' '))"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "pg_createcluster is missing and apt-get is not available; install PostgreSQL (Debian's postgresql package) by hand"
    log "installing Debian's postgresql package"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql postgresql-client
    have_server || die "apt-get install postgresql finished but pg_createcluster is still missing"
}

# Major versions of the installed servers, one per line, ascending.
server_versions() {
    local d
    for d in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x "$d" ]] || continue
        d="${d#/usr/lib/postgresql/}"
        printf '%s\n' "${d%%/*}"
    done | sort -V
}

# Version of an existing "koshqon" cluster, if any (there is at most one in practice).
existing_cluster_version() {
    pg_lsclusters -h 2>/dev/null | awk -v c="$PG_CLUSTER" '$2 == c { print $1; exit }'
}

cluster_version() {
    local v
    v="$(existing_cluster_version)"
    if [[ -z "$v" ]]; then
        v="$(server_versions | tail -n 1)"
    fi
    [[ -n "$v" ]] || die "no PostgreSQL server found under /usr/lib/postgresql; run: $0 install"
    printf '%s\n' "$v"
}

is_ready() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 >/dev/null 2>&1
}

write_config() {
    local ver="$1" confdir="/etc/postgresql/$1/$PG_CLUSTER"
    local conf="$confdir/conf.d/50-koshqon.conf"
    as_root mkdir -p "$confdir/conf.d"
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp" <<EOF
# Written by deploy/local/postgres.sh: a local development and test cluster.
listen_addresses = '${PG_HOST}'
port = ${PG_PORT}
max_connections = 300
shared_buffers = 128MB
# Loopback only: TLS would cost every connection and query CPU and protect nothing here.
ssl = off
# Tests create and drop many small databases: do not wait for the WAL flush on every commit.
# fsync stays on, so a crash loses at most the last few hundred milliseconds, never consistency.
synchronous_commit = off
# Keep checkpoints rare and the log readable.
max_wal_size = 1GB
checkpoint_timeout = 15min
log_min_duration_statement = -1
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    if ! as_root cmp -s "$tmp" "$conf" 2>/dev/null; then
        as_root install -m 0644 -o postgres -g postgres "$tmp" "$conf"
        log "wrote $conf"
        # A running cluster takes the new settings now (those that a reload can change).
        (cd / && as_root pg_ctlcluster "$ver" "$PG_CLUSTER" reload >/dev/null 2>&1) || true
    fi
    rm -f "$tmp"
    # Debian's postgresql.conf includes conf.d; make sure (older or hand-edited clusters).
    if ! as_root grep -Eq "^[[:space:]]*include_dir[[:space:]]*=[[:space:]]*'conf.d'" "$confdir/postgresql.conf"; then
        printf "\ninclude_dir = 'conf.d'\n" | as_root tee -a "$confdir/postgresql.conf" >/dev/null
    fi
}

wait_ready() {
    local ver="$1" deadline=$((SECONDS + WAIT_SECONDS))
    until is_ready; do
        if ((SECONDS >= deadline)); then
            log "cluster $ver/$PG_CLUSTER did not accept connections on $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s"
            local logfile="/var/log/postgresql/postgresql-$ver-$PG_CLUSTER.log"
            if [[ -r "$logfile" ]]; then
                log "last lines of $logfile:"
                tail -n 30 "$logfile" >&2 || true
            fi
            pg_lsclusters >&2 || true
            die "PostgreSQL is not ready"
        fi
        sleep 0.5
    done
}

provision() {
    local db sql
    sql="$(cat <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_ROLE}') THEN
    CREATE ROLE ${PG_ROLE} LOGIN;
  END IF;
END
\$\$;
ALTER ROLE ${PG_ROLE} WITH LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD '${PG_PASSWORD}';
EOF
)"
    for db in "${PG_DATABASES[@]}"; do
        sql+=$'\n'"SELECT 'CREATE DATABASE ${db} OWNER ${PG_ROLE}' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${db}')\\gexec"
        sql+=$'\n'"ALTER DATABASE ${db} OWNER TO ${PG_ROLE};"
    done
    # Run from / so that runuser does not complain about an unreadable working directory.
    (cd / && printf '%s\n' "$sql" | as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >/dev/null) \
        || die "could not create the role and databases"
}

cmd_start() {
    have_server || die "PostgreSQL server tools are missing; run: $0 install"
    local ver status
    ver="$(cluster_version)"
    if [[ -z "$(existing_cluster_version)" ]]; then
        log "creating cluster $ver/$PG_CLUSTER on port $PG_PORT"
        (cd / && as_root pg_createcluster --port "$PG_PORT" --start-conf manual \
            --locale C.UTF-8 --encoding UTF8 "$ver" "$PG_CLUSTER" >/dev/null) \
            || die "pg_createcluster $ver $PG_CLUSTER failed"
    fi
    write_config "$ver"
    status="$(pg_lsclusters -h | awk -v v="$ver" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')"
    if [[ "$status" == online* ]]; then
        if ! is_ready; then
            log "cluster $ver/$PG_CLUSTER is $status but not answering yet; waiting"
        fi
    else
        log "starting cluster $ver/$PG_CLUSTER"
        (cd / && as_root pg_ctlcluster "$ver" "$PG_CLUSTER" start) || {
            local logfile="/var/log/postgresql/postgresql-$ver-$PG_CLUSTER.log"
            [[ -r "$logfile" ]] && tail -n 30 "$logfile" >&2
            die "pg_ctlcluster $ver $PG_CLUSTER start failed"
        }
    fi
    wait_ready "$ver"
    provision
    log "ready: $ADMIN_URL (cluster $ver/$PG_CLUSTER)"
}

cmd_stop() {
    command -v pg_lsclusters >/dev/null 2>&1 || { log "PostgreSQL is not installed; nothing to stop"; return 0; }
    local ver status
    ver="$(existing_cluster_version)"
    if [[ -z "$ver" ]]; then
        log "no $PG_CLUSTER cluster; nothing to stop"
        return 0
    fi
    status="$(pg_lsclusters -h | awk -v v="$ver" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')"
    if [[ "$status" != online* ]]; then
        log "cluster $ver/$PG_CLUSTER is already stopped"
        return 0
    fi
    log "stopping cluster $ver/$PG_CLUSTER"
    (cd / && as_root pg_ctlcluster "$ver" "$PG_CLUSTER" stop -m fast) || die "pg_ctlcluster $ver $PG_CLUSTER stop failed"
}

cmd_status() {
    if command -v pg_isready >/dev/null 2>&1 && is_ready; then
        log "ready on $PG_HOST:$PG_PORT"
        return 0
    fi
    log "not running on $PG_HOST:$PG_PORT"
    return 1
}

cmd_url() { printf '%s\n' "$ADMIN_URL"; }

usage() {
    echo "usage: $0 {install|start|stop|status|url}" >&2
    exit 2
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) usage ;;
esac
