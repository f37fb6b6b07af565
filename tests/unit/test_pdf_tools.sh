#!/bin/bash
# shellcheck disable=SC2317 # the check functions run through check()
# SPDX-License-Identifier: MIT
# The PDFs of api/render read by the tools a person or a verifier would use
# (TAP): test_pdf_docs ($1) writes them into a scratch directory
# (JX_PDF_OUT), then poppler's pdftotext, pdfinfo and pdffonts and zbar's
# zbarimg check the text, the page count, the embedded fonts and the
# certificate's QR code. Without fonts-noto-cjk the fonts check fails.
set -u

bin=${1:?usage: test_pdf_tools.sh PATH-TO-test_pdf_docs}
dir=$(mktemp -d /tmp/jx-pdf-tools.XXXXXX)
trap 'rm -rf "$dir"' EXIT
n=0 failed=0

ok() {
    n=$((n + 1))
    printf 'ok %d - %s\n' "$n" "$1"
}
not_ok() {
    n=$((n + 1)) failed=$((failed + 1))
    printf 'not ok %d - %s\n' "$n" "$1"
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
}
# check NAME COMMAND... — ok when COMMAND succeeds.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

echo "1..9"
if ! JX_PDF_OUT=$dir "$bin" >"$dir/unit.log" 2>&1; then
    not_ok "test_pdf_docs wrote the PDFs" "$(cat "$dir/unit.log")"
    exit 1
fi
ok "test_pdf_docs wrote the PDFs"

cert=$dir/certificate.pdf notice=$dir/notice.pdf results=$dir/result_list.pdf
for tool in pdftotext pdfinfo pdffonts pdftoppm zbarimg; do
    command -v "$tool" >/dev/null || {
        not_ok "$tool installed (poppler-utils, zbar-tools)"
        exit 1
    }
done

# contains FILE TEXT... — every TEXT in pdftotext's reading of FILE.
contains() {
    local file=$1 text
    shift
    text=$(pdftotext -enc UTF-8 "$file" - 2>&1) || return 1
    for want in "$@"; do
        if [[ $text != *"$want"* ]]; then
            printf '# "%s" not in the text of %s\n' "$want" "${file##*/}"
            return 1
        fi
    done
}
check "certificate: holder, number, code, title, issuer and date in the text" \
    contains "$cert" 张三丰 LSGJ-2027-001 7KQ4M2XD 岚山工匠 中共岚山区委人才工作领导小组 二〇二七年三月十五日
check "notice: title, first, second and last of 40 names, period in the text" \
    contains "$notice" "拟认定人选的公示" 张三丰 王明远 黄秋实 "（5个工作日）" 二〇二七年三月一日
check "result list: names and outcomes in the text" contains "$results" 张三丰 黄秋实 认定 未入选

# pages FILE — pdfinfo's page count.
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
p=$(pages "$notice")
if [ "${p:-0}" -gt 1 ]; then ok "notice of 40 entries on $p pages"; else not_ok "notice of 40 entries on more than one page (got '${p}')"; fi
p=$(pages "$results")
if [ "${p:-0}" -gt 1 ]; then ok "result list of 40 rows on $p pages"; else not_ok "result list of 40 rows on more than one page (got '${p}')"; fi

info=$(pdfinfo "$cert" 2>&1)
if [[ $info == *"Page size:"*"841.89 x 595.27"*"(A4)"* && $info == *"Creator:"*jiangxin* &&
    $info == *"Title:"*岚山工匠* && $(pages "$cert") == 1 ]]; then
    ok "certificate: one landscape A4 page, title and creator set"
else
    not_ok "certificate: one landscape A4 page, title and creator set" "$info"
fi

# The QR code, read from a 150-dpi rendering as a phone would read a print.
want="https://jiangxin.example.cn/v/LSGJ-2027-001?code=7KQ4M2XD"
pdftoppm -r 150 -png -singlefile "$cert" "$dir/cert" 2>/dev/null
got=$(zbarimg --raw -q "$dir/cert.png" 2>/dev/null)
if [ "$got" = "$want" ]; then ok "certificate: QR code reads the verification URL"; else not_ok "certificate: QR code reads the verification URL" "got: $got"; fi

# fonts FILE — fails unless every font is embedded and the house fonts are
# among them; the emb column is found by its header (a type may have spaces).
fonts() {
    local out
    out=$(pdffonts "$1" 2>&1) || return 1
    awk -v file="${1##*/}" '
        NR == 1 { col = index($0, "emb"); next }
        NR == 2 { next }
        { if (substr($0, col, 3) != "yes") { print "# not embedded in " file ": " $0; bad = 1 } }
        /NotoSerifCJK/ { serif = 1 }
        END {
            if (!serif) print "# no Noto Serif CJK in " file " (fonts-noto-cjk installed?)"
            exit bad || !serif
        }' <<<"$out" || {
        printf '%s\n' "$out" | sed 's/^/# /'
        return 1
    }
}
all_fonts() { fonts "$cert" && fonts "$notice" && fonts "$results"; }
check "fonts: all embedded, Noto Serif CJK among them (certificate, notice, result list)" all_fonts

exit $((failed > 0))
