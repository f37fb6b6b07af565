#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Unit tests for tools/embed_lua.py (TAP): the service's own scripts embed,
# a well-formed script becomes its body (header and comments left out,
# includes expanded) and a reply enum, and each header fault fails the build
# with a message naming it. The repo root comes from argv[1], else
# $TEST_DATA_DIR, else ".".
import glob
import os
import subprocess
import sys
import tempfile

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TEST_DATA_DIR", ".")
TOOL = os.path.join(ROOT, "tools", "embed_lua.py")

GOOD = """\
-- SPDX-License-Identifier: MIT
-- Reads a counter.
--
-- KEYS: 1 counter   the counter
-- ARGV: 1 offset_ms   the clock offset
-- reply: {0} or {1, value}
--   [0] found   1 or 0
--   [1] value   the counter

-- include: now.lua offset=ARGV[1]
-- a comment Redis never sees
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
return {1, v}
"""

NOW = """\
-- SPDX-License-Identifier: MIT
-- The clock. Parameter: offset.
local now = tonumber(${offset})
"""

# (name, replace this, with this, message expected on stderr)
FAULTS = [
    ("no SPDX line", "-- SPDX-License-Identifier: MIT\n", "", "SPDX"),
    ("no KEYS", "-- KEYS: 1 counter   the counter\n", "", "lacks `-- KEYS:`"),
    ("no ARGV", "-- ARGV: 1 offset_ms   the clock offset\n", "", "lacks `-- ARGV:`"),
    ("no reply", "-- reply: {0} or {1, value}\n--   [0] found   1 or 0\n--   [1] value   the counter\n",
     "", "lacks `-- reply:`"),
    ("KEYS used, not documented", "return {1, v}", "return {1, v, KEYS[2]}",
     "KEYS[2] is used but not documented"),
    ("ARGV documented, not used", "-- include: now.lua offset=ARGV[1]\n", "",
     "ARGV 1 (offset_ms) is documented but not used"),
    ("KEYS numbered with a gap", "-- KEYS: 1 counter", "-- KEYS: 2 counter", "numbered from 1"),
    ("reply positions with a gap", "--   [1] value", "--   [2] value", "without gaps"),
    ("reply name twice", "--   [1] value", "--   [1] found", "used twice"),
    ("include parameter missing", "now.lua offset=ARGV[1]", "now.lua", "parameters"),
    ("include parameter unknown", "offset=ARGV[1]", "offset=ARGV[1] other=1", "parameters"),
    ("include missing", "now.lua", "later.lua", "include"),
    ("long string", "return {1, v}", "return {1, [[v]]}", "long strings"),
]

count = 0
failed = 0


def check(ok, name):
    global count, failed
    count += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", count, name))


def run(tmp, scripts):
    out_c, out_h = os.path.join(tmp, "out.c"), os.path.join(tmp, "out.h")
    p = subprocess.run([sys.executable, TOOL, out_c, out_h, "t"] + scripts,
                       capture_output=True, text=True)
    c = h = ""
    if p.returncode == 0:
        with open(out_c, encoding="utf-8") as f:
            c = f.read()
        with open(out_h, encoding="utf-8") as f:
            h = f.read()
    return p.returncode, p.stderr, c, h


def embedded(c, symbol):
    """The text of `const char SYMBOL[] = {...}` in a generated C file."""
    start = c.index("const char %s[] = {" % symbol)
    items = c[c.index("{", start) + 1:c.index("};", start)].split(",")
    data = bytes(int(i) & 0xFF for i in items if i.strip())
    return data.rstrip(b"\0").decode("utf-8")


def write(tmp, text):
    path = os.path.join(tmp, "counter.lua")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "include"))
        with open(os.path.join(tmp, "include", "now.lua"), "w", encoding="utf-8") as f:
            f.write(NOW)

        scripts = sorted(glob.glob(os.path.join(ROOT, "voting", "store", "lua", "*.lua")))
        rc, err, _, h = run(tmp, scripts)
        check(rc == 0 and len(scripts) >= 7, "the service's %d scripts embed %s"
              % (len(scripts), err.strip()))
        check("enum t_cast_reply" in h and "T_CAST_REPLY_LEN = 4," in h, "cast.lua has its enum")

        rc, err, c, h = run(tmp, [write(tmp, GOOD)])
        body = ("local now = tonumber(ARGV[1])\nlocal v = redis.call('GET', KEYS[1])\n"
                "if not v then return {0} end\nreturn {1, v}\n")
        check(rc == 0, "a well-formed script embeds %s" % err.strip())
        check(rc == 0 and embedded(c, "t_lua_counter") == body,
              "Redis gets the body alone, the include expanded")
        check("T_COUNTER_FOUND = 0," in h and "T_COUNTER_VALUE = 1," in h
              and "T_COUNTER_REPLY_LEN = 2," in h, "reply positions are named")

        for name, old, new, message in FAULTS:
            text = GOOD.replace(old, new, 1)
            assert text != GOOD, name
            rc, err, _, _ = run(tmp, [write(tmp, text)])
            check(rc != 0 and message in err, "refused: %s (%s)" % (name, err.strip()))

    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
