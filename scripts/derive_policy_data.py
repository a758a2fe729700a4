#!/usr/bin/env python3
"""Derive ramlint's policy knowledge base (rules/*.json) from the shared research data.

Usage (from the repository root):

    python3 scripts/derive_policy_data.py                # reads ../shared/data, writes rules/
    python3 scripts/derive_policy_data.py --data DIR     # another copy of shared/data
    python3 scripts/derive_policy_data.py --no-check     # skip scripts/check_policy_data.py
    python3 scripts/derive_policy_data.py --check        # write nothing; exit 1 if rules/ differs

Facts only: names, types, access levels, ARN templates, region ids, id prefixes. No prose
descriptions are copied. Every output file carries a `sources` array and every entry cites one
of its source ids. Facts that are not machine-readable in ../shared/data are kept in the
hand-curated tables of rules/curated/ (policy-sources.json, ram-blocks.json, extra-api-names.json,
extra-actions.json, resource-types.json, action-resources.json, catalogued.json, services.json,
formats.json, condition-keys.json, escalation.json), each entry with its source.

Writes: rules/regions.json, rules/services.json, rules/formats.json, rules/resource-types.json,
rules/condition-keys.json, rules/escalation.json, rules/actions/<code>.json and
rules/schema/<kind>.schema.json. It never touches rules/apis/, rules/curated/ or
rules/schema/api*.json.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ACCESS_LEVELS = ("list", "get", "create", "update", "delete")

CURATED = REPO / "rules" / "curated"


def curated(name: str):
    """One table of hand-curated facts from rules/curated/ (see rules/curated/README.md)."""
    with open(CURATED / name, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------------------------
# Source registry (curated/policy-sources.json; the ram-block sources are made from
# curated/ram-blocks.json). Each output file lists the subset it cites.
# ---------------------------------------------------------------------------------------------
_SOURCES_FILE = curated("policy-sources.json")
SOURCES: dict[str, dict] = {s["id"]: {"origin": s["origin"], "licence": s["licence"]}
                            for s in _SOURCES_FILE["sources"]}

# Prefix of a policy file name -> the source id of its origin, and whether the origin is official.
POLICY_ORIGINS = [(o["prefix"], o["source"], o["official"]) for o in _SOURCES_FILE["policy_files"]["origins"]]

# Openmeta ram-block products (shared/data/ram-metadata/openmeta-ramActions/<stem>.ram-block.json)
# and the Openmeta snapshot that most catalogues are derived from.
_BLOCKS_FILE = curated("ram-blocks.json")
OPENMETA = _BLOCKS_FILE["openmeta"]
OPENMETA_DATE = OPENMETA["date"]
RAM_BLOCKS = [(b["stem"], b["product_path"], b["version"]) for b in _BLOCKS_FILE["blocks"]]
for _stem, _path, _ver in RAM_BLOCKS:
    SOURCES[f"openmeta-ram-{_stem}"] = {
        "origin": f"{OPENMETA['mirror']}@{OPENMETA['commit']}:en_us/{_path}/{_ver}/api-docs.json "
                  f"(top-level ram block and apis.*.ramActions; copies in shared/data/ram-metadata/openmeta-ramActions/{_stem}.*)",
        "licence": OPENMETA["licence"],
    }

# ---------------------------------------------------------------------------------------------
# Hand-curated tables (facts that are not machine-readable in shared/data). Each file and entry
# says what it holds and cites its source; see rules/curated/README.md.
# ---------------------------------------------------------------------------------------------

# curated/extra-api-names.json: IMS 2019-08-15 API names (catalogued as `ram:` actions) and VpcPeer
# 2022-01-01 API names (`vpc:` actions).
_NAMES = curated("extra-api-names.json")
IMS_2019_08_15_APIS, IMS_SOURCE = _NAMES["ims"]["apis"], _NAMES["ims"]["source"]
VPCPEER_2022_01_01_APIS, VPCPEER_SOURCE = _NAMES["vpcpeer"]["apis"], _NAMES["vpcpeer"]["source"]
# Product versions that the Openmeta snapshot no longer has, with the API names of another source
# (an SDK): their operations are still authorised under the product's RAM code.
RETIRED_VERSIONS = _NAMES.get("retired_versions") or []

# curated/extra-actions.json
_EXTRA = curated("extra-actions.json")
# ResourceManager 2020-03-31 API directories whose operations are authorized with `ram:` actions.
RM_RAM_DIRECTORIES = set(_EXTRA["resourcemanager_ram"]["directories"])
RM_RAM_RESOURCE_GROUP_PATTERNS = _EXTRA["resourcemanager_ram"]["resource_group_patterns"]
RM_RAM_SOURCE = _EXTRA["resourcemanager_ram"]["source"]
# Documented `ram:` actions that are no API of RAM 2015-05-01, IMS 2019-08-15 or ResourceManager.
RAM_EXTRA_ACTIONS = [(a["name"], a["source"]) for a in _EXTRA["ram"]]
# `ecs:` actions used in official policy documents that are no ECS 2014-05-26 API.
ECS_EXTRA_ACTIONS = [(a["name"], a["source"]) for a in _EXTRA["ecs"]]
# `oss:` actions of OSS Tables that oss-actions.json lacks, each named by a system policy or its
# API reference page: (name, resource types, source).
OSS_TABLES_ACTIONS = [(a["name"], a["resources"], a["source"]) for a in _EXTRA["oss_tables"]]
# Actions of derived lists that the product's RAM documentation names but no API is called:
# (code, name, source).
DOCUMENTED_ACTIONS = [(a["code"], a["name"], a["source"]) for a in _EXTRA.get("documented", [])]
# Deprecated ECS APIs that are also VPC 2016-04-28 APIs are `vpc:` actions, except these.
ECS_VPC_COPY_EXCEPTIONS = set(_EXTRA["ecs_vpc_copies"]["exceptions"])

# curated/resource-types.json: (id, name, ARN template, id_format or None, source), and the
# published typos in ram-block resource ARNs.
_TYPES = curated("resource-types.json")
RESOURCE_TYPES_CURATED = [(t["id"], t["name"], t["arn"], t["id_format"], t["source"]) for t in _TYPES["types"]]
RESOURCE_TYPE_TYPOS = {t["published"]: t["use"] for t in _TYPES["typos"]["map"]}

# curated/action-resources.json
_ACTION_RES = curated("action-resources.json")
# (code, action) -> (resource types, source), from official example policies; these override the
# merge rule of Catalog.
ACTION_RESOURCES_FROM_EXAMPLES = {(a["service"], a["action"]): (a["resources"], a["source"])
                                  for a in _ACTION_RES["from_examples"]["actions"]}
# `ram:` action -> documented resource types: (action, resource types, source); the first row
# of an action wins.
RAM_ACTION_RESOURCES = [(a["action"], a["resources"], a["source"]) for a in _ACTION_RES["ram"]["actions"]]
RAM_ACTION_CONDITION_KEYS = {a["action"]: (a["condition_keys"], a["source"])
                             for a in _ACTION_RES["ram_condition_keys"]["actions"]}
STS_ACTION_RESOURCES = {a["action"]: (a["resources"], a["source"]) for a in _ACTION_RES["sts"]["actions"]}

# curated/catalogued.json: services whose action list is complete enough for unknown-action and
# action-matches-nothing, and catalog dates other than the Openmeta snapshot date.
_CATALOGUED = curated("catalogued.json")
CATALOGUED = set(_CATALOGUED["catalogued"])
CATALOG_DATES = {d["service"]: d["date"] for d in _CATALOGUED["catalog_dates"]}

# curated/services.json: common mistakes (code, use, reason, source) and services found outside
# ram-codes.json / ram blocks / policies (code, product or None, source).
_SERVICES = curated("services.json")
ALIASES = [(a["code"], a["use"], a["reason"], a["source"]) for a in _SERVICES["aliases"]]
SERVICES_EXTRA = [(s["code"], s["product"], s["source"]) for s in _SERVICES["extra"]]
# Codes of one product that no machine-readable list publishes together: (codes, source).
SERVICE_GROUPS_EXTRA = [(tuple(sorted(g["codes"])), g["source"]) for g in _SERVICES.get("groups") or []]

# curated/formats.json: (id, fields, source)
FORMATS = [(f["id"], {k: v for k, v in f.items() if k not in ("id", "source", "note")}, f["source"])
           for f in curated("formats.json")["formats"]]

# curated/condition-keys.json: the 21 condition operators, the set qualifiers, and condition
# keys that are not machine-readable: (key, type, match ("exact"|"prefix"), confidence or None,
# source).
_KEYS = curated("condition-keys.json")
OPERATORS = [(o["name"], o["category"]) for o in _KEYS["operators"]["operators"]]
OPERATORS_SOURCE = _KEYS["operators"]["source"]
QUALIFIERS = _KEYS["qualifiers"]["qualifiers"]
QUALIFIERS_SOURCE = _KEYS["qualifiers"]["source"]
CONDITION_KEYS_CURATED = [(k["key"], k["type"], k["match"], k.get("confidence"), k["source"]) for k in _KEYS["keys"]]

# Openmeta condition-key schema types -> our five types.
OPENMETA_KEY_TYPES = {"String": "string", "Boolean": "boolean", "Number": "numeric", "Integer": "numeric",
                      "Long": "numeric", "Double": "numeric", "Date": "date", "IpAddress": "ip", "IP": "ip"}

# curated/escalation.json: privilege-escalation catalogue (ram action, path, why, source).
ESCALATION = [(a["action"], a["path"], a["why"], a["source"]) for a in curated("escalation.json")["actions"]]

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def load(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def glob_re(pattern: str) -> re.Pattern:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("^" + "".join(out) + "$", re.IGNORECASE)


class Cites:
    """Collects the source ids one output file cites."""

    def __init__(self):
        self.ids: set[str] = set()

    def __call__(self, sid: str) -> str:
        if sid not in SOURCES:
            raise KeyError(f"unknown source id {sid}")
        self.ids.add(sid)
        return sid

    def sources(self) -> list[dict]:
        return [{"id": i, "origin": SOURCES[i]["origin"], "licence": SOURCES[i]["licence"]} for i in sorted(self.ids)]


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def write_actions_json(path: Path, obj) -> None:
    """An action list with one action per line: compact to embed, still readable in a diff."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = {k: v for k, v in obj.items() if k != "actions"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(',', ':'))},")
    acts = [json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in obj["actions"]]
    lines.append('  "actions": [' + ("" if acts else "]"))
    for i, a in enumerate(acts):
        lines.append(f"    {a}" + ("," if i + 1 < len(acts) else ""))
    if acts:
        lines.append("  ]")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def arn_type(arn: str) -> str | None:
    """Resource type id `<arn-service>:<first path segment>` of an ARN template, or None."""
    arn = arn.strip()
    if arn == "*":
        return None
    parts = arn.split(":", 4)
    if len(parts) != 5 or parts[0] != "acs":
        return None
    svc = parts[1].strip().lower()
    rel = parts[4].strip()
    if not svc or "{" in svc or "$" in svc:
        return None
    if svc in ("oss", "ossvector"):
        if rel.startswith("resourcepool/") and svc == "oss":
            return "oss:resourcepool"
        if rel in ("", "*"):
            return f"{svc}:*" if rel == "*" else None
        if svc == "oss":
            return "oss:object" if "/" in rel else "oss:bucket"
        return "ossvector:index" if "/" in rel else "ossvector:bucket"
    if rel == "":
        return None
    if rel == "*":
        return f"{svc}:*"
    seg = rel.split("/")[0].strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", seg):
        return None
    # A nested template names its type by its last literal segment: SLS publishes every type
    # below a project (`project/{#ProjectName}/logstore/{#LogstoreName}` is a logstore,
    # `project/{#ProjectName}/logging` the logging configuration), so the first segment alone
    # would fold them all into `log:project`.
    literal = [s.strip().lower() for s in rel.split("/")[1:] if s and not re.search(r"[{}$*?#]", s)]
    if literal and re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", literal[-1]):
        seg = literal[-1]
    tid = f"{svc}:{seg}"
    return RESOURCE_TYPE_TYPOS.get(tid, tid)


def access_of(op) -> str | None:
    return op if op in ACCESS_LEVELS else None


def resources_of(arns, auth_level=None) -> list[str] | None:
    """Resource type ids of documented ARN templates: `*` for the all-resources ARN; None (nothing
    derivable, the field is then omitted) when there is no ARN or one has no type segment.

    A ram-block action whose `authLevel` is `resource` but whose only ARN is `*` contradicts
    itself (SLS lists `log:CreateDashboard` so, while its RAM page gives a dashboard ARN): its
    resources are undocumented, not "no resource-level authorization"."""
    if not arns:
        return None
    if auth_level == "resource" and all(a.strip() == "*" for a in arns):
        return None
    out = set()
    for arn in arns:
        tid = arn_type(arn)
        if tid is None and arn.strip() != "*":
            return None
        out.add(tid or "*")
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------------------------


class Deriver:
    def __init__(self, data: Path, out: Path):
        self.data = data
        self.shared = data.parent
        self.out = out
        self.om = data / "api-metadata" / "openmeta"
        self.rm = data / "ram-metadata"
        self.report: list[str] = []

    # ----- inputs -----------------------------------------------------------------------------
    def openmeta(self, name: str) -> dict:
        return load(self.om / name / "api-docs.en_us.json")

    def ram_block(self, stem: str) -> dict:
        return load(self.rm / "openmeta-ramActions" / f"{stem}.ram-block.json")["ram"]

    def ram_actions_file(self, stem: str) -> dict:
        return load(self.rm / "openmeta-ramActions" / f"{stem}.ramActions.json")["apis"]

    def ram_codes_all(self) -> dict:
        if not hasattr(self, "_rca"):
            self._rca = load(self.rm / "ram-codes-all.json")
        return self._rca

    def all_products(self) -> dict:
        if not hasattr(self, "_allp"):
            self._allp = load(self.data / "api-metadata" / "openmeta-all-products.en_us.json")
        return self._allp

    def official_policies(self, official_only=True):
        """Yield (file, source id, official, document) for every valid JSON policy document."""
        idx = load(self.data / "policies" / "index.json")
        for entry in idx:
            if not entry.get("json_valid"):
                continue
            for prefix, sid, official in POLICY_ORIGINS:
                if entry["file"].startswith(prefix):
                    break
            else:
                continue
            if official_only and not official:
                continue
            yield entry["file"], sid, official, load(self.data / "policies" / entry["file"])

    # ----- regions ------------------------------------------------------------------------------
    def regions(self):
        cite = Cites()
        found: dict[str, str] = {}
        for path in sorted(self.om.glob("*/api-docs.en_us.json")):
            sid = f"openmeta-{path.parent.name}"
            doc = load(path)
            for ep in doc.get("endpoints") or []:
                rid = ep.get("regionId")
                # Only real region ids: global endpoints carry no regionId (none are present
                # in this snapshot, but keep the filter).
                if isinstance(rid, str) and re.fullmatch(r"[a-z]{2,4}-[a-z0-9]+(?:-[a-z0-9]+)*", rid):
                    found.setdefault(rid, sid)
        ref = (self.shared / "docs" / "ram-reference.md").read_text(encoding="utf-8")
        m = re.search(r"^### 5\.4 Region IDs\n(.*?)(?=^#{2,3} )", ref, re.S | re.M)
        if not m:
            raise SystemExit("ram-reference.md section 5.4 not found")
        for rid in re.findall(r"`?\b((?:cn|ap|eu|us|me|na)-[a-z]+(?:-[a-z0-9]+)*)\b", m.group(1)):
            found.setdefault(rid, "doc-regions")
        regions = [{"id": rid, "source": cite(found[rid])} for rid in sorted(found)]
        self.report.append(f"regions ({len(regions)}): " + ", ".join(r["id"] for r in regions))
        return {"sources": cite.sources(), "regions": regions}

    # ----- services -------------------------------------------------------------------------------
    def services(self):
        cite = Cites()
        ram_codes = load(self.rm / "ram-codes.json")
        products: dict[str, tuple[int, str, str]] = {}  # code -> (rank, product, source)

        def offer(code, product, rank, sid):
            code = code.strip().lower()
            cur = products.get(code)
            if cur is None or rank < cur[0]:
                products[code] = (rank, product, sid)

        for row in ram_codes["entries"]:
            published = [c.strip() for c in row["published_ram_codes"].split(",")]
            product = re.sub(r"\s*\((?:[^()]*Openmeta[^()]*)\)\s*$", "", row["product"]).strip()
            # Prefer a help-page row that names the code first in its published list.
            rank = 0 if (row["source_kind"] == "help-page-excerpt" and published[0] == row["ram_code"]) else 2
            offer(row["ram_code"], product, rank, "ram-codes")
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            for code in block["ramCodes"]:
                offer(code, block["productName"], 1, f"openmeta-ram-{stem}")
        oss = load(self.rm / "oss-actions.json")
        offer(oss["ram_code"], "Object Storage Service (OSS)", 1, "oss-actions-2026")
        for a in oss["actions"]:
            code = a["action"].split(":")[0].strip()
            offer(code, None, 3, "oss-actions-2026")
        for code, product, sid in SERVICES_EXTRA:
            offer(code, product, 1, sid)
        # Codes used as action prefixes in valid official policy documents.
        for fname, sid, _, doc in self.official_policies():
            for action in iter_actions(doc):
                if ":" not in action or "${" in action:
                    continue
                code = action.split(":", 1)[0].strip().lower()
                if not code or "*" in code or "?" in code or code == "eip":
                    continue
                offer(code, None, 4, sid)
        # Every code of ram-codes-all.json, with its evidence kind: the products' RAM codes (the
        # primary evidence, then the other evidence and every code seen for the product), the
        # extra services, and the system policies. A code is weak when every piece of evidence
        # for it is marked weak.
        evidence: dict[str, list[tuple[str, bool]]] = collections.defaultdict(list)
        rca = self.ram_codes_all()
        for pop in sorted(rca["products"]):
            row = rca["products"][pop]
            if row.get("not_found"):
                continue
            for code in row.get("ram_codes") or []:
                offer(code, row.get("name"), 1, "ram-codes-all")
                evidence[code.strip().lower()].append((row["evidence_kind"], bool(row.get("weak"))))
            for other in row.get("other_evidence") or []:
                for code in other.get("ram_codes") or []:
                    offer(code, row.get("name"), 2, "ram-codes-all")
                    evidence[code.strip().lower()].append((other["evidence_kind"], bool(other.get("weak"))))
        for name in sorted(rca["extra_services"]):
            for row in rca["extra_services"][name]:
                for code in row.get("ram_codes") or []:
                    offer(code, None, 3, "ram-codes-all")
                    evidence[code.strip().lower()].append((row["evidence_kind"], bool(row.get("weak"))))
        for row in rca["system_policies"]:
            for code in row.get("ram_codes") or []:
                offer(code, None, 3, "ram-codes-all")
                evidence[code.strip().lower()].append(("system-policy", False))
        kind_of_source = {"ram-codes": "ram-codes.json", "oss-actions-2026": "oss-authorization-page"}
        services = []
        for code in sorted(products):
            _, product, sid = products[code]
            entry = {"code": code}
            if product:
                entry["product"] = product
            ev = evidence.get(code) or []
            strong = [k for k, weak in ev if not weak]
            if strong:
                entry["evidence"] = strong[0]
            elif ev:
                entry["evidence"] = ev[0][0]
                entry["weak"] = True
            elif sid.startswith("openmeta-ram-"):
                entry["evidence"] = "openmeta-ram-block"
            elif sid.startswith("policies-"):
                entry["evidence"] = "policy-document"
            else:
                entry["evidence"] = kind_of_source.get(sid, "curated")
            entry["source"] = cite(sid)
            services.append(entry)
        # Products whose RAM code was not found: an unknown code may be one of theirs, so the
        # unknown-service verdict is less certain when it looks like one of these.
        unmapped = [{"product": pop, "name": rca["products"][pop]["name"].strip()}
                    for pop in sorted(rca["products"], key=str.lower) if rca["products"][pop].get("not_found")]
        assert "eip" not in products, "eip is a known mistake, not a RAM code"
        aliases = []
        for code, use, reason, sid in sorted(ALIASES):
            assert code not in products, f"alias {code} collides with a real code"
            assert use in products, f"alias target {use} unknown"
            aliases.append({"code": code, "use": use, "reason": reason, "source": cite(sid)})
        groups = set()
        for row in ram_codes["entries"]:
            members = tuple(sorted({c.strip() for c in row["published_ram_codes"].split(",")}))
            if len(members) > 1:
                groups.add(members)
        for stem, _, _ in RAM_BLOCKS:
            codes = tuple(sorted(self.ram_block(stem)["ramCodes"]))
            if len(codes) > 1:
                groups.add(codes)
        for codes, sid in SERVICE_GROUPS_EXTRA:
            assert all(c in products for c in codes), codes
            groups.add(codes)
            cite(sid)
        # Drop groups contained in a larger one (ecs,vpc inside ecs,vpc,ecs-workbench).
        groups = {g for g in groups if not any(set(g) < set(h) for h in groups)}
        cite("ram-codes")
        self.report.append(f"services: {len(services)} codes, {len(aliases)} aliases, {len(groups)} groups")
        self.known_codes = set(products)
        self.weak_codes = {s["code"] for s in services if s.get("weak")}
        return {"sources": cite.sources(), "services": services, "aliases": aliases,
                "groups": [list(g) for g in sorted(groups)], "unmapped_products": unmapped}

    # ----- formats ---------------------------------------------------------------------------------
    def formats(self):
        cite = Cites()
        formats = {}
        for fid, fields, sid in sorted(FORMATS):
            entry = {}
            if "prefix" in fields:
                assert re.fullmatch(r"[a-z0-9]+-", fields["prefix"]), fields["prefix"]
                entry["pattern"] = f"^{fields['prefix']}[A-Za-z0-9]+$"
                entry["prefix"] = fields["prefix"]
            if "pattern" in fields:
                entry["pattern"] = fields["pattern"]
            if "builtin" in fields:
                entry["builtin"] = fields["builtin"]
            if "max_length" in fields:
                entry["max_length"] = fields["max_length"]
            entry["example"] = fields["example"]
            entry["summary"] = fields["summary"]
            entry["source"] = cite(sid)
            formats[fid] = entry
        self.formats_data = formats
        return {"sources": cite.sources(), "formats": formats}

    # ----- resource types ----------------------------------------------------------------------------
    def resource_types(self):
        cite = Cites()
        types: dict[str, dict] = {}
        for tid, name, arn, fmt, sid in RESOURCE_TYPES_CURATED:
            assert arn_type(arn) == tid, (tid, arn, arn_type(arn))
            types[tid] = {"id": tid, "service": tid.split(":")[0], "name": name, "arn": arn,
                          "id_format": fmt, "source": sid}
        # Every resourceTypes[] entry (and every resource ARN of an action) of the 14 ram blocks.
        candidates: dict[str, list[tuple]] = collections.defaultdict(list)
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            arns = [(t["resourceType"], t["arn"], t.get("validationType")) for t in block["resourceTypes"]]
            for a in block["ramActions"]:
                arns += [(r.get("resourceType") or "", r["arn"], r.get("validationType"))
                         for r in a["ramAction"].get("resources") or []]
            for name, arn, validation in arns:
                tid = arn_type(arn)
                if tid is None:
                    if arn.strip() != "*":
                        self.report.append(f"resource type skipped (no type segment): {arn!r} in {stem}")
                    continue
                candidates[tid].append((name, arn.strip(), f"openmeta-ram-{stem}", validation))

        def rank(c):
            # Prefer a template with an id placeholder, the usual {#regionId}:{#accountId} form,
            # no published typo, validationType "always", then the shortest.
            name, arn, _, validation = c
            rel = arn.split(":", 4)[4]
            canonical = ":{#regionId}:{#accountId}:" in arn or ":*:{#accountId}:" in arn or "::{#accountId}:" in arn
            return (rel.endswith("*"), not canonical, "${" in arn or "#{" in arn or "//" in rel,
                    bool(re.search(r"\{(?!#)|\{[^}]*#[^}]*#", rel)) or bool(re.search(r"\{[^#]", rel)),
                    validation != "always", len(arn), arn, name)

        for tid in sorted(candidates):
            if tid in types:
                continue
            name, arn, sid, _ = sorted(candidates[tid], key=rank)[0]
            # SLS names every type below a project `Project`; a nested type is named by its
            # own segment unless the published name spells it (`LogStore`).
            segment = tid.split(":", 1)[1]
            rel = arn.split(":", 4)[4] if arn.count(":") >= 4 else ""
            if rel.split("/")[0].lower() != segment and name.replace(" ", "").lower() != segment:
                name = segment
            types[tid] = {"id": tid, "service": tid.split(":")[0], "name": name, "arn": arn,
                          "id_format": None, "source": sid}
        out = []
        for tid in sorted(types):
            t = types[tid]
            arn = t["arn"]
            # A type documented only as `<type>/*` gets an id placeholder so that the template
            # shows where the id goes (`hpc/*` -> `hpc/{#Id}`).
            prefix, rel = arn.rsplit(":", 1) if arn.count(":") == 4 else (arn, "")
            if rel.endswith("/*") and "{" not in rel and "$" not in rel:
                arn = f"{prefix}:{rel[:-1]}{{#Id}}"
            entry = {"id": t["id"], "service": t["service"], "name": t["name"], "arn": arn}
            if t["id_format"]:
                entry["id_format"] = t["id_format"]
            entry["source"] = cite(t["source"])
            out.append(entry)
        self.type_ids = set(types)
        self.report.append(f"resource types: {len(out)}")
        return {"sources": cite.sources(), "types": out}

    # ----- condition keys ------------------------------------------------------------------------------
    def condition_keys(self):
        cite = Cites()
        keys: dict[str, dict] = {}

        def add(key, typ, match, confidence, sid):
            if key in keys:
                return
            entry = {"key": key}
            if match == "prefix":
                entry["match"] = "prefix"
            entry["type"] = typ
            if confidence:
                entry["confidence"] = confidence
            entry["source"] = sid
            keys[key] = entry

        for key, typ, match, conf, sid in CONDITION_KEYS_CURATED:
            add(key, typ, match, conf, sid)
        # ramConditions of the ram blocks (typed)
        typed = {}
        for stem, _, _ in RAM_BLOCKS:
            for c in self.ram_block(stem)["ramConditions"]:
                typ = OPENMETA_KEY_TYPES[c["schema"]["type"]]
                typed[c["name"]] = typ
                add(c["name"], typ, "exact", None, f"openmeta-ram-{stem}")
        # actionConditions of the ram blocks (untyped in the data: use the ramConditions type,
        # else string)
        for stem, _, _ in RAM_BLOCKS:
            block = self.ram_block(stem)
            for a in block["ramActions"]:
                for c in a["ramAction"].get("actionConditions") or []:
                    add(c["conditionKey"], typed.get(c["conditionKey"], "string"), "exact", None, f"openmeta-ram-{stem}")
        # OSS keys
        oss = load(self.rm / "oss-actions.json")
        for k in oss["condition_keys"]["oss-authorization-syntax-2026"]:
            key = k["key"]
            if not key.startswith("oss:"):
                continue
            add(key, "string", "exact", None, "oss-actions-2026")
            if "several tags" in (k.get("note") or ""):
                add(key + "/", "string", "prefix", None, "oss-actions-2026")
        # vpc keys of the EIP authorization tables
        eip = load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")
        for e in eip["entries"]:
            for key in e.get("conditionKeys") or []:
                add(key, "string", "exact", None, "vpc-eip-authorization")
        # The few keys that ram-codes-all.json's help-page excerpts show (untyped: string).
        rca = self.ram_codes_all()
        for code in sorted(rca["condition_keys"]):
            for k in rca["condition_keys"][code]:
                key = k["key"].strip()
                if re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9]+", key):
                    add(key, "string", "exact", None, "ram-codes-all")
        # Keys of the example policies in Openmeta API descriptions (`rds:DiskEncryptionRequired`
        # in CreateDBInstance), typed by the operator the example uses.
        op_category = dict(OPERATORS)
        for path in sorted(self.om.glob("*/api-docs.en_us.json")):
            sid = f"openmeta-{path.parent.name}"
            text = json.dumps(load(path)["apis"], ensure_ascii=False).replace('\\"', '"')
            for op, key in sorted(set(re.findall(
                    r'"Condition"\s*:\s*\{\s*"([A-Za-z:]+)"\s*:\s*\{\s*"([a-z0-9-]+:[A-Za-z0-9]+)"', text))):
                cat = op_category.get(op.split(":")[-1])
                if cat and sid in SOURCES:
                    add(key, cat, "exact", None, sid)
        # `<code>:tag/<key>` for every service whose API has TagResources (the ECS, SLB and VPC
        # pages document the form for their code; the other services are inferred from their tag
        # APIs).
        for code in sorted(self.tagging_codes()):
            add(f"{code}:tag/", "string", "prefix", None, "openmeta-all-products")
        out = []
        for key in sorted(keys, key=lambda k: (k.lower(), k)):
            e = keys[key]
            e["source"] = cite(e["source"])
            out.append(e)
        ops = [{"name": n, "category": c, "source": cite(OPERATORS_SOURCE)} for n, c in OPERATORS]
        cite(QUALIFIERS_SOURCE)  # ForAllValues: in PowerUserAccess
        self.report.append(f"condition keys: {len(out)}; operators: {len(ops)}")
        self.condition_key_names = set(keys)
        return {"sources": cite.sources(), "operators": ops, "qualifiers": QUALIFIERS, "keys": out}

    # ----- actions ---------------------------------------------------------------------------------------
    def actions(self):
        cat = Catalog()

        # --- VPC 2016-04-28 (+ EIP authorization tables), VpcPeer, VpcIpam
        vpc = self.openmeta("vpc-2016-04-28")["apis"]
        eip = {e["action"].split(":", 1)[1]: e for e in load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")["entries"]
               if e["api"].startswith("Vpc 2016-04-28")}
        for api, spec in vpc.items():
            res, keys, sid = None, [], "openmeta-vpc-2016-04-28"
            e = eip.get(api)
            if e:
                variants = e.get("variants") or [e]
                if all(v.get("resources") is not None for v in variants):
                    res = resources_of([r["arn"] for v in variants for r in v["resources"]])
                    keys = list(e.get("conditionKeys") or [])
                    sid = "vpc-eip-authorization"
            cat.add("vpc", api, access_of((spec.get("systemTags") or {}).get("operationType")), res, keys, sid,
                    name_source="openmeta-vpc-2016-04-28")
        for api in VPCPEER_2022_01_01_APIS:
            cat.add("vpc", api, None, None, [], VPCPEER_SOURCE)

        # --- ram-block products (per-API ramActions and the top-level block)
        for stem, _, _ in RAM_BLOCKS:
            sid = f"openmeta-ram-{stem}"
            block = self.ram_block(stem)
            apis = self.ram_actions_file(stem)
            top_apis = set()
            entries = []
            for a in block["ramActions"]:
                entries.append(a)
                top_apis.add(a.get("apiName"))
            for api, spec in apis.items():
                for ra in spec.get("ramActions") or []:
                    entries.append(ra)
            for a in entries:
                ra = a["ramAction"]
                code, name = ra["action"].split(":", 1)
                res = resources_of([r["arn"] for r in ra.get("resources") or []], ra.get("authLevel"))
                keys = sorted({c["conditionKey"] for c in ra.get("actionConditions") or []})
                cat.add(code.strip(), name.strip(), access_of(a.get("operationType")), res, keys, sid)
            # APIs listed without any RAM metadata: for catalogued codes the action is assumed to be
            # <code>:<ApiName> (so that a real call is not reported as unknown); for the others
            # nothing is assumed.
            code = block["ramCodes"][0]
            for api, spec in apis.items() if code in CATALOGUED else []:
                if not spec.get("ramActions") and api not in top_apis:
                    cat.add(code, api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                            sid, assumed=True)

        # --- ECS, SLB, STS, RAM, ActionTrail (API copy), RDS, ResourceManager
        ecs = self.openmeta("ecs-2014-05-26")["apis"]
        excluded = []
        for api, spec in ecs.items():
            if spec.get("deprecated") and api in vpc and api not in ECS_VPC_COPY_EXCEPTIONS:
                excluded.append(api)
                continue
            cat.add("ecs", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-ecs-2014-05-26")
        self.report.append(f"ecs: left out {len(excluded)} deprecated ECS copies of VPC APIs (vpc: actions): "
                           + ", ".join(sorted(excluded)))
        for name, sid in ECS_EXTRA_ACTIONS:
            cat.add("ecs", name, None, None, [], sid)
        for api, spec in self.openmeta("slb-2014-05-15")["apis"].items():
            cat.add("slb", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-slb-2014-05-15")
        for api, spec in self.openmeta("sts-2015-04-01")["apis"].items():
            res, sid = STS_ACTION_RESOURCES.get(api, (None, "openmeta-sts-2015-04-01"))
            cat.add("sts", api, access_of((spec.get("systemTags") or {}).get("operationType")), res, [], sid,
                    name_source="openmeta-sts-2015-04-01")
        ram_api = self.openmeta("ram-2015-05-01")["apis"]
        ram_res = {}
        for name, res, sid in RAM_ACTION_RESOURCES:
            ram_res.setdefault(name, (res, sid))

        def add_ram(name, access, sid_name):
            res, rsid = ram_res.get(name, (None, None))
            keys, ksid = RAM_ACTION_CONDITION_KEYS.get(name, ([], None))
            cat.add("ram", name, access, res, keys, rsid or ksid or sid_name, name_source=sid_name)

        for api, spec in ram_api.items():
            add_ram(api, access_of((spec.get("systemTags") or {}).get("operationType")), "openmeta-ram-2015-05-01")
        for api in IMS_2019_08_15_APIS:
            add_ram(api, None, IMS_SOURCE)
        rm_doc = self.openmeta("resourcemanager-2020-03-31")
        rm = rm_doc["apis"]
        rg_pats = [glob_re(p) for p in RM_RAM_RESOURCE_GROUP_PATTERNS]
        for title, names in walk_directories(rm_doc["directories"]):
            for api in names:
                if title in RM_RAM_DIRECTORIES or (title == "Resource groups" and any(p.match(api) for p in rg_pats)):
                    add_ram(api, access_of((rm[api].get("systemTags") or {}).get("operationType")),
                            RM_RAM_SOURCE)
        for name, sid in RAM_EXTRA_ACTIONS:
            add_ram(name, None, sid)
        for api, spec in rm.items():
            cat.add("resourcemanager", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-resourcemanager-2020-03-31")
        for api, spec in self.openmeta("rds-2014-08-15")["apis"].items():
            cat.add("rds", api, access_of((spec.get("systemTags") or {}).get("operationType")), None, [],
                    "openmeta-rds-2014-08-15")

        # --- OSS (oss-actions.json; concrete oss: actions) and the non-OSS actions it names
        oss = load(self.rm / "oss-actions.json")
        oss_api = self.openmeta("oss-2019-05-17")["apis"]
        scope_types = {"bucket": ["oss:bucket"], "object": ["oss:object"],
                       "vector-bucket": ["ossvector:bucket", "ossvector:index"]}
        for a in oss["actions"]:
            if a["is_wildcard"]:
                continue
            code, name = [x.strip() for x in a["action"].split(":", 1)]
            sid = {"oss-authorization-syntax-2026": "oss-actions-2026", "alibabaclouddocs-oss-2021": "oss-actions-2021",
                   "aliyun-ram-policy-editor-2018": "oss-policy-editor-2018"}[sorted(a["sources"], key=lambda s: (s != "oss-authorization-syntax-2026", s))[0]]
            res = None
            if code == "oss" and a["scopes"] and all(s in scope_types for s in a["scopes"]):
                res = sorted({t for s in a["scopes"] for t in scope_types[s]})
            levels = {access_of((oss_api.get(api, {}).get("systemTags") or {}).get("operationType")) for api in a["apis"]}
            access = levels.pop() if len(levels) == 1 else None
            cat.add(code, name, access, res, [], sid)

        for name, res, sid in OSS_TABLES_ACTIONS:
            if any(n.lower() == name.lower() for n in cat.actions["oss"]):
                raise SystemExit(f"extra-actions.json oss_tables: oss:{name} is already in oss-actions.json")
            cat.add("oss", name, None, res, [], sid)

        # --- nlb:CreateLoadBalancer (cross-product reference in the EIP tables)
        for e in load(self.rm / "vpc-eip-authorization.transcribed-from-docs.json")["entries"]:
            if e["action"].startswith("nlb:"):
                cat.add("nlb", e["action"].split(":", 1)[1], access_of(e.get("accessLevel")),
                        resources_of([r["arn"] for r in e["resources"]]), list(e.get("conditionKeys") or []),
                        "vpc-eip-authorization")

        for (code, name), (res, sid) in ACTION_RESOURCES_FROM_EXAMPLES.items():
            cat.set_resources(code, name, res, sid)

        # --- every product of openmeta-all-products.json (derived lists) and deprecated APIs
        derived_codes, deprecated = self.derived_actions(cat)

        # --- write
        dates = CATALOG_DATES
        files = {}
        for code in sorted(cat.actions):
            cite = Cites()
            actions = []
            for name in sorted(cat.actions[code], key=lambda n: (n.lower(), n)):
                a = cat.actions[code][name]
                entry = {"name": name}
                if a["access"]:
                    entry["access"] = a["access"]
                if a["resources"] is not None:
                    res = sorted(set(a["resources"]))
                    if len(res) > 1 and "*" in res:
                        res.remove("*")
                    for t in res:
                        if t != "*" and t not in self.type_ids:
                            raise SystemExit(f"{code}:{name}: unknown resource type {t}")
                    entry["resources"] = res
                if deprecated.get((code, name.lower())):
                    entry["deprecated"] = True
                entry["condition_keys"] = sorted(set(a["keys"]))
                for k in entry["condition_keys"]:
                    if k not in self.condition_key_names:
                        raise SystemExit(f"{code}:{name}: condition key {k} missing from condition-keys.json")
                entry["source"] = cite(a["source"])
                actions.append(entry)
            for sid in cat.name_sources[code]:
                cite(sid)
            checked = code in CATALOGUED or code in derived_codes
            files[code] = {
                "service": code,
                "catalogued": checked,
                "list": "authoritative" if code in CATALOGUED else "derived" if checked else "partial",
                "catalog_date": dates.get(code, OPENMETA_DATE),
                "sources": cite.sources(),
                "actions": actions,
            }
            if code not in self.known_codes:
                raise SystemExit(f"actions/{code}.json: {code} missing from services.json")
        for code in CATALOGUED:
            assert code in files, code
        self.action_files = files
        counts = ", ".join(f"{c}={len(f['actions'])}{'*' if f['catalogued'] else ''}" for c, f in files.items())
        self.report.append(f"actions per code (* = catalogued): {counts}")
        self.report.append("assumed <code>:<ApiName> for APIs without RAM metadata: "
                           + ", ".join(sorted(cat.assumed)))
        return files

    def product_versions(self) -> dict:
        """openmeta-all-products.json's product versions, plus those it lacks that openmeta/
        holds in full (RDS 2014-08-15)."""
        if hasattr(self, "_pvs"):
            return self._pvs
        allp = dict(self.all_products()["products"])
        for rel in self.all_products().get("_absent_from_snapshot") or []:
            _, product, version, _ = rel.split("/", 3)
            doc = self.openmeta(f"{product}-{version}")
            allp[f"{product}/{version}"] = {"product": product, "apis": {
                api: {"deprecated": bool(spec.get("deprecated")),
                      "access": (spec.get("systemTags") or {}).get("operationType")}
                for api, spec in doc["apis"].items()}}
        self._pvs = allp
        return allp

    def home_code(self, product: str) -> str | None:
        """The RAM code a product's API names go under: its only RAM code, or its own code when
        that is among its RAM codes (ram-codes-all.json); else None."""
        rca = {k.lower(): v for k, v in self.ram_codes_all()["products"].items()}
        row = rca.get(product.lower()) or {}
        codes = [c.strip().lower() for c in row.get("ram_codes") or []] if not row.get("not_found") else []
        return codes[0] if len(codes) == 1 else product.lower() if product.lower() in codes else None

    def tagging_codes(self) -> set[str]:
        out = set()
        for p in self.product_versions().values():
            code = self.home_code(p["product"])
            if code and "TagResources" in p["apis"]:
                out.add(code)
        return out

    def derived_actions(self, cat):
        """Add the API names of every product of openmeta-all-products.json under its RAM code
        (ram-codes-all.json), and the concrete actions of the official policy documents, to the
        lists of the codes that are not authoritative. A product with one RAM code, or whose own
        code is among its RAM codes, is that code's home: its APIs are `<code>:<ApiName>` unless
        the metadata has `ramActions`. A code with a home gets a derived, checked list.

        Returns (codes with a derived list, {(code, lower name): deprecated}) where deprecated
        is true when every API of that action name is deprecated in every product version."""
        allp = self.product_versions()
        homes: set[str] = set()
        status: dict[tuple[str, str], bool] = {}
        skipped = []
        odd = []
        for pv in sorted(allp):
            p = allp[pv]
            target = self.home_code(p["product"])
            if target is None and any(not s.get("ramActions") for s in p["apis"].values()):
                skipped.append(pv)
            for api in sorted(p["apis"]):
                spec = p["apis"][api]
                names = []
                for ra in spec.get("ramActions") or []:
                    action = ra["ramAction"]["action"]
                    if ":" in action:
                        code, name = (x.strip() for x in action.split(":", 1))
                        # The ramActions' documented resources come along, so that the merge
                        # with the ram block keeps them (a name without them would drop them).
                        res = resources_of([r["arn"] for r in ra["ramAction"].get("resources") or []],
                                           ra["ramAction"].get("authLevel"))
                        names.append((code.lower(), name, access_of(ra.get("operationType")), res))
                if not names and target:
                    names.append((target, api, access_of(spec.get("access")), None))
                for code, name, access, res in names:
                    if not re.fullmatch(r"[A-Za-z0-9]+", name):
                        odd.append(f"{code}:{name}")
                        continue
                    homes.add(code)
                    key = (code, name.lower())
                    status[key] = status.get(key, True) and bool(spec.get("deprecated"))
                    if code in CATALOGUED:
                        # An authoritative list gains only the deprecated APIs it left out (they
                        # are known actions, reported as deprecated-action).
                        if spec.get("deprecated") and not any(n.lower() == name.lower() for n in cat.actions[code]):
                            cat.add(code, name, access, res, [], "openmeta-all-products")
                        continue
                    cat.add(code, name, access, res, [], "openmeta-all-products")
        # API names of retired product versions (not in the snapshot) join their code's list.
        for rv in RETIRED_VERSIONS:
            code = rv["code"]
            if self.home_code(rv["product"]) != code:
                raise SystemExit(f"retired version {rv['product']} {rv['version']}: {code} is not the product's RAM code")
            homes.add(code)
            for api in rv["apis"]:
                if code in CATALOGUED:
                    continue
                cat.add(code, api, None, None, [], rv["source"])
        # Actions the product's RAM documentation names that are no API name.
        for code, name, sid in DOCUMENTED_ACTIONS:
            if code in CATALOGUED:
                raise SystemExit(f"extra-actions.json documented: {code} has an authoritative list; add {name} there")
            if any(n.lower() == name.lower() for n in cat.actions[code]):
                raise SystemExit(f"extra-actions.json documented: {code}:{name} is already known; remove it there")
            homes.add(code)
            cat.add(code, name, None, None, [], sid)
        # Concrete actions of the valid official policy documents are evidence that they exist.
        for _, sid, _, doc in self.official_policies():
            for action in iter_actions(doc):
                if ":" not in action or "${" in action:
                    continue
                code, name = (x.strip() for x in action.split(":", 1))
                code = code.lower()
                if (code in CATALOGUED or code not in self.known_codes or code == "eip"
                        or not re.fullmatch(r"[A-Za-z0-9]+", name)):
                    continue
                if code in homes and not any(n.lower() == name.lower() for n in cat.actions[code]):
                    cat.add(code, name, None, None, [], sid)
        # Deprecated only when every source of the name says so (a name also in another list, a
        # ram block or a policy, is current there).
        deprecated = {k: v for k, v in status.items() if v}
        derived = {c for c in homes if c not in CATALOGUED and c in self.known_codes}
        self.report.append(f"derived lists: {len(derived)} codes; product versions without a home code "
                           f"({len(skipped)}): " + ", ".join(skipped))
        if odd:
            self.report.append("API names that are not action names (skipped): " + ", ".join(sorted(odd)))
        missing = sorted(c for c in homes if c not in self.known_codes)
        if missing:
            self.report.append("codes of ramActions not in services.json (no list): " + ", ".join(missing))
            for c in missing:
                cat.actions.pop(c, None)
        return derived, deprecated

    # ----- escalation -----------------------------------------------------------------------------------
    def escalation(self):
        cite = Cites()
        ram = {a["name"] for a in self.action_files["ram"]["actions"]}
        out = []
        for name, path, why, sid in sorted(ESCALATION):
            if name not in ram:
                raise SystemExit(f"escalation: ram:{name} is not in rules/actions/ram.json")
            out.append({"action": f"ram:{name}", "path": path, "why": why, "source": cite(sid)})
        return {"sources": cite.sources(), "actions": out}

    # ----- run -------------------------------------------------------------------------------------------
    def run(self):
        rules = self.out
        write_json(rules / "regions.json", self.regions())
        write_json(rules / "services.json", self.services())
        write_json(rules / "formats.json", self.formats())
        write_json(rules / "resource-types.json", self.resource_types())
        write_json(rules / "condition-keys.json", self.condition_keys())
        files = self.actions()
        adir = rules / "actions"
        adir.mkdir(parents=True, exist_ok=True)
        for old in adir.glob("*.json"):
            if old.stem not in files:
                old.unlink()
        for code, obj in files.items():
            write_actions_json(adir / f"{code}.json", obj)
        write_json(rules / "escalation.json", self.escalation())
        for kind, schema in SCHEMAS.items():
            write_json(rules / "schema" / f"{kind}.schema.json", schema)


class Catalog:
    """Merges actions from several sources. An action's resources are kept only when every source
    that defines it documents them (else the field is omitted and the rules stay silent)."""

    def __init__(self):
        self.actions: dict[str, dict[str, dict]] = collections.defaultdict(dict)
        self.name_sources: dict[str, set] = collections.defaultdict(set)
        self.assumed: set[str] = set()

    def add(self, code, name, access, resources, keys, source, name_source=None, assumed=False):
        code = code.lower()
        if not re.fullmatch(r"[A-Za-z0-9]+", name):
            raise SystemExit(f"odd action name {code}:{name!r}")
        if name_source:
            self.name_sources[code].add(name_source)
        # case-insensitive merge (RAM action names are case-insensitive); keep the first spelling
        existing = next((n for n in self.actions[code] if n.lower() == name.lower()), None)
        if existing is None:
            self.actions[code][name] = {"access": access, "accesses": {access} - {None},
                                        "resources": None if resources is None else list(resources),
                                        "res_known": resources is not None, "keys": list(keys), "source": source}
            if assumed:
                self.assumed.add(f"{code}:{name}")
            return
        a = self.actions[code][existing]
        if access:
            a["accesses"].add(access)
        a["access"] = next(iter(a["accesses"])) if len(a["accesses"]) == 1 else None
        if resources is None or not a["res_known"]:
            a["resources"], a["res_known"] = None, False
        else:
            a["resources"] = sorted(set(a["resources"]) | set(resources))
        a["keys"] = sorted(set(a["keys"]) | set(keys))
        if not assumed:
            self.assumed.discard(f"{code}:{existing}")


    def set_resources(self, code, name, resources, source):
        """Documented resources from a source that overrides the merge rule (see
        ACTION_RESOURCES_FROM_EXAMPLES); adds the action when it is not catalogued yet."""
        existing = next((n for n in self.actions[code] if n.lower() == name.lower()), None)
        if existing is None:
            self.add(code, name, None, resources, [], source)
            return
        a = self.actions[code][existing]
        a["resources"], a["res_known"], a["source"] = list(resources), True, source


def walk_directories(nodes, title=None):
    """Yield (directory title, [api names]) from an Openmeta `directories` tree."""
    names = [n for n in nodes if isinstance(n, str)]
    if names:
        yield title, names
    for n in nodes:
        if isinstance(n, dict):
            yield from walk_directories(n.get("children") or [], n.get("title"))


def iter_actions(doc):
    """Action strings of a policy document (Action and NotAction; ROS function objects skipped)."""
    st = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(st, dict):
        st = [st]
    for s in st if isinstance(st, list) else []:
        if not isinstance(s, dict):
            continue
        for key in ("Action", "NotAction"):
            v = s.get(key)
            for a in [v] if isinstance(v, str) else v if isinstance(v, list) else []:
                if isinstance(a, str):
                    yield a


# ---------------------------------------------------------------------------------------------
# JSON Schemas (draft 2020-12) for each file kind
# ---------------------------------------------------------------------------------------------

_SRC_LIST = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "origin", "licence"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$"},
            "origin": {"type": "string", "minLength": 1},
            "licence": {"type": "string", "minLength": 1},
        },
    },
}
_SID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$"}
_CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_TYPE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*:([a-z0-9][a-z0-9_.-]*|\\*)$"}


def _schema(kind, title, props, required):
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ramlint.invalid/rules/schema/{kind}.schema.json",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": {"$schema": {"type": "string"}, **props},
    }


SCHEMAS = {
    "regions": _schema("regions", "ramlint region ids", {
        "sources": _SRC_LIST,
        "regions": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "source"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z]{2,4}-[a-z0-9]+(-[a-z0-9]+)*$"}, "source": _SID}}},
    }, ["sources", "regions"]),
    "services": _schema("services", "ramlint RAM service codes", {
        "sources": _SRC_LIST,
        "services": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["code", "source"],
            "properties": {"code": _CODE, "product": {"type": "string", "minLength": 1},
                           "evidence": {"type": "string", "minLength": 1}, "weak": {"const": True},
                           "source": _SID}}},
        "aliases": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["code", "use", "reason", "source"],
            "properties": {"code": _CODE, "use": _CODE, "reason": {"type": "string", "minLength": 1}, "source": _SID}}},
        "groups": {"type": "array", "items": {"type": "array", "minItems": 2, "uniqueItems": True, "items": _CODE}},
        "unmapped_products": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["product", "name"],
            "properties": {"product": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1}}}},
    }, ["sources", "services", "aliases", "groups", "unmapped_products"]),
    "formats": _schema("formats", "ramlint id formats", {
        "sources": _SRC_LIST,
        "formats": {"type": "object", "minProperties": 1,
                    "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "additionalProperties": {
                        "type": "object", "additionalProperties": False,
                        "required": ["example", "summary", "source"],
                        "anyOf": [{"required": ["pattern"]}, {"required": ["builtin"]}],
                        "properties": {
                            "pattern": {"type": "string", "format": "regex"},
                            "prefix": {"type": "string", "minLength": 1},
                            "builtin": {"enum": ["ipv4", "ip", "cidr", "region", "client-token"]},
                            "max_length": {"type": "integer", "minimum": 1},
                            "example": {"type": "string"},
                            "summary": {"type": "string", "minLength": 1},
                            "source": _SID}}},
    }, ["sources", "formats"]),
    "resource-types": _schema("resource-types", "ramlint resource types", {
        "sources": _SRC_LIST,
        "types": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "service", "name", "arn", "source"],
            "properties": {"id": _TYPE_ID, "service": _CODE, "name": {"type": "string", "minLength": 1},
                           "arn": {"type": "string", "pattern": "^acs:"},
                           "id_format": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, "source": _SID}}},
    }, ["sources", "types"]),
    "condition-keys": _schema("condition-keys", "ramlint condition operators and keys", {
        "sources": _SRC_LIST,
        "operators": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "category", "source"],
            "properties": {"name": {"type": "string", "pattern": "^[A-Za-z]+$"},
                           "category": {"enum": ["string", "numeric", "date", "boolean", "ip"]}, "source": _SID}}},
        "qualifiers": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]+:$"}},
        "keys": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "type", "source"],
            "properties": {"key": {"type": "string", "pattern": "^[A-Za-z0-9-]+:[^\\s]+$"},
                           "match": {"enum": ["exact", "prefix"]},
                           "type": {"enum": ["string", "numeric", "date", "boolean", "ip"]},
                           "confidence": {"enum": ["third-party"]}, "source": _SID}}},
    }, ["sources", "operators", "qualifiers", "keys"]),
    "actions": _schema("actions", "ramlint action catalogue of one RAM code", {
        "service": _CODE,
        "catalogued": {"type": "boolean"},
        "list": {"enum": ["authoritative", "derived", "partial"]},
        "catalog_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "sources": _SRC_LIST,
        "actions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "condition_keys", "source"],
            "properties": {
                "name": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
                "access": {"enum": list(ACCESS_LEVELS)},
                "deprecated": {"const": True},
                "resources": {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"anyOf": [{"const": "*"}, _TYPE_ID]}},
                "condition_keys": {"type": "array", "uniqueItems": True,
                                   "items": {"type": "string", "pattern": "^[A-Za-z0-9-]+:[^\\s]+$"}},
                "source": _SID}}},
    }, ["service", "catalogued", "list", "catalog_date", "sources", "actions"]),
    "escalation": _schema("escalation", "ramlint privilege-escalation catalogue", {
        "sources": _SRC_LIST,
        "actions": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["action", "path", "why", "source"],
            "properties": {"action": {"type": "string", "pattern": "^[a-z0-9-]+:[A-Za-z0-9]+$"},
                           "path": {"enum": ["policy-attach", "policy-version", "access-key", "login-profile",
                                             "group-membership", "role-trust", "pass-role"]},
                           "why": {"type": "string", "minLength": 1}, "source": _SID}}},
    }, ["sources", "actions"]),
}


def diff_excerpt(rel: str, old: str | None, new: str | None, limit: int = 20) -> list[str]:
    """The first `limit` lines of a unified diff of one file (committed -> generated)."""
    if old is None:
        return [f"  {rel}: missing (the generator writes it)"]
    if new is None:
        return [f"  {rel}: not written by the generator (a run would delete it)"]
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"committed/{rel}", f"generated/{rel}",
                                      n=1, lineterm=""))
    more = len(lines) - limit
    return [f"  {rel}:"] + ["    " + line for line in lines[:limit]] + ([f"    ... {more} more diff lines"] if more > 0 else [])


def check(data: Path, out: Path) -> int:
    """Regenerate into a temporary folder and compare with `out` without writing to it."""
    with tempfile.TemporaryDirectory(prefix="ramlint-derive-") as tmp:
        tmp = Path(tmp)
        Deriver(data, tmp).run()
        generated = {p.relative_to(tmp).as_posix(): p.read_text(encoding="utf-8")
                     for p in sorted(tmp.rglob("*")) if p.is_file()}
    # The files the generator owns: what it writes, plus any stale action file it would delete.
    owned = set(generated) | {f"actions/{p.name}" for p in (out / "actions").glob("*.json")}
    problems = []
    for rel in sorted(owned):
        path = out / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        new = generated.get(rel)
        if old != new:
            problems += diff_excerpt(rel, old, new)
    if problems:
        print(f"{out} differs from what scripts/derive_policy_data.py generates from {data}:")
        print("\n".join(problems))
        print("Regenerate with `python3 scripts/derive_policy_data.py` (edit rules/curated/ or the script, "
              "never the generated files) and commit the result.")
        return 1
    print(f"ok: {len(generated)} files under {out} match the generator")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data",
                    help="shared research data directory (relative paths are resolved against the repo root)")
    ap.add_argument("--out", default="rules", help="output directory (relative to the repo root)")
    ap.add_argument("--no-check", action="store_true", help="do not run scripts/check_policy_data.py afterwards")
    ap.add_argument("--check", action="store_true",
                    help="write nothing: regenerate into a temporary folder and exit 1 if any file under --out differs")
    args = ap.parse_args(argv)
    data = (REPO / args.data).resolve() if not Path(args.data).is_absolute() else Path(args.data)
    out = (REPO / args.out).resolve() if not Path(args.out).is_absolute() else Path(args.out)
    if not (data / "policies" / "index.json").exists():
        raise SystemExit(f"{data} does not look like shared/data")
    if args.check:
        sys.exit(check(data, out))
    d = Deriver(data, out)
    d.run()
    for line in d.report:
        print(line)
    if not args.no_check:
        rc = subprocess.call([sys.executable, str(REPO / "scripts" / "check_policy_data.py"),
                              "--data", str(data), "--rules", str(out)])
        sys.exit(rc)


if __name__ == "__main__":
    main()
