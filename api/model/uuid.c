/* SPDX-License-Identifier: MIT */
/*
 * UUID text shape (see uuid.h). Only the canonical lower-case spelling is
 * accepted: PostgreSQL reads either case as the same id, while the service
 * compares ids as text, so an upper-case spelling would be one id with two
 * names (an admin's own id in upper case passed the self-lockout guard).
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
        bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
        if (shape[i] == '-' ? s[i] != '-' : !hex) {
            return false;
        }
    }
    return true;
}
