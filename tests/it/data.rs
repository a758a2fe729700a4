//! The knowledge base under `rules/`: every file validates against its JSON Schema, the files
//! agree with each other, and the binary embeds exactly the files on disk.

use crate::common::{catalog, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The base of the schemas' `$id`s (`https://ramlint.invalid/rules/schema/<file>`).
const SCHEMA_BASE: &str = "https://ramlint.invalid/rules/schema/";

fn rules_dir() -> PathBuf {
    root().join("rules")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for path in crate::common::sorted_entries(dir) {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every file under `rules/`, by path relative to it (`actions/vpc.json`).
fn rules_files() -> Vec<String> {
    let mut paths = Vec::new();
    walk(&rules_dir(), &mut paths);
    paths.iter().map(|p| p.strip_prefix(rules_dir()).unwrap().to_string_lossy().replace('\\', "/")).collect()
}

/// The JSON data files under `rules/`: what the binary embeds. `rules/curated/` holds the
/// generators' inputs (`scripts/derive_*.py --check` keeps the data in step with them).
fn json_files() -> Vec<String> {
    rules_files().into_iter().filter(|f| f.ends_with(".json") && !f.starts_with("curated/")).collect()
}

fn load(rel: &str) -> Value {
    let text = std::fs::read_to_string(rules_dir().join(rel)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("rules/{rel} is not JSON: {e}"))
}

/// The schema (under `rules/schema/`) of a data file; `None` for the schemas themselves.
fn schema_for(rel: &str) -> Option<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let schema = match parts.as_slice() {
        ["schema", _] => return None,
        [name] => format!("{}.schema.json", name.strip_suffix(".json").unwrap()),
        ["actions", _] => "actions.schema.json".into(),
        ["apis", "products.json"] => "api-products.schema.json".into(),
        ["apis", "common-parameters.json"] => "api-common-parameters.schema.json".into(),
        ["apis", "index.json"] => "api-index.schema.json".into(),
        ["apis", _code, _version] => "api-spec.schema.json".into(),
        _ => panic!("rules/{rel} has no schema mapping: add one to tests/it/data.rs (and a schema to rules/schema/)"),
    };
    Some(schema)
}

/// Resolves the schemas' cross-file references from `rules/schema/`, never from the network.
struct LocalSchemas;

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name =
            uri.as_str().strip_prefix(SCHEMA_BASE).ok_or_else(|| format!("no local schema for {}", uri.as_str()))?;
        let text = std::fs::read_to_string(rules_dir().join("schema").join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

#[test]
fn every_data_file_validates_against_its_schema() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for rel in json_files() {
        let Some(schema_name) = schema_for(&rel) else {
            continue;
        };
        let schema = load(&format!("schema/{schema_name}"));
        let validator = jsonschema::options()
            .with_retriever(LocalSchemas)
            .build(&schema)
            .unwrap_or_else(|e| panic!("rules/schema/{schema_name} does not compile: {e}"));
        let instance = load(&rel);
        for error in validator.iter_errors(&instance).take(5) {
            problems.push(format!("rules/{rel} at {}: {error}", error.instance_path()));
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} data files were checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    for rel in json_files().into_iter().filter(|f| f.starts_with("schema/")) {
        let schema = load(&rel);
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("rules/{rel} is not a valid JSON Schema: {e}"));
        let name = rel.strip_prefix("schema/").unwrap();
        if let Some(id) = schema.get("$id") {
            assert_eq!(id.as_str(), Some(format!("{SCHEMA_BASE}{name}").as_str()), "rules/{rel}: `$id` names the file");
        }
        assert_eq!(
            schema["$schema"].as_str(),
            Some("https://json-schema.org/draft/2020-12/schema"),
            "rules/{rel}: `$schema`"
        );
    }
}

#[test]
fn a_schema_rejects_a_broken_file() {
    let schema = load("schema/regions.schema.json");
    let validator = jsonschema::options().with_retriever(LocalSchemas).build(&schema).unwrap();
    assert!(validator.is_valid(&load("regions.json")));
    assert!(!validator.is_valid(&serde_json::json!({"regions": [{"id": 42}]})));
}

#[test]
fn every_file_under_rules_is_embedded() {
    let embedded: BTreeSet<String> = catalog().file_names().map(str::to_string).collect();
    let on_disk: BTreeSet<String> = json_files().into_iter().collect();
    assert_eq!(embedded, on_disk);
    for rel in rules_files() {
        assert!(
            rel.ends_with(".json") || rel.ends_with("README.md"),
            "rules/{rel} is neither JSON data nor a README, so the build ignores it"
        );
    }
}

/// `rules/curated/` (the generators' inputs, not embedded): every file is JSON, and every source
/// it cites is declared: in `api-sources.json` for the `api-*` files, else in
/// `policy-sources.json` or as the `openmeta-ram-<stem>` source of a ram block.
#[test]
fn curated_tables_cite_declared_sources() {
    let ids = |file: &str| -> BTreeSet<String> {
        load(file)["sources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
    };
    let api = ids("curated/api-sources.json");
    let mut policy = ids("curated/policy-sources.json");
    for block in load("curated/ram-blocks.json")["blocks"].as_array().unwrap() {
        policy.insert(format!("openmeta-ram-{}", block["stem"].as_str().unwrap()));
    }
    let files: Vec<String> =
        rules_files().into_iter().filter(|f| f.starts_with("curated/") && f.ends_with(".json")).collect();
    assert!(files.len() >= 10, "only {} files under rules/curated/", files.len());
    let mut problems = Vec::new();
    for rel in files {
        let declared = if rel.starts_with("curated/api-") { &api } else { &policy };
        let mut cited = Vec::new();
        collect_sources(&load(&rel), "", &mut cited);
        for (at, id) in cited {
            if !declared.contains(&id) {
                problems.push(format!("rules/{rel}#{at}: the source `{id}` is not declared"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_embedded_catalog_loads() {
    let catalog = ramlint::catalog::Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(catalog.is_region("cn-hangzhou"));
    assert!(catalog.is_service("vpc") && !catalog.is_service("eip"));
    let vpc = catalog.service("vpc").unwrap();
    assert!(vpc.catalogued && vpc.get("unassociateeipaddress").is_some());
    assert!(!catalog.apis.products.is_empty());
    for index in 0..catalog.apis.products.len() {
        assert!(
            catalog.apis.spec(index).is_some(),
            "the API spec of {} does not load",
            catalog.apis.products[index].file
        );
    }
    for code in catalog.action_services() {
        assert!(catalog.service(code).is_some(), "rules/actions/{code}.json does not load");
    }
}

/// The kind of a cross-parameter rule is typed: the data's three strings load, a misspelt one
/// does not (so the spec holding it fails `the_embedded_catalog_loads`).
#[test]
fn cross_rule_kinds_are_typed() {
    use ramlint::catalog::apis::{CrossRule, CrossRuleKind};
    let parse = |kind: &str| {
        serde_json::from_value::<CrossRule>(serde_json::json!({"rule": kind, "if": {"InstanceType": ["Nat"]}}))
            .map(|r| r.kind)
    };
    assert_eq!(parse("instance-type-mismatch").unwrap(), CrossRuleKind::InstanceTypeMismatch);
    assert_eq!(parse("parameter-not-applicable").unwrap(), CrossRuleKind::ParameterNotApplicable);
    assert_eq!(parse("missing-parameter").unwrap(), CrossRuleKind::MissingParameter);
    for typo in ["instance-type-mismatc", "InstanceTypeMismatch", "unknown-parameter", ""] {
        assert!(parse(typo).is_err(), "`{typo}` loads as a cross-parameter rule kind");
    }
}

fn service_codes() -> BTreeSet<String> {
    load("services.json")["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_lowercase())
        .collect()
}

fn resource_type_ids() -> BTreeSet<String> {
    load("resource-types.json")["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

fn format_ids() -> BTreeSet<String> {
    load("formats.json")["formats"].as_object().unwrap().keys().cloned().collect()
}

fn action_files() -> Vec<String> {
    json_files().into_iter().filter(|f| f.starts_with("actions/")).collect()
}

#[test]
fn action_files_name_their_service_and_sort_their_actions() {
    for rel in action_files() {
        let file = load(&rel);
        let code = rel.strip_prefix("actions/").unwrap().strip_suffix(".json").unwrap();
        assert_eq!(file["service"].as_str(), Some(code), "rules/{rel}: `service` is the file name");
        let names: Vec<String> =
            file["actions"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_lowercase()).collect();
        for pair in names.windows(2) {
            assert!(
                pair[0] < pair[1],
                "rules/{rel}: actions are sorted case-insensitively without repeats: `{}` then `{}`",
                pair[0],
                pair[1]
            );
        }
    }
}

#[test]
fn action_resources_name_known_resource_types() {
    let types = resource_type_ids();
    let services = service_codes();
    let mut problems = Vec::new();
    for rel in action_files() {
        for action in load(&rel)["actions"].as_array().unwrap() {
            for resource in action["resources"].as_array().into_iter().flatten() {
                let resource = resource.as_str().unwrap();
                let ok = resource == "*"
                    || types.contains(resource)
                    || resource.strip_suffix(":*").is_some_and(|s| services.contains(s));
                if !ok {
                    problems
                        .push(format!("rules/{rel}: {} names the unknown resource type `{resource}`", action["name"]));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every format id used by a value: `id_format` anywhere, `format` with a string value, and
/// the values of a cross-parameter rule's `then`.
fn collect_formats(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}/{key}");
                match (key.as_str(), v) {
                    ("id_format" | "format", Value::String(f)) => out.push((here, f.clone())),
                    ("then", Value::Object(then)) => out.extend(
                        then.iter().filter_map(|(p, f)| Some((format!("{here}/{p}"), f.as_str()?.to_string()))),
                    ),
                    _ => collect_formats(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_formats(v, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn formats_named_anywhere_exist_in_formats_json() {
    let formats = format_ids();
    let mut used = Vec::new();
    for rel in json_files().into_iter().filter(|f| !f.starts_with("schema/") && f != "formats.json") {
        let mut found = Vec::new();
        collect_formats(&load(&rel), "", &mut found);
        used.extend(found.into_iter().map(|(at, f)| (format!("rules/{rel}#{at}"), f)));
    }
    assert!(
        used.iter().any(|(at, f)| at.contains("UnassociateEipAddress") && f == "eip-id"),
        "the walk finds the formats of the API specs"
    );
    assert!(
        used.iter().any(|(at, _)| at.starts_with("rules/resource-types.json")),
        "the walk finds the id formats of resource types"
    );
    let unknown: Vec<_> = used.iter().filter(|(_, f)| !formats.contains(f)).collect();
    assert!(unknown.is_empty(), "formats missing from rules/formats.json: {unknown:?}");
}

#[test]
fn every_product_has_its_spec_file() {
    let products = load("apis/products.json");
    let products = products["products"].as_array().unwrap();
    assert!(!products.is_empty());
    for product in products {
        let file = product["file"].as_str().unwrap();
        let rel = format!("apis/{file}");
        assert!(rules_dir().join(&rel).is_file(), "rules/apis/products.json names the missing rules/{rel}");
        let spec = load(&rel);
        assert_eq!(spec["code"], product["code"], "rules/{rel}: `code`");
        assert_eq!(spec["version"], product["version"], "rules/{rel}: `version`");
        assert_eq!(
            file,
            format!("{}/{}.json", spec["code"].as_str().unwrap(), spec["version"].as_str().unwrap()),
            "spec files live at apis/<code>/<version>.json"
        );
    }
    let listed: BTreeSet<String> = products.iter().map(|p| format!("apis/{}", p["file"].as_str().unwrap())).collect();
    for rel in json_files().into_iter().filter(|f| f.starts_with("apis/") && f.matches('/').count() == 2) {
        assert!(listed.contains(&rel), "rules/{rel} is not listed in rules/apis/products.json");
    }
}

#[test]
fn escalation_actions_exist_in_the_ram_catalog() {
    let ram: BTreeSet<String> = load("actions/ram.json")["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_lowercase())
        .collect();
    let escalation = load("escalation.json");
    let actions = escalation["actions"].as_array().unwrap();
    assert!(!actions.is_empty());
    for entry in actions {
        let action = entry["action"].as_str().unwrap();
        let name = action
            .strip_prefix("ram:")
            .unwrap_or_else(|| panic!("escalation action `{action}` is not a `ram:` action"));
        assert!(ram.contains(&name.to_lowercase()), "escalation action `{action}` is not in rules/actions/ram.json");
    }
}

#[test]
fn aliases_and_groups_name_known_services() {
    let services = service_codes();
    let file = load("services.json");
    for alias in file["aliases"].as_array().unwrap() {
        let code = alias["code"].as_str().unwrap();
        let target = alias["use"].as_str().unwrap();
        assert!(!services.contains(code), "the alias `{code}` is itself a RAM code");
        assert!(services.contains(target), "the alias `{code}` points to the unknown code `{target}`");
    }
    for group in file["groups"].as_array().unwrap() {
        for code in group.as_array().unwrap() {
            assert!(services.contains(code.as_str().unwrap()), "the group {group} names an unknown code");
        }
    }
}

/// Known bug: `request::schema::api_schema` writes `"allOf": []` for an API without
/// cross-parameter rules, which JSON Schema rejects (`allOf` needs one item), so `compile`
/// returns `None` and the API's parameters are never validated (about 1,370 of 1,380 APIs).
#[test]
fn every_api_spec_compiles_to_a_validator() {
    let catalog = catalog();
    let mut failed = Vec::new();
    let regions = std::sync::Arc::new(catalog.regions.iter().cloned().collect());
    for index in 0..catalog.apis.products.len() {
        let spec = catalog.apis.spec(index).unwrap();
        for (name, api) in &spec.apis {
            if ramlint::request::schema::compile(api, &catalog.formats, &regions).is_none() {
                failed.push(format!("{} {} {name}", spec.product, spec.version));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} APIs do not compile, e.g. {:?}",
        failed.len(),
        failed.iter().take(5).collect::<Vec<_>>()
    );
}

/// `rules/authorization.json`, parsed the way the catalog parses it.
fn parsed_authorization(file: &Value) -> ramlint::catalog::data::AuthorizationFile {
    serde_json::from_value(file.clone()).unwrap_or_else(|e| panic!("rules/authorization.json does not parse: {e}"))
}

/// Every `source` a file cites outside its `sources` array, with where it is cited.
fn collect_sources(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}/{key}");
                match (key.as_str(), v) {
                    ("source", Value::String(s)) => out.push((here, s.clone())),
                    ("sources", _) if path.is_empty() => {}
                    _ => collect_sources(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_sources(v, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn authorization_source_problems(file: &Value) -> Vec<String> {
    let declared: BTreeSet<&str> =
        file["sources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    let mut cited = Vec::new();
    collect_sources(file, "", &mut cited);
    assert!(cited.len() > 10, "the walk finds the sources of `call` and `actions`");
    cited
        .into_iter()
        .filter(|(_, id)| !declared.contains(id.as_str()))
        .map(|(at, id)| format!("rules/authorization.json#{at}: the source `{id}` is not declared in `sources`"))
        .collect()
}

/// An enum value or default as the text a request carries.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The `{#Name}` placeholders of an ARN template.
fn placeholders(arn: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = arn;
    while let Some(open) = rest.find("{#") {
        let after = &rest[open + 2..];
        let Some(close) = after.find('}') else { break };
        names.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    names
}

/// The APIs whose calls `Plan::new` maps to `action` (the API's `ram_action`, else
/// `<ram_code>:<API name>`), each with its label and whether it is the API of the action's
/// name in a product whose RAM code is the action's code (the API the entry is written for).
fn apis_of_action<'c>(
    catalog: &'c ramlint::catalog::Catalog,
    action: &str,
    product: Option<&str>,
) -> Vec<(String, bool, &'c ramlint::catalog::apis::ApiSpec)> {
    let (code, name) = action.split_once(':').unwrap();
    let mut found = Vec::new();
    for index in 0..catalog.apis.products.len() {
        let spec = catalog.apis.spec(index).unwrap();
        if product.is_some_and(|p| !p.eq_ignore_ascii_case(&spec.code)) {
            continue;
        }
        let ram_code = spec.ram_code.as_deref().unwrap_or(&spec.code);
        for (api_name, api) in &spec.apis {
            let derived = api.ram_action.clone().unwrap_or_else(|| format!("{ram_code}:{api_name}"));
            if derived.eq_ignore_ascii_case(action) {
                let primary =
                    (product.is_some() || ram_code.eq_ignore_ascii_case(code)) && api_name.eq_ignore_ascii_case(name);
                found.push((format!("{} {} {api_name}", spec.code, spec.version), primary, api));
            }
        }
    }
    found
}

fn authorization_action_problems(file: &ramlint::catalog::data::AuthorizationFile) -> Vec<String> {
    let catalog = catalog();
    let mut problems = Vec::new();
    for entry in &file.actions {
        let action = &entry.action;
        let Some((code, name)) = action.split_once(':') else {
            problems.push(format!("`{action}` is not `<ram-code>:<Action>`"));
            continue;
        };
        match catalog.service(code) {
            None => problems.push(format!("`{action}`: rules/actions/{code}.json does not exist")),
            Some(service) if !service.catalogued => {
                problems.push(format!("`{action}`: rules/actions/{code}.json is not catalogued"));
            }
            Some(service) => match service.get(name) {
                Some(found) if found.name == name => {}
                Some(found) => problems.push(format!("`{action}` is spelled `{code}:{}` in the catalog", found.name)),
                None => problems.push(format!("`{action}` is not an action of rules/actions/{code}.json")),
            },
        }
    }
    // One entry per action, or per action and product (which wins for that product's API).
    let names: Vec<(String, String)> = file
        .actions
        .iter()
        .map(|a| (a.action.to_lowercase(), a.product.clone().unwrap_or_default().to_lowercase()))
        .collect();
    for pair in names.windows(2) {
        if pair[0] >= pair[1] {
            problems.push(format!(
                "actions are sorted case-insensitively, one entry each per product: `{:?}` then `{:?}`",
                pair[0], pair[1]
            ));
        }
    }
    problems
}

fn authorization_resource_problems(file: &ramlint::catalog::data::AuthorizationFile) -> Vec<String> {
    let catalog = catalog();
    let mut problems = Vec::new();
    for entry in &file.actions {
        let action = &entry.action;
        let apis = apis_of_action(catalog, action, entry.product.as_deref());
        if !apis.iter().any(|(_, primary, _)| *primary) {
            problems.push(format!(
                "`{action}`: no API of that name in a product whose `ram_code` is the action's code (rules/apis/)"
            ));
        }
        for resource in &entry.resources {
            let type_id = &resource.type_id;
            let Some(ty) = catalog.resource_types.get(type_id) else {
                problems.push(format!("`{action}`: the resource type `{type_id}` is not in rules/resource-types.json"));
                continue;
            };
            let template = placeholders(&ty.spec.arn);
            for placeholder in resource.bind.keys() {
                if !template.iter().any(|p| p.eq_ignore_ascii_case(placeholder)) {
                    problems.push(format!(
                        "`{action}`: `{type_id}` binds `{placeholder}`, which its ARN `{}` does not have",
                        ty.spec.arn
                    ));
                }
            }
            // The parameters the ARN is filled from: the bound ones, and unbound placeholders
            // by their own name (matched ignoring case, as `Plan::call` does).
            let mut exact = Vec::new();
            let mut by_name = Vec::new();
            for placeholder in &template {
                if placeholder.eq_ignore_ascii_case("regionId") || placeholder.eq_ignore_ascii_case("accountId") {
                    continue;
                }
                match resource.bind.iter().find(|(k, _)| k.eq_ignore_ascii_case(placeholder)) {
                    Some((_, param)) if param == "*" => {}
                    Some((_, param)) => exact.push(param.clone()),
                    None => by_name.push(placeholder.clone()),
                }
            }
            // A whole-ARN parameter names the resource; the template is its fallback.
            if let Some(param) = &resource.arn_param {
                exact.push(param.clone());
                by_name.clear();
            }
            for (label, primary, api) in &apis {
                let at = format!("`{action}` ({label}), resource `{type_id}`");
                for param in &exact {
                    if !api.parameters.contains_key(param) {
                        problems.push(format!("{at}: the bound parameter `{param}` is not a parameter of the API"));
                    }
                }
                for param in &by_name {
                    if !api.parameters.keys().any(|p| p.eq_ignore_ascii_case(param)) {
                        problems.push(format!(
                            "{at}: the placeholder `{param}` is neither bound nor a parameter of the API"
                        ));
                    }
                }
                for (param, values) in &resource.when {
                    let Some(spec) = api.parameters.get(param) else {
                        problems.push(format!("{at}: the `when` parameter `{param}` is not a parameter of the API"));
                        continue;
                    };
                    match &spec.values {
                        None if *primary => {
                            problems.push(format!("{at}: the `when` parameter `{param}` has no `enum`"));
                        }
                        None => {}
                        Some(allowed) => {
                            let allowed: Vec<String> = allowed.iter().map(value_text).collect();
                            for value in values.iter().filter(|v| !allowed.contains(v)) {
                                problems.push(format!(
                                    "{at}: `{value}` is not in the enum of `{param}` ({})",
                                    allowed.join(", ")
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    problems
}

fn authorization_context_problems(file: &ramlint::catalog::data::AuthorizationFile) -> Vec<String> {
    let catalog = catalog();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for source in &file.call.context {
        let key = &source.key;
        if !seen.insert(key.to_lowercase()) {
            problems.push(format!("the context key `{key}` is listed twice"));
        }
        let known = catalog.condition_key(key).filter(|k| k.match_kind.is_none());
        match known {
            Some(k) if k.key == *key && key.starts_with("acs:") => {}
            Some(k) if k.key == *key => problems.push(format!("the context key `{key}` is not a global `acs:` key")),
            Some(k) => {
                problems.push(format!("the context key `{key}` is spelled `{}` in rules/condition-keys.json", k.key))
            }
            None => problems.push(format!("the context key `{key}` is not in rules/condition-keys.json")),
        }
    }
    problems
}

#[test]
fn authorization_cites_declared_sources() {
    let problems = authorization_source_problems(&load("authorization.json"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn authorization_actions_are_catalogued_once_each() {
    let file = &catalog().authorization;
    assert!(!file.actions.is_empty());
    let problems = authorization_action_problems(file);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn authorization_resources_fit_their_types_and_apis() {
    let problems = authorization_resource_problems(&catalog().authorization);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn authorization_context_keys_are_global_condition_keys() {
    let file = &catalog().authorization;
    assert!(!file.call.context.is_empty());
    let problems = authorization_context_problems(file);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_authorization_schema_rejects_misspelled_and_malformed_entries() {
    let schema = load("schema/authorization.schema.json");
    let validator = jsonschema::options().with_retriever(LocalSchemas).build(&schema).unwrap();
    let original = load("authorization.json");
    assert!(validator.is_valid(&original));
    let edits: [(&str, Value); 5] = [
        ("/actions/1/resources/0/optinal", Value::Bool(true)),
        ("/actions/1/resources/0/bind/AllocationId", Value::from(42)),
        ("/actions/1/action", Value::from("ReleaseEipAddress")),
        ("/call/context/0/event/0", Value::from("userIdentity/accessKeyId")),
        ("/call/region/source", Value::Null),
    ];
    for (pointer, value) in edits {
        let mut file = original.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match file.pointer_mut(parent).unwrap() {
            Value::Object(map) => {
                map.insert(key.to_string(), value);
            }
            Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
            _ => unreachable!(),
        }
        assert!(!validator.is_valid(&file), "the schema accepts {pointer} = {:?}", file.pointer(pointer));
    }
}

/// The checks above report each kind of wrong entry (so a passing run means something).
#[test]
fn authorization_checks_reject_wrong_entries() {
    let original = load("authorization.json");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut file = original.clone();
        edit(&mut file);
        let parsed = parsed_authorization(&file);
        let mut problems = authorization_source_problems(&file);
        problems.extend(authorization_action_problems(&parsed));
        problems.extend(authorization_resource_problems(&parsed));
        problems.extend(authorization_context_problems(&parsed));
        problems.join("\n")
    };
    let entry = |file: &Value, action: &str| -> usize {
        file["actions"].as_array().unwrap().iter().position(|a| a["action"] == action).unwrap()
    };
    let associate = entry(&original, "vpc:AssociateEipAddress");
    let release = entry(&original, "vpc:ReleaseEipAddress");
    assert_eq!(broken(&|_| {}), "", "the unedited file passes");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("`nope` is not declared", Box::new(|f| f["call"]["context"][0]["source"] = "nope".into())),
        (
            "not an action of rules/actions/vpc.json",
            Box::new(move |f| f["actions"][release]["action"] = "vpc:ReleaseEipAddres".into()),
        ),
        (
            "rules/actions/nosuch.json does not exist",
            Box::new(move |f| f["actions"][release]["action"] = "nosuch:ReleaseEipAddress".into()),
        ),
        (
            "sorted case-insensitively",
            Box::new(move |f| {
                let copy = f["actions"][release].clone();
                f["actions"].as_array_mut().unwrap().push(copy);
            }),
        ),
        (
            "`vpc:nosuch` is not in rules/resource-types.json",
            Box::new(move |f| f["actions"][release]["resources"][0]["type"] = "vpc:nosuch".into()),
        ),
        (
            "binds `InstanceId`, which its ARN",
            Box::new(move |f| {
                f["actions"][associate]["resources"][2]["bind"] = serde_json::json!({"InstanceId": "InstanceId"})
            }),
        ),
        (
            "the bound parameter `NatId` is not a parameter",
            Box::new(move |f| f["actions"][associate]["resources"][2]["bind"]["NatGatewayId"] = "NatId".into()),
        ),
        (
            "the placeholder `HaVipId` is neither bound",
            Box::new(move |f| {
                f["actions"][associate]["resources"][3].as_object_mut().unwrap().remove("bind").map(drop).unwrap()
            }),
        ),
        (
            "`Natgateway` is not in the enum of `InstanceType`",
            Box::new(move |f| f["actions"][associate]["resources"][2]["when"]["InstanceType"][0] = "Natgateway".into()),
        ),
        (
            "the `when` parameter `Kind` is not a parameter",
            Box::new(move |f| f["actions"][associate]["resources"][2]["when"] = serde_json::json!({"Kind": ["Nat"]})),
        ),
        ("no API of that name", Box::new(move |f| f["actions"][release]["action"] = "ram:PassRole".into())),
        (
            "`acs:NoSuchKey` is not in rules/condition-keys.json",
            Box::new(|f| f["call"]["context"][0]["key"] = "acs:NoSuchKey".into()),
        ),
        ("is spelled `acs:SourceIp`", Box::new(|f| f["call"]["context"][0]["key"] = "acs:sourceip".into())),
        ("not a global `acs:` key", Box::new(|f| f["call"]["context"][0]["key"] = "vpc:tag".into())),
    ];
    for (expected, edit) in cases {
        let problems = broken(edit.as_ref());
        assert!(problems.contains(expected), "expected a problem containing {expected:?}, got:\n{problems}");
    }
}
