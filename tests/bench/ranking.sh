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

secs=${1:-10}
conns=${2:-16}
total=${3:-2000}
reviews=${4:-7}
root=$(cd "$(dirname "$0")/../.." && pwd)
eval "$("$root/deploy/local.sh" env 2>/dev/null)"
api=$JIANGXIN_API_URL
bin=$root/build/api/jiangxin-api
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in wrk pgbench psql; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
curl -fsS "$api/readyz" >/dev/null || { echo "bench: no API at $api (./deploy/local.sh start)" >&2; exit 1; }

# ---- data: a programme, an office user, a unit, a round in accepting
call() { # method path token [json] → body (fails on HTTP errors)
    curl -fsS -X "$1" "$api$2" -H "Authorization: Bearer $3" \
        ${4:+-H 'Content-Type: application/json' --data "$4"}
}
field() { $py -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
token() {
    curl -fsS "$api/v1/auth/token" -H 'Content-Type: application/json' \
        --data "{\"username\":\"$1\",\"password\":\"$2\"}" | field access_token
}
tag=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
admin=$(token admin demo-admin-pw)
# The services' today (the demo stack's clock), and a round window around it
# in a policy in force around it: the benchmark names no year.
today=$(curl -fsS "$api/v1/system/clock" -H "Authorization: Bearer $admin" | field today)
year=${today:0:4}
policy=$(curl -fsS "$api/v1/programmes/lanshan-craftsman" | $py -c '
import json, sys
p = json.load(sys.stdin)["policy"]
y = int(sys.argv[1])
p.update(in_force_from=f"{y - 3}-01-01", in_force_to=f"{y + 3}-12-31")
print(json.dumps(p))' "$year")
code=bench-$tag
call POST /v1/programmes "$admin" \
    "{\"code\":\"$code\",\"name\":\"基准测试 $tag\",\"name_en\":\"Bench $tag\",\"policy\":$policy}" >/dev/null
pw=bench-password-$tag
call POST /v1/users "$admin" \
    "{\"username\":\"bench-office-$tag\",\"password\":\"$pw\",\"role\":\"office\",\"programmes\":[\"$code\"]}" >/dev/null
unit_code=$($py - <<'EOF'
import random
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
body = "91110108" + "".join(random.choice(A) for _ in range(9))
w = [pow(3, i, 31) for i in range(17)]
v = 31 - sum(A.index(c) * x for c, x in zip(body, w)) % 31
print(body + A[0 if v == 31 else v])
EOF
)
unit_id=$(call POST /v1/units "$admin" "{\"code\":\"$unit_code\",\"name\":\"基准测试单位 $tag\",\"kind\":\"enterprise\"}" | field id)
call POST /v1/users "$admin" \
    "{\"username\":\"bench-unit-$tag\",\"password\":\"$pw\",\"role\":\"unit\",\"unit_id\":\"$unit_id\"}" >/dev/null
office=$(token "bench-office-$tag" "$pw")
unit=$(token "bench-unit-$tag" "$pw")
window=$($py -c '
import datetime, json, sys
t = datetime.date.fromisoformat(sys.argv[1])
o, c = t - datetime.timedelta(days=30), t + datetime.timedelta(days=30)
print(json.dumps({"year": o.year, "reference_date": f"{o.year}-12-31",
                  "window_opens": o.isoformat(), "window_closes": c.isoformat()}))' "$today")
round=$(call POST "/v1/programmes/$code/rounds" "$office" "$window" | field id)
call POST "/v1/rounds/$round/transitions" "$office" '{"to":"accepting"}' >/dev/null

# One nomination through the API (sealed ID and phone, synthetic, born
# 1900), then copies in SQL with distinct keyed hashes and names.
idn=$($py - <<'EOF'
import random
first17 = "370" + str(random.randint(100, 999)) + "19000101" + f"{random.randint(0, 999):03d}"
w = [pow(2, 17 - i, 11) for i in range(17)]
print(first17 + "10X98765432"[sum(int(c) * x for c, x in zip(first17, w)) % 11])
EOF
)
deeds=$($py -c 'print("长期扎根生产一线，" * 100)')
template=$(call POST "/v1/rounds/$round/nominations" "$unit" \
    "{\"name\":\"基准候选人\",\"id_number\":\"$idn\",\"phone\":\"13900000000\",\"occupation\":\"数控车工\",\"skill_level\":\"technician\",\"front_line\":true,\"post\":\"一线\",\"deeds\":\"$deeds\"}" | field id)
psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
INSERT INTO nominations (round_id, unit_id, state, channel, name, id_number_sealed,
       id_number_hash, id_number_masked, gender, birth_date, age, phone_sealed, phone_masked,
       occupation, skill_level, skill_certificate_no, front_line, post, honours, patents,
       competitions, apprentices, deeds, eligibility, submitted_at, created_at, updated_at)
SELECT round_id, unit_id, 'submitted', channel, name || g, id_number_sealed,
       encode(sha256(convert_to(id_number_hash || g, 'UTF8')), 'hex'), id_number_masked,
       gender, birth_date, age, phone_sealed, phone_masked, occupation, skill_level,
       skill_certificate_no, front_line, post, honours, patents, competitions, apprentices,
       deeds, '{}'::jsonb, created_at + g * interval '1 ms', created_at + g * interval '1 ms',
       updated_at
  FROM nominations t, generate_series(1, $total) g
 WHERE t.id = '$template';
UPDATE nominations SET state = 'qualified', decided_at = submitted_at WHERE round_id = '$round' AND state = 'submitted';
SQL
# The draft template is no nomination in review; the round moves on to review.
call POST "/v1/rounds/$round/transitions" "$office" '{"to":"qualification"}' >/dev/null
call POST "/v1/rounds/$round/transitions" "$office" '{"to":"review"}' >/dev/null
for i in $(seq 1 "$reviews"); do
    call POST /v1/users "$admin" \
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
    $py -c 'import json,sys; b=json.load(sys.stdin)["entries"]; print(len(b), "entries, first", b[0]["combined"])')

# ---- the same statement for pgbench: $1 the round
sql=$("$bin" statement ranking_store_inputs)
printf '%s;\n' "${sql//\$1/:round}" >"$tmp/ranking.sql"

api_rate() { # url → "req/s p99"
    wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $office" "$1" 2>/dev/null |
        awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {print r, p}'
}
pg_rate() { # script → "tps avg-latency-ms"
    pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -D round="$round" \
        -f "$1" "$JIANGXIN_DATABASE_URL" 2>/dev/null |
        awk '/^tps/ {t=$3} /latency average/ {l=$4} END {print t, l}'
}

read -r a1 a1p99 < <(api_rate "$api/v1/rounds/$round/ranking")
read -r p1 p1lat < <(pg_rate "$tmp/ranking.sql")

echo "round $round: $n; API check: $got"
printf '%-34s %10s %10s %10s %8s\n' request "api req/s" "api p99" "pgbench" ratio
printf '%-34s %10.1f %10s %10.1f %8.2f\n' "GET /v1/rounds/{id}/ranking" "$a1" "$a1p99" "$p1" "$(echo "$a1 / $p1" | bc -l)"
echo "(pgbench average latency: ${p1lat} ms; $conns connections, ${secs}s each, wrk -t2 and pgbench -j2 -M prepared, all on this machine's $(nproc) cores)"
