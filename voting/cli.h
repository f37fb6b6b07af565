/* SPDX-License-Identifier: MIT */
/* The voting service's offline subcommands: they need no configuration. */
#ifndef JIANGXIN_VOTE_CLI_H
#define JIANGXIN_VOTE_CLI_H

/* `verify-log FILE [--sha256 HEX] [--entries N] [--tally FILE]`, argv[0]
 * being "verify-log". Prints the recount as JSON on stdout. Returns the exit
 * status: 0 the log is well-formed and matches every expectation, 1 it does
 * not (the reason on stderr), 2 a usage error or an unreadable input. */
int cli_verify_log(int argc, char **argv);

#endif
