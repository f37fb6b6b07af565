#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Export benchmark (issue 16): a programme of its own with N public
# nominees (100,000 by default) and M recognitions (10,000), then, in the
# same run:
#   1. the reference: per dataset, the very SQL the exporter runs
#      (`jiangxin-api statement export_store_<ds>`, $1 substituted) through
#      psql, twice: `\copy (sql) TO ds.csv CSV HEADER` and
#      `\copy (SELECT row_to_json(t) FROM (sql) t) TO ds.json`, timed
#      together;
#   2. `jiangxin-api export --out DIR --full` (both files per dataset, the
#      changes, hashes, fsyncs and the signed manifest), timed, with its peak
#      resident memory (ru_maxrss of the child) — targets: ≤ 3× the
#      reference, ≤ 64 MiB;
#   3. an incremental run against it (a few titles suspended in between).
# The nominees are public the way a ballot makes them public
# (db/functions/18_public.sql, public_nominees: the round's vote session,
# inserted in SQL with the N nominees and opened a day before the
# services' now, never pushed to jiangxin-vote); the recognitions are
# titles issued to the first M of them (as allowance.sh does). The data are
# vacuumed and analysed, then CHECKPOINT (needs JIANGXIN_SUPERUSER_URL,
# ./deploy/local.sh env; skipped without it) before anything is timed.
# The CLI runs at the services' clock (JIANGXIN_TEST_CLOCK=now of
# GET /v1/system/clock), so it sees the same open ballot.
# Needs a running stack (./deploy/local.sh start; the release build) and
# postgresql-client. Files go to a temporary directory, removed at the end.
# Usage: tests/bench/export.sh [nominees [recognitions]]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

total=${1:-100000}
titles=${2:-10000}
bench_stack
bench_programme lanshan-craftsman
now=$(curl -fsS "$api/v1/system/clock" -H "Authorization: Bearer $admin" | bench_field now)
bench_copy_nominations "$total" submitted
bench_public_ballot "$now"
bench_recognize "$titles" 岚山工匠
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" \
    -c 'VACUUM (ANALYZE) nominations, vote_sessions, recognitions, rounds'
if [ -n "${JIANGXIN_SUPERUSER_URL:-}" ]; then
    psql -X -q -d "$JIANGXIN_SUPERUSER_URL" -c CHECKPOINT
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ref" "$work/out"

# ---- 1. the reference: the exporter's SQL through psql \copy, CSV and JSON
ref_ms=0
declare -A ref_rows
for ds in programmes rounds nominees vote_results decisions notices recognitions \
    allowance_summary; do
    sql=$("$bin" statement "export_store_$ds" | tr '\n' ' ')
    case $ds in
    rounds | decisions | notices) sql=${sql//\$1/\'$today\'} ;;
    nominees | vote_results) sql=${sql//\$1/\'$now\'} ;;
    esac
    out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
\\timing on
\\copy ($sql) TO '$work/ref/$ds.csv' CSV HEADER
\\copy (SELECT row_to_json(t) FROM ($sql) t) TO '$work/ref/$ds.json'
SQL
)
    ms=$(printf '%s\n' "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | paste -sd+ | bc -l)
    ref_ms=$(echo "$ref_ms + $ms" | bc -l)
    ref_rows[$ds]=$(wc -l <"$work/ref/$ds.json")
done

# ---- 2. the full export, timed, with its peak RSS; 3. the incremental one
export_run() { # ARGS… — "ms maxrss-KiB" of one `jiangxin-api export` run
    JIANGXIN_TEST_CLOCK=$now $BENCH_PY - "$bin" export --out "$work/out" "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
ms = (time.monotonic() - t) * 1000
if r.returncode != 0:
    sys.exit(f"bench: export failed ({r.returncode})")
print(f"{ms:.0f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}
if [ -n "${JIANGXIN_SUPERUSER_URL:-}" ]; then
    psql -X -q -d "$JIANGXIN_SUPERUSER_URL" -c CHECKPOINT
fi
read -r full_ms full_rss < <(export_run --full)
dir=$work/out/${today}
bytes=$(du -sb "$dir" | cut -f1)
psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" -c \
    "UPDATE recognitions SET status = 'suspended' WHERE id IN
       (SELECT id FROM recognitions WHERE round_id = '$round' ORDER BY id LIMIT 10)"
read -r inc_ms inc_rss < <(export_run)
changed=$($BENCH_PY -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["changes"]["upserts"], m["changes"]["deletes"], m["full"])' "$dir/manifest.json")
JIANGXIN_EXPORT_KEY=$JIANGXIN_EXPORT_KEY "$bin" export verify "$dir" >/dev/null

echo "programme $code: added $total public nominees (a ballot) and $titles recognitions;" \
    "the export holds ${ref_rows[nominees]} nominees and ${ref_rows[recognitions]} recognitions"
printf '%-52s %9s %9s %7s %9s\n' what ms reference ratio "peak RSS"
printf '%-52s %9.0f %9.0f %7.2f %6d MiB\n' "export --full ($((bytes / 1048576)) MiB written) vs psql \\copy" \
    "$full_ms" "$ref_ms" "$(echo "$full_ms / $ref_ms" | bc -l)" "$((full_rss / 1024))"
printf '%-52s %9.0f %9s %7s %6d MiB\n' "export, incremental (upserts deletes full: $changed)" \
    "$inc_ms" - - "$((inc_rss / 1024))"
echo "targets: full ≤ 3× the reference, peak RSS ≤ 64 MiB; $(nproc) cores"
