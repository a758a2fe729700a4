#!/usr/bin/env python3
"""Check the API specs in rules/apis against labelled request cases (a data-level oracle).

This is NOT ramlint: it is a small reference model of the request rules of the contract
(../shared/docs/contract.md, "Required request rules") driven only by rules/apis/*.json, used to
show whether the expected findings of each case follow from the data and whether the data would
cause an unexpected error or warning.

  python3 scripts/check_request_cases.py                     # conformance request cases
  python3 scripts/check_request_cases.py --cases DIR ...     # other labelled folders
  python3 scripts/check_request_cases.py --samples           # also lint ../shared/data/requests
                                                             # (unlabelled; prints findings)

Formats: read from rules/formats.json when it exists and has a usable `pattern` per id;
otherwise the fallback patterns below (written from the contract's wording) are used and the run
says so. Region ids for `region-id`: every regionId in the Openmeta endpoint lists of the data.
Audit-sequence and policy rules (concurrent-operation, operation-while-pending,
client-token-reuse, denied-by-policy, unused-permission) are not data-driven and are reported as
"not modelled".
"""

from __future__ import annotations

import argparse
import gzip
import ipaddress
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

REPO = Path(__file__).resolve().parent.parent
APIS = REPO / "rules" / "apis"
DATA = REPO.parent / "shared" / "data"
CASES = REPO.parent / "shared" / "conformance" / "cases" / "request"
NOT_MODELLED = {"concurrent-operation", "operation-while-pending", "client-token-reuse",
                "denied-by-policy", "unused-permission"}
SEVERITY = {"unknown-api": "error", "missing-parameter": "error", "unknown-parameter": "warning",
            "invalid-parameter-type": "error", "invalid-enum-value": "error",
            "invalid-parameter-format": "error", "instance-type-mismatch": "error",
            "parameter-not-applicable": "warning", "recorded-error": "info",
            "json-syntax": "error"}

# Fallback format patterns (used only when rules/formats.json lacks the id). Contract: IDs are a
# prefix followed by letters and digits; masked ids (`eip-2ze****`) are invalid in requests.
FALLBACK_FORMATS = {
    "eip-id": r"eip-[A-Za-z0-9]+",
    "ecs-instance-id": r"i-[A-Za-z0-9]+",
    "eni-id": r"eni-[A-Za-z0-9]+",
    "havip-id": r"havip-[A-Za-z0-9]+",
    "nat-gateway-id": r"ngw-[A-Za-z0-9]+",
    "slb-instance-id": r"lb-[A-Za-z0-9]+",
    "vpc-id": r"vpc-[A-Za-z0-9]+",
    "vswitch-id": r"vsw-[A-Za-z0-9]+",
    "security-group-id": r"sg-[A-Za-z0-9]+",
    "resource-group-id": r"rg-[A-Za-z0-9]+",
    "route-table-id": r"vtb-[A-Za-z0-9]+",
    "vrouter-id": r"vrt-[A-Za-z0-9]+",
    "bandwidth-package-id": r"(?:cbwp|bwp)-[A-Za-z0-9]+",
    "account-id": r"[0-9]{16}",
    "client-token": r"[\x20-\x7e]{1,64}",
}


def load(p: Path):
    return json.loads(p.read_text(encoding="utf-8"))


class Catalog:
    def __init__(self):
        self.products = load(APIS / "products.json")["products"]
        self.specs = {r["file"]: load(APIS / r["file"]) for r in self.products}
        common = load(APIS / "common-parameters.json")
        self.rpc_common = set(common["rpc"])
        self.at_common = set(common["actiontrail"])
        self.region_any = set(common["region_when_undefined"])
        self.regions = set()
        for f in (DATA / "api-metadata" / "openmeta").glob("*/api-docs.en_us.json"):
            for e in load(f).get("endpoints") or []:
                if e.get("regionId"):
                    self.regions.add(e["regionId"])
        self.formats, self.format_origin = {}, {}
        fj = REPO / "rules" / "formats.json"
        loaded = {}
        if fj.exists():
            try:
                f = load(fj)
                items = f.get("formats", f) if isinstance(f, dict) else f
                if isinstance(items, dict):
                    items = [dict(v, id=k) for k, v in items.items() if isinstance(v, dict)]
                for it in items or []:
                    if isinstance(it, dict) and isinstance(it.get("pattern"), str):
                        loaded[it["id"]] = it["pattern"]
            except Exception as e:  # noqa: BLE001 - report and fall back
                print(f"note: could not read rules/formats.json ({e})", file=sys.stderr)
        for k, v in FALLBACK_FORMATS.items():
            pat = loaded.get(k, v)
            try:
                self.formats[k] = re.compile(pat if pat.startswith("^") else f"^(?:{pat})$")
                self.format_origin[k] = "formats.json" if k in loaded else "fallback"
            except re.error:
                self.formats[k] = re.compile(f"^(?:{v})$")
                self.format_origin[k] = "fallback"

    def check_format(self, fmt: str, value: str) -> bool:
        if fmt == "region-id":
            return value in self.regions
        if fmt == "ipv4":
            try:
                return isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address) \
                    and re.fullmatch(r"[0-9.]+", value) is not None
            except ValueError:
                return False
        if fmt == "ip-address":
            try:
                ipaddress.ip_address(value)
                return True
            except ValueError:
                return False
        if fmt == "client-token":
            return value.isascii() and 0 < len(value) <= 64
        rx = self.formats.get(fmt)
        return True if rx is None else rx.match(value) is not None

    def find(self, action: str, product: str | None, version: str | None, host: str | None):
        cands = []
        for r in self.products:
            spec = self.specs[r["file"]]
            if action not in spec["apis"]:
                continue
            score = 0
            if product and product.lower() in {n.lower() for n in r["service_names"]} | {r["code"]}:
                score += 4
            elif product:
                continue
            if version and version == r["version"]:
                score += 2
            if host and host.split(".")[0].lower() in r["endpoint_prefixes"]:
                score += 2
            if not spec["apis"][action]["deprecated"]:
                score += 1
            cands.append((score, r["file"]))
        if not cands:
            return None, None
        cands.sort(key=lambda x: (-x[0], x[1]))
        f = cands[0][1]
        return self.specs[f], f


def esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


def _as_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else json.dumps(v)


def type_ok(typ: str, v) -> bool:
    if typ == "integer":
        if isinstance(v, bool):
            return False
        return isinstance(v, int) or (isinstance(v, str) and re.fullmatch(r"-?[0-9]+", v.strip()))
    if typ == "number":
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            return True
        try:
            float(v)
            return True
        except (TypeError, ValueError):
            return False
    if typ == "boolean":
        return isinstance(v, bool) or (isinstance(v, str) and v.lower() in ("true", "false"))
    if typ == "string":
        return not isinstance(v, (dict, list))
    return True


def match_flat(spec_params: dict, key: str):
    """Return (param name, leaf schema) for a request key, following flattened names."""
    if key in spec_params:
        return key, spec_params[key]
    parts = key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        base = ".".join(parts[:i])
        if base not in spec_params:
            continue
        node, rest = spec_params[base], parts[i:]
        while rest:
            if node["type"] == "array" and rest[0].isdigit() and "items" in node:
                node, rest = node["items"], rest[1:]
            elif node["type"] == "object" and rest[0] in (node.get("properties") or {}):
                node, rest = node["properties"][rest[0]], rest[1:]
            else:
                node = None
                break
        if node is not None:
            return base, node
    return None, None


def lint_params(cat: Catalog, api: dict, params: dict, prefix: str, is_event: bool):
    out = []
    sp = api["parameters"]
    present = {}
    for k, v in params.items():
        base, leaf = match_flat(sp, k)
        if base is None:
            if k in cat.rpc_common or k in cat.region_any or (is_event and k in cat.at_common):
                continue
            out.append(("unknown-parameter", f"{prefix}/{esc(k)}"))
            continue
        present.setdefault(base, []).append((k, v, leaf))
    for name, p in sp.items():
        if p.get("required") and name not in present:
            out.append(("missing-parameter", prefix))

    def check_value(k, v, leaf):
        ptr = f"{prefix}/{esc(k)}"
        if leaf["type"] in ("array", "object"):
            return
        if not type_ok(leaf["type"], v):
            out.append(("invalid-parameter-type", ptr))
            return
        text = _as_text(v)
        values = text.split(leaf["separator"]) if "separator" in leaf else [text]
        if "enum" in leaf:
            allowed = [_as_text(e) for e in leaf["enum"]]
            ci = leaf.get("case_insensitive")
            for x in values:
                ok = (x.lower() in [a.lower() for a in allowed]) if ci else x in allowed
                if not ok:
                    out.append(("invalid-enum-value", ptr))
                    return
        if "format" in leaf:
            if any(not cat.check_format(leaf["format"], x.strip()) for x in values):
                out.append(("invalid-parameter-format", ptr))

    for name, lst in present.items():
        for k, v, leaf in lst:
            check_value(k, v, leaf)

    def current(name):
        if name in present:
            return _as_text(present[name][0][1])
        d = sp.get(name, {}).get("default")
        return None if d is None else _as_text(d)

    for r in api.get("rules", []):
        (cond, vals), = r["if"].items()
        cur = current(cond)
        if cur is None or cur not in [_as_text(x) for x in vals]:
            continue
        if r["rule"] == "instance-type-mismatch":
            for tp, fmt in r["then"].items():
                if tp in present:
                    k, v, _ = present[tp][0]
                    if not cat.check_format(fmt, _as_text(v)):
                        out.append(("instance-type-mismatch", f"{prefix}/{esc(k)}"))
        elif r["rule"] == "parameter-not-applicable":
            for a in r["absent"]:
                if a in present:
                    out.append(("parameter-not-applicable", f"{prefix}/{esc(present[a][0][0])}"))
        elif r["rule"] == "missing-parameter":
            for q in r["require"]:
                if q not in present:
                    out.append(("missing-parameter", prefix))
    return out


def lint_record(cat: Catalog, rec, record_no):
    """Findings [(severity, rule, record, pointer)] and a short description."""
    res = []
    if not isinstance(rec, dict):
        return res, "not an object"
    if "eventName" in rec:
        if rec.get("eventType") not in (None, "ApiCall"):
            return res, f"skipped {rec.get('eventType')}"
        host = rec.get("eventSource")
        spec, f = cat.find(rec["eventName"], rec.get("serviceName"), rec.get("apiVersion"), host)
        if spec is None:
            res.append(("unknown-api", "/eventName"))
            desc = f"{rec['eventName']}: unknown"
        else:
            params = rec.get("requestParameters") or {}
            res += lint_params(cat, spec["apis"][rec["eventName"]], params,
                               "/requestParameters", True)
            desc = f"{rec['eventName']} -> {f}"
        if rec.get("errorCode"):
            res.append(("recorded-error", "/errorCode"))
    elif isinstance(rec.get("Action"), str):
        params = {k: v for k, v in rec.items() if k not in ("Action", "Version", "Product",
                                                             "__host__")}
        spec, f = cat.find(rec["Action"], rec.get("Product"), rec.get("Version"),
                           rec.get("__host__"))
        if spec is None:
            res.append(("unknown-api", "/Action"))
            desc = f"{rec['Action']}: unknown"
        else:
            res += lint_params(cat, spec["apis"][rec["Action"]], params, "", False)
            desc = f"{rec['Action']} -> {f}"
    else:
        return res, "not a request"
    return [(SEVERITY[r], r, record_no, p) for r, p in res], desc


def parse_url_line(line: str):
    line = line.strip()
    if "?" in line:
        host = urlsplit(line).hostname
        q = line.split("?", 1)[1]
    else:
        host, q = None, line
    rec = dict(parse_qsl(q, keep_blank_values=True))
    if host:
        rec["__host__"] = host
    return rec


def read_records(path: Path):
    """[(record_no, obj_or_None)], syntax findings."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    name = path.name[:-3] if path.suffix == ".gz" else path.name
    if name.endswith((".txt", ".url", ".log")):
        recs = []
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                recs.append((i, parse_url_line(line)))
        return recs, []
    try:
        doc = json.loads(text)
        if isinstance(doc, list):
            return [(i + 1, x) for i, x in enumerate(doc)], []
        return [(None, doc)], []
    except json.JSONDecodeError:
        lines = text.splitlines()
        first = next((l for l in lines if l.strip()), "")
        try:
            ok = isinstance(json.loads(first), dict)
        except json.JSONDecodeError:
            ok = False
        if not ok:
            return [], [("error", "json-syntax", None, "")]
        recs, syn = [], []
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                recs.append((i, json.loads(line)))
            except json.JSONDecodeError:
                syn.append(("error", "json-syntax", i, ""))
        return recs, syn


def parse_expect(path: Path):
    exp, clean, command = set(), False, "check"
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("command:"):
            command = s.split(":", 1)[1].strip()
            continue
        if s.startswith("args:"):
            continue
        if s == "clean":
            clean = True
            continue
        sev, rule, loc = s.split(None, 2)
        m = re.match(r'^#(\d+)(.*)$', loc)
        rec, ptr = (int(m.group(1)), m.group(2)) if m else (None, loc)
        ptr = "" if ptr == '""' else ptr
        exp.add((sev, rule, rec, ptr))
    return exp, clean, command


def run_cases(cat: Catalog, roots: list[Path]) -> int:
    failures = 0
    for root in roots:
        for exp_path in sorted(root.rglob("*.expect")):
            case = exp_path.with_name(exp_path.name[:-len(".expect")])
            exp, clean, command = parse_expect(exp_path)
            recs, findings = read_records(case)
            descs = []
            for no, rec in recs:
                fs, d = lint_record(cat, rec, no)
                findings += fs
                descs.append(f"#{no}: {d}" if no is not None else d)
            got = set(findings)
            modelled_exp = {e for e in exp if e[1] not in NOT_MODELLED}
            missing = modelled_exp - got
            unexpected = {g for g in got - exp if g[0] in ("error", "warning")}
            not_modelled = sorted(e for e in exp if e[1] in NOT_MODELLED)
            ok = not missing and not unexpected
            failures += not ok
            rel = case.relative_to(root)
            label = "clean" if clean else ", ".join(
                f"{s} {r} {'#%d' % n if n else ''}{p or chr(34) * 2}" for s, r, n, p in sorted(
                    exp, key=lambda e: (e[2] or 0, e[1])))
            print(f"{'OK  ' if ok else 'FAIL'} {rel} [{command}] expects: {label}")
            print(f"       records: {'; '.join(descs) or '-'}")
            if missing:
                print(f"       MISSING: {sorted(missing, key=str)}")
            if unexpected:
                print(f"       UNEXPECTED: {sorted(unexpected, key=str)}")
            if not_modelled:
                print(f"       not modelled (audit/policy): {[e[1] for e in not_modelled]}")
            extra_info = sorted(g for g in got - exp if g[0] == "info")
            if extra_info:
                print(f"       extra info (ignored by the runner): {extra_info}")
    return failures


def samples(cat: Catalog):
    """Lint the unlabelled request samples of ../shared/data/requests; print findings."""
    base = DATA / "requests"
    for p in sorted((base / "api-doc-examples").glob("*request-url.txt")) + sorted(
            (base / "ram-api-doc-examples").glob("*request-url.txt")):
        text = p.read_text(encoding="utf-8")
        joined = "".join(l.strip() for l in text.splitlines())
        # drop the placeholders the docs use for the common parameters
        segs = [s for s in joined.split("&") if s and not re.search(
            r"<|公共|CommonParameters|Common (request )?parameters|…|^Parameters$", s)]
        line = "&".join(segs)
        if "Action=" not in line or "[Endpoint]" in line and "Action=xx" in line:
            print(f"{p.name}: not a request ({line[:60]})")
            continue
        line = line.replace("http(s)://", "https://").replace("[Endpoint]", "endpoint.invalid")
        fs, d = lint_record(cat, parse_url_line(line), None)
        print(f"{p.name}: {d}: {[(f[1], f[3]) for f in fs] or 'clean'}")
    for p in sorted((base / "actiontrail-events").glob("*.json")):
        recs, syn = read_records(p)
        if syn:
            print(f"{p.name}: json-syntax")
            continue
        for no, rec in recs:
            fs, d = lint_record(cat, rec, no)
            print(f"{p.name}: {d}: {[(f[1], f[3]) for f in fs] or 'clean'}")
    for p in sorted((base / "cli-examples").glob("*")):
        for cmd in p.read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
            m = re.match(r"\s*aliyun\s+(\w+)\s+([A-Z]\w+)\s+(.*)", cmd)
            if not m:
                print(f"{p.name}: not a camel-case CLI call: {cmd[:60]}")
                continue
            rec = {"Action": m.group(2), "Product": m.group(1)}
            for k, v in re.findall(r"--([A-Z]\w*)\s+('[^']*'|\S+)", m.group(3)):
                rec[k] = v.strip("'")
            fs, d = lint_record(cat, rec, None)
            print(f"{p.name}: {d}: {[(f[1], f[3]) for f in fs] or 'clean'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=Path, action="append",
                    help="folder of labelled cases (default: conformance request cases)")
    ap.add_argument("--samples", action="store_true",
                    help="also lint the unlabelled samples in ../shared/data/requests")
    args = ap.parse_args(argv)
    cat = Catalog()
    fb = sorted(k for k, v in cat.format_origin.items() if v == "fallback")
    if fb:
        print(f"note: fallback patterns for formats {fb} (rules/formats.json missing or partial)")
    failures = run_cases(cat, args.cases or [CASES])
    if args.samples:
        print("--- unlabelled samples (../shared/data/requests) ---")
        samples(cat)
    print(f"{failures} case(s) where the data does not give the expected result")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
