# SPDX-License-Identifier: MIT
"""Checks live HTTP responses against an OpenAPI 3.1 document.

Loads openapi/*.yaml once, finds the operation for a method + concrete path
(literal paths win over templated ones), and checks that the status is
documented, that the media type is documented, that documented required
headers are present, and that JSON bodies (problem+json included) validate
against the documented schema with jsonschema's Draft 2020-12 validator and a
resolver rooted at the document (so `#/components/...` refs work). Problem
bodies are also checked against the contract: status, type URN, fixed title
per language, instance and request_id.
"""

import datetime
import json
import re
import uuid

import yaml
from jsonschema import Draft202012Validator, FormatChecker

try:  # jsonschema 4.10 (Debian 12)
    from jsonschema import RefResolver
except ImportError:  # pragma: no cover - newer jsonschema
    RefResolver = None

PROBLEM_PREFIX = "urn:jiangxin:problem:"

# slug -> (status, zh title, en title), from the contract's table.
PROBLEM_TYPES = {
    "malformed-request": (400, "请求格式错误", "Malformed request"),
    "unknown-field": (400, "请求包含未知字段", "Unknown field"),
    "invalid-parameter": (400, "参数无效", "Invalid parameter"),
    "unauthorized": (401, "未认证或令牌无效", "Authentication required"),
    "forbidden": (403, "无权执行此操作", "Forbidden"),
    "not-found": (404, "资源不存在", "Resource not found"),
    "method-not-allowed": (405, "不支持的请求方法", "Method not allowed"),
    "conflict": (409, "与当前状态冲突", "Conflict with current state"),
    "not-open": (409, "不在开放时间内", "Not open at this time"),
    "policy-expired": (409, "政策文件已过有效期", "Policy expired"),
    "precondition-failed": (412, "资源已被修改", "Precondition failed"),
    "payload-too-large": (413, "请求体过大", "Payload too large"),
    "unsupported-media-type": (415, "不支持的媒体类型", "Unsupported media type"),
    "validation-failed": (422, "数据校验未通过", "Validation failed"),
    "idempotency-key-reused": (422, "幂等键已用于其他请求", "Idempotency key reused"),
    "calendar-unavailable": (422, "缺少工作日历数据", "Calendar data unavailable"),
    "precondition-required": (428, "缺少 If-Match 条件", "Precondition required"),
    "rate-limited": (429, "请求过于频繁", "Too many requests"),
    "internal-error": (500, "服务器内部错误", "Internal server error"),
    "service-unavailable": (503, "服务暂不可用", "Service unavailable"),
}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class SpecMismatch(AssertionError):
    """A response that does not match the OpenAPI document or the contract."""


class _NoTimestampLoader(yaml.SafeLoader):
    """SafeLoader that keeps `2026-01-01` as a string, as JSON would."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_NoTimestampLoader)


# ---------------------------------------------------------------- formats
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def make_format_checker():
    fc = FormatChecker(formats=())

    @fc.checks("uuid", raises=ValueError)
    def _uuid(value):
        if not isinstance(value, str):
            return True
        if not _UUID_RE.match(value):
            raise ValueError("not a lowercase canonical UUID")
        uuid.UUID(value)
        return True

    @fc.checks("date", raises=ValueError)
    def _date(value):
        if not isinstance(value, str):
            return True
        if not _DATE_RE.match(value):
            raise ValueError("not YYYY-MM-DD")
        datetime.date.fromisoformat(value)
        return True

    @fc.checks("date-time", raises=ValueError)
    def _date_time(value):
        if not isinstance(value, str):
            return True
        m = _DATETIME_RE.match(value)
        if not m:
            raise ValueError("not an RFC 3339 timestamp with offset")
        datetime.date.fromisoformat(m.group(1))
        if int(m.group(2)) > 23 or int(m.group(3)) > 59 or int(m.group(4)) > 60:
            raise ValueError("time out of range")
        if m.group(6) != "+08:00":
            raise ValueError("contract: timestamps always carry +08:00")
        return True

    return fc


FORMAT_CHECKER = make_format_checker()


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def is_json_media(mt):
    return mt == "application/json" or mt.endswith("+json")


class Spec:
    """One OpenAPI document plus the machinery to check responses with it."""

    def __init__(self, path):
        self.path = path
        self.doc = load_yaml(path)
        self._validators = {}
        self._routes = []  # (n_params, regex, template)
        for template, item in (self.doc.get("paths") or {}).items():
            parts = []
            n_params = 0
            for piece in re.split(r"(\{[^}]+\})", template):
                if piece.startswith("{") and piece.endswith("}"):
                    parts.append(r"[^/]+")
                    n_params += 1
                else:
                    parts.append(re.escape(piece))
            self._routes.append((n_params, re.compile("^" + "".join(parts) + "$"), template))
        self._routes.sort(key=lambda r: (r[0], r[2]))

    # ------------------------------------------------------------ lookup
    def resolve(self, node):
        """Follows a local $ref (`#/a/b`) to its target, repeatedly."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise SpecMismatch(f"{self.path}: only local $refs are supported, got {ref}")
            target = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target[part]
            node = target
            seen += 1
        return node

    def find_template(self, path):
        for _, rx, template in self._routes:
            if rx.match(path):
                return template
        return None

    def find_operation(self, method, path):
        template = self.find_template(path)
        if template is None:
            return None, None
        item = self.resolve(self.doc["paths"][template])
        return template, item.get(method.lower())

    def operations(self):
        """Yields (method, template, operation) for every operation."""
        for template, item in (self.doc.get("paths") or {}).items():
            item = self.resolve(item)
            for m in HTTP_METHODS:
                if m in item:
                    yield m.upper(), template, item[m]

    def problem_schema(self):
        schemas = (self.doc.get("components") or {}).get("schemas") or {}
        for name in ("Problem", "ProblemDetails", "problem"):
            if name in schemas:
                return {"$ref": f"#/components/schemas/{name}"}
        # Otherwise: the first problem+json schema documented anywhere.
        for _, _, op in self.operations():
            for resp in (op.get("responses") or {}).values():
                resp = self.resolve(resp)
                content = resp.get("content") or {}
                if "application/problem+json" in content:
                    schema = content["application/problem+json"].get("schema")
                    if schema is not None:
                        return schema
        return None

    # -------------------------------------------------------- validation
    def validator(self, schema):
        key = json.dumps(schema, sort_keys=True)
        v = self._validators.get(key)
        if v is None:
            kwargs = {"format_checker": FORMAT_CHECKER}
            if RefResolver is not None:
                kwargs["resolver"] = RefResolver.from_schema(self.doc)
            v = Draft202012Validator(schema, **kwargs)
            self._validators[key] = v
        return v

    def validate_body(self, schema, body, where):
        errors = sorted(self.validator(schema).iter_errors(body), key=lambda e: list(e.path))
        if errors:
            lines = []
            for e in errors[:8]:
                ptr = "/" + "/".join(str(p) for p in e.absolute_path)
                cause = f" ({e.cause})" if e.cause else ""
                lines.append(f"  at {ptr}: {e.message}{cause}")
            raise SpecMismatch(
                f"{where}: body does not match the documented schema:\n"
                + "\n".join(lines)
                + f"\n  body: {_short(body)}")

    def documented_response(self, op, status):
        responses = op.get("responses") or {}
        for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if key in responses:
                return self.resolve(responses[key])
        return None


def _short(obj, limit=600):
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def check_problem(status, headers, body, *, request_path, lang_en, where):
    """Contract rules for every problem+json body."""
    if not isinstance(body, dict):
        raise SpecMismatch(f"{where}: problem body is not an object: {_short(body)}")
    t = body.get("type", "")
    if not isinstance(t, str) or not t.startswith(PROBLEM_PREFIX):
        raise SpecMismatch(f"{where}: problem type {t!r} is not a {PROBLEM_PREFIX}<slug> URN")
    slug = t[len(PROBLEM_PREFIX):]
    if slug not in PROBLEM_TYPES:
        raise SpecMismatch(f"{where}: problem type {t!r} is not in the contract's table")
    want_status, zh, en = PROBLEM_TYPES[slug]
    if want_status != status or body.get("status") != status:
        raise SpecMismatch(
            f"{where}: HTTP {status}, body status {body.get('status')!r}, "
            f"type {slug} means {want_status}")
    want_title = en if lang_en else zh
    if body.get("title") != want_title:
        raise SpecMismatch(f"{where}: title {body.get('title')!r}, contract says {want_title!r}")
    rid = headers.get("X-Request-Id")
    if body.get("request_id") != rid:
        raise SpecMismatch(
            f"{where}: problem request_id {body.get('request_id')!r} != X-Request-Id {rid!r}")
    if "instance" in body and body["instance"] != request_path:
        raise SpecMismatch(
            f"{where}: problem instance {body['instance']!r} != request path {request_path!r}")
    for err in body.get("errors") or []:
        ptr = err.get("pointer") if isinstance(err, dict) else None
        if not isinstance(ptr, str) or not (ptr == "" or ptr.startswith("/")):
            raise SpecMismatch(f"{where}: errors[] item without a JSON Pointer: {_short(err)}")
    if status == 401:
        www = headers.get("WWW-Authenticate", "")
        if not www.startswith("Bearer"):
            raise SpecMismatch(f"{where}: 401 without `WWW-Authenticate: Bearer` (got {www!r})")
    if status == 405 and not headers.get("Allow"):
        raise SpecMismatch(f"{where}: 405 without an Allow header")
    return slug


def check_response(spec, method, path, status, headers, raw_body, *, mode="spec",
                   lang_en=False):
    """Checks one response. mode: "spec" (full), "problem" (undocumented route:
    only the problem schema and contract rules), or "none".

    `headers` is a case-insensitive mapping. Raises SpecMismatch on failure and
    returns the decoded JSON body (or None)."""
    where = f"{method} {path} -> {status}"
    if mode == "none":
        return None
    rid = headers.get("X-Request-Id")
    if not rid or not REQUEST_ID_RE.match(rid):
        raise SpecMismatch(f"{where}: missing or malformed X-Request-Id header ({rid!r})")
    ctype = headers.get("Content-Type", "")
    mt = media_type(ctype)
    body = None
    if raw_body and is_json_media(mt):
        try:
            body = json.loads(raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise SpecMismatch(f"{where}: {mt} body is not valid JSON/UTF-8: {e}")
    if status >= 400:
        if mt != "application/problem+json":
            raise SpecMismatch(f"{where}: error answered with {ctype!r}, not application/problem+json")
        check_problem(status, headers, body, request_path=path, lang_en=lang_en, where=where)

    if mode == "problem":
        if status >= 400:
            schema = spec.problem_schema()
            if schema is None:
                raise SpecMismatch(f"{spec.path}: no Problem schema documented")
            spec.validate_body(schema, body, where)
        return body

    template, op = spec.find_operation(method, path)
    if template is None:
        raise SpecMismatch(f"{where}: path is not documented in {spec.path}")
    if op is None:
        raise SpecMismatch(f"{where}: method {method} is not documented for {template}")
    resp = spec.documented_response(op, status)
    if resp is None:
        documented = ", ".join(sorted(str(k) for k in (op.get("responses") or {})))
        raise SpecMismatch(
            f"{where}: status {status} is not documented for {method} {template} "
            f"(documented: {documented}); body: {_short(raw_body.decode('utf-8', 'replace'))}")
    for name, hdr in (resp.get("headers") or {}).items():
        hdr = spec.resolve(hdr)
        if name not in headers:
            if hdr.get("required"):
                raise SpecMismatch(f"{where}: documented required header {name} is missing")
            continue
        schema = hdr.get("schema")
        if schema is not None:
            value = headers[name]
            if spec.resolve(schema).get("type") == "integer":
                try:
                    value = int(value)
                except ValueError:
                    raise SpecMismatch(f"{where}: header {name}: {value!r} is not an integer")
            errs = list(spec.validator(schema).iter_errors(value))
            if errs:
                raise SpecMismatch(f"{where}: header {name}: {errs[0].message}")
    content = {media_type(k): v for k, v in (resp.get("content") or {}).items()}
    if not content:
        if raw_body:
            raise SpecMismatch(
                f"{where}: the spec documents no body but got {len(raw_body)} bytes ({mt})")
        return None
    if not raw_body and status != 204:
        raise SpecMismatch(f"{where}: the spec documents a body ({', '.join(content)}) but got none")
    media = content.get(mt)
    if media is None:
        for key, value in content.items():
            if key.endswith("/*") and mt.startswith(key[:-1]) or key == "*/*":
                media = value
                break
    if media is None:
        raise SpecMismatch(f"{where}: media type {mt!r} not documented (documented: {', '.join(content)})")
    schema = media.get("schema")
    if schema is not None and is_json_media(mt):
        spec.validate_body(schema, body, where)
    return body
