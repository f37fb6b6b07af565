#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Public read API benchmark (issue 16): wrk against GET /v1/public/programmes
# (warmed, so answered from the in-process cache: api/public_cache.h), the
# same with If-None-Match carrying its ETag (304, no body), and, in the same
# run, the API's own GET /healthz — the service's HTTP ceiling, the target
# being 0.80 of it for both — and nginx `return 204` as the reference of
# the machine. Needs a running stack (./deploy/local.sh start) and the
# Debian packages wrk and nginx-light.
# Usage: tests/bench/public.sh [seconds] [connections]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-10}
conns=${2:-64}
bench_http_reference

page=$api/v1/public/programmes
bytes=$(curl -fsS "$page" | wc -c)
etag=$(curl -fsS -o /dev/null -D - "$page" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
[ -n "$etag" ] || { echo "bench: $page sent no ETag" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$page")
[ "$code" = 304 ] || { echo "bench: If-None-Match got $code, not 304" >&2; exit 1; }
hits0=$(curl -fsS "$api/metrics" | awk '$1 == "jiangxin_public_cache_hits_total" {print $2}')

read -r ng ng99 < <(bench_wrk "$conns" "$secs" "http://127.0.0.1:$port/")
read -r hz hz99 < <(bench_wrk "$conns" "$secs" "$api/healthz")
read -r pp pp99 < <(bench_wrk "$conns" "$secs" "$page")
read -r nm nm99 < <(bench_wrk "$conns" "$secs" "$page" -H "If-None-Match: $etag")
hits1=$(curl -fsS "$api/metrics" | awk '$1 == "jiangxin_public_cache_hits_total" {print $2}')

printf '%-44s %12s %10s %10s %10s\n' target req/s p99 "/healthz" "/nginx"
row() { printf '%-44s %12.0f %10s %10.2f %10.2f\n' "$1" "$2" "$3" "$(echo "$2 / $hz" | bc -l)" "$(echo "$2 / $ng" | bc -l)"; }
row "nginx return 204" "$ng" "$ng99"
row "api GET /healthz" "$hz" "$hz99"
row "api GET /v1/public/programmes ($bytes B)" "$pp" "$pp99"
row "api the same, If-None-Match → 304" "$nm" "$nm99"
echo "(cache hits during the run: $((hits1 - hits0)); $conns connections, ${secs}s each, wrk -t2, everything on this machine's $(nproc) cores)"
