/* SPDX-License-Identifier: MIT */
/*
 * The vote store's session list (vote_store.h): one page of the closes
 * index as list.lua walks it, and the index's idempotent backfill
 * (index.lua) for sessions set up before setup.lua kept it.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vote_keys.h"
#include "vote_scripts.h"
#include "vote_store.h"

/* Positions in each item of list.lua's reply ([3] items). */
enum list_item {
    ITEM_ID = 0,
    ITEM_ROUND_ID,
    ITEM_TITLE,
    ITEM_OPENS_MS,
    ITEM_CLOSES_MS,
    ITEM_SEALED,
    ITEM_LEN,
};

/* Set once index.lua has run on this process's Redis. */
static atomic_bool indexed;

enum app_err vote_store_index(long long *ret_n)
{
    const char *argv[2] = {VOTE_KEY_SESSIONS, VOTE_KEY_CLOSES};
    redisReply *r = NULL;
    enum app_err err = redis_store_eval(&vote_script_index, 2, 2, argv, &r);

    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_is_int(r)) {
        return vote_reply_bad("index", r);
    }
    if (ret_n != NULL) {
        *ret_n = r->integer;
    }
    freeReplyObject(r);
    atomic_store(&indexed, true);
    return APP_OK;
}

void vote_list_page_clear(struct vote_list_page *page)
{
    if (page != NULL) {
        for (size_t i = 0; i < page->n; i++) {
            free(page->items[i].title);
            page->items[i].title = NULL;
        }
        page->n = 0;
    }
}

/* One {id, round_id, title, opens_ms, closes_ms, sealed} of the reply. */
static bool read_item(const redisReply *a, struct vote_list_item *out)
{
    long long sealed;

    if (a->type != REDIS_REPLY_ARRAY || a->elements != ITEM_LEN ||
        !vote_reply_copy_str(a->element[ITEM_ID], out->id, sizeof(out->id)) ||
        !vote_reply_copy_str(a->element[ITEM_ROUND_ID], out->round_id, sizeof(out->round_id)) ||
        !vote_reply_is_str(a->element[ITEM_TITLE]) ||
        !vote_reply_ll(a->element[ITEM_OPENS_MS], &out->opens_ms) ||
        !vote_reply_ll(a->element[ITEM_CLOSES_MS], &out->closes_ms) ||
        !vote_reply_ll(a->element[ITEM_SEALED], &sealed)) {
        return false;
    }
    out->sealed = sealed == 1;
    out->title = strdup(a->element[ITEM_TITLE]->str);
    return out->title != NULL;
}

/* The reply into page; false when malformed (page cleared). */
static bool read_page(const redisReply *r, int limit, struct vote_list_page *page)
{
    const redisReply *items;

    if (r->type != REDIS_REPLY_ARRAY || r->elements != VOTE_LIST_REPLY_LEN ||
        !vote_reply_ll(r->element[VOTE_LIST_NOW], &page->now_ms) ||
        r->element[VOTE_LIST_ITEMS]->type != REDIS_REPLY_ARRAY ||
        r->element[VOTE_LIST_ITEMS]->elements > (size_t)limit) {
        return false;
    }
    /* '' / '' at the end of the list, else the next page's start. */
    page->more = vote_reply_ll(r->element[VOTE_LIST_NEXT_MS], &page->next.closes_ms);
    if (page->more &&
        !vote_reply_copy_str(r->element[VOTE_LIST_NEXT_ID], page->next.id, sizeof(page->next.id))) {
        return false;
    }
    items = r->element[VOTE_LIST_ITEMS];
    for (size_t i = 0; i < items->elements; i++) {
        if (!read_item(items->element[i], &page->items[page->n])) {
            vote_list_page_clear(page);
            return false;
        }
        page->n++;
    }
    return true;
}

enum app_err vote_store_list(enum vote_list_mode mode,
                             int limit,
                             const struct vote_list_pos *after,
                             long long offset_ms,
                             struct vote_list_page *ret)
{
    char off[24], m[2] = {(char)mode, '\0'}, lim[16], after_ms[24] = "", scan[16];
    const char *argv[7] = {
        VOTE_KEY_CLOSES, off, m, lim, after_ms, after != NULL ? after->id : "", scan};
    redisReply *r = NULL;
    enum app_err err;

    if (limit < 1 || limit > VOTE_LIST_LIMIT_MAX) {
        return APP_ERR_INTERNAL;
    }
    /* Until the backfill has run once (Redis was down at start-up). */
    if (!atomic_load(&indexed) && (err = vote_store_index(NULL)) != APP_OK) {
        return err;
    }
    vote_offset_text(off, offset_ms);
    snprintf(lim, sizeof(lim), "%d", limit);
    snprintf(scan, sizeof(scan), "%d", VOTE_LIST_SCAN_MAX);
    if (after != NULL) {
        snprintf(after_ms, sizeof(after_ms), "%lld", after->closes_ms);
    }
    err = redis_store_eval(&vote_script_list, 1, 7, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    if (!read_page(r, limit, ret)) {
        return vote_reply_bad("list", r);
    }
    freeReplyObject(r);
    return APP_OK;
}
