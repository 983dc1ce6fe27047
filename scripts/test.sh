#!/usr/bin/env bash
# README command 2: set up and run every test (unit, integration on the local PostgreSQL
# and a Tansu broker, end-to-end through the gateway, deployment checks).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "starting PostgreSQL ..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break; sleep 1; done
fi

source scripts/setup.sh
uv run --frozen pytest "$@"
