#!/usr/bin/env python3
"""Validate rules/apis/** against rules/schema/api-*.schema.json, plus cross-file checks.

Checks:
  - every spec file against api-spec.schema.json (JSON Schema draft 2020-12, strict);
  - common-parameters.json and products.json against their schemas;
  - every `source` cited by a parameter or rule is listed in the file's `sources`;
  - every parameter named by a rule exists in that API;
  - every `format` id exists in rules/formats.json (when that file exists);
  - every products.json row points to an existing file with the same product/code/version;
  - explanations only for codes some API of the file documents.

Needs the `jsonschema` package (pip install jsonschema). Exit code 1 on any problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

REPO = Path(__file__).resolve().parent.parent
APIS = REPO / "rules" / "apis"
SCHEMAS = REPO / "rules" / "schema"


def load(p: Path):
    return json.loads(p.read_text(encoding="utf-8"))


def main() -> int:
    schemas = {n: load(SCHEMAS / n) for n in (
        "api-spec.schema.json", "api-common-parameters.schema.json", "api-products.schema.json")}
    registry = Registry().with_resources(
        [(s["$id"], Resource.from_contents(s)) for s in schemas.values()])
    for s in schemas.values():
        Draft202012Validator.check_schema(s)
    validators = {n: Draft202012Validator(s, registry=registry) for n, s in schemas.items()}
    formats_path = REPO / "rules" / "formats.json"
    known_formats = None
    if formats_path.exists():
        f = load(formats_path)
        ids = f.get("formats", f)
        if isinstance(ids, dict):
            known_formats = set(ids)
        elif isinstance(ids, list):
            known_formats = {x.get("id") for x in ids if isinstance(x, dict)}
    problems: list[str] = []
    used_formats: set[str] = set()

    def schema_check(name: str, doc, rel: str):
        for e in sorted(validators[name].iter_errors(doc), key=lambda e: list(e.path)):
            problems.append(f"{rel}: /{'/'.join(map(str, e.path))}: {e.message[:200]}")

    specs = {}
    for path in sorted(APIS.glob("*/*.json")):
        rel = str(path.relative_to(REPO))
        doc = load(path)
        specs[str(path.relative_to(APIS))] = doc
        schema_check("api-spec.schema.json", doc, rel)
        ids = {s["id"] for s in doc.get("sources", [])}
        codes = set()

        def walk_param(p, where):
            if "source" in p and p["source"] not in ids:
                problems.append(f"{rel}: {where}: source {p['source']!r} not in sources")
            if "format" in p:
                used_formats.add(p["format"])
            if "items" in p:
                walk_param(p["items"], where + "[]")
            for k, v in (p.get("properties") or {}).items():
                walk_param(v, f"{where}.{k}")

        for api, a in doc.get("apis", {}).items():
            params = a.get("parameters", {})
            for pn, p in params.items():
                walk_param(p, f"{api}.{pn}")
            for e in a.get("errors", []):
                codes.add(e["code"])
            for r in a.get("rules", []):
                if r["source"] not in ids:
                    problems.append(f"{rel}: {api}: rule source {r['source']!r} not in sources")
                names = list(r["if"]) + list(r.get("then", {})) + r.get("absent", []) \
                    + r.get("require", [])
                for n in names:
                    if n not in params:
                        problems.append(f"{rel}: {api}: rule names unknown parameter {n}")
                for n, vals in r["if"].items():
                    enum = params.get(n, {}).get("enum")
                    if enum and any(v not in enum for v in vals):
                        problems.append(f"{rel}: {api}: rule value outside enum of {n}: {vals}")
                used_formats.update(r.get("then", {}).values())
        for code in doc.get("explanations", {}):
            if code not in codes:
                problems.append(f"{rel}: explanation for undocumented code {code}")

    common = load(APIS / "common-parameters.json")
    schema_check("api-common-parameters.schema.json", common, "rules/apis/common-parameters.json")
    products = load(APIS / "products.json")
    schema_check("api-products.schema.json", products, "rules/apis/products.json")
    listed = set()
    for row in products.get("products", []):
        listed.add(row["file"])
        spec = specs.get(row["file"])
        if spec is None:
            problems.append(f"products.json: {row['file']} does not exist")
            continue
        for k in ("product", "code", "version"):
            if spec[k] != row[k]:
                problems.append(f"products.json: {row['file']}: {k} {row[k]!r} != {spec[k]!r}")
    for f in specs:
        if f not in listed:
            problems.append(f"products.json: {f} is not listed")
    if known_formats is not None:
        for fmt in sorted(used_formats - known_formats):
            problems.append(f"format id {fmt!r} is not in rules/formats.json")
    else:
        print("note: rules/formats.json not found; format ids not cross-checked", file=sys.stderr)
    for p in problems:
        print(p)
    n_apis = sum(len(s["apis"]) for s in specs.values())
    print(f"{len(specs)} spec files, {n_apis} APIs, formats used: {sorted(used_formats)}; "
          f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
