/* SPDX-License-Identifier: MIT */
/*
 * Which address a request comes from: the TCP peer, unless the peer is a
 * trusted proxy (JIANGXIN_TRUSTED_PROXIES: IPv4/IPv6 addresses or CIDRs,
 * comma-separated); then the right-most X-Forwarded-For address that is
 * not itself a trusted proxy. Pure: parsing and matching only.
 */
#ifndef JIANGXIN_CLIENT_IP_H
#define JIANGXIN_CLIENT_IP_H

#include <stdbool.h>
#include <stddef.h>

#define CLIENT_IP_NETS_MAX 32
#define CLIENT_IP_TEXT_MAX 46 /* INET6_ADDRSTRLEN */

struct client_ip_net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    unsigned prefix; /* bits */
};

struct client_ip_trust {
    size_t n;
    struct client_ip_net nets[CLIENT_IP_NETS_MAX];
};

/* Parses "10.0.0.1, 192.168.0.0/16, ::1"; NULL or "" gives an empty list.
 * False (with the offending item in err) on a bad item or too many. */
bool client_ip_parse_trusted(const char *list,
                             struct client_ip_trust *ret,
                             char *err,
                             size_t errlen);

/* True when the address text ip is inside one of the trusted nets. */
bool client_ip_is_trusted(const struct client_ip_trust *t, const char *ip);

/* The client address (canonical text) for a request from `peer` carrying
 * X-Forwarded-For `xff` (NULL when absent). A malformed X-Forwarded-For
 * item stops the walk: the last trusted hop before it is used. False only
 * when peer itself is not an address. */
bool client_ip_resolve(const struct client_ip_trust *t,
                       const char *peer,
                       const char *xff,
                       char ret[CLIENT_IP_TEXT_MAX]);

#endif
