/* SPDX-License-Identifier: MIT */
/*
 * The Lua scripts of the vote store (vote_scripts.c). Private to
 * voting/store; each comment in vote_scripts.c gives its KEYS and ARGV.
 */
#ifndef JIANGXIN_VOTE_SCRIPTS_H
#define JIANGXIN_VOTE_SCRIPTS_H

#include "redis_internal.h"

extern struct redis_script vote_script_cast;
extern struct redis_script vote_script_setup;
extern struct redis_script vote_script_info;
extern struct redis_script vote_script_snapshot;
extern struct redis_script vote_script_seal;
extern struct redis_script vote_script_digest;
extern struct redis_script vote_script_lock;

#endif
