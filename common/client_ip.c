/* SPDX-License-Identifier: MIT */
/*
 * Trusted proxies and X-Forwarded-For (see client_ip.h). Walking the
 * header from the right is what makes it safe: each trusted proxy appends
 * the address it saw, so everything left of the first untrusted hop may be
 * the client's own invention.
 */
#include "client_ip.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Parses an address (no prefix) into net; false when it is none. */
static bool parse_addr(const char *s, struct client_ip_net *net)
{
    memset(net, 0, sizeof(*net));
    if (inet_pton(AF_INET, s, net->addr) == 1) {
        net->family = AF_INET;
        net->prefix = 32;
        return true;
    }
    if (inet_pton(AF_INET6, s, net->addr) == 1) {
        net->family = AF_INET6;
        net->prefix = 128;
        return true;
    }
    return false;
}

/* Copies s[0..len) without surrounding blanks into out; false if too long. */
static bool trimmed(const char *s, size_t len, char *out, size_t outlen)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len >= outlen) {
        return false;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

static bool parse_net(const char *item, struct client_ip_net *net)
{
    char addr[64];
    const char *slash = strchr(item, '/');
    char *end;
    long bits;

    if (slash == NULL) {
        return parse_addr(item, net);
    }
    if ((size_t)(slash - item) >= sizeof(addr)) {
        return false;
    }
    memcpy(addr, item, (size_t)(slash - item));
    addr[slash - item] = '\0';
    if (!parse_addr(addr, net) || slash[1] < '0' || slash[1] > '9') {
        return false;
    }
    bits = strtol(slash + 1, &end, 10);
    if (*end != '\0' || bits < 0 || bits > (long)net->prefix) {
        return false;
    }
    net->prefix = (unsigned)bits;
    return true;
}

bool client_ip_parse_trusted(const char *list,
                             struct client_ip_trust *ret,
                             char *err,
                             size_t errlen)
{
    struct client_ip_trust t = {0};
    const char *p = list != NULL ? list : "";

    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        char item[80];

        if (!trimmed(p, len, item, sizeof(item))) {
            snprintf(err, errlen, "an item is too long");
            return false;
        }
        if (item[0] != '\0') {
            if (t.n == CLIENT_IP_NETS_MAX) {
                snprintf(err, errlen, "more than %d items", CLIENT_IP_NETS_MAX);
                return false;
            }
            if (!parse_net(item, &t.nets[t.n])) {
                snprintf(err, errlen, "\"%s\" is not an IP address or CIDR", item);
                return false;
            }
            t.n++;
        }
        p += len;
        p += *p == ',';
    }
    *ret = t;
    return true;
}

static bool net_contains(const struct client_ip_net *net, const struct client_ip_net *a)
{
    unsigned full = net->prefix / 8, rest = net->prefix % 8;

    if (net->family != a->family || memcmp(net->addr, a->addr, full) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a->addr[full] & mask);
}

static bool trusted(const struct client_ip_trust *t, const struct client_ip_net *a)
{
    for (size_t i = 0; i < t->n; i++) {
        if (net_contains(&t->nets[i], a)) {
            return true;
        }
    }
    return false;
}

bool client_ip_is_trusted(const struct client_ip_trust *t, const char *ip)
{
    struct client_ip_net a;

    return ip != NULL && parse_addr(ip, &a) && trusted(t, &a);
}

static void to_text(const struct client_ip_net *a, char out[CLIENT_IP_TEXT_MAX])
{
    if (inet_ntop(a->family, a->addr, out, CLIENT_IP_TEXT_MAX) == NULL) {
        out[0] = '\0';
    }
}

bool client_ip_resolve(const struct client_ip_trust *t,
                       const char *peer,
                       const char *xff,
                       char ret[CLIENT_IP_TEXT_MAX])
{
    struct client_ip_net cur, hop;
    size_t end;

    if (peer == NULL || !parse_addr(peer, &cur)) {
        return false;
    }
    end = xff != NULL ? strlen(xff) : 0;
    /* cur is trusted while we walk: take the next hop to its left. */
    while (trusted(t, &cur) && end > 0) {
        size_t start = end;
        char item[64];

        while (start > 0 && xff[start - 1] != ',') {
            start--;
        }
        if (!trimmed(xff + start, end - start, item, sizeof(item)) || !parse_addr(item, &hop)) {
            break; /* garbage from the left: keep the last hop we trust */
        }
        cur = hop;
        end = start > 0 ? start - 1 : 0;
    }
    to_text(&cur, ret);
    return ret[0] != '\0';
}
