/* SPDX-License-Identifier: MIT */
/*
 * GET /v1/sessions: the public list a vote page uses to find the current
 * vote. `state` filters (open, scheduled or closed; none: open and
 * scheduled), states on the service's clock (the one votes are accepted
 * by). Open and scheduled sessions come soonest closing first, closed ones
 * latest closing first, equal closing times by id; the cursor is that
 * position, so pages do not shift while sessions are added.
 */

#include "clock.h"
#include "model/vote_list.h"
#include "store/vote_store.h"
#include "vote_handlers.h"

_Static_assert(VOTE_LIST_ID_MAX == VOTE_ID_MAX, "a cursor's id fits a list position");
_Static_assert(VOTE_LIST_KEY_MAX <= HTTP_CURSOR_MAX, "http_reply_list sends every key");

/* state, limit and cursor; false with the problem in p. */
static bool read_params(struct http_call *call,
                        char *ret_mode,
                        int *ret_limit,
                        struct vote_list_pos *ret_after,
                        bool *ret_has_after,
                        struct problem *p)
{
    const char *cursor = http_query(call, "cursor");

    if (!vote_list_mode_of(http_query(call, "state"), ret_mode)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_state",
                     "state 应为 scheduled、open 或 closed",
                     "state must be scheduled, open or closed");
        return false;
    }
    if (!vote_list_limit_parse(http_query(call, "limit"), VOTE_LIST_LIMIT_MAX, ret_limit)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_limit", "limit 应为 1 至 %d 的整数",
                     "limit must be an integer from 1 to %d", VOTE_LIST_LIMIT_MAX);
        return false;
    }
    *ret_has_after = cursor != NULL;
    if (cursor != NULL &&
        !vote_list_cursor_parse(cursor, *ret_mode, &ret_after->closes_ms, ret_after->id)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_cursor",
                     "cursor 无效，应使用本服务返回的游标", "cursor is not one this server issued");
        return false;
    }
    return true;
}

/* The page's items as a JSON array (new reference); NULL when out of memory. */
static json_t *page_items(const struct vote_list_page *page)
{
    json_t *items = json_array();

    for (size_t i = 0; items != NULL && i < page->n; i++) {
        const struct vote_list_item *it = &page->items[i];
        enum vote_state state =
            vote_session_state(page->now_ms, it->opens_ms, it->closes_ms, it->sealed);
        if (json_array_append_new(items, vote_list_item_json(it->id, it->round_id, it->title, state,
                                                             it->opens_ms, it->closes_ms)) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    return items;
}

enum app_err sessions_list(struct http_call *call, struct problem *p)
{
    struct vote_list_page page = {0};
    struct vote_list_pos after;
    char mode, key[VOTE_LIST_KEY_MAX];
    bool has_after = false;
    int limit;
    json_t *items;
    enum app_err err;

    if (!read_params(call, &mode, &limit, &after, &has_after, p)) {
        return p->err;
    }
    err = vote_store_list((enum vote_list_mode)mode, limit, has_after ? &after : NULL,
                          clock_offset_ms(), &page);
    if (err != APP_OK) {
        vote_store_problem(err, p);
        return p->err;
    }
    items = page_items(&page);
    if (items == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
    } else {
        if (page.more) {
            vote_list_cursor_format(mode, page.next.closes_ms, page.next.id, key);
        }
        /* The envelope and Link: http_reply_list; ETag, Cache-Control and
         * 304: the dispatcher (ROUTE_CACHEABLE). */
        http_reply_list(call, items, page.more ? key : NULL);
    }
    json_decref(items);
    vote_list_page_clear(&page);
    return p->err;
}
