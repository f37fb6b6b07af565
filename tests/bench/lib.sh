# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# Shared by the benchmarks: the HTTP reference they all measure against,
# the running stack's API and database, the data set-up of a programme of
# their own, and the wrk and pgbench runs that print their rates.

BENCH_PY=/usr/bin/python3

# bench_free_port — a free loopback port (the kernel picks it).
bench_free_port() {
    $BENCH_PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_nginx DIR PORT — starts nginx answering `return 204` to every
# request on 127.0.0.1:PORT (pid in DIR/nginx.pid; stop it with
# kill "$(cat DIR/nginx.pid)").
bench_nginx() {
    cat >"$1/nginx.conf" <<CONF
worker_processes 2;
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1;
    uwsgi_temp_path $1; scgi_temp_path $1;
    server { listen 127.0.0.1:$2; location / { return 204; } }
}
CONF
    nginx -c "$1/nginx.conf"
    sleep 0.3
}

# bench_http_reference — for the HTTP benchmarks: `api` (the running API's
# URL), wrk and nginx present, and nginx `return 204` started on a free
# `port` in a temporary `tmp`, both removed when the script exits.
bench_http_reference() {
    api=${JIANGXIN_API_URL:-http://127.0.0.1:${JIANGXIN_API_PORT:-8080}}
    tmp=$(mktemp -d)
    trap 'kill "$(cat "$tmp/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$tmp"' EXIT
    for tool in wrk nginx; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 1; }
    done
    curl -fsS "$api/healthz" >/dev/null || { echo "bench: no API at $api (./deploy/local.sh start)" >&2; exit 1; }
    # shellcheck disable=SC2034 # read by the scripts that source this file
    port=$(bench_free_port)
    bench_nginx "$tmp" "$port"
}

# bench_stack — the running stack (./deploy/local.sh env: JIANGXIN_API_URL,
# JIANGXIN_DATABASE_URL, …) with `api` and `bin` (build/api/jiangxin-api);
# exits when wrk, pgbench or psql is missing or the API does not answer.
bench_stack() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    eval "$("$root/deploy/local.sh" env 2>/dev/null)"
    api=$JIANGXIN_API_URL
    # shellcheck disable=SC2034 # read by the scripts that source this file
    bin=$root/build/api/jiangxin-api
    for tool in wrk pgbench psql; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
    done
    curl -fsS "$api/readyz" >/dev/null || { echo "bench: no API at $api (./deploy/local.sh start)" >&2; exit 1; }
}

# bench_call METHOD PATH TOKEN [JSON] — the body (fails on HTTP errors).
bench_call() {
    curl -fsS -X "$1" "$api$2" -H "Authorization: Bearer $3" \
        ${4:+-H 'Content-Type: application/json' --data "$4"}
}

# bench_field NAME — member NAME of the JSON object on stdin.
bench_field() { $BENCH_PY -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# bench_token USERNAME PASSWORD — an access token.
bench_token() {
    curl -fsS "$api/v1/auth/token" -H 'Content-Type: application/json' \
        --data "{\"username\":\"$1\",\"password\":\"$2\"}" | bench_field access_token
}

# bench_programme [BASE] — a programme of its own (bench-TAG, the policy of
# BASE — lanshan-craftsman unless given — in force around the services'
# today, so no year is named), an office user, a unit and its user, a round
# in accepting around today, and one nomination through the API (sealed
# synthetic ID and phone, born 1900) to copy in SQL. Sets tag, admin, pw,
# code, unit_code, office, unit, round, today and template.
bench_programme() {
    local policy unit_id window idn deeds base=${1:-lanshan-craftsman}
    tag=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    admin=$(bench_token admin demo-admin-pw)
    today=$(curl -fsS "$api/v1/system/clock" -H "Authorization: Bearer $admin" | bench_field today)
    policy=$(curl -fsS "$api/v1/programmes/$base" | $BENCH_PY -c '
import json, sys
p = json.load(sys.stdin)["policy"]
y = int(sys.argv[1])
p.update(in_force_from=f"{y - 3}-01-01", in_force_to=f"{y + 3}-12-31")
print(json.dumps(p))' "${today:0:4}")
    code=bench-$tag
    bench_call POST /v1/programmes "$admin" \
        "{\"code\":\"$code\",\"name\":\"基准测试 $tag\",\"name_en\":\"Bench $tag\",\"policy\":$policy}" >/dev/null
    pw=bench-password-$tag
    bench_call POST /v1/users "$admin" \
        "{\"username\":\"bench-office-$tag\",\"password\":\"$pw\",\"role\":\"office\",\"programmes\":[\"$code\"]}" >/dev/null
    unit_code=$($BENCH_PY - <<'PY'
import random
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
body = "91110108" + "".join(random.choice(A) for _ in range(9))
w = [pow(3, i, 31) for i in range(17)]
v = 31 - sum(A.index(c) * x for c, x in zip(body, w)) % 31
print(body + A[0 if v == 31 else v])
PY
)
    unit_id=$(bench_call POST /v1/units "$admin" \
        "{\"code\":\"$unit_code\",\"name\":\"基准测试单位 $tag\",\"kind\":\"enterprise\"}" | bench_field id)
    bench_call POST /v1/users "$admin" \
        "{\"username\":\"bench-unit-$tag\",\"password\":\"$pw\",\"role\":\"unit\",\"unit_id\":\"$unit_id\"}" >/dev/null
    office=$(bench_token "bench-office-$tag" "$pw")
    unit=$(bench_token "bench-unit-$tag" "$pw")
    window=$($BENCH_PY -c '
import datetime, json, sys
t = datetime.date.fromisoformat(sys.argv[1])
o, c = t - datetime.timedelta(days=30), t + datetime.timedelta(days=30)
print(json.dumps({"year": o.year, "reference_date": f"{o.year}-12-31",
                  "window_opens": o.isoformat(), "window_closes": c.isoformat()}))' "$today")
    round=$(bench_call POST "/v1/programmes/$code/rounds" "$office" "$window" | bench_field id)
    bench_call POST "/v1/rounds/$round/transitions" "$office" '{"to":"accepting"}' >/dev/null
    idn=$($BENCH_PY - <<'PY'
import random
first17 = "370" + str(random.randint(100, 999)) + "19000101" + f"{random.randint(0, 999):03d}"
w = [pow(2, 17 - i, 11) for i in range(17)]
print(first17 + "10X98765432"[sum(int(c) * x for c, x in zip(first17, w)) % 11])
PY
)
    deeds=$($BENCH_PY -c 'print("长期扎根生产一线，" * 100)')
    template=$(bench_call POST "/v1/rounds/$round/nominations" "$unit" \
        "{\"name\":\"基准候选人\",\"id_number\":\"$idn\",\"phone\":\"13900000000\",\"occupation\":\"数控车工\",\"skill_level\":\"technician\",\"front_line\":true,\"post\":\"一线\",\"deeds\":\"$deeds\"}" | bench_field id)
}

# bench_copy_nominations N [submitted] — N copies of the template in SQL
# with distinct keyed hashes and names, created 1 ms apart: drafts like the
# template, or with `submitted` submitted (eligibility {}) at that time.
bench_copy_nominations() {
    local state=state eligibility=eligibility submitted=submitted_at
    if [ "${2:-}" = submitted ]; then
        state="'submitted'" eligibility="'{}'::jsonb" submitted="created_at + g * interval '1 ms'"
    fi
    psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
INSERT INTO nominations (round_id, unit_id, state, channel, name, id_number_sealed,
       id_number_hash, id_number_masked, gender, birth_date, age, phone_sealed, phone_masked,
       occupation, skill_level, skill_certificate_no, front_line, post, honours, patents,
       competitions, apprentices, deeds, eligibility, submitted_at, created_at, updated_at)
SELECT round_id, unit_id, $state, channel, name || g, id_number_sealed,
       encode(sha256(convert_to(id_number_hash || g, 'UTF8')), 'hex'), id_number_masked,
       gender, birth_date, age, phone_sealed, phone_masked, occupation, skill_level,
       skill_certificate_no, front_line, post, honours, patents, competitions, apprentices,
       deeds, $eligibility, $submitted, created_at + g * interval '1 ms', updated_at
  FROM nominations t, generate_series(1, $1) g
 WHERE t.id = '$template';
SQL
}

# bench_wrk CONNECTIONS SECONDS URL [wrk options…] — "req/s p99". wrk waits
# up to 30 s for a reply (its default is 2 s), so a slow reply counts in the
# p99 instead of being left out of the latencies as a time-out.
bench_wrk() {
    local conns=$1 secs=$2 url=$3
    shift 3
    wrk -t2 -c"$conns" -d"${secs}s" --timeout 30s --latency "$@" "$url" 2>/dev/null |
        awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {print r, p}'
}

# bench_pgbench CONNECTIONS SECONDS SCRIPT [pgbench options…] — "tps
# average-latency-ms", prepared statements, against the API's database.
bench_pgbench() {
    local conns=$1 secs=$2 script=$3
    shift 3
    pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" "$@" -f "$script" "$JIANGXIN_DATABASE_URL" 2>/dev/null |
        awk '/^tps/ {t=$3} /latency average/ {l=$4} END {print t, l}'
}

# bench_public_ballot NOW — makes the nominations of the bench round public
# the way a ballot does (public_nominees of db/functions/18_public.sql): its
# vote session, inserted in SQL with every submitted nomination as a ballot
# entry (number, name, the unit's name, occupation, the deeds' first 200
# characters), open from a day before NOW (the services' clock) for 30
# days, marked pushed so the API never pushes it to jiangxin-vote.
bench_public_ballot() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
INSERT INTO vote_sessions (round_id, title, opens_at, closes_at, limits, nominees,
       push_state, pushed_at, tally_epoch)
SELECT '$round', '基准测试投票 $tag', timestamptz '$1' - interval '1 day',
       timestamptz '$1' + interval '30 days', '{"max_choices": 5}'::jsonb,
       jsonb_agg(jsonb_build_object('id', n.id, 'number', n.k, 'name', n.name,
                                    'unit_name', '基准测试单位 $tag',
                                    'occupation', n.occupation,
                                    'summary', left(n.deeds, 200)) ORDER BY n.k),
       'pushed', now(), timestamptz '$1' - interval '1 day'
  FROM (SELECT id, name, occupation, deeds, row_number() OVER (ORDER BY created_at, id) AS k
          FROM nominations WHERE round_id = '$round' AND state = 'submitted') n;
SQL
}

# bench_recognize M TITLE [RECOGNIZED_ON] — the first M submitted nominations
# of the bench round recognised, with their titles TITLE issued (certificates
# B<tag>-<n>, recognised on the SQL date RECOGNIZED_ON, today by default).
bench_recognize() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$JIANGXIN_DATABASE_URL" <<SQL
UPDATE nominations SET state = 'recognized', decided_at = submitted_at
 WHERE id IN (SELECT id FROM nominations WHERE round_id = '$round' AND state = 'submitted'
               ORDER BY created_at, id LIMIT $1);
INSERT INTO recognitions (nomination_id, round_id, programme_id, id_number_hash, title,
       holder_name, employer, occupation, certificate_number, certificate_year,
       certificate_seq, verification_code, recognized_on, issued_at)
SELECT n.id, n.round_id, r.programme_id, n.id_number_hash, '$2', n.name,
       '基准测试单位', n.occupation, 'B$tag-' || row_number() OVER (ORDER BY n.id),
       extract(year FROM date '$today')::int, row_number() OVER (ORDER BY n.id), 'ABCDEFGH',
       ${3:-date '$today'}, now()
  FROM nominations n JOIN rounds r ON r.id = n.round_id
 WHERE n.round_id = '$round' AND n.state = 'recognized';
SQL
}
