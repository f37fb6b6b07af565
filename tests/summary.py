#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# One summary for `deploy/local.sh test`: counts the C unit tests (TAP lines
# in meson's testlog.json), the black-box tests (pytest's junit XML) and the
# script's own checks (lines `PASS name` / `FAIL name`), lists what failed,
# and ends with exactly `N passed, N failed`. Exit status 0 iff nothing
# failed. In CI (CI=true) a skipped test counts as failed: nothing skips there.
"""Summarise a jiangxin test run."""

import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

TAP_LINE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
TAP_DIRECTIVE = re.compile(r"#\s*(skip|todo)\b\s*(.*)$", re.IGNORECASE)
TAP_PLAN_SKIP = re.compile(r"^1\.\.0\b.*#\s*skip\b\s*(.*)$", re.IGNORECASE)
BAD_RESULTS = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS"}
SANITIZER = re.compile(r"(ERROR: (AddressSanitizer|LeakSanitizer)[^\n]*|runtime error:[^\n]*)")


class Tally:
    """Passed/failed/skipped counts of one suite plus the failure texts."""

    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []
        self.skips = []

    def ok(self):
        self.passed += 1

    def fail(self, text):
        self.failed += 1
        self.failures.append(text)

    def skip(self, text):
        self.skipped += 1
        self.skips.append(text)


def first_line(text, limit=240):
    text = (text or "").strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def read_testlog(path, tally):
    """meson's testlog.json: one JSON object per line, one per test binary."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [l for l in f if l.strip()]
    except OSError:
        tally.fail(f"meson test wrote no {path} (unit tests did not run)")
        return
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            tally.fail(f"unreadable line in {path}")
    if not entries:
        tally.fail("no unit tests ran (meson test --suite unit found none)")
    for e in entries:
        read_tap_entry(e, tally)


def read_tap_entry(e, tally):
    name = e.get("name", "?")
    result = str(e.get("result", "")).upper()
    stdout = e.get("stdout") or ""
    stderr = e.get("stderr") or ""
    seen = 0
    not_ok = 0
    lines = stdout.splitlines()
    for i, raw in enumerate(lines):
        if raw[:1] in (" ", "\t"):
            continue  # subtest or indented diagnostics
        line = raw.rstrip()
        if line.startswith("Bail out!"):
            not_ok += 1
            tally.fail(f"unit {name}: {line}")
            continue
        m = TAP_PLAN_SKIP.match(line)
        if m:
            seen += 1
            tally.skip(f"unit {name}: whole test skipped {m.group(1)}".rstrip())
            continue
        m = TAP_LINE.match(line)
        if not m:
            continue
        seen += 1
        status, num, desc = m.group(1), m.group(2) or "?", m.group(3)
        d = TAP_DIRECTIVE.search(desc)
        directive = d.group(1).lower() if d else ""
        if directive == "skip":
            tally.skip(f"unit {name}: {num} - {desc}")
        elif status == "ok":
            tally.ok()
        elif directive == "todo":
            tally.skip(f"unit {name}: not ok {num} - {desc} (TODO)")
        else:
            not_ok += 1
            diag = []
            for nxt in lines[i + 1 :]:
                s = nxt.strip()
                if not s.startswith("#"):
                    break
                diag.append(s)
                if len(diag) == 4:
                    break
            text = f"unit {name}: not ok {num} - {desc}"
            if diag:
                text += "\n      " + "\n      ".join(diag)
            tally.fail(text)
    if seen == 0:
        # No TAP at all: judge the binary by meson's verdict alone.
        if result == "SKIP":
            tally.skip(f"unit {name}: skipped")
        elif result in ("OK", "EXPECTEDFAIL"):
            tally.ok()
        else:
            tally.fail(f"unit {name}: {result or 'no result'} with no TAP output{crash_hint(e)}")
        return
    if result in BAD_RESULTS and not_ok == 0:
        tally.fail(f"unit {name}: {result} after {seen} TAP results{crash_hint(e)}")


def crash_hint(e):
    rc = e.get("returncode")
    parts = []
    if isinstance(rc, int) and rc < 0:
        parts.append(f"killed by signal {-rc}")
    elif rc not in (None, 0):
        parts.append(f"exit status {rc}")
    m = SANITIZER.search((e.get("stderr") or "") + "\n" + (e.get("stdout") or ""))
    if m:
        parts.append(first_line(m.group(1), 160))
    return f" ({'; '.join(parts)})" if parts else ""


def read_junit(path, tally):
    """pytest's junit XML: one <testcase> per test (collection errors too)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        tally.fail(f"pytest wrote no readable report {path} (crashed or timed out?): {err}")
        return
    cases = list(root.iter("testcase"))
    if not cases:
        tally.fail("pytest ran no test (tests/integration collected nothing)")
        return
    for case in cases:
        cls = case.get("classname") or ""
        name = case.get("name") or "?"
        ident = first_line(f"{cls}::{name}" if cls else name, 160)
        bad = [c for c in case if c.tag in ("failure", "error")]
        skipped = [c for c in case if c.tag == "skipped"]
        if bad:
            c = bad[0]
            msg = first_line(c.get("message") or c.text or c.tag)
            tally.fail(f"integration {ident}: {msg}")
        elif skipped:
            tally.skip(f"integration {ident}: {first_line(skipped[0].get('message'))}")
        else:
            tally.ok()


def read_checks(path, tally):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        tally.fail(f"no checks file {path}")
        return
    for line in lines:
        word, _, name = line.partition(" ")
        if word == "PASS":
            tally.ok()
        elif word == "FAIL":
            tally.fail(f"check: {name}")
        elif word == "SKIP":
            tally.skip(f"check: {name}")


def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--testlog", action="append", default=[], help="meson-logs/testlog.json")
    ap.add_argument("--junit", action="append", default=[], help="pytest --junitxml report")
    ap.add_argument("--checks", action="append", default=[], help="file of PASS/FAIL lines")
    args = ap.parse_args(argv)

    tallies = []
    for path in args.testlog:
        t = Tally("unit (C, TAP)")
        read_testlog(path, t)
        tallies.append(t)
    for path in args.junit:
        t = Tally("integration (pytest)")
        read_junit(path, t)
        tallies.append(t)
    for path in args.checks:
        t = Tally("checks")
        read_checks(path, t)
        tallies.append(t)

    ci = in_ci()
    if ci:
        for t in tallies:
            for s in t.skips:
                t.fail(f"skipped in CI: {s}")
            t.skipped, t.skips = 0, []

    passed = sum(t.passed for t in tallies)
    failed = sum(t.failed for t in tallies)
    skipped = sum(t.skipped for t in tallies)
    if passed + failed + skipped == 0:
        failed = 1
        tallies.append(Tally("nothing"))
        tallies[-1].fail("nothing was tested")

    out = sys.stdout
    out.write("\n== jiangxin test summary ==\n")
    for t in tallies:
        line = f"{t.label:<22} {t.passed:>5} passed, {t.failed:>3} failed"
        if t.skipped:
            line += f", {t.skipped} skipped"
        out.write(line + "\n")
    failures = [f for t in tallies for f in t.failures]
    if failures:
        out.write(f"\nFailures ({len(failures)}):\n")
        for f in failures:
            out.write(f"  - {f}\n")
    skips = [s for t in tallies for s in t.skips]
    if skips:
        out.write(f"\nSkipped ({len(skips)}; these would fail in CI):\n")
        for s in skips:
            out.write(f"  - {s}\n")
    out.write(f"\n{passed} passed, {failed} failed\n")
    out.flush()
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
