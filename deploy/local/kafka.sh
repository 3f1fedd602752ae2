#!/usr/bin/env bash
# Local Apache Kafka for Koshqon development and tests, without Docker.
#
# One KRaft node that is both broker and controller: PLAINTEXT on 127.0.0.1:9092, controller on
# 127.0.0.1:9093. The jars come from Maven Central (deploy/kafka/pom.xml); everything the node
# writes lives under var/kafka/ (override the var/ directory with KOSHQON_VAR).
#
#   deploy/local/kafka.sh install   fetch Kafka into var/kafka/libs (skipped when already there)
#   deploy/local/kafka.sh start     format storage once, start the node, wait for it, create topics
#   deploy/local/kafka.sh stop      SIGTERM, wait (bounded), then SIGKILL
#   deploy/local/kafka.sh kill      SIGKILL at once (for failure tests); data stays on disk
#   deploy/local/kafka.sh status    exit 0 when the broker answers a metadata call
#   deploy/local/kafka.sh topics    create the missing topics of deploy/kafka/topics.txt (+ .dlt)
#   deploy/local/kafka.sh list      list the topics
#   deploy/local/kafka.sh reset     stop and delete var/kafka/data (a new, empty cluster next start)
#
# Environment overrides: KOSHQON_VAR (repo var/), KOSHQON_KAFKA_WAIT_SECONDS (60),
# KOSHQON_KAFKA_STOP_SECONDS (30), KOSHQON_KAFKA_HEAP (-Xms256m -Xmx512m).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${KOSHQON_VAR:-$ROOT/var}"
mkdir -p "$VAR"
VAR="$(cd "$VAR" && pwd)"
KDIR="$VAR/kafka"
LIBS="$KDIR/libs"
TOOLS="$KDIR/tools"
DATA="$KDIR/data"
CONF="$KDIR/server.properties"
LOG4J_SERVER="$KDIR/log4j2-server.properties"
LOG4J_TOOLS="$KDIR/log4j2-tools.properties"
LOGFILE="$KDIR/kafka.log"
OUTFILE="$KDIR/kafka.out"
PIDFILE="$KDIR/kafka.pid"
STAMP="$KDIR/install.stamp"
CLUSTER_ID_FILE="$KDIR/cluster.id"

POM="$ROOT/deploy/kafka/pom.xml"
ADMIN_SRC="$ROOT/deploy/kafka/KoshqonKafkaAdmin.java"
TOPICS_FILE="$ROOT/deploy/kafka/topics.txt"

HOST=127.0.0.1
PORT=9092
CONTROLLER_PORT=9093
BOOTSTRAP="$HOST:$PORT"
WAIT_SECONDS="${KOSHQON_KAFKA_WAIT_SECONDS:-60}"
STOP_SECONDS="${KOSHQON_KAFKA_STOP_SECONDS:-30}"
HEAP="${KOSHQON_KAFKA_HEAP:--Xms256m -Xmx512m}"
# Marks the broker's command line so that this script finds its own process even without a pid file.
MARKER="-Dkoshqon.kafka.home=$KDIR"

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo -n -- "$@"; fi
}

# ---------------------------------------------------------------------------------------------
# install

java_major() {
    java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

ensure_toolchain() {
    local missing=()
    command -v java >/dev/null 2>&1 || missing+=(java)
    command -v javac >/dev/null 2>&1 || missing+=(javac)
    command -v mvn >/dev/null 2>&1 || missing+=(mvn)
    if ((${#missing[@]})); then
        command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]}: install a JDK (17 or newer) and Maven"
        log "installing default-jdk-headless and maven (missing: ${missing[*]})"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jdk-headless maven
    fi
    local major
    major="$(java_major)"
    if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
        die "Kafka 4 needs Java 17 or newer; 'java -version' says: $(java -version 2>&1 | head -n 1)"
    fi
}

install_fingerprint() {
    cat "$POM" "$ADMIN_SRC" | sha256sum | cut -d' ' -f1
}

is_installed() {
    [[ -f "$STAMP" ]] && [[ "$(cat "$STAMP")" == "$(install_fingerprint)" ]] \
        && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null \
        && [[ -f "$TOOLS/KoshqonKafkaAdmin.class" ]]
}

cmd_install() {
    if is_installed; then
        log "already installed in $LIBS ($(kafka_version))"
        return 0
    fi
    ensure_toolchain
    mkdir -p "$KDIR"
    local tmp="$KDIR/libs.tmp" mvnlog="$KDIR/install.log"
    rm -rf "$tmp" "$KDIR/tools.tmp"
    log "fetching Kafka and its dependencies from Maven Central (log: $mvnlog)"
    if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime -Dstyle.color=never >"$mvnlog" 2>&1; then
        tail -n 40 "$mvnlog" >&2
        die "mvn dependency:copy-dependencies failed (full log: $mvnlog)"
    fi
    compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "Maven finished but no kafka_2.13 jar landed in $tmp"
    log "compiling the admin helper"
    mkdir -p "$KDIR/tools.tmp"
    javac -nowarn -encoding UTF-8 -cp "$tmp/*" -d "$KDIR/tools.tmp" "$ADMIN_SRC" >>"$mvnlog" 2>&1 \
        || { tail -n 40 "$mvnlog" >&2; die "javac $ADMIN_SRC failed"; }
    rm -rf "$LIBS" "$TOOLS"
    mv "$tmp" "$LIBS"
    mv "$KDIR/tools.tmp" "$TOOLS"
    install_fingerprint >"$STAMP"
    log "installed $(kafka_version) into $LIBS ($(find "$LIBS" -name '*.jar' | wc -l) jars)"
}

kafka_version() {
    local jar
    jar="$(compgen -G "$LIBS/kafka_2.13-*.jar" | head -n 1 || true)"
    jar="${jar##*/kafka_2.13-}"
    printf 'Kafka %s\n' "${jar%.jar}"
}

require_installed() {
    if ! is_installed; then
        log "Kafka is not installed yet (or deploy/kafka changed); installing"
        cmd_install
    fi
}

# ---------------------------------------------------------------------------------------------
# configuration

write_configs() {
    mkdir -p "$KDIR" "$DATA"
    cat >"$CONF" <<EOF
# Written by deploy/local/kafka.sh on every start; edit the script, not this file.
# One KRaft node, broker and controller at once, on loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${CONTROLLER_PORT}
listeners=PLAINTEXT://${HOST}:${PORT},CONTROLLER://${HOST}:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://${HOST}:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=${DATA}

# Single node: every replication factor is 1.
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Development and tests: no rebalance delay, topics appear on first use and can be deleted.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true

# A small machine (2 cores).
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=72
log.segment.bytes=104857600
log.retention.check.interval.ms=300000
EOF
    cat >"$LOG4J_SERVER" <<EOF
# Written by deploy/local/kafka.sh: broker logs to kafka.log, rolled at 20 MB, 5 kept.
status = warn
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = ${LOGFILE}
appender.file.filePattern = ${LOGFILE}.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 5
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
    cat >"$LOG4J_TOOLS" <<EOF
# Written by deploy/local/kafka.sh: command-line tools only print errors.
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = STDERR
EOF
}

# ---------------------------------------------------------------------------------------------
# processes

# Prints "pid home" for every running Koshqon Kafka node (any checkout), found by its marker.
koshqon_brokers() {
    local d pid cmd home
    for d in /proc/[0-9]*; do
        pid="${d#/proc/}"
        [[ -r "$d/cmdline" ]] || continue
        cmd="$(tr '\0' '\n' <"$d/cmdline" 2>/dev/null || true)"
        [[ "$cmd" == *$'\nkafka.Kafka\n'* ]] || continue
        home="$(grep -m1 '^-Dkoshqon\.kafka\.home=' <<<"$cmd" || true)"
        [[ -n "$home" ]] || continue
        alive "$pid" || continue
        printf '%s %s\n' "$pid" "${home#-Dkoshqon.kafka.home=}"
    done
}

# True when the process exists and is not a zombie.
alive() {
    local state
    [[ -r "/proc/$1/stat" ]] || return 1
    state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The pid of this checkout's node, or nothing.
our_pid() {
    local pid
    if [[ -f "$PIDFILE" ]]; then
        pid="$(cat "$PIDFILE" 2>/dev/null || true)"
        if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" \
            && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$MARKER"; then
            printf '%s\n' "$pid"
            return 0
        fi
    fi
    koshqon_brokers | awk -v h="$KDIR" '$2 == h { print $1; exit }'
}

port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

java_tool() {
    # Short-lived JVMs: small heap, quick start.
    java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
        -Dlog4j2.configurationFile="$LOG4J_TOOLS" -cp "$TOOLS:$LIBS/*" "$@"
}

admin() { java_tool KoshqonKafkaAdmin "$@"; }

answers() {
    port_open "$HOST" "$PORT" && admin ping "$BOOTSTRAP" "${1:-5000}" >/dev/null 2>&1
}

show_logs() {
    if [[ -s "$OUTFILE" ]]; then
        log "last lines of $OUTFILE:"
        tail -n 20 "$OUTFILE" >&2 || true
    fi
    if [[ -s "$LOGFILE" ]]; then
        log "last lines of $LOGFILE:"
        tail -n 40 "$LOGFILE" >&2 || true
    fi
}

wait_ready() {
    local pid="$1" deadline=$((SECONDS + WAIT_SECONDS))
    while :; do
        if ! alive "$pid"; then
            show_logs
            rm -f "$PIDFILE"
            die "the Kafka process (pid $pid) exited during start-up"
        fi
        if port_open "$HOST" "$PORT" && admin ping "$BOOTSTRAP" 3000 >/dev/null 2>&1; then
            return 0
        fi
        if ((SECONDS >= deadline)); then
            show_logs
            die "Kafka (pid $pid) did not answer on $BOOTSTRAP within ${WAIT_SECONDS}s; it is left running, see $LOGFILE"
        fi
        sleep 1
    done
}

signal_and_wait() { # pid signal seconds -> 0 when gone
    local pid="$1" sig="$2" secs="$3" deadline
    kill "-$sig" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + secs))
    while alive "$pid"; do
        ((SECONDS >= deadline)) && return 1
        sleep 0.2
    done
    return 0
}

stop_pid() { # pid label
    local pid="$1" label="$2"
    log "stopping $label (pid $pid): SIGTERM, up to ${STOP_SECONDS}s"
    if ! signal_and_wait "$pid" TERM "$STOP_SECONDS"; then
        log "$label (pid $pid) still running after ${STOP_SECONDS}s: SIGKILL"
        signal_and_wait "$pid" KILL 15 || die "could not kill pid $pid"
    fi
}

format_storage() {
    if [[ -f "$DATA/meta.properties" ]]; then
        return 0
    fi
    local cluster_id
    if [[ -s "$CLUSTER_ID_FILE" ]]; then
        cluster_id="$(cat "$CLUSTER_ID_FILE")"
    else
        cluster_id="$(java_tool kafka.tools.StorageTool random-uuid | tail -n 1)"
        [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "kafka.tools.StorageTool random-uuid printed '$cluster_id'"
        printf '%s\n' "$cluster_id" >"$CLUSTER_ID_FILE"
    fi
    log "formatting $DATA (cluster id $cluster_id)"
    local out
    if ! out="$(java_tool kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$CONF" --ignore-formatted 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "kafka.tools.StorageTool format failed"
    fi
    printf '%s\n' "$out" | grep -i '^Formatting' | sed 's/^/[kafka] /' >&2 || true
}

lock() {
    mkdir -p "$KDIR"
    exec 9>"$KDIR/.lock"
    flock -w 180 9 || die "another kafka.sh holds $KDIR/.lock"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
    require_installed
    lock
    local pid
    pid="$(our_pid)"
    if [[ -n "$pid" ]]; then
        if answers 5000; then
            log "already running (pid $pid) on $BOOTSTRAP"
            return 0
        fi
        log "running (pid $pid) but not answering yet; waiting"
        wait_ready "$pid"
        log "ready on $BOOTSTRAP (pid $pid)"
        return 0
    fi
    rm -f "$PIDFILE"

    # A node from another checkout of this repository (another var/ directory) holds the ports:
    # stop it; its data stays in its own var/kafka and its own kafka.sh start brings it back.
    local other_pid other_home
    while read -r other_pid other_home; do
        [[ -n "$other_pid" ]] || continue
        stop_pid "$other_pid" "the Koshqon Kafka of $other_home"
    done < <(koshqon_brokers)

    local p
    for p in "$PORT" "$CONTROLLER_PORT"; do
        if port_open "$HOST" "$p"; then
            local who=""
            command -v ss >/dev/null 2>&1 && who="$(ss -Hltnp "sport = :$p" 2>/dev/null | head -n 1)"
            die "$HOST:$p is already in use by another program${who:+: $who}"
        fi
    done

    write_configs
    format_storage

    printf '\n==== %s kafka.sh start ====\n' "$(date -Is)" >>"$OUTFILE"
    log "starting $(kafka_version) on $BOOTSTRAP (controller $HOST:$CONTROLLER_PORT), data in $DATA"
    # setsid: the node outlives this shell and its process group; the inner shell records its own
    # pid and then becomes java (exec), so the pid file holds the JVM's pid. fd 9 (the lock) is closed.
    # shellcheck disable=SC2086,SC2016
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDFILE" \
        java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
        "$MARKER" -Dkafka.logs.dir="$KDIR" -Dlog4j2.configurationFile="$LOG4J_SERVER" \
        -cp "$LIBS/*" kafka.Kafka "$CONF" \
        </dev/null >>"$OUTFILE" 2>&1 9>&- &
    local deadline=$((SECONDS + 5))
    until [[ -s "$PIDFILE" ]] || ((SECONDS >= deadline)); do
        sleep 0.1
    done
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || die "the Kafka process did not record its pid in $PIDFILE"
    wait_ready "$pid"
    log "ready on $BOOTSTRAP (pid $pid)"
    cmd_topics
}

cmd_topics() {
    require_installed
    [[ -f "$LOG4J_TOOLS" ]] || write_configs
    admin ensure "$BOOTSTRAP" "$TOPICS_FILE" | sed 's/^/[kafka] /' >&2
    return "${PIPESTATUS[0]}"
}

cmd_list() {
    require_installed
    [[ -f "$LOG4J_TOOLS" ]] || write_configs
    admin list "$BOOTSTRAP"
}

cmd_stop() {
    lock
    local pid
    pid="$(our_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PIDFILE"
        log "not running"
        return 0
    fi
    stop_pid "$pid" "Kafka"
    rm -f "$PIDFILE"
    log "stopped"
}

cmd_kill() {
    lock
    local pid
    pid="$(our_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PIDFILE"
        log "not running"
        return 0
    fi
    log "killing Kafka (pid $pid) with SIGKILL"
    signal_and_wait "$pid" KILL 15 || die "pid $pid survived SIGKILL for 15s"
    rm -f "$PIDFILE"
}

cmd_status() {
    if [[ -d "$TOOLS" ]] && is_installed && answers 5000; then
        local pid
        pid="$(our_pid)"
        log "answering on $BOOTSTRAP${pid:+ (pid $pid)}"
        return 0
    fi
    log "not answering on $BOOTSTRAP"
    return 1
}

cmd_reset() {
    cmd_stop
    log "deleting $DATA and the cluster id"
    rm -rf "$DATA" "$CLUSTER_ID_FILE"
}

usage() {
    echo "usage: $0 {install|start|stop|kill|status|topics|list|reset}" >&2
    exit 2
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    kill) cmd_kill ;;
    status) cmd_status ;;
    topics) cmd_topics ;;
    list) cmd_list ;;
    reset) cmd_reset ;;
    *) usage ;;
esac
