#!/usr/bin/env python3
"""Derive ramlint's API parameter specifications from the research data.

Reads the Openmeta `api-docs.json` copies under ../shared/data (relative to the repository root;
override with --data) and writes:

  rules/apis/<code>/<version>.json    one file per product version
  rules/apis/common-parameters.json   parameters that are never `unknown-parameter`
  rules/apis/products.json            serviceName / eventSource host / Product -> spec file
  rules/apis/index.json               every spec file's API names (found without loading the spec)

Product versions with a full `api-docs.json` copy (rules/curated/api-products.json) get the
complete conversion; every other product version of the Openmeta all-products summary
(`api-metadata/openmeta-all-products.en_us.json`: names, types, required flags, enums, limits,
styles; no object structure, error codes or endpoints) gets a spec file of what it states, one
API per line.

Only facts are written: names, types, required flags, enums, defaults, limits, styles, element
structure, error codes with their HTTP status and literal message string. Descriptions (prose) are
never copied. Facts that exist only as prose (value lists written in a description, ID formats,
cross-parameter rules), the product list and the common parameters are hand-curated in
rules/curated/api-*.json; each entry names its source id, and every source id is listed in
rules/curated/api-sources.json with its origin and licence.

Usage:
  python3 scripts/derive_api_specs.py                 # write the files
  python3 scripts/derive_api_specs.py --check         # write nothing; exit 1 (with a diff) if a file differs
  python3 scripts/derive_api_specs.py --data DIR --out DIR

Standard library only; deterministic output (2-space indent, fixed key order, trailing newline).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "rules" / "apis"

CURATED = REPO / "rules" / "curated"


def curated(name: str):
    """One table of hand-curated facts from rules/curated/ (see rules/curated/README.md)."""
    with open(CURATED / name, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------------------------
# Sources (curated/api-sources.json). `id` is what spec files, parameters and rules cite in
# their `source` fields.
# ---------------------------------------------------------------------------------------------
SOURCES = {s["id"]: s for s in curated("api-sources.json")["sources"]}

# ---------------------------------------------------------------------------------------------
# Products (curated/api-products.json). One spec file each. `endpoint` is taken from the
# metadata when it lists the central `<code>.aliyuncs.com` host; otherwise from
# ENDPOINT_OVERRIDES (cited). EXTRA_ENDPOINT_PREFIXES: eventSource host prefixes (first DNS
# label) beyond those in the metadata endpoint lists.
# ---------------------------------------------------------------------------------------------
_PRODUCTS_FILE = curated("api-products.json")
PRODUCTS = [(p["file"], p["code"], p["version"], p["ram_code"], p["catalog_date"]) for p in _PRODUCTS_FILE["products"]]
# (code, version) -> (source of the metadata file, source of the RAM code)
PRODUCT_SOURCES = {(p["code"], p["version"]): (p["source"], p["ram_code_source"]) for p in _PRODUCTS_FILE["products"]}
ENDPOINT_OVERRIDES = {o["code"]: (o["endpoint"], o["source"]) for o in _PRODUCTS_FILE["endpoint_overrides"]}
EXTRA_ENDPOINT_PREFIXES: dict[str, list] = {}
for _e in _PRODUCTS_FILE["extra_endpoint_prefixes"]:
    EXTRA_ENDPOINT_PREFIXES.setdefault(_e["code"], []).append((_e["prefix"], _e["source"]))

# ---------------------------------------------------------------------------------------------
# Formats (ids of rules/formats.json; curated/api-formats.json). Generic name rules, applied in
# every product:
#  - NAME_FORMATS: RegionId -> region-id, ClientToken -> client-token (every API that defines them).
#  - ID_FORMATS: only when the parameter is a string, its metadata example starts with the
#    prefix (masked examples such as `eip-2zeerraiwb7uj6i0d****` count), and its description does
#    not describe a JSON value or a list other than a comma-separated one. A comma-separated list
#    ("Separate multiple IDs with commas") gets `separator: ","`.
# InstanceId never gets a format (judged by instance-type-mismatch rules only; contract).
# ---------------------------------------------------------------------------------------------
_FORMATS_FILE = curated("api-formats.json")
NAME_FORMATS = {f["name"]: f["format"] for f in _FORMATS_FILE["by_name"]}
ID_FORMATS = {f["name"]: (f["format"], f["prefix"]) for f in _FORMATS_FILE["id_formats"]}
COMMA_LIST_RE = re.compile(r"commas?\s*\(,\)|separate[d]? (?:multiple|the|them|with|by) .*comma|"
                           r"comma-separated|separated by commas", re.I)
OTHER_LIST_RE = re.compile(r"JSON|\barray\b|\blist of\b|semicolon", re.I)

# The deprecated ECS 2014-05-26 copies of the EIP/HaVip APIs: their ID parameters take the format
# of the same parameter of the current VPC 2016-04-28 API, and they authorize as vpc:<Api>.
_COPIES = _FORMATS_FILE["ecs_eip_havip_copies"]
ECS = (_COPIES["code"], _COPIES["version"])
ECS_EIP_HAVIP_COPIES = _COPIES["apis"]
# RAM action when it is not `<ram_code>:<Api>`.
RAM_ACTION_OVERRIDES = {(*ECS, api): (f"{_COPIES['ram_code']}:{api}", _COPIES["source"])
                        for api in ECS_EIP_HAVIP_COPIES}

# ---------------------------------------------------------------------------------------------
# Curated parameter facts that exist only as prose (curated/api-parameters.json). Key: (code,
# version, api, path) where path is the parameter name, `Name[]` for its array element and
# `Name[].Prop` for a property of an object element. Every entry cites the source whose
# description states the fact.
# ---------------------------------------------------------------------------------------------
CURATED_PARAMS: dict[tuple, dict] = {}
for _p in curated("api-parameters.json")["parameters"]:
    _key = (_p["code"], _p["version"], _p["api"], _p["path"])
    if _key in CURATED_PARAMS:
        raise SystemExit(f"rules/curated/api-parameters.json: {_key} is listed twice")
    CURATED_PARAMS[_key] = {k: v for k, v in _p.items() if k not in ("code", "version", "api", "path", "note")}

# ---------------------------------------------------------------------------------------------
# Cross-parameter rules (declarative; curated/api-rules.json). `if` maps a parameter to the
# values that trigger the rule (an absent parameter takes its `default`; without a default the
# rule does not trigger).
#   instance-type-mismatch:   one rule per row of a `type_formats` table: `then` maps the id
#                             parameter to the format it must have.
#   parameter-not-applicable: `absent` lists parameters that have no effect in that case.
#   missing-parameter:        `require` lists parameters the description makes required then.
# ---------------------------------------------------------------------------------------------
_RULES_FILE = curated("api-rules.json")
TYPE_FORMATS = {name: [(r["value"], r["format"]) for r in rows] for name, rows in _RULES_FILE["type_formats"].items()}


def _mismatch(type_param: str, id_param: str, pairs, source: str) -> list:
    return [{"rule": "instance-type-mismatch", "if": {type_param: [value]},
             "then": {id_param: fmt}, "source": source} for value, fmt in pairs]


def _expand_rules(rules: list) -> list:
    out = []
    for r in rules:
        if r["rule"] == "instance-type-mismatch":
            out += _mismatch(r["type"], r["id"], TYPE_FORMATS[r["formats"]], r["source"])
        else:
            out.append(dict(r))
    return out


CURATED_RULES = {(a["code"], a["version"], a["api"]): _expand_rules(a["rules"]) for a in _RULES_FILE["apis"]}

# ---------------------------------------------------------------------------------------------
# Own-words explanations of the most common EIP error codes (curated/api-explanations.json;
# VPC file, top level), written for ramlint's `recorded-error` help text.
# ---------------------------------------------------------------------------------------------
_EXPLANATIONS_FILE = curated("api-explanations.json")
EXPLANATIONS_FOR = (_EXPLANATIONS_FILE["code"], _EXPLANATIONS_FILE["version"])
EXPLANATIONS = {e["code"]: e["text"] for e in _EXPLANATIONS_FILE["explanations"]}

# ---------------------------------------------------------------------------------------------
# Common parameters: names that are never `unknown-parameter` (curated/api-common-parameters.json;
# contract: 'Accepted as valid'). (name, source)
# ---------------------------------------------------------------------------------------------
_COMMON_FILE = curated("api-common-parameters.json")
COMMON_RPC = [(c["name"], c["source"]) for c in _COMMON_FILE["rpc"]]
COMMON_ACTIONTRAIL = [(c["name"], c["source"]) for c in _COMMON_FILE["actiontrail"]]
REGION_WHEN_UNDEFINED = [(c["name"], c["source"]) for c in _COMMON_FILE["region_when_undefined"]]

# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------
TYPE_MAP = {"string": "string", "integer": "integer", "int32": "integer", "int64": "integer",
            "number": "number", "float": "number", "double": "number", "boolean": "boolean",
            "array": "array", "object": "object"}
PARAM_KEY_ORDER = ["type", "required", "deprecated", "format", "separator", "enum",
                   "case_insensitive", "default", "minimum", "exclusive_minimum", "maximum",
                   "min_length", "max_length", "pattern", "min_items", "max_items", "style",
                   "items", "properties", "source"]


class Ctx:
    def __init__(self, code: str, version: str):
        self.code, self.version = code, version
        self.used_sources: set[str] = set()
        self.curated_used: set[tuple] = set()
        self.notes: list[str] = []


def _num(v):
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() else v
    f = float(str(v).strip())
    return int(f) if f.is_integer() else f


def _typed(value, typ: str):
    """Convert a metadata value (often a string) to the parameter's JSON type, or raise."""
    if typ == "boolean":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in ("true", "false"):
            return s == "true"
        raise ValueError(value)
    if typ in ("integer", "number"):
        n = _num(value)
        if typ == "integer" and not isinstance(n, int):
            raise ValueError(value)
        return n
    if typ == "string":
        return value if isinstance(value, str) else json.dumps(value)
    raise ValueError(value)


def _ordered(d: dict) -> dict:
    extra = [k for k in d if k not in PARAM_KEY_ORDER]
    if extra:
        raise KeyError(f"unexpected parameter keys {extra}")
    return {k: d[k] for k in PARAM_KEY_ORDER if k in d}


def convert_schema(s: dict, ctx: Ctx, where: str, top: bool) -> dict | None:
    raw_type = s.get("type")
    typ = TYPE_MAP.get(raw_type)
    if typ is None:
        ctx.notes.append(f"{where}: no usable type ({raw_type!r}); parameter kept as string")
        typ = "string"
    out: dict = {"type": typ}
    if s.get("required") is True:
        out["required"] = True
    if s.get("deprecated") is True:
        out["deprecated"] = True
    enum = s.get("enum")
    if isinstance(enum, list) and enum:
        try:
            out["enum"] = [_typed(v, typ) for v in enum]
        except ValueError:
            out["enum"] = [str(v) for v in enum]
    if "default" in s and typ not in ("array", "object"):
        try:
            out["default"] = _typed(s["default"], typ)
        except ValueError:
            ctx.notes.append(f"{where}: default {s['default']!r} does not fit {typ}; dropped")
    for src, dst in (("minimum", "minimum"), ("maximum", "maximum"),
                     ("minLength", "min_length"), ("maxLength", "max_length"),
                     ("minItems", "min_items"), ("maxItems", "max_items")):
        if src in s and s[src] not in ("", None):
            try:
                out[dst] = _num(s[src])
            except ValueError:
                ctx.notes.append(f"{where}: {src} {s[src]!r} is not a number; dropped")
    if s.get("exclusiveMinimum") is True and "minimum" in out:
        out["exclusive_minimum"] = out.pop("minimum")
    if isinstance(s.get("pattern"), str) and s["pattern"]:
        out["pattern"] = s["pattern"]
    if typ == "array" and isinstance(s.get("items"), dict):
        out["items"] = convert_schema(s["items"], ctx, where + "[]", False)
    if typ == "object" and isinstance(s.get("properties"), dict):
        out["properties"] = {k: convert_schema(v, ctx, f"{where}.{k}", False)
                             for k, v in s["properties"].items()}
    return out


def _id_format(name: str, s: dict):
    """Generic ID format for a top-level string parameter, or None (see ID_FORMATS)."""
    if name not in ID_FORMATS or s.get("type") != "string":
        return None
    fmt, prefix = ID_FORMATS[name]
    example = str(s.get("example") or "").strip()
    desc = s.get("description") or ""
    if not example.startswith(prefix):
        return None
    if OTHER_LIST_RE.search(desc):
        return None
    if COMMA_LIST_RE.search(desc) or "," in example:
        return {"format": fmt, "separator": ","}
    return {"format": fmt}


def _apply_curated(param: dict, facts: dict, ctx: Ctx, where: str):
    for k, v in facts.items():
        if k == "source":
            continue
        if k in param and param[k] != v and k not in ("format",):
            ctx.notes.append(f"{where}: curated {k}={v!r} replaces metadata {param[k]!r}")
        param[k] = v
    if "source" in param and param["source"] != facts["source"]:
        raise ValueError(f"{where}: two sources for one parameter")
    param["source"] = facts["source"]
    ctx.used_sources.add(facts["source"])


def convert_api(name: str, api: dict, ctx: Ctx, ram_code: str, vpc_apis: dict) -> dict:
    out: dict = {}
    tags = api.get("systemTags") or {}
    access = tags.get("operationType")
    if access:
        out["access"] = access
    op = api.get("operationType")
    out["read_only"] = (op == "read") if op else (access in ("get", "list"))
    out["deprecated"] = api.get("deprecated") is True
    key = (ctx.code, ctx.version, name)
    if key in RAM_ACTION_OVERRIDES:
        action, src = RAM_ACTION_OVERRIDES[key]
        out["ram_action"] = action
        ctx.used_sources.add(src)
    params: dict = {}
    for p in api.get("parameters") or []:
        pname = p["name"]
        s = p.get("schema") or {}
        where = f"{ctx.code}/{ctx.version} {name}.{pname}"
        if pname in params:
            ctx.notes.append(f"{where}: duplicate parameter entry in metadata; first kept")
            continue
        conv = convert_schema(s, ctx, where, True)
        if p.get("style"):
            conv["style"] = p["style"]
        if pname in NAME_FORMATS and conv["type"] == "string":
            conv["format"] = NAME_FORMATS[pname]
        idf = _id_format(pname, s)
        if idf:
            conv.update(idf)
        elif (ctx.code, ctx.version) == ECS and name in ECS_EIP_HAVIP_COPIES \
                and pname in ID_FORMATS and not s.get("example") and name in vpc_apis:
            # Inherit from the current VPC API (see ECS_EIP_HAVIP_COPIES).
            vp = next((q for q in vpc_apis[name].get("parameters") or []
                       if q["name"] == pname), None)
            vf = _id_format(pname, vp["schema"]) if vp else None
            if vf:
                conv.update(vf)
        # curated facts on the parameter and its element structure
        for (c, v, a, path), facts in CURATED_PARAMS.items():
            if (c, v, a) != key:
                continue
            if path == pname:
                _apply_curated(conv, facts, ctx, where)
            elif path == pname + "[]" and "items" in conv:
                _apply_curated(conv["items"], facts, ctx, where + "[]")
            elif path.startswith(pname + "[].") and "items" in conv \
                    and "properties" in conv["items"]:
                prop = path[len(pname) + 3:]
                if prop in conv["items"]["properties"]:
                    _apply_curated(conv["items"]["properties"][prop], facts, ctx,
                                   f"{where}[].{prop}")
                else:
                    continue
            else:
                continue
            ctx.curated_used.add((c, v, a, path))
        params[pname] = _deep_order(conv)
    out["parameters"] = params
    rules = CURATED_RULES.get(key)
    if rules:
        for r in rules:
            for pn in list(r["if"]) + list(r.get("then", {})) + r.get("absent", []) \
                    + r.get("require", []):
                if pn not in params:
                    raise ValueError(f"{key}: rule names unknown parameter {pn}")
            ctx.used_sources.add(r["source"])
        out["rules"] = rules
    errors = convert_errors(api.get("errorCodes"))
    if errors:
        out["errors"] = errors
    return out


def _deep_order(p: dict) -> dict:
    p = dict(p)
    if "items" in p:
        p["items"] = _deep_order(p["items"])
    if "properties" in p:
        p["properties"] = {k: _deep_order(v) for k, v in p["properties"].items()}
    return _ordered(p)


CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


def convert_errors(ec) -> list:
    """errorCodes {status: [{errorCode, errorMessage, description}]} -> [{code, status, message}]"""
    out, seen = [], set()
    if not isinstance(ec, dict):
        return out
    for status in sorted(ec, key=lambda s: (len(str(s)), str(s))):
        for e in ec[status] or []:
            code = (e.get("errorCode") or "").strip()
            if not CODE_RE.match(code):
                continue  # placeholders such as "%s"
            msg = e.get("errorMessage")
            item = {"code": code, "status": int(status)}
            if isinstance(msg, str) and msg != "":
                item["message"] = msg
            k = (code, item["status"], item.get("message"))
            if k in seen:
                continue
            seen.add(k)
            out.append(item)
    return out


def convert_product_errors(lst) -> list:
    """Top-level errorCodes list [{code, message, http_code, description}] (ActionTrail)."""
    out, seen = [], set()
    for e in lst or []:
        code = (e.get("code") or "").strip()
        if not CODE_RE.match(code):
            continue
        item = {"code": code, "status": int(e.get("http_code") or 0)}
        if e.get("message"):
            item["message"] = e["message"]
        k = (code, item["status"], item.get("message"))
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def endpoint_hosts(meta: dict) -> list:
    hosts = set()
    for e in meta.get("endpoints") or []:
        for k in ("endpoint", "public", "vpc"):
            if e.get(k):
                hosts.add(e[k].strip().lower())
    return sorted(hosts)


def build_product(data: Path, entry, vpc_apis: dict, catalog: dict):
    rel, code, version, ram_code, catalog_date = entry
    meta = json.loads((data / "api-metadata" / "openmeta" / rel).read_text(encoding="utf-8"))
    info = meta["info"]
    assert info.get("style") == "RPC", rel
    assert info.get("version") == version, rel
    ctx = Ctx(code, version)
    ctx.used_sources.update(PRODUCT_SOURCES[(code, version)])
    hosts = endpoint_hosts(meta)
    central = f"{code}.aliyuncs.com"
    if central in hosts:
        endpoint = central
    else:
        endpoint, src = ENDPOINT_OVERRIDES[code]
        ctx.used_sources.add(src)
    apis = {}
    for name in sorted(meta["apis"]):
        apis[name] = convert_api(name, meta["apis"][name], ctx, ram_code, vpc_apis)
    missing = [k for k in CURATED_PARAMS if k[:2] == (code, version) and k not in ctx.curated_used]
    if missing:
        raise ValueError(f"curated facts that matched nothing: {missing}")
    spec = {
        "product": info["product"],
        "code": code,
        "version": version,
        "ram_code": ram_code,
        "endpoint": endpoint,
        "catalog_date": catalog_date,
    }
    product_errors = convert_product_errors(meta.get("errorCodes"))
    spec["sources"] = [SOURCES[i] for i in sorted(ctx.used_sources)]
    if product_errors:
        spec["errors"] = product_errors
    if (code, version) == EXPLANATIONS_FOR:
        spec["explanations"] = dict(EXPLANATIONS)
    spec["apis"] = apis
    if (code, version) == EXPLANATIONS_FOR:
        known = {e["code"] for a in apis.values() for e in a.get("errors", [])}
        unknown = sorted(set(EXPLANATIONS) - known)
        if unknown:
            raise ValueError(f"explanations for codes the {code} metadata lacks: {unknown}")
    # products.json row
    prefixes = sorted({h.split(".")[0] for h in hosts} | {code})
    for p, src in EXTRA_ENDPOINT_PREFIXES.get(code, []):
        prefixes = sorted(set(prefixes) | {p})
    cat = catalog.get(info["product"], {})
    names = [info["product"]]
    short = cat.get("shortName")
    if short and re.match(r"^[A-Za-z][A-Za-z0-9]*$", short) and short not in names:
        names.append(short)
    row = {
        "product": info["product"],
        "code": code,
        "version": version,
        "file": f"{code}/{version}.json",
        "service_names": names,
        "endpoint_prefixes": prefixes,
        "deprecated": False,
    }
    return spec, row, ctx


# ---------------------------------------------------------------------------------------------
# Every other product version: the Openmeta all-products summary. Its parameters are flat
# (`items` is the element's type name; objects have no properties), so an object element or
# object parameter accepts any members. Types without a JSON Schema equivalent (`any`, none)
# leave the type open; metadata formats (`int64`, `binary`, `iso8601`) are not ramlint
# formats and are dropped. `style` says how the API is called (RPC, ROA, ...): only RPC
# parameters are all named in the request, so only RPC specs judge unknown and missing ones.
# ---------------------------------------------------------------------------------------------
ALL_PRODUCTS = "api-metadata/openmeta-all-products.en_us.json"
ALL_PRODUCTS_SOURCE = "openmeta:all-products/en_us"
# Four keys are not <code>/<yyyy-mm-dd> (aicontent/20240611 and AliGenie's iap_1.0, ip_1.0, ssp_1.0,
# whose calls are not Alibaba Cloud RPC/ROA requests): left out, as spec files are named by date.
VERSION_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
PARAM_STYLES = {"repeatList", "flat", "json", "simple", "xml"}
SCALAR_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
                "array": "array", "object": "object"}


def _flat_param(q: dict, notes: list, where: str) -> dict:
    typ = SCALAR_TYPES.get(q.get("type"))
    out: dict = {"type": typ} if typ else {}
    if typ is None:
        notes.append(f"{where}: type {q.get('type')!r} left open")
    if q.get("required") is True:
        out["required"] = True
    if q.get("deprecated") is True:
        out["deprecated"] = True
    enum = q.get("enum")
    if isinstance(enum, list) and enum and typ in ("string", "integer", "number", "boolean"):
        try:
            values = [_typed(v, typ) for v in enum]
            out["enum"] = [v for i, v in enumerate(values) if v not in values[:i]]  # repeats dropped
        except ValueError:
            notes.append(f"{where}: enum {enum!r} does not fit {typ}; dropped")
    for src, dst in (("minimum", "minimum"), ("maximum", "maximum"),
                     ("minLength", "min_length"), ("maxLength", "max_length")):
        if src in q and q[src] not in ("", None) and (typ in ("integer", "number") if dst in ("minimum", "maximum")
                                                      else typ == "string"):
            try:
                n = _num(q[src])
            except ValueError:
                notes.append(f"{where}: {src} {q[src]!r} is not a number; dropped")
                continue
            if dst in ("min_length", "max_length") and (not isinstance(n, int) or n < 0):
                notes.append(f"{where}: {src} {n!r} is not a length; dropped")
                continue
            out[dst] = n
    if isinstance(q.get("pattern"), str) and q["pattern"] and typ == "string":
        out["pattern"] = q["pattern"]
    if q.get("style") in PARAM_STYLES:
        out["style"] = q["style"]
    elif q.get("style"):
        notes.append(f"{where}: style {q['style']!r} is not a request style; dropped")
    if typ == "array":
        item = SCALAR_TYPES.get(q.get("items")) if isinstance(q.get("items"), str) else None
        out["items"] = {"type": item} if item else {}
    return _ordered(out)


def build_flat_product(key: str, meta: dict, catalog: dict, names_by_code: dict):
    code, version = key.split("/")
    notes: list = []
    apis = {}
    ram_codes = set()
    for name in sorted(meta["apis"]):
        if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", name):
            notes.append(f"{key} {name}: not an API name; left out")
            continue
        api = meta["apis"][name]
        out: dict = {}
        if api.get("access"):
            out["access"] = api["access"]
        op = api.get("operationType")
        out["read_only"] = (op == "read") if op else (api.get("access") in ("get", "list"))
        out["deprecated"] = api.get("deprecated") is True
        for r in api.get("ramActions") or []:
            action = ((r or {}).get("ramAction") or {}).get("action") or ""
            if ":" in action:
                ram_codes.add(action.split(":")[0])
        params = {}
        for q in api.get("parameters") or []:
            pname = q.get("name")
            if not pname or pname in params:
                continue
            if style_of(meta) == "RPC" and q.get("in") not in ("query", "formData", None):
                continue
            params[pname] = _flat_param(q, notes, f"{key} {name}.{pname}")
        out["parameters"] = params
        apis[name] = out
    cat = catalog.get(code) or {}
    product = names_by_code.get(code, code)
    spec = {"product": product, "code": code, "version": version, "style": style_of(meta)}
    if len(ram_codes) == 1:
        spec["ram_code"] = next(iter(ram_codes))
    spec["sources"] = [SOURCES[ALL_PRODUCTS_SOURCE]]
    spec["apis"] = apis
    names = [product]
    short = cat.get("shortName")
    if short and re.match(r"^[A-Za-z][A-Za-z0-9-]*$", short) and short not in names:
        names.append(short)
    row = {
        "product": product,
        "code": code,
        "version": version,
        "file": f"{code}/{version}.json",
        "service_names": names,
        "endpoint_prefixes": [code],
        "deprecated": False,
    }
    return spec, row, notes


def style_of(meta: dict) -> str:
    return meta.get("style") or "RPC"


def dump_flat(obj) -> str:
    """Top-level keys one per line, `apis` one API per line (compact), sources expanded."""
    parts = []
    for k, v in obj.items():
        head = "  " + json.dumps(k) + ": "
        if k == "apis":
            inner = ",\n".join("    " + json.dumps(n, ensure_ascii=False) + ": " + json.dumps(a, ensure_ascii=False, separators=(",", ":"))
                               for n, a in v.items())
            parts.append(head + ("{\n" + inner + "\n  }" if v else "{}"))
        else:
            parts.append(head + _fmt(v, 2, k, len(head)))
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    assert json.loads(text) == obj
    return text


def dump_flat_index(index: dict) -> str:
    """{"files": {file: {"apis": [...], "deprecated": [...]}}}, one file per line."""
    inner = ",\n".join("    " + json.dumps(f) + ": " + json.dumps(v, separators=(",", ":")) for f, v in index.items())
    text = '{\n  "files": {\n' + inner + "\n  }\n}\n"
    assert json.loads(text) == {"files": index}
    return text


def _version_order(rows: list, catalog: dict) -> list:
    """Per code, the catalog's default version first, then the newest first."""
    def key(row):
        default = (catalog.get(row["code"]) or {}).get("defaultVersion")
        return (row["code"], row["version"] != default, [-int(x) for x in row["version"].split("-")])
    return sorted(rows, key=key)


# Containers under these keys are always written one member per line; any other object or
# array whose compact form fits in WIDTH columns is written on one line (like the examples in
# rules/apis/README.md). Output stays valid, deterministic JSON with 2-space indentation.
EXPANDED_KEYS = {"apis", "parameters", "rules", "errors", "products", "sources", "explanations",
                 "rpc", "actiontrail", "name_sources"}
WIDTH = 100
INLINE_ITEMS = {"errors", "rules"}  # each element on one line, however long
ALWAYS_COMPACT = {"enum", "if", "then", "absent", "require", "service_names",
                  "endpoint_prefixes"}


def _compact(v) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def _fmt(v, indent: int, key, lead: int) -> str:
    if not isinstance(v, (dict, list)) or not v:
        return _compact(v)
    if key in ALWAYS_COMPACT:
        return _compact(v)
    if key not in EXPANDED_KEYS and indent > 0:
        c = _compact(v)
        if lead + len(c) <= WIDTH:
            return c
    pad = " " * (indent + 2)
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            head = pad + json.dumps(k, ensure_ascii=False) + ": "
            parts.append(head + _fmt(x, indent + 2, k, len(head)))
        return "{\n" + ",\n".join(parts) + "\n" + " " * indent + "}"
    if key in INLINE_ITEMS:
        parts = [pad + _compact(x) for x in v]
    else:
        parts = [pad + _fmt(x, indent + 2, None, len(pad)) for x in v]
    return "[\n" + ",\n".join(parts) + "\n" + " " * indent + "]"


def dump(obj) -> str:
    text = _fmt(obj, 0, None, 0) + "\n"
    assert json.loads(text) == obj
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="research data folder (default: ../shared/data from the repo root)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (rules/apis)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 (with a diff excerpt) if a file under --out differs")
    ap.add_argument("--verbose", action="store_true", help="print conversion notes")
    args = ap.parse_args(argv)
    data: Path = args.data
    catalog = {p["code"]: p for p in json.loads(
        (data / "api-metadata/openmeta/products.en_us.json").read_text(encoding="utf-8"))}
    vpc_apis = json.loads((data / "api-metadata/openmeta/vpc-2016-04-28/api-docs.en_us.json")
                          .read_text(encoding="utf-8"))["apis"]
    files: dict[Path, str] = {}
    rows = []
    for entry in PRODUCTS:
        spec, row, ctx = build_product(data, entry, vpc_apis, catalog)
        files[args.out / row["file"]] = dump(spec)
        rows.append(row)
        if args.verbose:
            for n in ctx.notes:
                print("note:", n, file=sys.stderr)
        if not args.check:
            print(f"{row['file']}: {len(spec['apis'])} APIs", file=sys.stderr)
    # Every other product version, from the all-products summary.
    everything = json.loads((data / ALL_PRODUCTS).read_text(encoding="utf-8"))["products"]
    names_by_code = {p["code"].lower(): p["code"] for p in catalog.values()
                     if re.match(r"^[A-Za-z][A-Za-z0-9-]*$", p["code"])}
    lower_catalog = {p["code"].lower(): p for p in catalog.values()}
    done = {(r["code"], r["version"]) for r in rows}
    flat_rows = []
    for key in sorted(everything):
        code, version = key.split("/")
        if (code, version) in done or not VERSION_RE.match(version):
            continue
        spec, row, notes = build_flat_product(key, everything[key], lower_catalog, names_by_code)
        files[args.out / row["file"]] = dump_flat(spec)
        flat_rows.append(row)
        if args.verbose:
            for n in notes:
                print("note:", n, file=sys.stderr)
    rows += _version_order(flat_rows, lower_catalog)
    index = {}
    for row in rows:
        spec = json.loads(files[args.out / row["file"]])
        index[row["file"]] = {"apis": sorted(spec["apis"]),
                              "deprecated": sorted(n for n, a in spec["apis"].items() if a.get("deprecated"))}
    files[args.out / "index.json"] = dump_flat_index(index)
    prod_sources = sorted({"openmeta:products", "actiontrail-doc-trail-events", ALL_PRODUCTS_SOURCE}
                          | {src for src, _ in PRODUCT_SOURCES.values()})
    files[args.out / "products.json"] = dump({
        "sources": [SOURCES[i] for i in prod_sources],
        "products": rows,
    })
    common_sources = sorted({s for _, s in COMMON_RPC + COMMON_ACTIONTRAIL + REGION_WHEN_UNDEFINED})
    files[args.out / "common-parameters.json"] = dump({
        "sources": [SOURCES[i] for i in common_sources],
        "rpc": [n for n, _ in COMMON_RPC],
        "actiontrail": [n for n, _ in COMMON_ACTIONTRAIL],
        "region_when_undefined": [n for n, _ in REGION_WHEN_UNDEFINED],
        "name_sources": {n: s for n, s in COMMON_RPC + COMMON_ACTIONTRAIL + REGION_WHEN_UNDEFINED},
    })
    changed = []
    for path, text in files.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append((path, old, text))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if not args.check:
        for path, _, _ in changed:
            print("wrote: " + str(path.relative_to(args.out)), file=sys.stderr)
        return 0
    # Spec files that no product produces (a write run leaves them; the data tests reject them).
    stale = [p for p in sorted(args.out.glob("*/*.json")) if p not in files]
    if not changed and not stale:
        print(f"ok: {len(files)} files under {args.out} match the generator")
        return 0
    print(f"{args.out} differs from what scripts/derive_api_specs.py generates from {data}:")
    for path, old, new in changed:
        rel = path.relative_to(args.out).as_posix()
        print("\n".join(diff_excerpt(rel, old, new)))
    for path in stale:
        print(f"  {path.relative_to(args.out).as_posix()}: not written by the generator (no product in "
              "rules/curated/api-products.json)")
    print("Regenerate with `python3 scripts/derive_api_specs.py` (edit rules/curated/ or the script, never the "
          "generated files) and commit the result.")
    return 1


def diff_excerpt(rel: str, old: str | None, new: str, limit: int = 20) -> list:
    """The first `limit` lines of a unified diff of one file (committed -> generated)."""
    if old is None:
        return [f"  {rel}: missing (the generator writes it)"]
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"committed/{rel}", f"generated/{rel}",
                                      n=1, lineterm=""))
    more = len(lines) - limit
    return [f"  {rel}:"] + ["    " + line for line in lines[:limit]] + ([f"    ... {more} more diff lines"] if more > 0 else [])


if __name__ == "__main__":
    sys.exit(main())
