#!/bin/bash
# Runs Redis 7.0.15's Tcl test suite in its normal mode against redwing-server: the suite starts
# its own servers (with their config files, restarts, replicas), and `src/redis-server` in the
# suite's tree is a wrapper that runs `dist/bin/server.js` (build first: `npm run build`).
# External mode, against one running server, skips every test that needs its own servers;
# this mode runs those too.
#
# Usage: REDIS_GIT=<git dir of a redis/redis clone with tag 7.0.15> scripts/redis-tcl-normal.sh [UNIT...]
# Without units, every unit of the suite runs. Each unit runs alone (`--single`, capped at
# UNIT_TIMEOUT seconds, default 600), so a hang or an abort costs that unit only.
# Needs tclsh (apt-get install tcl) and redis-tools (redis-cli and redis-benchmark, which the
# suite runs). The suite's tree is unpacked under /tmp; nothing of it enters this repository.
# Output: one line per unit (tests passed and failed), the failed tests, and a total line.
set -u
REDIS_GIT=${REDIS_GIT:?set REDIS_GIT to the git dir of a redis/redis clone with tag 7.0.15}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-600}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=/tmp/redwing-tcl-normal
LOGS=$TREE/logs

[[ -f $ROOT/dist/bin/server.js ]] || { echo "build first: npm run build" >&2; exit 2; }
command -v tclsh >/dev/null || { echo "tclsh not found (apt-get install tcl)" >&2; exit 2; }
rm -rf "$TREE" && mkdir -p "$TREE/src" "$LOGS"
git --git-dir="$REDIS_GIT" archive 7.0.15 tests runtest | tar -x -C "$TREE" || exit 2
for tool in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
  path=$(command -v $tool) && ln -sf "$path" "$TREE/src/$tool"
done
printf '#!/bin/sh\nexec node %s/dist/bin/server.js "$@"\n' "$ROOT" > "$TREE/src/redis-server"
chmod +x "$TREE/src/redis-server"
cd "$TREE" || exit 2

units=("$@")
[[ ${#units[@]} -gt 0 ]] || mapfile -t units < <(tclsh tests/test_helper.tcl --list-tests)
total_passed=0 total_failed=0
printf '%-44s %6s %6s\n' unit passed failed
for unit in "${units[@]}"; do
  log=$LOGS/${unit//\//_}.log
  timeout "$UNIT_TIMEOUT" tclsh tests/test_helper.tcl --single "$unit" --tags -slow --durable --clients 1 \
    > "$log" 2>&1
  clean=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | tr -d '\000')
  passed=$(grep -a -c '^\[ok\]' <<< "$clean")
  failed=$(grep -a -c -E '^\[(err|exception|timeout)\]' <<< "$clean")
  printf '%-44s %6d %6d\n' "$unit" "$passed" "$failed"
  grep -a -E '^\[(err|exception|timeout)\]' <<< "$clean" | sed "s|^|    |" >> "$LOGS/failed.txt"
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
  rm -rf tests/tmp/*
done
echo "--- failed tests (logs in $LOGS):"
cat "$LOGS/failed.txt" 2>/dev/null
echo "redis-tcl normal mode: $total_passed passed, $total_failed failed"
