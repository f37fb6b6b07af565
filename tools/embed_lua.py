#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Build step: embeds the Redis Lua scripts (voting/store/lua/*.lua) in a C
# file as byte arrays (C11 string literals are limited to 4095 chars under
# -Wpedantic), and writes a header with one enum per script naming the
# positions of its reply. Fails the build when a script's header is missing
# or does not match the code.
#
# Usage: embed_lua.py [--depfile F] OUT.c OUT.h PREFIX SCRIPT.lua...
# For SCRIPT <stem>.lua it writes `const char <prefix>_lua_<stem>[]` (NUL
# terminated) and, when the reply is an array, `enum <prefix>_<stem>_reply`.
#
# A script opens with a header: its leading `--` lines, up to the first
# blank line, code or `-- include:`. It has an SPDX line, a paragraph on
# what the script does, and three sections, each a label line followed by
# lines indented further:
#   -- KEYS: 1 cfg   what the key holds       numbered from 1, one a line;
#   --       2 log   ...                      `N.. name` for "N and after";
#   -- ARGV: 1 offset_ms ...                  `none` when there are none
#   -- reply: {1, id, ...} or {0, reason}     the reply's shape, then
#   --   [0] ok    1 stored, 0 refused        `[i] name` for each position
#   --   [1] id    ...                        (two names may share one i)
# Every KEYS[n] and ARGV[n] the code uses must be documented and every
# documented one used; reply positions run from 0 without gaps. `[i] name`
# becomes <PREFIX>_<STEM>_<NAME> = i, and <PREFIX>_<STEM>_REPLY_LEN is the
# length of the longest reply. A scalar reply has no `[i]` lines (no enum).
#
# Shared code is written once in <script dir>/include/<name>.lua (its own
# header: SPDX line and what it is for, including its parameters) and pulled
# in with a body line `-- include: <name>.lua param=VALUE ...`; `${param}` in
# the included text is replaced by VALUE (every parameter bound, every
# binding used; includes do not nest).
#
# What Redis gets is the body only: the header, whole-line `--` comments and
# blank lines are left out (so line numbers in a Redis error count lines of
# `jiangxin-vote script NAME`). Long strings and comments (`[[`, `--[[`) are
# refused, so a dropped line is never inside one.
import os
import re
import sys

SECTIONS = ("KEYS", "ARGV", "reply")
NAME = r"[a-z][a-z0-9_]*"


class ScriptError(Exception):
    pass


def split_header(path, lines):
    """(header lines without the `--`, body lines) of a script file."""
    n = 0
    while n < len(lines) and lines[n].startswith("--") and not lines[n].startswith("-- include:"):
        n += 1
    header = [line[2:] for line in lines[:n]]
    if not header or not header[0].strip().startswith("SPDX-License-Identifier:"):
        raise ScriptError("%s: must open with `-- SPDX-License-Identifier: ...`" % path)
    if len(header) < 2 or not header[1].strip():
        raise ScriptError("%s: the SPDX line must be followed by what the script is for" % path)
    return header, lines[n:]


def parse_sections(path, header):
    """{'KEYS': [text, ...], ...}: each label's rest and continuation lines."""
    found = {}
    current = None
    for line in header[1:]:
        m = re.match(r" (KEYS|ARGV|reply):(.*)$", line)
        if m:
            if m.group(1) in found:
                raise ScriptError("%s: %s: documented twice" % (path, m.group(1)))
            current = m.group(1)
            found[current] = [m.group(2).strip()]
        elif current is not None and line.startswith("   "):
            found[current].append(line.strip())
        else:
            current = None
    for s in SECTIONS:
        if s not in found or not any(found[s]):
            raise ScriptError("%s: the header lacks `-- %s:` (see tools/embed_lua.py)" % (path, s))
    return found


def parse_numbered(path, what, texts):
    """KEYS/ARGV: ({n: name}, first n of an open-ended `N..` entry or None)."""
    entries, rest_from = {}, None
    if texts[0] == "none":
        return entries, rest_from
    for t in texts:
        m = re.match(r"(\d+)(\.\.)?\s+(%s)\b" % NAME, t)
        if not m:
            continue
        n = int(m.group(1))
        if n in entries or (rest_from is not None):
            raise ScriptError("%s: %s %d: documented twice or after an `N..` entry" % (path, what, n))
        if n != len(entries) + 1:
            raise ScriptError("%s: %s %d: expected %d (numbered from 1, no gaps)"
                              % (path, what, n, len(entries) + 1))
        if m.group(2):
            rest_from = n
        entries[n] = m.group(3)
    if not entries:
        raise ScriptError("%s: %s: no `N name` entries (or `none`)" % (path, what))
    return entries, rest_from


def parse_reply(path, texts):
    """[(index, name, description)] of the reply's positions."""
    out = []
    for i, t in enumerate(texts):
        m = re.match(r"\[(\d+)\]\s+(%s)\b\s*(.*)$" % NAME, t)
        if not m:
            continue
        desc = [m.group(3)]
        for more in texts[i + 1:]:
            if re.match(r"\[\d+\]", more):
                break
            desc.append(more)
        out.append((int(m.group(1)), m.group(2), " ".join(d for d in desc if d)))
    names = [name for _, name, _ in out]
    if len(set(names)) != len(names):
        raise ScriptError("%s: reply: a name is used twice" % path)
    if "reply_len" in names:
        raise ScriptError("%s: reply: `reply_len` is reserved" % path)
    indices = sorted({i for i, _, _ in out})
    if indices != list(range(len(indices))):
        raise ScriptError("%s: reply: positions %s do not run from 0 without gaps" % (path, indices))
    return out


def body_lines(path, lines):
    """The lines Redis gets: no comment-only or blank lines."""
    out = []
    for line in lines:
        if "[[" in line or re.search(r"\[=+\[", line):
            raise ScriptError("%s: long strings and comments (`[[`) are not supported" % path)
        stripped = line.strip()
        if stripped and (not stripped.startswith("--") or stripped.startswith("-- include:")):
            out.append(line)
    return out


def expand(path, lines, deps):
    """Replaces each `-- include:` line by the included body."""
    out = []
    for line in lines:
        m = re.match(r"\s*-- include:\s*(\S+)(.*)$", line)
        if not m:
            out.append(line)
            continue
        inc = os.path.join(os.path.dirname(path), "include", m.group(1))
        binds = {}
        for b in m.group(2).split():
            k, sep, v = b.partition("=")
            if not sep or not re.fullmatch(NAME, k) or k in binds:
                raise ScriptError("%s: include %s: bad parameter %r" % (path, m.group(1), b))
            binds[k] = v
        try:
            with open(inc, encoding="utf-8") as f:
                inc_lines = f.read().splitlines(keepends=True)
        except OSError as e:
            raise ScriptError("%s: include: %s" % (path, e))
        if inc not in deps:
            deps.append(inc)
        _, inc_body = split_header(inc, inc_lines)
        text = "".join(body_lines(inc, inc_body))
        if "-- include:" in text:
            raise ScriptError("%s: includes do not nest" % inc)
        used = set(re.findall(r"\$\{(%s)\}" % NAME, text))
        if used != set(binds):
            raise ScriptError("%s: include %s: parameters %s, given %s"
                              % (path, m.group(1), sorted(used), sorted(binds)))
        out.append(re.sub(r"\$\{(%s)\}" % NAME, lambda x: binds[x.group(1)], text))
    return "".join(out)


def check_used(path, what, documented, rest_from, code):
    used = {int(n) for n in re.findall(r"\b%s\[(\d+)\]" % what, code)}
    fixed = {n for n in documented if n != rest_from}
    for n in sorted(used - set(documented)):
        if rest_from is None or n < rest_from:
            raise ScriptError("%s: %s[%d] is used but not documented in the header" % (path, what, n))
    for n in sorted(fixed - used):
        raise ScriptError("%s: %s %d (%s) is documented but not used" % (path, what, n, documented[n]))


def load(path, deps):
    """(stem, code, reply shape, [(index, name, description)])."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    header, body = split_header(path, lines)
    sections = parse_sections(path, header)
    keys, keys_rest = parse_numbered(path, "KEYS", sections["KEYS"])
    argv, argv_rest = parse_numbered(path, "ARGV", sections["ARGV"])
    reply = parse_reply(path, sections["reply"])
    code = expand(path, body_lines(path, body), deps)
    if not code.endswith("\n"):
        code += "\n"
    check_used(path, "KEYS", keys, keys_rest, code)
    check_used(path, "ARGV", argv, argv_rest, code)
    stem = os.path.basename(path)[:-len(".lua")]
    if not re.fullmatch(NAME, stem):
        raise ScriptError("%s: the file name must be a C identifier" % path)
    shape = []
    for t in sections["reply"]:
        if re.match(r"\[\d+\]", t):
            break
        shape.append(t)
    return stem, code, " ".join(shape), reply


def c_comment(text):
    return text.replace("*/", "* /")


def main(argv):
    depfile = None
    if argv[:1] == ["--depfile"]:
        depfile, argv = argv[1], argv[2:]
    if len(argv) < 4:
        sys.stderr.write("usage: embed_lua.py [--depfile F] OUT.c OUT.h PREFIX SCRIPT.lua...\n")
        return 2
    out_c, out_h, prefix, scripts = argv[0], argv[1], argv[2], argv[3:]
    deps = list(scripts)
    try:
        loaded = [load(p, deps) for p in scripts]
    except ScriptError as e:
        sys.stderr.write("embed_lua.py: %s\n" % e)
        return 1
    with open(out_h, "w", encoding="utf-8") as h:
        h.write("/* Generated by tools/embed_lua.py from %s. Do not edit. */\n"
                % " ".join(os.path.basename(p) for p in scripts))
        h.write("#pragma once\n")
        for stem, _, shape, reply in loaded:
            h.write("\n/* %s.lua, NUL terminated. */\nextern const char %s_lua_%s[];\n"
                    % (stem, prefix, stem))
            if not reply:
                continue
            up = ("%s_%s" % (prefix, stem)).upper()
            h.write("/* The reply of %s.lua: %s */\nenum %s_%s_reply {\n"
                    % (stem, c_comment(shape), prefix, stem))
            for i, name, desc in reply:
                note = " /* %s */" % c_comment(desc) if desc else ""
                h.write("    %s_%s = %d,%s\n" % (up, name.upper(), i, note))
            h.write("    %s_REPLY_LEN = %d, /* elements of the longest reply */\n};\n"
                    % (up, max(i for i, _, _ in reply) + 1))
    with open(out_c, "w", encoding="utf-8") as c:
        c.write("/* Generated by tools/embed_lua.py. Do not edit. */\n")
        c.write('#include "%s"\n' % os.path.basename(out_h))
        for stem, code, _, _ in loaded:
            data = code.encode("utf-8")
            c.write("\nconst char %s_lua_%s[] = {\n" % (prefix, stem))
            for i in range(0, len(data), 24):
                c.write("".join("%d," % (b if b < 128 else b - 256) for b in data[i:i + 24]) + "\n")
            c.write("0};\n")
    if depfile:
        with open(depfile, "w", encoding="utf-8") as d:
            d.write("%s: %s\n" % (out_c.replace(" ", "\\ "),
                                  " ".join(p.replace(" ", "\\ ") for p in deps)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
