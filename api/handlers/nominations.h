/* SPDX-License-Identifier: MIT */
/*
 * The nomination operations, for the handlers that need them (rounds and
 * vote sessions load a round's pinned policy through them).
 */
#ifndef JIANGXIN_NOMINATIONS_H
#define JIANGXIN_NOMINATIONS_H

#include "ops/nominations.h"
#include "ops/scope.h"

#endif
