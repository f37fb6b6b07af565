#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ranking benchmark (issue 12): one round in phase review holding 2,000
# nominations in review with 7 reviews each (inserted in SQL), GET
# /v1/rounds/{id}/ranking through the API (wrk, an office user's token)
# against pgbench running the service's own statement (the text comes from
# `jiangxin-api statement ranking_store_inputs`, i.e. SELECT … FROM
# ranking_inputs($1), db/functions/09_review.sql) at the same concurrency in
# the same run. The API also aggregates, ranks and renders the 2,000 entries
# (api/model/review_rules.c); pgbench only reads the rows. Prints both rates,
# the ratio (target >= 0.5) and the API's p99.
#
# Needs a running stack (./deploy/local.sh start) and the Debian packages
# wrk and postgresql-client (pgbench). The data go into a programme of their
# own (bench-…), so the demo data stay as they are.
# Usage: tests/bench/ranking.sh [seconds] [connections] [nominations] [reviews]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-10}
conns=${2:-16}
total=${3:-2000}
reviews=${4:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bench_stack
bench_programme
bench_copy_nominations "$total" submitted
psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" -c \
    "UPDATE nominations SET state = 'qualified', decided_at = submitted_at WHERE round_id = '$round' AND state = 'submitted'"
# The draft template is no nomination in review; the round moves on to review.
bench_call POST "/v1/rounds/$round/transitions" "$office" '{"to":"qualification"}' >/dev/null
bench_call POST "/v1/rounds/$round/transitions" "$office" '{"to":"review"}' >/dev/null
for i in $(seq 1 "$reviews"); do
    bench_call POST /v1/users "$admin" \
        "{\"username\":\"bench-expert-$tag-$i\",\"password\":\"$pw\",\"role\":\"expert\"}" >/dev/null
done
# The draw and the reviews (as the draw and the review routes would write them).
psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
UPDATE nominations SET state = 'in_review' WHERE round_id = '$round' AND state = 'qualified';
INSERT INTO expert_profiles (user_id, name, fields, employer_name, employer_code)
SELECT id, '基准专家' || right(username, 2), ARRAY['机械'], '基准评审单位', '$unit_code'
  FROM users WHERE username LIKE 'bench-expert-$tag-%';
INSERT INTO review_draws (round_id, seed, kind, experts_per_nomination, drawn_at)
SELECT '$round', '42', 'panel', $reviews, updated_at FROM rounds WHERE id = '$round';
INSERT INTO review_assignments (round_id, nomination_id, expert_id, draw_id, field_match,
       created_at)
SELECT n.round_id, n.id, e.user_id, d.id, true, n.submitted_at
  FROM nominations n, expert_profiles e, review_draws d
 WHERE n.round_id = '$round' AND n.state = 'in_review' AND d.round_id = '$round'
   AND e.name LIKE '基准专家%' AND e.user_id IN
       (SELECT id FROM users WHERE username LIKE 'bench-expert-$tag-%');
INSERT INTO reviews (assignment_id, revision, scores, total, gate_pass, reviewed_at)
SELECT a.id, 1, '{}', 5000 + (hashtext(a.id::text) & 4095), (hashtext(a.id::text) & 63) <> 0,
       a.created_at
  FROM review_assignments a WHERE a.round_id = '$round';
SQL
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" -c 'ANALYZE nominations; ANALYZE review_assignments; ANALYZE reviews'
n=$(psql -X -At -d "$JIANGXIN_DATABASE_URL" -c \
    "SELECT count(*) || ' nominations, ' || sum(cardinality(r_totals)) || ' reviews'
       FROM ranking_inputs('$round')")

# The ranking through the API must hold every nomination pgbench reads.
got=$(curl -fsS "$api/v1/rounds/$round/ranking" -H "Authorization: Bearer $office" |
    $BENCH_PY -c 'import json,sys; b=json.load(sys.stdin)["entries"]; print(len(b), "entries, first", b[0]["combined"])')

# ---- the same statement for pgbench: $1 the round
sql=$("$bin" statement ranking_store_inputs)
printf '%s;\n' "${sql//\$1/:round}" >"$tmp/ranking.sql"

read -r a1 a1p99 < <(bench_wrk "$conns" "$secs" "$api/v1/rounds/$round/ranking" -H "Authorization: Bearer $office")
read -r p1 p1lat < <(bench_pgbench "$conns" "$secs" "$tmp/ranking.sql" -D round="$round")

echo "round $round: $n; API check: $got"
printf '%-34s %10s %10s %10s %8s\n' request "api req/s" "api p99" "pgbench" ratio
printf '%-34s %10.1f %10s %10.1f %8.2f\n' "GET /v1/rounds/{id}/ranking" "$a1" "$a1p99" "$p1" "$(echo "$a1 / $p1" | bc -l)"
echo "(pgbench average latency: ${p1lat} ms; $conns connections, ${secs}s each, wrk -t2 and pgbench -j2 -M prepared, all on this machine's $(nproc) cores)"
