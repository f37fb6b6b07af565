/* SPDX-License-Identifier: MIT */
/*
 * The Lua scripts of the vote store (voting/store/lua/<stem>.lua, embedded by
 * tools/embed_lua.py). Private to voting/store. Each script's header gives
 * its KEYS, ARGV and reply; its reply positions are named in the generated
 * vote_lua.h: `[i] name` in <stem>.lua is VOTE_<STEM>_<NAME> = i of
 * enum vote_<stem>_reply, VOTE_<STEM>_REPLY_LEN the longest reply's length.
 */
#ifndef JIANGXIN_VOTE_SCRIPTS_H
#define JIANGXIN_VOTE_SCRIPTS_H

#include "redis_internal.h"
#include "vote_lua.h"

extern struct redis_script vote_script_cast;
extern struct redis_script vote_script_setup;
extern struct redis_script vote_script_info;
extern struct redis_script vote_script_snapshot;
extern struct redis_script vote_script_seal;
extern struct redis_script vote_script_digest;
extern struct redis_script vote_script_lock;
extern struct redis_script vote_script_list;
extern struct redis_script vote_script_index;

#endif
