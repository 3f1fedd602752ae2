#!/usr/bin/env bash
# Stops the local infrastructure (Kafka, then PostgreSQL). Data stays on disk; see
# docs/infrastructure.md for how to reset it.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rc=0
"$HERE/kafka.sh" stop || rc=1
"$HERE/postgres.sh" stop || rc=1
exit "$rc"
