/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* What every harness defines (libFuzzer calls it, and so does fuzz-replay.c
 * for each file of the seed corpus in the normal test suite). */
int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);
int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);

/* The input as a NUL-terminated string (an embedded NUL ends it, as it
 * would end a command-line argument or a GVariant string). */
char *fuzz_text (const uint8_t *data,
                 size_t         size);

/* A broken promise is a crash, whatever the build's assertion settings:
 * libFuzzer keeps the input that caused it. */
#define FUZZ_CHECK(cond)                                                   \
  G_STMT_START {                                                           \
    if (G_UNLIKELY (!(cond)))                                              \
      {                                                                    \
        fprintf (stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #cond); \
        abort ();                                                          \
      }                                                                    \
  } G_STMT_END
