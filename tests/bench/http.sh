#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# HTTP ceiling benchmark: wrk against jiangxin-api's GET /healthz (routing,
# CORS, request id, metrics, access log; no database) and GET /v1/programmes
# (one prepared query), with nginx `return 204` measured in the same run as
# the reference. Prints each rate and the ratio to nginx. Needs a running
# stack (./deploy/local.sh start) and the Debian packages wrk and nginx-light.
# Usage: tests/bench/http.sh [seconds] [connections]
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-10}
conns=${2:-64}
bench_http_reference

read -r ng ng99 < <(bench_wrk "$conns" "$secs" "http://127.0.0.1:$port/")
read -r hz hz99 < <(bench_wrk "$conns" "$secs" "$api/healthz")
read -r pg pg99 < <(bench_wrk "$conns" "$secs" "$api/v1/programmes")
printf '%-28s %12s %10s %8s\n' target req/s p99 ratio
printf '%-28s %12.0f %10s %8s\n' "nginx return 204" "$ng" "$ng99" 1.00
printf '%-28s %12.0f %10s %8.2f\n' "api GET /healthz" "$hz" "$hz99" "$(echo "$hz / $ng" | bc -l)"
printf '%-28s %12.0f %10s %8.2f\n' "api GET /v1/programmes" "$pg" "$pg99" "$(echo "$pg / $ng" | bc -l)"
echo "($conns connections, ${secs}s each, wrk -t2, everything on this machine's $(nproc) cores)"
