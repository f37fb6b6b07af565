/* SPDX-License-Identifier: MIT */
/*
 * LISTEN/NOTIFY for the public cache: one connection, poll(2) on its
 * socket, PQconsumeInput and PQnotifies (libpq's asynchronous
 * notification interface).
 */
#include "public_listen_store.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "log.h"

struct public_listen {
    PGconn *conn;
};

struct public_listen *public_listen_open(const char *conninfo)
{
    struct public_listen *l = calloc(1, sizeof(*l));
    PGresult *res;

    if (l == NULL) {
        return NULL;
    }
    l->conn = PQconnectdb(conninfo);
    if (PQstatus(l->conn) != CONNECTION_OK) {
        log_warn("public cache: database unreachable: %s", PQerrorMessage(l->conn));
        public_listen_close(l);
        return NULL;
    }
    res = PQexec(l->conn, "SET application_name = 'jiangxin-api-listen'; LISTEN jiangxin_public");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_warn("public cache: LISTEN failed: %s", PQerrorMessage(l->conn));
        PQclear(res);
        public_listen_close(l);
        return NULL;
    }
    PQclear(res);
    return l;
}

int public_listen_wait(struct public_listen *l, int timeout_ms)
{
    struct pollfd fd = {.fd = PQsocket(l->conn), .events = POLLIN};
    PGnotify *n;
    int got = 0, r;

    if (fd.fd < 0) {
        return -1;
    }
    r = poll(&fd, 1, timeout_ms);
    if (r < 0 && errno != EINTR) {
        return -1;
    }
    if (r > 0 && (fd.revents & (POLLERR | POLLHUP | POLLNVAL))) {
        return -1;
    }
    if (r > 0 && !PQconsumeInput(l->conn)) {
        return -1;
    }
    while ((n = PQnotifies(l->conn)) != NULL) {
        got++;
        PQfreemem(n);
    }
    return PQstatus(l->conn) == CONNECTION_OK ? got : -1;
}

void public_listen_close(struct public_listen *l)
{
    if (l != NULL) {
        PQfinish(l->conn);
        free(l);
    }
}
