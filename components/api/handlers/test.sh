#!/usr/bin/env bash
# Runs the unit tests of the Lambda handlers with Node's built-in test runner.
# Needs only `node` (>= 20); skips cleanly when it is not installed.
set -euo pipefail

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed; Lambda handler tests (components/api/handlers) not run."
  exit 0
fi

cd "$(dirname "${BASH_SOURCE[0]}")"
exec node --test api/index.test.mjs worker/index.test.mjs
