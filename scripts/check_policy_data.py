#!/usr/bin/env python3
"""Check ramlint's policy knowledge base (rules/*.json, written by derive_policy_data.py).

    python3 scripts/check_policy_data.py [--rules rules] [--data ../shared/data]

1. Validates every file against rules/schema/<kind>.schema.json (needs `jsonschema`; the check
   is skipped with a warning when it is not installed).
2. Cross-checks the files: cited source ids, resource type ids, id formats, condition keys,
   services, escalation actions, contract examples.
3. Precision over real documents (only when the shared data is present): every action string of
   the valid official policy documents under <data>/policies and of the clean conformance cases is
   matched (case-insensitively, `*` and `?` wildcards) against the catalogued services; anything
   that would be reported as unknown-action or action-matches-nothing is listed. The same is done
   for condition keys, and the conformance cases' expectations for unknown-action,
   action-matches-nothing, unknown-service and unknown-condition-key are compared with what the
   data predicts.

Exit status 1 when a schema or cross-check fails, or when a clean document would get a finding.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = ["regions", "services", "formats", "resource-types", "condition-keys", "escalation"]

OFFICIAL_PREFIXES = ["ram-doc-", "tf-alicloud-", "system-policy-", "vpc-doc-", "openmeta-", "ros-templates-"]


def load(p: Path):
    with open(p, encoding="utf-8") as fh:
        return json.load(fh)


def glob_re(pattern: str) -> re.Pattern:
    out = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("^" + "".join(out) + "$", re.IGNORECASE)


class Checker:
    def __init__(self, rules: Path, data: Path | None):
        self.rules = rules
        self.data = data
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.files = {k: load(rules / f"{k}.json") for k in KINDS}
        self.actions = {p.stem: load(p) for p in sorted((rules / "actions").glob("*.json"))}

    def err(self, msg):
        self.errors.append(msg)

    # ----- 1. schemas ---------------------------------------------------------------------------
    def schemas(self):
        try:
            import jsonschema
        except ImportError:
            self.notes.append("WARNING: jsonschema not installed; schema validation skipped (pip install jsonschema)")
            return
        for kind in KINDS + ["actions"]:
            schema = load(self.rules / "schema" / f"{kind}.schema.json")
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            docs = self.actions.items() if kind == "actions" else [(kind, self.files[kind])]
            for name, doc in docs:
                for e in validator.iter_errors(doc):
                    self.err(f"schema {kind}: {name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        self.notes.append(f"schema validation: {len(KINDS) + len(self.actions)} files checked")

    # ----- 2. cross checks ------------------------------------------------------------------------
    def cited_sources(self, name, doc):
        declared = {s["id"] for s in doc["sources"]}
        used = set()

        def walk(o):
            if isinstance(o, dict):
                for k, v in o.items():
                    if k == "source" and isinstance(v, str):
                        used.add(v)
                    elif k != "sources":
                        walk(v)
            elif isinstance(o, list):
                for x in o:
                    walk(x)
        walk(doc)
        for sid in used - declared:
            self.err(f"{name}: cites undeclared source {sid}")
        return declared, used

    def cross(self):
        for k in KINDS:
            self.cited_sources(k, self.files[k])
        for code, doc in self.actions.items():
            self.cited_sources(f"actions/{code}", doc)
        services = {s["code"] for s in self.files["services"]["services"]}
        aliases = {a["code"]: a["use"] for a in self.files["services"]["aliases"]}
        if "eip" in services:
            self.err("services: eip must not be a service (EIP actions use vpc)")
        if aliases.get("eip") != "vpc":
            self.err("services: alias eip -> vpc missing")
        for g in self.files["services"]["groups"]:
            for c in g:
                if c not in services:
                    self.err(f"services: group member {c} is not a service")
        fmts = self.files["formats"]["formats"]
        for fid, f in fmts.items():
            if "pattern" in f and not re.fullmatch(f["pattern"], f["example"]):
                self.err(f"formats: {fid} example {f['example']} does not match {f['pattern']}")
            if "prefix" in f and not f["example"].startswith(f["prefix"]):
                self.err(f"formats: {fid} example lacks prefix")
        for fid, good, bad in [("ecs-instance-id", ["i-001", "i-bp67acfmxazb1p"], ["i-bp67acfmxazb1p****", "eip-1"]),
                               ("eip-id", ["eip-25877c70x", "eip-2zeerraiwb7ujsxdc"], ["eip-2ze****", "i-123", "eip-"]),
                               ("account-id", ["0123456789012345"], ["123456789012345", "123456789012****"])]:
            for v in good:
                if not re.fullmatch(fmts[fid]["pattern"], v):
                    self.err(f"formats: {fid} must accept {v}")
            for v in bad:
                if re.fullmatch(fmts[fid]["pattern"], v):
                    self.err(f"formats: {fid} must reject {v}")
        types = {t["id"]: t for t in self.files["resource-types"]["types"]}
        for t in types.values():
            if t.get("id_format") and t["id_format"] not in fmts:
                self.err(f"resource-types: {t['id']} id_format {t['id_format']} not in formats.json")
            if t["service"] != t["id"].split(":")[0]:
                self.err(f"resource-types: {t['id']} service mismatch")
        keys = self.files["condition-keys"]["keys"]
        exact = {k["key"] for k in keys if k.get("match", "exact") == "exact"}
        prefixes = [k["key"] for k in keys if k.get("match") == "prefix"]
        self.key_known = lambda key: key in exact or any(key.startswith(p) and len(key) > len(p) for p in prefixes)
        if len(self.files["condition-keys"]["operators"]) != 21:
            self.err("condition-keys: expected exactly 21 operators")
        for code, doc in self.actions.items():
            if doc["service"] != code:
                self.err(f"actions/{code}.json: service field {doc['service']}")
            if code not in services:
                self.err(f"actions/{code}.json: {code} not in services.json")
            names = [a["name"] for a in doc["actions"]]
            if len({n.lower() for n in names}) != len(names):
                self.err(f"actions/{code}.json: duplicate action names")
            if names != sorted(names, key=lambda n: (n.lower(), n)):
                self.err(f"actions/{code}.json: actions not sorted")
            for a in doc["actions"]:
                for r in a.get("resources", []):
                    if r != "*" and r not in types:
                        self.err(f"actions/{code}.json: {a['name']}: unknown resource type {r}")
                for k in a["condition_keys"]:
                    if not self.key_known(k):
                        self.err(f"actions/{code}.json: {a['name']}: condition key {k} not in condition-keys.json")
        ram = {a["name"] for a in self.actions["ram"]["actions"]}
        for e in self.files["escalation"]["actions"]:
            code, name = e["action"].split(":", 1)
            if code != "ram" or name not in ram:
                self.err(f"escalation: {e['action']} not in actions/ram.json")
        regions = {r["id"] for r in self.files["regions"]["regions"]}
        for rid in ["cn-hangzhou", "cn-shanghai-finance-1", "cn-shenzhen-finance-1", "ap-southeast-7", "me-central-1"]:
            if rid not in regions:
                self.err(f"regions: {rid} missing")
        for rid in ["cn-hangzou", "hangzhou", "global"]:
            if rid in regions:
                self.err(f"regions: {rid} must not be a region")

        # Contract examples
        def action(code, name):
            return next((a for a in self.actions[code]["actions"] if a["name"].lower() == name.lower()), None)

        ua = action("vpc", "UnassociateEipAddress")
        if not ua or set(ua.get("resources", [])) != {"vpc:eip", "ecs:instance", "vpc:havip"}:
            self.err("vpc:UnassociateEipAddress must list vpc:eip, ecs:instance, vpc:havip")
        if ua and ua.get("access") != "delete":
            self.err("vpc:UnassociateEipAddress access must be delete")
        de = action("vpc", "DescribeEipAddresses")
        if not de or not any(r.startswith("vpc:") for r in de.get("resources", [])):
            self.err("vpc:DescribeEipAddresses must have documented vpc resources")
        ar = action("sts", "AssumeRole")
        if not ar or ar.get("resources") != ["ram:role"]:
            self.err("sts:AssumeRole resources must be [ram:role]")
        if not action("ram", "PassRole"):
            self.err("ram:PassRole missing")
        for pattern, want in [("vpc:*EipAdress*", False), ("vpc:DescribeEip*", True),
                              ("vpc:ListPublicIpAddressPool*", True), ("vpc:UnasociateEipAddress", False),
                              ("vpc:DescribeEipAdresses", False), ("vpc:unassociateeipaddress", True)]:
            if bool(self.matches(pattern)) != want:
                self.err(f"catalog: {pattern} should {'match' if want else 'match nothing'}")
        self.notes.append("cross checks done")

    # ----- matching -------------------------------------------------------------------------------
    def matches(self, action: str):
        code, _, name = action.partition(":")
        doc = self.actions.get(code.lower())
        if not doc:
            return None
        r = glob_re(name)
        return [a["name"] for a in doc["actions"] if r.match(a["name"])]

    def finding(self, action: str):
        """What the catalog predicts for one action string: None (fine / not judged) or a rule id."""
        if action == "*" or ":" not in action or "${" in action:
            return None
        code, _, name = action.partition(":")
        code = code.lower()
        services = {s["code"] for s in self.files["services"]["services"]}
        if "*" in code or "?" in code:
            return None
        if code not in services:
            return "unknown-service"
        doc = self.actions.get(code)
        if not doc or not doc["catalogued"]:
            return None
        if self.matches(action):
            return None
        if "*" in name or "?" in name:
            # A derived list (API names) lacks the console and non-API actions, so a wildcard
            # that matches none of its names is judged only against an authoritative list.
            return "action-matches-nothing" if doc.get("list", "authoritative") == "authoritative" else None
        return "unknown-action"

    # ----- resource predictions (resource-type-mismatch / arn-service-mismatch) -------------------
    def arn_type(self, arn: str):
        """(service, type id) of a policy ARN, as the linter classifies it; None if not an ARN."""
        parts = arn.split(":", 4)
        if len(parts) != 5 or parts[0] != "acs":
            return None
        svc, rel = parts[1].lower(), parts[4]
        if svc == "oss":
            if rel.startswith("resourcepool/"):
                return svc, "oss:resourcepool"
            return svc, None if rel in ("", "*") else ("oss:object" if "/" in rel else "oss:bucket")
        if svc == "ossvector":
            return svc, None if rel in ("", "*") else ("ossvector:index" if "/" in rel else "ossvector:bucket")
        seg = rel.split("/")[0].lower()
        if rel in ("", "*") or "*" in seg or "?" in seg:
            return svc, None
        # A nested ARN names its type by its last literal segment (`project/p/logstore/l` is a
        # `log:logstore`), as the generator names the nested SLS templates.
        literal = [s.lower() for s in rel.split("/")[1:] if s and not re.search(r"[*?${}]", s)]
        known = {t["id"] for t in self.files["resource-types"]["types"]}
        if literal and f"{svc}:{literal[-1]}" in known:
            seg = literal[-1]
        return svc, f"{svc}:{seg}"

    def resource_findings(self, statement):
        """Predicted (rule, resource) pairs for one statement with Action (not NotAction)."""
        acts = statement.get("Action")
        acts = [acts] if isinstance(acts, str) else acts if isinstance(acts, list) else []
        res = statement.get("Resource")
        res = [res] if isinstance(res, str) else res if isinstance(res, list) else []
        if "NotAction" in statement or not acts or not all(isinstance(a, str) for a in acts):
            return []
        codes, documented, unknown = set(), [], False
        for a in acts:
            if a == "*" or ":" not in a or "${" in a:
                return []
            code, _, name = a.partition(":")
            code = code.lower()
            codes.add(code)
            doc = self.actions.get(code)
            hits = [x for x in doc["actions"] if glob_re(name).match(x["name"])] if doc else []
            if not hits:
                unknown = True
            for h in hits:
                if "resources" in h:
                    documented.append(h["resources"])
                else:
                    unknown = True
        groups = [set(g) for g in self.files["services"]["groups"]]
        out = []
        for i, r in enumerate(res):
            if not isinstance(r, str) or r == "*" or "${" in r:
                continue
            t = self.arn_type(r)
            if not t:
                continue
            svc, tid = t
            same = svc in codes or any(svc in g and codes & g for g in groups)
            accepts_svc = any(x == "*" or x.split(":")[0] == svc for rs in documented for x in rs)
            if not same and not accepts_svc:
                out.append(("arn-service-mismatch", i, r))
                continue
            if unknown or tid is None or not documented:
                continue
            if not any(any(x == tid or (x.endswith(":*") and tid.startswith(x[:-1])) for x in rs)
                       for rs in documented):
                out.append(("resource-type-mismatch", i, r))
        return out

    # ----- 3. corpus precision --------------------------------------------------------------------
    def corpus(self):
        if not self.data or not (self.data / "policies" / "index.json").exists():
            self.notes.append("shared data not found: corpus precision check skipped")
            return
        idx = load(self.data / "policies" / "index.json")
        docs = []
        for e in idx:
            if e["json_valid"] and any(e["file"].startswith(p) for p in OFFICIAL_PREFIXES):
                docs.append((e["file"], load(self.data / "policies" / e["file"])))
        conf = self.data.parent / "conformance" / "cases" / "policy"
        clean = sorted(conf.glob("clean-*.json")) if conf.exists() else []
        for p in clean:
            docs.append(("conformance/" + p.name, load(p)))
        bad: dict[tuple, list] = {}
        badkeys: dict[str, list] = {}
        n_actions = 0
        for fname, doc in docs:
            for _, action in iter_actions(doc):
                n_actions += 1
                f = self.finding(action)
                if f:
                    bad.setdefault((f, action), []).append(fname)
            for _, key in iter_condition_keys(doc):
                if ":" in key and not self.key_known(key):
                    badkeys.setdefault(key, []).append(fname)
            for sp, st in statements(doc):
                for rule, _, r in self.resource_findings(st):
                    bad.setdefault((rule, r), []).append(fname)
        self.notes.append(f"corpus: {len(docs)} documents ({len(clean)} clean conformance cases), "
                          f"{n_actions} action strings checked")
        for (rule, action), files in sorted(bad.items()):
            line = f"corpus: {rule}: {action}  <- {', '.join(sorted(set(files))[:3])}"
            if any(f.startswith("conformance/") for f in files):
                self.err(line + " (a clean conformance case)")
            else:
                self.notes.append(line)
        if not bad:
            self.notes.append("corpus: no action would be reported as unknown-service, unknown-action or action-matches-nothing")
        for key, files in sorted(badkeys.items()):
            line = f"corpus: unknown-condition-key: {key}  <- {', '.join(sorted(set(files))[:3])}"
            if any(f.startswith("conformance/") for f in files):
                self.err(line + " (a clean conformance case)")
            else:
                self.notes.append(line)
        # Conformance expectations for the catalog-driven rules
        rules_of_interest = {"unknown-action", "action-matches-nothing", "unknown-service", "unknown-condition-key",
                             "resource-type-mismatch", "arn-service-mismatch"}
        mismatches = 0
        for exp in sorted(conf.glob("*.expect")) if conf.exists() else []:
            case = exp.with_suffix("")
            try:
                doc = load(case)
            except (ValueError, UnicodeDecodeError):
                continue
            expected = set()
            for line in exp.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) >= 3 and parts[1] in rules_of_interest:
                    expected.add((parts[1], parts[2]))
            predicted = set()
            for ptr, action in iter_actions(doc):
                f = self.finding(action)
                if f:
                    predicted.add((f, ptr))
            for ptr, key in iter_condition_keys(doc):
                if re.fullmatch(r"[A-Za-z0-9-]+:.+", key) and not self.key_known(key):
                    predicted.add(("unknown-condition-key", ptr))
            for sp, st in statements(doc):
                rv = st.get("Resource")
                for rule, i, _ in self.resource_findings(st):
                    predicted.add((rule, f"{sp}/Resource" if isinstance(rv, str) else f"{sp}/Resource/{i}"))
            for miss in sorted(expected - predicted):
                mismatches += 1
                self.err(f"conformance {case.name}: expected {miss[0]} at {miss[1]}, the data does not predict it")
            for extra in sorted(predicted - expected):
                mismatches += 1
                self.err(f"conformance {case.name}: the data predicts {extra[0]} at {extra[1]}, not expected")
        self.notes.append(f"conformance: catalog-driven expectations compared, {mismatches} mismatches")

    def run(self):
        self.schemas()
        self.cross()
        self.corpus()
        for n in self.notes:
            print(n)
        for e in self.errors:
            print("ERROR:", e)
        print(f"{len(self.errors)} errors")
        return 1 if self.errors else 0


def _esc(k: str) -> str:
    return k.replace("~", "~0").replace("/", "~1")


def statements(doc):
    st = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(st, dict):
        yield "/Statement", st
    elif isinstance(st, list):
        for i, s in enumerate(st):
            if isinstance(s, dict):
                yield f"/Statement/{i}", s


def iter_actions(doc):
    for sp, s in statements(doc):
        for key in ("Action", "NotAction"):
            v = s.get(key)
            if isinstance(v, str):
                yield f"{sp}/{key}", v
            elif isinstance(v, list):
                for j, a in enumerate(v):
                    if isinstance(a, str):
                        yield f"{sp}/{key}/{j}", a


def iter_condition_keys(doc):
    for sp, s in statements(doc):
        cond = s.get("Condition")
        if isinstance(cond, dict):
            for op, block in cond.items():
                if isinstance(block, dict):
                    for key in block:
                        yield f"{sp}/Condition/{_esc(op)}/{_esc(key)}", key


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--data", default="../shared/data")
    args = ap.parse_args(argv)
    rules = Path(args.rules) if Path(args.rules).is_absolute() else REPO / args.rules
    data = Path(args.data) if Path(args.data).is_absolute() else (REPO / args.data).resolve()
    return Checker(rules, data if data.exists() else None).run()


if __name__ == "__main__":
    sys.exit(main())
