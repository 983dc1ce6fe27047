#!/usr/bin/env bash
# README command 1: set up, start the embedded platform, walk through a real call, stay up.
# SFMS_HOME, SFMS_PORT and SFMS_BROKER_PORT move it; SFMS_SEED changes the story;
# SFMS_EXIT_AFTER_WALKTHROUGH=1 stops the platform after the walk-through.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

home=${SFMS_HOME:-var/embedded}
port=${SFMS_PORT:-8000}
gateway=http://127.0.0.1:$port
rm -rf "$home"
uv run --frozen sfms-embedded up --home "$home" --port "$port" \
  --broker-port "${SFMS_BROKER_PORT:-9092}" --timeline "$home/timeline" "$@" &
stack=$!
trap 'kill $stack 2>/dev/null; wait $stack 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 240); do
  if curl -fsS "$gateway/readyz" >/dev/null 2>&1; then break; fi
  kill -0 $stack 2>/dev/null || { echo "the platform failed to start; see $home/logs" >&2; exit 1; }
  sleep 0.5
done
PYTHONPATH=scripts uv run --frozen python -m walkthrough --gateway "$gateway" \
  --timeline "$home/timeline" --mailbox "$home/mailbox" --seed "${SFMS_SEED:-2026}"
if [ "${SFMS_EXIT_AFTER_WALKTHROUGH:-}" = "1" ]; then exit 0; fi
echo
echo "The platform keeps running: $gateway/docs  (Ctrl-C to stop)"
wait $stack
