#!/usr/bin/env bash
# Installs what is missing and starts the local infrastructure: PostgreSQL (127.0.0.1:55432) and
# Kafka (127.0.0.1:9092). Idempotent: running it again while both run changes nothing.
# Then prints the environment the services and tests read (also in deploy/local/env.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

"$HERE/postgres.sh" install
"$HERE/kafka.sh" install
"$HERE/postgres.sh" start
"$HERE/kafka.sh" start

# shellcheck source=deploy/local/env.sh
source "$HERE/env.sh"
cat <<ENV
# Local infrastructure is up. Use it with:  source deploy/local/env.sh
export KOSHQON_PG_ADMIN_URL=$KOSHQON_PG_ADMIN_URL
export KOSHQON_KAFKA_BOOTSTRAP=$KOSHQON_KAFKA_BOOTSTRAP
ENV
