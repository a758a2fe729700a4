//! `ramlint simulate` through the binary: exit codes (0 allow, 1 explicit or implicit deny, 2
//! usage and input errors), the `decision` and `matched` members of `--format json`, and
//! snapshots of the text trace. The policies are `tests/data/eval/` (see its README); the
//! command runs in that folder so the trace names them as given.

use predicates::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

const EIP: &str = "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-bp1m6u2o8y4r7t3w5q9z0";
const INSTANCE: &str = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-bp1c8k3n7s2q9x4v6m1t";
/// A fixed `acs:CurrentTime`, so that no output depends on the clock.
const NOW: &str = "acs:CurrentTime=2026-03-02T09:00:00Z";

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval")
}

fn ramlint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("ramlint");
    cmd.current_dir(data()).env("NO_COLOR", "1");
    cmd
}

/// `ramlint simulate --context <NOW> <args>`: the exit code, stdout and stderr.
fn simulate(args: &[&str]) -> (i32, String, String) {
    let output = ramlint().arg("simulate").args(["--context", NOW]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "ramlint simulate {args:?} panicked: {stderr}");
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), stderr)
}

/// The text trace (`--color never`), which must exit with `code`.
fn trace(args: &[&str], code: i32) -> String {
    let (actual, stdout, stderr) = simulate(&[args, &["--color", "never"]].concat());
    assert_eq!(actual, code, "ramlint simulate {args:?}:\n{stdout}\n{stderr}");
    assert!(!stdout.contains('\u{1b}'), "--color never printed an escape sequence:\n{stdout}");
    stdout
}

/// The JSON report, which must exit with `code`.
fn report(args: &[&str], code: i32) -> Value {
    let (actual, stdout, stderr) = simulate(&[args, &["--format", "json"]].concat());
    assert_eq!(actual, code, "ramlint simulate {args:?}:\n{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Checks the contract's `matched` shape ({file, pointer, effect}, nothing else) and returns it.
fn matched(report: &Value) -> &Vec<Value> {
    let matched = report["matched"].as_array().unwrap_or_else(|| panic!("no `matched` array: {report:#}"));
    for m in matched {
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["effect", "file", "pointer"], "a `matched` entry has exactly these members: {m}");
    }
    matched
}

/// Runs a command that must fail with exit code 2 and returns its stderr.
fn usage_error(args: &[&str]) -> String {
    let (code, stdout, stderr) = simulate(args);
    assert_eq!(code, 2, "ramlint simulate {args:?} should fail:\n{stdout}\n{stderr}");
    assert!(stdout.is_empty(), "an error prints no report: {stdout}");
    stderr
}

// ---------------------------------------------------------------------------------------------
// Exit codes and the JSON contract

#[test]
fn allow_exits_0_and_names_the_allowing_statement() {
    let r = report(&["--policy", "operator.json", "--action", "vpc:ReleaseEipAddress", "--resource", EIP], 0);
    assert_eq!(r["decision"], "allow");
    assert_eq!(matched(&r), &vec![json!({"file": "operator.json", "pointer": "/Statement/0", "effect": "Allow"})]);
    assert_eq!(r["action"], "vpc:ReleaseEipAddress");
}

#[test]
fn explicit_deny_exits_1_and_names_only_the_deny() {
    // The order of the policies does not matter.
    for (first, second) in [("operator.json", "guard.json"), ("guard.json", "operator.json")] {
        let args = ["--policy", first, "--policy", second, "--action", "vpc:ReleaseEipAddress", "--resource", EIP];
        let r = report(&args, 1);
        assert_eq!(r["decision"], "explicit-deny");
        assert_eq!(matched(&r), &vec![json!({"file": "guard.json", "pointer": "/Statement/0", "effect": "Deny"})]);
    }
    // One `--policy` may take several files.
    let r =
        report(&["--policy", "operator.json", "guard.json", "--action", "vpc:ReleaseEipAddress", "--resource", EIP], 1);
    assert_eq!(r["decision"], "explicit-deny");
}

#[test]
fn implicit_deny_exits_1_and_matches_nothing() {
    // No statement names the action.
    let r = report(&["--policy", "operator.json", "--action", "vpc:AssociateEipAddress", "--resource", EIP], 1);
    assert_eq!(r["decision"], "implicit-deny");
    assert!(matched(&r).is_empty(), "{r:#}");
    // The condition does not hold: the source address is outside the office networks.
    let args = ["--policy", "office-only.json", "--action", "vpc:UnassociateEipAddress", "--resource", EIP];
    let r = report(&[&args[..], &["--context", "acs:SourceIp=203.0.113.7"]].concat(), 1);
    assert_eq!(r["decision"], "implicit-deny");
    assert!(matched(&r).is_empty(), "{r:#}");
    assert_eq!(r["statements"][0]["applies"], false);
    assert_eq!(r["statements"][0]["at"], "/Statement/0/Condition/IpAddress/acs:SourceIp");
    // ... nor when the call carries no source address at all.
    let r = report(&args, 1);
    assert_eq!(r["decision"], "implicit-deny");
    // It holds from inside one of them.
    let r = report(&[&args[..], &["--context", "acs:SourceIp=192.168.1.20"]].concat(), 0);
    assert_eq!(r["decision"], "allow");
    assert_eq!(matched(&r), &vec![json!({"file": "office-only.json", "pointer": "/Statement/0", "effect": "Allow"})]);
}

#[test]
fn every_resource_must_be_allowed_and_policies_combine() {
    let both = ["--action", "vpc:UnassociateEipAddress", "--resource", EIP, "--resource", INSTANCE];
    // One policy covers the EIP only: the instance is implicitly denied, so is the call.
    let r = report(&[&["--policy", "operator.json"][..], &both].concat(), 1);
    assert_eq!(r["decision"], "implicit-deny");
    assert!(matched(&r).is_empty(), "{r:#}");
    assert_eq!(r["resources"][0]["decision"], "allow");
    assert_eq!(r["resources"][1]["decision"], "implicit-deny");
    // With the second policy each resource is allowed by a different one.
    let r = report(&[&["--policy", "operator.json", "--policy", "instances.json"][..], &both].concat(), 0);
    assert_eq!(r["decision"], "allow");
    assert_eq!(
        matched(&r),
        &vec![
            json!({"file": "operator.json", "pointer": "/Statement/0", "effect": "Allow"}),
            json!({"file": "instances.json", "pointer": "/Statement/0", "effect": "Allow"}),
        ]
    );
}

#[test]
fn a_call_without_resource_is_on_every_resource() {
    // `operator.json` grants EIPs only, not `*`.
    let r = report(&["--policy", "operator.json", "--action", "vpc:DescribeEipAddresses"], 1);
    assert_eq!(r["decision"], "implicit-deny");
    assert_eq!(r["resources"], json!([{"resource": "*", "decision": "implicit-deny", "matched": []}]));
}

#[test]
fn errors_exit_2() {
    let release = ["--action", "vpc:ReleaseEipAddress", "--resource", EIP];
    let missing = usage_error(&[&["--policy", "missing.json"][..], &release].concat());
    assert!(missing.contains("missing.json"), "{missing}");
    let broken = usage_error(&[&["--policy", "broken.json"][..], &release].concat());
    assert!(broken.contains("broken.json") && broken.contains("invalid JSON"), "{broken}");
    let empty = usage_error(&[&["--policy", "no-statement.json"][..], &release].concat());
    assert!(empty.contains("no-statement.json") && empty.contains("Statement"), "{empty}");
    // One bad policy among good ones is still an error.
    usage_error(&[&["--policy", "operator.json", "--policy", "broken.json"][..], &release].concat());

    for pattern in ["vpc:*", "vpc:Release*", "vpc:ReleaseEip?ddress", "*"] {
        let stderr = usage_error(&["--policy", "operator.json", "--action", pattern]);
        assert!(stderr.contains("pattern") || stderr.contains("not an action"), "{pattern}: {stderr}");
    }
    let stderr = usage_error(&["--policy", "operator.json", "--action", "ReleaseEipAddress"]);
    assert!(stderr.contains("not an action"), "{stderr}");

    let typo = usage_error(&["--policy", "operator.json", "--action", "vpc:ReleaseEipAdress"]);
    assert!(typo.contains("unknown action `vpc:ReleaseEipAdress`"), "{typo}");
    assert!(typo.contains("did you mean `vpc:ReleaseEipAddress`?"), "{typo}");

    for context in ["acs:SourceIp", "=203.0.113.7", " =x"] {
        let stderr = usage_error(&[&["--policy", "operator.json", "--context", context][..], &release].concat());
        assert!(stderr.contains("KEY=VALUE"), "{context}: {stderr}");
    }
    // `--policy` is required.
    ramlint().args(["simulate", "--action", "vpc:ReleaseEipAddress"]).assert().code(2);
}

#[test]
fn a_context_value_may_contain_equals_signs() {
    let r = report(
        &[
            "--policy",
            "operator.json",
            "--action",
            "vpc:ReleaseEipAddress",
            "--resource",
            EIP,
            "--context",
            "acs:UserAgent=a=b",
        ],
        0,
    );
    assert_eq!(r["decision"], "allow");
}

#[test]
fn text_and_json_agree_on_the_exit_code() {
    for (args, code) in [
        (&["--policy", "operator.json", "--action", "vpc:ReleaseEipAddress"][..], 1),
        (&["--policy", "operator.json", "--action", "vpc:ReleaseEipAddress", "--resource", EIP][..], 0),
        (
            &[
                "--policy",
                "operator.json",
                "--policy",
                "guard.json",
                "--action",
                "vpc:ReleaseEipAddress",
                "--resource",
                EIP,
            ][..],
            1,
        ),
    ] {
        let text = trace(args, code);
        assert!(text.starts_with("decision: "), "{text}");
        report(args, code);
    }
    ramlint()
        .args(["simulate", "--context", NOW, "--policy", "operator.json", "--action", "vpc:ReleaseEipAddress"])
        .args(["--resource", EIP, "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("decision: allowed\n"));
}

// ---------------------------------------------------------------------------------------------
// The text trace

#[test]
fn trace_of_an_explicit_deny() {
    let text = trace(
        &[
            "--policy",
            "operator.json",
            "--policy",
            "guard.json",
            "--action",
            "vpc:ReleaseEipAddress",
            "--resource",
            EIP,
        ],
        1,
    );
    insta::assert_snapshot!("explicit_deny", text);
}

#[test]
fn trace_of_an_implicit_deny_by_a_failed_condition() {
    let text = trace(
        &[
            "--policy",
            "office-only.json",
            "--action",
            "vpc:UnassociateEipAddress",
            "--resource",
            EIP,
            "--context",
            "acs:SourceIp=203.0.113.7",
        ],
        1,
    );
    assert!(text.contains("`acs:SourceIp` is `203.0.113.7`, which does not satisfy `IpAddress`"), "{text}");
    insta::assert_snapshot!("implicit_deny_source_ip", text);
}

#[test]
fn trace_of_an_allow_across_two_policies() {
    let text = trace(
        &[
            "--policy",
            "operator.json",
            "--policy",
            "instances.json",
            "--action",
            "vpc:UnassociateEipAddress",
            "--resource",
            EIP,
            "--resource",
            INSTANCE,
        ],
        0,
    );
    insta::assert_snapshot!("allow_two_policies", text);
}

#[test]
fn a_recorded_call_is_evaluated_as_the_audit_replays_it() {
    // The event names its account: the guard's account-scoped deny hits it.
    let r = report(&["--policy", "operator.json", "guard.json", "--request", "release-event.json"], 1);
    assert_eq!(r["decision"], "explicit-deny");
    assert_eq!(r["resources"][0]["resource"], "acs:vpc:cn-hangzhou:1234567890123456:eip/eip-bp1h3k7d2n9s4x6c8v1q5");
    // The URL names none: unknown, it matches the guard's account too; another account does not.
    let r = report(&["--policy", "operator.json", "guard.json", "--request", "release-url.txt"], 1);
    assert_eq!(r["decision"], "explicit-deny");
    let args =
        ["--policy", "operator.json", "guard.json", "--request", "release-url.txt", "--account", "6543210987654321"];
    assert_eq!(report(&args, 0)["decision"], "allow");
    // `--context` replaces what the record carries.
    let args =
        ["--policy", "office-only.json", "--request", "release-event.json", "--context", "acs:SourceIp=10.1.2.3"];
    assert_eq!(report(&args, 1)["decision"], "implicit-deny", "office-only.json allows unassociating only");
    // `--request` and `--action` exclude each other; a file without a call is an error.
    let (code, _, _) = simulate(&["--policy", "operator.json", "--request", "release-event.json", "--action", "vpc:X"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = simulate(&["--policy", "operator.json", "--request", "guard.json"]);
    assert_eq!(code, 2, "{stderr}");
}

/// The README's sample trace is what the command prints.
#[test]
fn the_readme_sample_is_current() {
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["simulate", "--color", "never", "--policy", "tests/data/eval/office-only.json"])
        .args(["--action", "vpc:UnassociateEipAddress", "--resource", EIP, "--context", "acs:SourceIp=203.0.113.7"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(readme.contains(&text), "update the README's simulate sample to:\n{text}");
}

// ---------------------------------------------------------------------------------------------
// The shared setup: `--catalog` and `ramlint.toml`

/// A catalog overlay that adds a private `vpc` action, and a policy that allows every `vpc`
/// action, in a fresh folder.
fn private_action_dir() -> crate::common::TempDir {
    let dir = crate::common::TempDir::new("simulate-catalog");
    dir.write(
        "extra/actions/vpc.json",
        r#"{"service": "vpc", "catalogued": true, "actions": [{"name": "DescribeEipPrivatePreview", "access": "list"}]}"#,
    );
    dir.write(
        "vpc.json",
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "vpc:*", "Resource": "*"}]}"#,
    );
    dir
}

fn simulate_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = ramlint()
        .current_dir(dir)
        .args(["simulate", "--context", NOW, "--format", "json", "--policy", "vpc.json"])
        .args(["--action", "vpc:DescribeEipPrivatePreview"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), stderr)
}

#[test]
fn catalog_overlays_make_an_unknown_action_known() {
    let dir = private_action_dir();
    let (code, _, stderr) = simulate_in(dir.path(), &[]);
    assert_eq!(code, 2, "without the overlay the action is unknown: {stderr}");
    assert!(stderr.contains("unknown action `vpc:DescribeEipPrivatePreview`"), "{stderr}");
    let (code, stdout, stderr) = simulate_in(dir.path(), &["--catalog", "extra"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["decision"], "allow");
}

#[test]
fn the_configuration_of_the_working_folder_applies() {
    let dir = private_action_dir();
    dir.write("ramlint.toml", "catalog = [\"extra\"]\n");
    let (code, stdout, stderr) = simulate_in(dir.path(), &[]);
    assert_eq!(code, 0, "ramlint.toml's catalog applies: {stdout}\n{stderr}");
    let (code, _, stderr) = simulate_in(dir.path(), &["--no-config"]);
    assert_eq!(code, 2, "--no-config ignores it: {stderr}");
    dir.write("ramlint.toml", "no-such-setting = 1\n");
    let (code, _, stderr) = simulate_in(dir.path(), &["--catalog", "extra"]);
    assert_eq!(code, 2, "a broken ramlint.toml is an error here too: {stderr}");
}
