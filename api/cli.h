/* SPDX-License-Identifier: MIT */
/* The export subcommands of api/cli.c (the others are declared in app.h). */
#ifndef JIANGXIN_CLI_H
#define JIANGXIN_CLI_H

#include "app.h"

/* export --out DIR [--full]: the signed nightly export (api/export/),
 * recorded in export_runs with an audit event. Exit 0, 1 on failure (the
 * reason on stderr), 2 on bad usage or configuration. */
int cli_export(const struct api_config *cfg, int argc, char **argv);

#endif
