/* SPDX-License-Identifier: MIT */
/*
 * UUID text shape (see uuid.h). Either case is accepted: PostgreSQL reads
 * both, and ids are compared after its own normalisation.
 */
#include "uuid.h"

#include <string.h>

bool uuid_valid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    if (s == NULL || strlen(s) != UUID_TEXT_LEN) {
        return false;
    }
    for (size_t i = 0; shape[i] != '\0'; i++) {
        bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                   (s[i] >= 'A' && s[i] <= 'F');
        if (shape[i] == '-' ? s[i] != '-' : !hex) {
            return false;
        }
    }
    return true;
}
