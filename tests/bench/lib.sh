# SPDX-License-Identifier: MIT
# Shared by the benchmarks: the HTTP reference they all measure against.

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
