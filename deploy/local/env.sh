# shellcheck shell=bash
# Source this file to point the Koshqon services and tests at the local infrastructure that
# deploy/local/up.sh starts:   source deploy/local/env.sh
export KOSHQON_PG_ADMIN_URL=postgresql://koshqon:koshqon@127.0.0.1:55432/postgres
export KOSHQON_KAFKA_BOOTSTRAP=127.0.0.1:9092
