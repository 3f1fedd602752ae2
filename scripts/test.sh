#!/usr/bin/env bash
# The test command: makes sure the local PostgreSQL and Kafka run, then runs pytest.
# With CI=true, tests that need them fail instead of skipping when they are not reachable.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${KOSHQON_PG_ADMIN_URL:-}" || -z "${KOSHQON_KAFKA_BOOTSTRAP:-}" ]]; then
  # shellcheck source=../deploy/local/env.sh
  source deploy/local/env.sh
fi
if ! bash deploy/local/up.sh >var-up.log 2>&1; then
  if [[ "${CI:-}" == "true" ]]; then
    cat var-up.log; rm -f var-up.log
    echo "test: the local PostgreSQL and Kafka could not be started" >&2
    exit 1
  fi
  echo "test: the local PostgreSQL and Kafka could not be started (see deploy/local);" \
       "the tests that need them will be skipped. Last lines:" >&2
  tail -n 5 var-up.log >&2
fi
rm -f var-up.log

.venv/bin/pytest "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "test: no test was collected" >&2
  exit 1
fi
exit $status
