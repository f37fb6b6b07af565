/* SPDX-License-Identifier: MIT */
/*
 * Dates in the Chinese written form of official documents (pdf_docs.h):
 * the year read digit by digit (二〇二七), month and day read as numbers
 * (十一月, 三十一日), as GB/T 9704 signs a document.
 */
#include <stdint.h>
#include <string.h>

#include "civil_time.h"
#include "pdf_docs.h"

static const char *const digits[10] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1..39 as a number: 九, 十, 十一, 二十, 三十一. */
static void append_number(char *out, int n)
{
    if (n >= 20) {
        strcat(out, digits[n / 10]);
    }
    if (n >= 10) {
        strcat(out, "十");
    }
    if (n % 10 != 0) {
        strcat(out, digits[n % 10]);
    }
}

bool pdf_chinese_date(const char *iso, char out[PDF_CHINESE_DATE_MAX])
{
    int32_t day;
    int y, m, d, k;

    out[0] = '\0';
    if (!date_parse(iso, &day)) {
        return false;
    }
    date_split(day, &y, &m, &d);
    for (k = 0; k < 4; k++) {
        strcat(out, digits[iso[k] - '0']);
    }
    strcat(out, "年");
    append_number(out, m);
    strcat(out, "月");
    append_number(out, d);
    strcat(out, "日");
    return true;
}
