# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# Helpers for deploy/local.sh: Debian packages, the meson builds, a
# PostgreSQL cluster and a Redis server on loopback, free ports, and the two
# services' start/readiness/stop. Sourced, never run; every function is
# prefixed jx_ and reports failure through its exit status.

JX_PY=/usr/bin/python3

# runuser, and PostgreSQL's postinst helpers, live in sbin.
case ":$PATH:" in
    *:/usr/sbin:*) ;;
    *) PATH=$PATH:/usr/sbin:/sbin ;;
esac

JX_PACKAGES=(
    build-essential meson ninja-build pkg-config
    libulfius-dev libjansson-dev libpq-dev libhiredis-dev libjwt-dev
    libsodium-dev libxlsxwriter-dev
    libcairo2-dev libpango1.0-dev libqrencode-dev fonts-noto-cjk poppler-utils zbar-tools
    postgresql redis-server
    python3-pytest python3-requests python3-jsonschema python3-yaml python3-jwt python3-openpyxl
    python3-cryptography
    curl nodejs npm clang-format git systemd
)

jx_log() { printf '==> %s\n' "$*" >&2; }
jx_warn() { printf 'warning: %s\n' "$*" >&2; }
jx_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

jx_is_root() { [ "$(id -u)" -eq 0 ]; }

# 64 lowercase hex characters (32 random bytes).
jx_hex32() { od -An -vtx1 -N32 /dev/urandom | tr -d ' \n'; }

# ---------------------------------------------------------------- packages

jx_missing_packages() {
    local p
    for p in "${JX_PACKAGES[@]}"; do
        case $p in
            # NodeSource's nodejs ships npm itself and conflicts with
            # Debian's npm package: ask for the commands, not the packages.
            nodejs) command -v node >/dev/null 2>&1 && continue ;;
            npm) command -v npm >/dev/null 2>&1 && continue ;;
        esac
        if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
            printf '%s\n' "$p"
        fi
    done
}

# Installs what is missing (as root), or says what to install and exits 1.
jx_ensure_packages() {
    local missing
    mapfile -t missing < <(jx_missing_packages)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! jx_is_root; then
        printf 'Missing Debian packages: %s\n' "${missing[*]}" >&2
        printf 'Install them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' \
            "${missing[*]}" >&2
        exit 1
    fi
    jx_log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# ------------------------------------------------------------------- build

# jx_build DIR MESON-SETUP-ARGS... — configures DIR once, then lets ninja
# re-run meson by itself whenever a meson.build changes.
jx_build() {
    local dir=$1
    shift
    [ -f "$JX_ROOT/meson.build" ] || {
        printf 'error: %s/meson.build does not exist\n' "$JX_ROOT" >&2
        return 1
    }
    if [ ! -f "$JX_ROOT/$dir/build.ninja" ]; then
        rm -rf "${JX_ROOT:?}/$dir"
        jx_log "meson setup $dir $*"
        (cd "$JX_ROOT" && meson setup "$dir" "$@") || return 1
    fi
    jx_log "ninja -C $dir"
    ninja -C "$JX_ROOT/$dir" || return 1
}

# ------------------------------------------------------------------- ports

# jx_free_ports N — N distinct free loopback ports, one per line (the
# kernel picks them; all sockets are held open until all are chosen).
jx_free_ports() {
    "$JX_PY" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
EOF
}

# True when something accepts connections on 127.0.0.1:PORT.
jx_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# -------------------------------------------------------------- PostgreSQL

JX_PG_BIN=${JX_PG_BIN:-}
jx_pg_bin() {
    if [ -z "$JX_PG_BIN" ]; then
        if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
            JX_PG_BIN=/usr/lib/postgresql/15/bin
        else
            JX_PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
        fi
        [ -x "$JX_PG_BIN/initdb" ] || jx_die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    fi
    printf '%s\n' "$JX_PG_BIN"
}

# Runs a command as the owner of the cluster: `postgres` when we are root
# (PostgreSQL refuses to run as root), ourselves otherwise.
jx_pg_as() {
    if jx_is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# True when the cluster owner can reach DIR (every parent traversable).
jx_pg_can_reach() {
    if jx_is_root; then
        (cd / && runuser -u postgres -- test -x "$1" -a -w "$1") 2>/dev/null
    else
        test -x "$1" -a -w "$1"
    fi
}

# jx_pg_home DIR — creates DIR for the cluster (DIR/data, DIR/postgresql.log,
# the Unix socket) owned by the cluster owner, mode 700.
jx_pg_home() {
    mkdir -p "$1"
    chmod 700 "$1"
    if jx_is_root; then chown postgres:postgres "$1"; fi
}

# Where the Unix socket goes: the cluster home when its path is short
# enough for sun_path, /tmp otherwise.
jx_pg_sockdir() {
    if [ "${#1}" -le 90 ]; then printf '%s\n' "$1"; else printf '/tmp\n'; fi
}

# jx_pg_init HOME SUPERUSER-PASSWORD [initdb-args...] — initdb HOME/data
# unless it is already a cluster. Superuser `postgres`; loopback TCP needs a
# password (scram-sha-256), the socket (in HOME, mode 700) is trusted.
jx_pg_init() {
    local home=$1 supw=$2 bin
    shift 2
    bin=$(jx_pg_bin)
    [ -f "$home/data/PG_VERSION" ] && return 0
    local pwfile="$home/.pwfile"
    (umask 077 && printf '%s\n' "$supw" >"$pwfile")
    if jx_is_root; then chown postgres:postgres "$pwfile"; fi
    if ! jx_pg_as "$bin/initdb" -D "$home/data" -U postgres --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 "$@" >"$home/initdb.log" 2>&1; then
        rm -f "$pwfile"
        cat "$home/initdb.log" >&2
        return 1
    fi
    rm -f "$pwfile"
    printf "\ninclude_if_exists = 'jiangxin.conf'\n" >>"$home/data/postgresql.conf"
}

# jx_pg_conf HOME PORT [extra setting lines...] — (re)writes the settings
# this script owns; a plain `pg_ctl -D HOME/data start` reuses them.
jx_pg_conf() {
    local home=$1 port=$2 sock
    shift 2
    sock=$(jx_pg_sockdir "$home")
    {
        printf '# written by deploy/local.sh\n'
        printf "listen_addresses = '127.0.0.1'\n"
        printf 'port = %s\n' "$port"
        printf "unix_socket_directories = '%s'\n" "$sock"
        local line
        for line in "$@"; do printf '%s\n' "$line"; done
    } >"$home/data/jiangxin.conf"
    if jx_is_root; then chown postgres:postgres "$home/data/jiangxin.conf"; fi
}

jx_pg_running() {
    local bin
    bin=$(jx_pg_bin)
    [ -f "$1/data/PG_VERSION" ] && jx_pg_as "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

jx_pg_start() {
    local home=$1 bin
    bin=$(jx_pg_bin)
    jx_pg_running "$home" && return 0
    if jx_is_root; then
        touch "$home/postgresql.log"
        chown postgres:postgres "$home/postgresql.log"
    fi
    if ! jx_pg_as "$bin/pg_ctl" -D "$home/data" -l "$home/postgresql.log" -w -t 60 start >/dev/null; then
        printf 'error: PostgreSQL did not start; last lines of %s:\n' "$home/postgresql.log" >&2
        tail -n 30 "$home/postgresql.log" >&2 || true
        return 1
    fi
}

# jx_pg_stop HOME [MODE] — fast shutdown by default.
jx_pg_stop() {
    local home=$1 mode=${2:-fast} bin
    bin=$(jx_pg_bin)
    jx_pg_running "$home" || return 0
    jx_pg_as "$bin/pg_ctl" -D "$home/data" -m "$mode" -w -t 60 stop >/dev/null
}

# jx_psql HOME PORT DB ARGS... — psql as superuser over the Unix socket.
jx_psql() {
    local home=$1 port=$2 db=$3 bin
    shift 3
    bin=$(jx_pg_bin)
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$(jx_pg_sockdir "$home")" -p "$port" \
        -U postgres -d "$db" "$@"
}

# jx_pg_bootstrap HOME PORT APP-PASSWORD OWNER-PASSWORD — three roles and the
# database: `jiangxin_owner` (LOGIN) owns database `jiangxin` and runs the
# migrations; `jiangxin_app` (NOLOGIN) is the group that migration 0005
# grants the runtime privileges to; `jiangxin` (LOGIN, member of
# jiangxin_app) is what the services connect as — it can append to the
# audit log but, not owning it, cannot rewrite it or disable its triggers.
# Passwords are reset to the given ones. A database made by an older
# version of this script (owned by `jiangxin`) is handed to the owner.
jx_pg_bootstrap() {
    local home=$1 port=$2 pw=$3 owner_pw=$4 role
    for role in jiangxin_owner jiangxin_app jiangxin; do
        if [ -z "$(jx_psql "$home" "$port" postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" ]; then
            jx_psql "$home" "$port" postgres -c \
                "CREATE ROLE $role NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" || return 1
        fi
    done
    jx_psql "$home" "$port" postgres -c "ALTER ROLE jiangxin_owner LOGIN PASSWORD '$owner_pw'" \
        -c "ALTER ROLE jiangxin LOGIN PASSWORD '$pw'" -c "GRANT jiangxin_app TO jiangxin" || return 1
    if [ -z "$(jx_psql "$home" "$port" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'jiangxin'")" ]; then
        jx_psql "$home" "$port" postgres -c "CREATE DATABASE jiangxin OWNER jiangxin_owner" || return 1
    elif [ "$(jx_psql "$home" "$port" postgres -tAc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'jiangxin'")" = jiangxin ]; then
        jx_psql "$home" "$port" postgres -c "ALTER DATABASE jiangxin OWNER TO jiangxin_owner" &&
            jx_psql "$home" "$port" jiangxin -c "REASSIGN OWNED BY jiangxin TO jiangxin_owner" || return 1
    fi
}

# ------------------------------------------------------------------- Redis

# jx_redis_conf DIR PORT — DIR/redis.conf: loopback, AOF on, no RDB
# snapshots, daemonized with DIR/redis.pid and DIR/redis.log.
jx_redis_conf() {
    mkdir -p "$1"
    cat >"$1/redis.conf" <<EOF
# written by deploy/local.sh
port $2
bind 127.0.0.1
protected-mode yes
dir $1
appendonly yes
appendfsync everysec
save ""
daemonize yes
pidfile $1/redis.pid
logfile $1/redis.log
EOF
}

jx_redis_ping() {
    [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]
}

jx_redis_start() {
    local dir=$1 port=$2
    jx_redis_ping "$port" && return 0
    redis-server "$dir/redis.conf" || return 1
    for _ in $(seq 1 100); do
        jx_redis_ping "$port" && return 0
        sleep 0.1
    done
    printf 'error: Redis did not answer PING on port %s; last lines of %s:\n' "$port" "$dir/redis.log" >&2
    tail -n 20 "$dir/redis.log" >&2 || true
    return 1
}

jx_redis_stop() {
    local dir=$1 port=$2 pid=""
    [ -f "$dir/redis.pid" ] && pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
    redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || true
    if [ -n "$pid" ]; then
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$dir/redis.pid"
}

# ---------------------------------------------------------------- services

# jx_wait_ready NAME URL PID LOG [SECONDS] — polls URL/readyz until 200.
jx_wait_ready() {
    local name=$1 url=$2 pid=$3 log=$4 secs=${5:-30}
    for _ in $(seq 1 $((secs * 5))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            printf 'error: %s exited during start-up; last lines of %s:\n' "$name" "$log" >&2
            tail -n 30 "$log" >&2 || true
            return 1
        fi
        if curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    printf 'error: %s not ready at %s/readyz after %ss; last lines of %s:\n' "$name" "$url" "$secs" "$log" >&2
    tail -n 30 "$log" >&2 || true
    return 1
}

# jx_stop_pid PID [SECONDS] — SIGTERM, then SIGKILL after SECONDS (20).
# Returns 0 when the process ended by itself.
jx_stop_pid() {
    local pid=$1 secs=${2:-20}
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 $((secs * 10))); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

# jx_json FIELD — prints a top-level member of the JSON document on stdin
# (empty when absent or not JSON).
jx_json() {
    "$JX_PY" -c '
import json, sys
try:
    v = json.load(sys.stdin).get(sys.argv[1])
except Exception:
    v = None
print("" if v is None else v)' "$1"
}
