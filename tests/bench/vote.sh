#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Vote throughput: wrk POSTs votes to a jiangxin-vote of its own (release
# build, its own Redis with AOF everysec, auto-rewrite off) with distinct
# voter tokens made beforehand and a distinct client address per request
# (X-Forwarded-For from the trusted loopback). Measured in the same run:
#   - redis-benchmark of the service's own vote script (`jiangxin-vote
#     script vote`) at the same number of clients, no pipelining: the Redis
#     ceiling for one call per vote;
#   - nginx `return 204` to the same POST: the HTTP ceiling.
# Then 2,000 connections (socket errors, p99, the service's peak RSS) and
# the 64-connection run again with `appendfsync always`.
# Usage: tests/bench/vote.sh [seconds] [connections] [voters]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-10}
conns=${2:-64}
voters=${3:-6000}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vote_bin=${JIANGXIN_VOTE_BIN:-$root/build/voting/jiangxin-vote}
py=/usr/bin/python3
tmp=$(mktemp -d)
vote_pid=""
cleanup() {
    [ -n "$vote_pid" ] && kill "$vote_pid" 2>/dev/null && wait "$vote_pid" 2>/dev/null
    kill "$(cat "$tmp/nginx.pid" 2>/dev/null)" 2>/dev/null || true
    redis-cli -p "${rport:-0}" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

for tool in wrk nginx redis-server redis-benchmark; do
    command -v "$tool" >/dev/null || {
        echo "bench: $tool is missing (apt-get install wrk nginx-light redis-server)" >&2
        exit 1
    }
done
[ -x "$vote_bin" ] || { echo "bench: build first (meson setup build && ninja -C build)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

rport=$(bench_free_port) vport=$(bench_free_port) nport=$(bench_free_port)
# The API's push key pair: the service token that creates the sessions is
# signed with it (ES256); the voting service holds only the public half.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/push.pem" 2>/dev/null
chmod 600 "$tmp/push.pem"
openssl pkey -in "$tmp/push.pem" -pubout -out "$tmp/push.pub.pem" 2>/dev/null
voter_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

# ---- Redis: AOF everysec, no snapshots, no automatic rewrites during runs
mkdir -p "$tmp/redis"
redis-server --port "$rport" --bind 127.0.0.1 --dir "$tmp/redis" --appendonly yes \
    --appendfsync everysec --save '' --auto-aof-rewrite-percentage 0 --daemonize yes \
    --pidfile "$tmp/redis/pid" --logfile "$tmp/redis/log"
for _ in $(seq 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done

# ---- the voting service (no API: tally posting off)
env JIANGXIN_REDIS_URL="redis://127.0.0.1:$rport/0" JIANGXIN_API_PUBLIC_KEY="$tmp/push.pub.pem" \
    JIANGXIN_LISTEN="127.0.0.1:$vport" JIANGXIN_VOTE_HASH_KEY="$hash_key" \
    JIANGXIN_VOTER_JWT_SECRET="$voter_secret" JIANGXIN_TRUSTED_PROXIES=127.0.0.1 \
    JIANGXIN_LOG_LEVEL=warn JIANGXIN_MAX_CONNECTIONS=8192 JIANGXIN_THREADS=${JIANGXIN_THREADS:-4} \
    "$vote_bin" >"$tmp/vote.log" 2>&1 &
vote_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$vport/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

# ---- three open sessions (one per run, so no run meets the previous run's
# votes) with 20 nominees each; tokens for `voters` voters
$py - "$tmp" "$vport" "$tmp/push.pem" "$voter_secret" "$voters" <<'PY'
import datetime, json, sys, time, urllib.request, uuid
import jwt
tmp, port, svc, voter, n = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), sys.argv[4], int(sys.argv[5])
tz = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(tz).replace(microsecond=0)
t = int(time.time())
tok = jwt.encode({"iss": "jiangxin-api", "aud": "jiangxin-vote", "sub": "bench", "role": "service",
                  "iat": t, "exp": t + 300}, svc, algorithm="ES256")
with open(f"{tmp}/tokens.lua", "w") as f:
    f.write("tokens = {\n")
    for i in range(n):
        f.write('"%s",\n' % jwt.encode({"iss": "jiangxin-identity", "aud": "jiangxin-vote",
                                        "sub": f"bench-voter-{i}", "iat": t, "exp": t + 7200},
                                       voter, algorithm="HS256"))
    f.write("}\n")
for run in ("c64", "c2000", "always"):
    session = str(uuid.uuid4())
    nominees = [str(uuid.uuid4()) for _ in range(20)]
    body = {"round_id": str(uuid.uuid4()), "title": "benchmark " + run,
            "opens_at": (now - datetime.timedelta(minutes=1)).isoformat(),
            "closes_at": (now + datetime.timedelta(hours=2)).isoformat(),
            "nominees": [{"id": x, "name": f"候选人{i + 1}", "unit_name": "基准单位",
                          "occupation": "钳工", "summary": ""} for i, x in enumerate(nominees)],
            "limits": {"votes_per_day": 20, "votes_per_nominee_per_day": 1,
                       "ip_rate_per_minute": 100000, "ip_burst": 100000}}
    req = urllib.request.Request(f"http://127.0.0.1:{port}/internal/v1/sessions/{session}",
                                 method="PUT", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer " + tok})
    urllib.request.urlopen(req, timeout=10).read()
    with open(f"{tmp}/{run}.lua", "w") as f:
        f.write(f'dofile("{tmp}/tokens.lua")\n')
        f.write("nominees = {%s}\n" % ",".join('"%s"' % x for x in nominees))
        f.write('path = "/v1/sessions/%s/votes"\n' % session)
    with open(f"{tmp}/{run}.session", "w") as f:
        f.write(session)
PY
cat >"$tmp/vote-body.lua" <<'LUA'
-- Each wrk thread walks its own share of the voters; a voter votes for the
-- next nominee on each pass, so no vote is a duplicate until every voter
-- has voted 20 times. Every request comes from another client address.
local threads = {}
local counter = 1
function setup(thread)
    thread:set("id", counter)
    table.insert(threads, thread)
    counter = counter + 1
end
function init(args)
    k = 0
    math.randomseed(id * 7919)
end
function request()
    local n = #tokens
    local slot = (k * 2 + id - 1) % n + 1
    local pass = math.floor((k * 2 + id - 1) / n)
    k = k + 1
    local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. tokens[slot],
        ["X-Forwarded-For"] = ip,
    }, '{"nominee_id":"' .. nominees[pass % #nominees + 1] .. '"}')
end
LUA
for run in c64 c2000 always; do cat "$tmp/vote-body.lua" >>"$tmp/$run.lua"; done
cat >"$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"nominee_id":"00000000-0000-4000-8000-000000000000"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# ---- nginx return 204
bench_nginx "$tmp" "$nport"

# wrk SCRIPT URL CONNS → "req/s p99 socket_errors"
run_wrk() {
    wrk -t2 -c"$3" -d"${secs}s" --latency -s "$1" "$2" 2>/dev/null |
        awk '/Requests\/sec/ {r=$2}
             /^ +99%/ {p=$2}
             /Socket errors/ {gsub(",", ""); e=$4+$6+$8+$10}
             /Non-2xx/ {n=$NF}
             END {print r, p, e+0, n+0}'
}
tally_total() { # RUN → votes stored in that run's session
    redis-cli -p "$rport" hvals "v:{$(cat "$tmp/$1.session")}:tally" | awk '{s+=$1} END {print s+0}'
}

# ---- redis-benchmark of the project's vote script, same key shapes
script=$("$vote_bin" script vote)
sha=$(redis-cli -p "$rport" script load "$script")
rb_session=$($py -c 'import uuid; print(uuid.uuid4())')
redis-cli -p "$rport" hset "v:{$rb_session}:cfg" opens_ms 0 closes_ms 9999999999999 max_day 1000 \
    max_nominee_day 1000 ip_t_ms 1 ip_burst 100000 >/dev/null
redis-cli -p "$rport" sadd "v:{$rb_session}:nom" n1 >/dev/null
rb=$(redis-benchmark -p "$rport" -c "$conns" -n 300000 -r 100000000 --csv \
    EVALSHA "$sha" 6 "v:{$rb_session}:cfg" "v:{$rb_session}:nom" "v:{$rb_session}:vd:__rand_int__" \
    "v:{$rb_session}:ip:__rand_int__" "v:{$rb_session}:tally" "v:{$rb_session}:log" \
    n1 __rand_int__ __rand_int__ __rand_int__ 0 2>/dev/null | tail -n 1 | cut -d, -f2 | tr -d '"')
rb_ok=$(redis-cli -p "$rport" hget "v:{$rb_session}:tally" n1)
redis-cli -p "$rport" del "v:{$rb_session}:log" >/dev/null

read -r ng ng99 _ _ < <(run_wrk "$tmp/post.lua" "http://127.0.0.1:$nport/" "$conns")
read -r vt vt99 vterr vtnon < <(run_wrk "$tmp/c64.lua" "http://127.0.0.1:$vport/" "$conns")
accepted=$(tally_total c64)

# ---- 2,000 connections, sampling the service's resident memory
rss_peak=0
( while kill -0 "$vote_pid" 2>/dev/null; do
      awk '/VmRSS/ {print $2}' "/proc/$vote_pid/status"; sleep 0.2
  done ) >"$tmp/rss" &
sampler=$!
read -r big big99 bigerr bignon < <(run_wrk "$tmp/c2000.lua" "http://127.0.0.1:$vport/" 2000)
kill "$sampler" 2>/dev/null || true
rss_peak=$(sort -n "$tmp/rss" | tail -n 1)

# ---- appendfsync always
redis-cli -p "$rport" config set appendfsync always >/dev/null
read -r al al99 _ _ < <(run_wrk "$tmp/always.lua" "http://127.0.0.1:$vport/" "$conns")
al_accepted=$(tally_total always)

ratio() { echo "scale=2; $1 / $2" | bc -l; }
printf '%-44s %10s %9s %7s\n' target "per s" p99 ratio
printf '%-44s %10.0f %9s %7s\n' "nginx return 204 (HTTP ceiling)" "$ng" "$ng99" ""
printf '%-44s %10.0f %9s %7s\n' "redis-benchmark vote script (Redis ceiling)" "$rb" "-" ""
printf '%-44s %10.0f %9s %7s\n' "jiangxin-vote POST votes, requests" "$vt" "$vt99" ""
printf '%-44s %10.0f %9s %7s\n' "  of which stored (tally delta / ${secs}s)" "$(echo "$accepted / $secs" | bc -l)" "" ""
printf '%-44s %10s %9s %7s\n' "  votes/s ÷ redis-benchmark" "" "" "$(ratio "$accepted / $secs" "$rb")"
printf '%-44s %10s %9s %7s\n' "  requests/s ÷ nginx" "" "" "$(ratio "$vt" "$ng")"
printf '%-44s %10.0f %9s %7s\n' "2,000 connections, requests" "$big" "$big99" ""
printf '%-44s %10s\n' "  socket errors" "$bigerr"
printf '%-44s %10s\n' "  peak RSS of jiangxin-vote (MiB)" "$(echo "scale=1; $rss_peak / 1024" | bc -l)"
printf '%-44s %10.0f %9s %7s\n' "appendfsync always, stored votes/s" "$(echo "$al_accepted / $secs" | bc -l)" "$al99" ""
echo "(non-2xx at $conns: $vtnon of $(echo "$vt * $secs" | bc -l | cut -d. -f1); redis-benchmark stored $rb_ok;"
echo " $conns connections, ${secs}s per run, wrk -t2, $voters voters x 20 nominees, everything on $(nproc) cores)"
