#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Nomination listing benchmark (issue 3): one round holding 10,000
# nominations; pages of 50 through the API (wrk, an office user's token)
# against pgbench running the service's own prepared statement — the text
# comes from `jiangxin-api statement`, so it is the same SQL — at the same
# concurrency in the same run. Two pages: the first, and one 5,000 rows deep
# (keyset cursor). Prints both rates, the ratio and the API's p99.
#
# Needs a running stack (./deploy/local.sh start) and the Debian packages
# wrk and postgresql-client (pgbench). The data go into a programme of their
# own (bench-…), so the demo data stay as they are.
# Usage: tests/bench/nominations.sh [seconds] [connections] [nominations]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-10}
conns=${2:-16}
total=${3:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bench_stack
bench_programme
bench_copy_nominations $((total - 1))
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" -c 'ANALYZE nominations'   # as its owner
deep_key=$(psql -X -At -d "$JIANGXIN_DATABASE_URL" -c \
    "SELECT (extract(epoch FROM created_at) * 1000000)::bigint::text || id
       FROM nominations WHERE round_id = '$round' ORDER BY created_at, id
     OFFSET $((total / 2 - 1)) LIMIT 1")
deep_hex=$(printf '%s' "$deep_key" | od -An -tx1 | tr -d ' \n')
n=$(psql -X -At -d "$JIANGXIN_DATABASE_URL" -c "SELECT count(*) FROM nominations WHERE round_id = '$round'")

# The page through the API must be the page pgbench reads.
got=$(curl -fsS "$api/v1/rounds/$round/nominations?limit=50&cursor=$deep_hex" -H "Authorization: Bearer $office" |
    $BENCH_PY -c 'import json,sys; b=json.load(sys.stdin); print(len(b["items"]), b["items"][0]["name"])')

# ---- the same statement for pgbench: $1 round, $2..$5 no filter, $6 cursor, $7 limit + 1
sql=$("$bin" statement nomination_store_list_created)
sql=${sql//\$1/:round}
for k in 2 3 4 5; do sql=${sql//\$$k/NULL}; done
sql=${sql//\$7/51}
printf '%s;\n' "${sql//\$6/NULL}" >"$tmp/first.sql"
printf '%s;\n' "${sql//\$6/:cursor}" >"$tmp/deep.sql"

auth=(-H "Authorization: Bearer $office")
pg=(-D round="$round" -D cursor="$deep_key")
read -r a1 a1p99 < <(bench_wrk "$conns" "$secs" "$api/v1/rounds/$round/nominations?limit=50" "${auth[@]}")
read -r p1 p1lat < <(bench_pgbench "$conns" "$secs" "$tmp/first.sql" "${pg[@]}")
read -r a2 a2p99 < <(bench_wrk "$conns" "$secs" "$api/v1/rounds/$round/nominations?limit=50&cursor=$deep_hex" "${auth[@]}")
read -r p2 p2lat < <(bench_pgbench "$conns" "$secs" "$tmp/deep.sql" "${pg[@]}")

echo "round $round: $n nominations; deep page check: $got"
printf '%-34s %10s %10s %10s %8s\n' page "api req/s" "api p99" "pgbench" ratio
printf '%-34s %10.0f %10s %10.0f %8.2f\n' "first page (limit 50)" "$a1" "$a1p99" "$p1" "$(echo "$a1 / $p1" | bc -l)"
printf '%-34s %10.0f %10s %10.0f %8.2f\n' "page at row $((total / 2)) (keyset cursor)" "$a2" "$a2p99" "$p2" "$(echo "$a2 / $p2" | bc -l)"
echo "(pgbench average latency: ${p1lat} ms and ${p2lat} ms; $conns connections, ${secs}s each, wrk -t2 and pgbench -j2 -M prepared, all on this machine's $(nproc) cores)"
