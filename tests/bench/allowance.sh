#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Allowance benchmark (issue 15): N titles (100,000 by default) of a
# 环翠-based programme of its own, recognised 35 days ago, so this month is
# in their management period (recognitions and nominations inserted in SQL;
# employer payees, which need no sealing). Then:
#   1. one monthly run of this month through the API (POST
#      /v1/allowance/runs as finance: the facts read, the payable-month rule
#      in C, the entries written, in one transaction), timed, against a plain
#      INSERT … SELECT of the same rows into allowance_entries in psql
#      (rolled back), in the same run — target ≤ 1.5×;
#   2. the second, no-op run — target ≤ 0.2× of the first;
#   3. the month's payment batch and its XLSX of N lines — the API's peak
#      resident memory (VmHWM) after the export, target < 64 MiB over what
#      it held before.
# The loaded data are vacuumed and analysed before anything is timed, as
# autovacuum would long have done for titles recognised 35 days ago (left
# to autovacuum, the vacuum of the 100,000 fresh nominations ran during the
# timed run, on the same two cores), and each of the two timed statements
# starts after a CHECKPOINT, so neither writes the full-page images of the
# ledger's index pages for the other (the first to touch a page after a
# checkpoint logs the whole page); it needs JIANGXIN_SUPERUSER_URL
# (./deploy/local.sh env) and is skipped without it.
# Needs a running stack (./deploy/local.sh start; the release build) and
# postgresql-client. The data go into a programme of their own (bench-…).
# Usage: tests/bench/allowance.sh [titles]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

total=${1:-100000}
bench_stack
bench_programme huancui-chief-technician
fin=$(bench_token finance demo-finance-pw)
month=${today:0:7}
bench_copy_nominations "$total" submitted
bench_recognize "$total" 环翠区首席技师 "date '$today' - 35"
psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
INSERT INTO allowance_payees (recognition_id, method, employer_name, employer_code,
       updated_by_name, updated_at)
SELECT id, 'employer', '基准测试单位', '$unit_code', 'bench', now()
  FROM recognitions WHERE round_id = '$round';
SQL
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" \
    -c 'VACUUM (ANALYZE) nominations, recognitions, allowance_payees, allowance_entries'
checkpoint() {
    if [ -n "${JIANGXIN_SUPERUSER_URL:-}" ]; then
        psql -X -q -d "$JIANGXIN_SUPERUSER_URL" -c CHECKPOINT
    fi
}

# ---- 1. the run through the API, and the plain INSERT … SELECT of the same rows
checkpoint
t0=$(date +%s.%N)
run=$(bench_call POST /v1/allowance/runs "$fin" "{\"month\":\"$month\"}")
t1=$(date +%s.%N)
accruals=$(printf '%s' "$run" | bench_field accruals)
checkpoint
plain=$(psql -X -At -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
BEGIN;
\\timing on
INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, reason, actor, at)
SELECT r.id, date '$month-01' + interval '1 month', 'accrual', 50000, 'monthly_run', 'bench', now()
  FROM recognitions r WHERE r.round_id = '$round';
\\timing off
ROLLBACK;
SQL
)
# ---- 2. the no-op rerun, once autovacuum would have analysed the new entries (the
# statistics of the month the facts query is planned with)
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" -c 'ANALYZE allowance_entries'
t2=$(date +%s.%N)
again=$(bench_call POST /v1/allowance/runs "$fin" "{\"month\":\"$month\"}" | bench_field accruals)
t3=$(date +%s.%N)

# ---- 3. the batch and its XLSX: the API's peak memory
pid=$(pgrep -f "build/api/jiangxin-api" | head -1)
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
start_hwm=$(hwm "$pid")
batch=$(bench_call POST /v1/allowance/batches "$fin" "{\"month\":\"$month\"}" | bench_field id)
before=$(hwm "$pid")
t4=$(date +%s.%N)
bytes=$(curl -fsS -o /dev/null -w '%{size_download}' "$api/v1/allowance/batches/$batch/export.xlsx" \
    -H "Authorization: Bearer $fin")
t5=$(date +%s.%N)
after=$(hwm "$pid")

run_ms=$(echo "($t1 - $t0) * 1000" | bc -l)
again_ms=$(echo "($t3 - $t2) * 1000" | bc -l)
xlsx_ms=$(echo "($t5 - $t4) * 1000" | bc -l)
echo "programme $code: $total titles; the run added $accruals accruals, the rerun $again"
printf '%-46s %10s %10s %8s\n' what "ms" "reference" ratio
printf '%-46s %10.0f %10.0f %8.2f\n' "POST /v1/allowance/runs (vs INSERT … SELECT)" "$run_ms" "$plain" "$(echo "$run_ms / $plain" | bc -l)"
printf '%-46s %10.0f %10.0f %8.2f\n' "the no-op rerun (vs the first run)" "$again_ms" "$run_ms" "$(echo "$again_ms / $run_ms" | bc -l)"
printf '%-46s %10.0f %10s %8s\n' "GET …/export.xlsx ($bytes bytes)" "$xlsx_ms" "-" "-"
echo "API peak resident memory (VmHWM): $((start_hwm / 1024)) MiB before the batch, $((before / 1024)) MiB after POST /v1/allowance/batches, $((after / 1024)) MiB after the XLSX (+$(((after - before) / 1024)) MiB for the export); $(nproc) cores"
