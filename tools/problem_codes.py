#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Lists the machine codes a service's C sources can put in a problem: the
# kinds' own codes (common/problem.c's table), the code argument of every
# problem_fail()/problem_field() call, and every `.code = "…"` in a table.
# The OpenAPI documents list the same codes (the ProblemCode schema's enum);
# the suite compares both ways. Usage: problem_codes.py api|vote prints them
# with the file that first uses each; problem_codes.py api|vote --write
# openapi/api.yaml rewrites the ProblemCode schema's enum in that document.
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
DIRS = {"api": ["common", "api"], "vote": ["common", "voting"]}
CODE = re.compile(r'^[a-z][a-z0-9_]*$')
# The code argument's index in each call that takes one (wrappers included).
CALLS = {"problem_fail": 2, "problem_field": 3, "problem_vfail": 2, "nomination_conflict": 2}


def split_args(text, start):
    """Top-level arguments of the call whose '(' is at text[start]."""
    depth, args, cur, i, quote = 0, [], [], start, None
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            cur.append(c)
        elif c == "(":
            depth += 1
            if depth > 1:
                cur.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args
            cur.append(c)
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return args


def codes(service):
    found = {}
    for d in DIRS[service]:
        for path in sorted((ROOT / d).rglob("*.c")):
            text = path.read_text(encoding="utf-8")
            rel = str(path.relative_to(ROOT))
            for name, idx in CALLS.items():
                for m in re.finditer(r'\b%s\(' % name, text):
                    if text[m.start() - 1:m.start()] in ("_",):
                        continue
                    args = split_args(text, m.end() - 1)
                    if len(args) > idx and re.fullmatch(r'"[a-z0-9_]+"', args[idx]):
                        found.setdefault(args[idx].strip('"'), rel)
            for m in re.finditer(r'\.code\s*=\s*"([a-z0-9_]+)"', text):
                found.setdefault(m.group(1), rel)
    kinds = (ROOT / "common" / "problem.c").read_text(encoding="utf-8")
    for m in re.finditer(r'T\("[a-z-]+"\),\s*"([a-z_]+)"', kinds):
        if m.group(1) != "ok":
            found.setdefault(m.group(1), "common/problem.c")
    return found


SCHEMA = """    ProblemCode:
      description: |
        The machine code of a problem's cause (`code`) or of one bad member
        (`errors[].code`): stable, snake_case, for a front end to branch on.
        Several causes share one `type`; a code names exactly one. A kind's
        own code (e.g. `not_found`, `service_unavailable`) stands when nothing
        more specific applies. Generated from the sources by
        `tools/problem_codes.py %s --write` and checked by the suite.
      type: string
      enum:
%s"""


def write_spec(path, service, found):
    """Replaces (or adds, before Problem) the ProblemCode schema of `path`."""
    text = pathlib.Path(path).read_text(encoding="utf-8")
    block = SCHEMA % (service, "".join("        - %s\n" % c for c in sorted(found)))
    m = re.search(r"^    ProblemCode:\n(?:^(?:      .*)?\n)*", text, re.M)
    if m:
        text = text[:m.start()] + block + text[m.end():]
    else:
        at = re.search(r"^    Problem:\n", text, re.M)
        text = text[:at.start()] + block + text[at.start():]
    pathlib.Path(path).write_text(text, encoding="utf-8")


def main(argv):
    service = argv[1] if len(argv) > 1 else "api"
    found = codes(service)
    bad = [c for c in found if not CODE.match(c)]
    if bad:
        print("not snake_case:", ", ".join(sorted(bad)), file=sys.stderr)
        return 1
    if len(argv) > 3 and argv[2] == "--write":
        write_spec(argv[3], service, found)
        return 0
    print(json.dumps(dict(sorted(found.items())), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
