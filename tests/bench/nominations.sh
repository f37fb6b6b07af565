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

secs=${1:-10}
conns=${2:-16}
total=${3:-10000}
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
       competitions, apprentices, deeds, created_at, updated_at)
SELECT round_id, unit_id, state, channel, name || g, id_number_sealed,
       encode(sha256(convert_to(id_number_hash || g, 'UTF8')), 'hex'), id_number_masked,
       gender, birth_date, age, phone_sealed, phone_masked, occupation, skill_level,
       skill_certificate_no, front_line, post, honours, patents, competitions, apprentices,
       deeds, created_at + g * interval '1 ms', updated_at
  FROM nominations t, generate_series(1, $((total - 1))) g
 WHERE t.id = '$template';
SQL
psql -X -q -d "$JIANGXIN_OWNER_DATABASE_URL" -c 'ANALYZE nominations'   # as its owner
deep_key=$(psql -X -At -d "$JIANGXIN_DATABASE_URL" -c \
    "SELECT (extract(epoch FROM created_at) * 1000000)::bigint::text || id
       FROM nominations WHERE round_id = '$round' ORDER BY created_at, id
     OFFSET $((total / 2 - 1)) LIMIT 1")
deep_hex=$(printf '%s' "$deep_key" | od -An -tx1 | tr -d ' \n')
n=$(psql -X -At -d "$JIANGXIN_DATABASE_URL" -c "SELECT count(*) FROM nominations WHERE round_id = '$round'")

# The page through the API must be the page pgbench reads.
got=$(curl -fsS "$api/v1/rounds/$round/nominations?limit=50&cursor=$deep_hex" -H "Authorization: Bearer $office" |
    $py -c 'import json,sys; b=json.load(sys.stdin); print(len(b["items"]), b["items"][0]["name"])')

# ---- the same statement for pgbench: $1 round, $2..$5 no filter, $6 cursor, $7 limit + 1
sql=$("$bin" statement nomination_store_list_created)
sql=${sql//\$1/:round}
for k in 2 3 4 5; do sql=${sql//\$$k/NULL}; done
sql=${sql//\$7/51}
printf '%s;\n' "${sql//\$6/NULL}" >"$tmp/first.sql"
printf '%s;\n' "${sql//\$6/:cursor}" >"$tmp/deep.sql"

api_rate() { # url → "req/s p99"
    wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $office" "$1" 2>/dev/null |
        awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} /Socket errors/ {e=$0} END {print r, p}'
}
pg_rate() { # script → "tps avg-latency-ms"
    pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -D round="$round" -D cursor="$deep_key" \
        -f "$1" "$JIANGXIN_DATABASE_URL" 2>/dev/null |
        awk '/^tps/ {t=$3} /latency average/ {l=$4} END {print t, l}'
}

read -r a1 a1p99 < <(api_rate "$api/v1/rounds/$round/nominations?limit=50")
read -r p1 p1lat < <(pg_rate "$tmp/first.sql")
read -r a2 a2p99 < <(api_rate "$api/v1/rounds/$round/nominations?limit=50&cursor=$deep_hex")
read -r p2 p2lat < <(pg_rate "$tmp/deep.sql")

echo "round $round: $n nominations; deep page check: $got"
printf '%-34s %10s %10s %10s %8s\n' page "api req/s" "api p99" "pgbench" ratio
printf '%-34s %10.0f %10s %10.0f %8.2f\n' "first page (limit 50)" "$a1" "$a1p99" "$p1" "$(echo "$a1 / $p1" | bc -l)"
printf '%-34s %10.0f %10s %10.0f %8.2f\n' "page at row $((total / 2)) (keyset cursor)" "$a2" "$a2p99" "$p2" "$(echo "$a2 / $p2" | bc -l)"
echo "(pgbench average latency: ${p1lat} ms and ${p2lat} ms; $conns connections, ${secs}s each, wrk -t2 and pgbench -j2 -M prepared, all on this machine's $(nproc) cores)"
