/* SPDX-License-Identifier: MIT */
/*
 * The vote store's Lua scripts as redis_store_eval runs them. The Lua lives
 * in voting/store/lua/<stem>.lua, each with a header giving its KEYS, ARGV
 * and reply; tools/embed_lua.py embeds it at build time (vote_lua.c) and
 * names the reply positions (vote_lua.h). The names here are the ones logs
 * and `jiangxin-vote script NAME` use.
 */
#include "vote_scripts.h"

#include <stdio.h>
#include <string.h>

#include "vote_store.h"

struct redis_script vote_script_cast = {.name = "vote", .lua = vote_lua_cast};
struct redis_script vote_script_setup = {.name = "setup", .lua = vote_lua_setup};
struct redis_script vote_script_info = {.name = "info", .lua = vote_lua_info};
struct redis_script vote_script_snapshot = {.name = "snapshot", .lua = vote_lua_snapshot};
struct redis_script vote_script_seal = {.name = "seal", .lua = vote_lua_seal};
struct redis_script vote_script_digest = {.name = "digest", .lua = vote_lua_digest};
struct redis_script vote_script_lock = {.name = "lock", .lua = vote_lua_lock};
struct redis_script vote_script_list = {.name = "list", .lua = vote_lua_list};
struct redis_script vote_script_index = {.name = "index", .lua = vote_lua_index};

const char *vote_store_script_lua(const char *name)
{
    static const struct redis_script *const all[] = {
        &vote_script_cast,     &vote_script_setup, &vote_script_info,
        &vote_script_snapshot, &vote_script_seal,  &vote_script_digest,
        &vote_script_lock,     &vote_script_list,  &vote_script_index,
    };

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (name == NULL) {
            printf("%s\n", all[i]->name);
        } else if (strcmp(all[i]->name, name) == 0) {
            return all[i]->lua;
        }
    }
    return NULL;
}
