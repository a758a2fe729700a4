//! Hostile inputs (issue 14): each reproducer ends with exit code 0, 1 or 2, within seconds,
//! with a diagnostic where input was refused and every record counted. Large inputs are
//! generated here; their near-linear time is checked by `scripts/complexity_check.py`.

use crate::common::gzip;
use crate::common::TempDir;
use serde_json::Value;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn ramlint(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "ramlint {args:?} exited with {code:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let output = ramlint(dir, args);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

fn event() -> &'static str {
    r#"{"eventName":"DescribeRegions","eventSource":"ecs.aliyuncs.com","serviceName":"Ecs","eventVersion":"1","requestParameters":{}}"#
}

fn counts(report: &Value) -> (u64, u64, u64) {
    let s = &report["summary"];
    (s["records"].as_u64().unwrap(), s["linted"].as_u64().unwrap_or(0), s["unreadable"].as_u64().unwrap_or(0))
}

#[test]
fn underlining_past_column_65535_does_not_panic() {
    let dir = TempDir::new("hostile-column");
    dir.write("p.json", format!("{}x", " ".repeat(65_536)));
    let out = ramlint(dir.path(), &["check", "p.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("p.json:1:65537") && text.contains("too long to show"), "{text}");
    // A policy whose finding sits far along one line, through `simulate` too.
    let policy = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow",{}"Action":"ecs:Describe*","Resource":"*"}}]}}"#,
        " ".repeat(70_000)
    );
    dir.write("long.json", &policy);
    ramlint(dir.path(), &["check", "long.json"]);
    let out = ramlint(dir.path(), &["simulate", "--policy", "long.json", "--action", "vpc:DescribeEipAddresses"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // A `ramlint.toml` error on a long line.
    dir.write("ramlint.toml", format!("fail-on = \"error\"{}\n[rules]\nno-such-rule = \"off\"\n", " ".repeat(70_000)));
    dir.write("bad.toml", format!("{}fail-on = 3\n", " ".repeat(70_000)));
    let out = ramlint(dir.path(), &["check", "--config", "bad.toml", "p.json"]);
    assert_eq!(out.status.code(), Some(2));
    let out = ramlint(dir.path(), &["check", "p.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_unwritable_stderr_or_stdout_is_no_panic() {
    let Ok(full) = std::fs::File::options().write(true).open("/dev/full") else { return };
    let dir = TempDir::new("hostile-full");
    dir.write("p.json", r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#);
    let run = |args: &[&str], stdout: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ramlint"));
        cmd.current_dir(dir.path()).args(args).stdin(Stdio::null());
        if stdout {
            cmd.stdout(full.try_clone().unwrap()).stderr(Stdio::null());
        } else {
            cmd.stderr(full.try_clone().unwrap()).stdout(Stdio::null());
        }
        cmd.status().unwrap().code()
    };
    assert_eq!(run(&["check", "/nonexistent"], false), Some(2));
    assert_eq!(run(&["check", "p.json", "--baseline", "base.json", "--update-baseline"], false), Some(0));
    assert!(dir.path().join("base.json").exists());
    assert_eq!(run(&["check", "p.json"], true), Some(2));
    assert_eq!(run(&["audit", "p.json"], true), Some(2));
}

#[test]
fn a_broken_first_record_is_one_unreadable_record_of_the_log() {
    let dir = TempDir::new("hostile-first");
    let good = event();
    for (name, first) in
        [("truncated.jsonl", "{broken"), ("string.jsonl", "\"a bare string\""), ("cut.jsonl", r#"{"eventName":"Desc"#)]
    {
        let mut text = format!("{first}\n");
        for _ in 0..10 {
            text.push_str(good);
            text.push('\n');
        }
        dir.write(name, &text);
        dir.write(&format!("{name}.gz"), gzip(text.as_bytes()));
        for file in [name.to_string(), format!("{name}.gz")] {
            for command in ["check", "audit"] {
                let report = json(dir.path(), &[command, "--format", "json", &file]);
                assert_eq!(report["summary"]["records"], 11, "{command} {file}: {report}");
                if command == "audit" {
                    assert_eq!(counts(&report), (11, 10, 1), "{file}");
                }
                let rules: Vec<&str> =
                    report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
                assert_eq!(rules.len(), 1, "{command} {file}: {report}");
                assert_eq!(report["diagnostics"][0]["record"], 1, "{command} {file}");
            }
        }
    }
}

#[test]
fn lone_cr_line_endings_frame_a_log() {
    let dir = TempDir::new("hostile-cr");
    let text = format!("{e}\r{e}\r\n{e}\r", e = event());
    dir.write("cr.jsonl", &text);
    for command in ["check", "audit"] {
        let report = json(dir.path(), &[command, "--format", "json", "cr.jsonl"]);
        assert_eq!(report["summary"]["records"], 3, "{command}: {report}");
    }
    assert_eq!(counts(&json(dir.path(), &["audit", "--format", "json", "cr.jsonl"])), (3, 3, 0));
}

#[test]
fn a_record_over_the_size_limit_is_one_unreadable_record_and_reading_goes_on() {
    let dir = TempDir::new("hostile-size");
    let long = format!("{{\"eventName\":\"{}\"}}", "x".repeat(3 << 20));
    let text = format!("{e}\n{long}\n{e}\n{e}\n", e = event());
    dir.write("big.jsonl", &text);
    dir.write("big.jsonl.gz", gzip(text.as_bytes()));
    for file in ["big.jsonl", "big.jsonl.gz"] {
        for command in ["check", "audit"] {
            let report = json(dir.path(), &[command, "--format", "json", "--max-record-size", "1M", file]);
            assert_eq!(report["summary"]["records"], 4, "{command} {file}: {report}");
            let d = &report["diagnostics"][0];
            assert_eq!(
                (d["rule"].as_str(), d["record"].as_u64(), d["line"].as_u64()),
                (Some("json-syntax"), Some(2), Some(2))
            );
            assert!(d["message"].as_str().unwrap().contains("over the record size limit of 1048576 bytes"), "{d}");
        }
        assert_eq!(
            counts(&json(dir.path(), &["audit", "--format", "json", "--max-record-size", "1M", file])),
            (4, 3, 1)
        );
    }
    // The default limit reads it.
    assert_eq!(counts(&json(dir.path(), &["audit", "--format", "json", "big.jsonl"])).0, 4);
    // One document over the limit: one unreadable record, not read further.
    dir.write("doc.json", format!("{{\"Version\":\"1\",\"Statement\":\"{}\"}}", "y".repeat(2 << 20)));
    let report = json(dir.path(), &["audit", "--format", "json", "--max-record-size", "1M", "doc.json"]);
    assert_eq!(counts(&report), (1, 0, 1), "{report}");
    assert!(report["diagnostics"][0]["message"].as_str().unwrap().contains("record size limit"));
    let out = ramlint(dir.path(), &["check", "--max-record-size", "nonsense", "doc.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_gzip_bomb_is_stopped_with_a_diagnostic() {
    let dir = TempDir::new("hostile-bomb");
    // 256 MiB of zeros in about 250 KB.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        encoder.write_all(&zeros).unwrap();
    }
    dir.write("bomb.json.gz", encoder.finish().unwrap());
    for command in ["check", "audit"] {
        let report = json(dir.path(), &[command, "--format", "json", "--max-record-size", "1M", "bomb.json.gz"]);
        let message = report["diagnostics"][0]["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("decompression bomb") || message.contains("record size limit"),
            "{command}: {message}"
        );
    }
}

#[test]
fn audit_lists_a_bounded_number_of_findings_per_rule_and_counts_the_rest() {
    let dir = TempDir::new("hostile-spill");
    dir.write("many.jsonl", "{}\n".repeat(100_050));
    let report = json(dir.path(), &["audit", "--format", "json", "many.jsonl"]);
    assert_eq!(report["summary"]["by_rule"]["not-a-request"], 100_050);
    assert_eq!(report["summary"]["not_listed"]["not-a-request"], 50);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 100_000);
    let text = String::from_utf8(ramlint(dir.path(), &["audit", "many.jsonl"]).stdout).unwrap();
    assert!(
        text.contains("and 50 more `not-a-request` findings not listed"),
        "{}",
        &text[text.len().saturating_sub(800)..]
    );
}

#[test]
fn endless_devices_end_with_a_diagnostic() {
    for device in ["/dev/zero", "/dev/urandom"] {
        if !Path::new(device).exists() {
            continue;
        }
        let dir = TempDir::new("hostile-dev");
        // Named as a path: refused (no regular file), the run fails.
        let named = ramlint(dir.path(), &["audit", "--format", "json", device]);
        assert_eq!(named.status.code(), Some(2), "{device}");
        assert!(String::from_utf8_lossy(&named.stderr).contains("only regular files"), "{device}");
        // Piped to standard input: one record over the limit, then the end.
        let piped = Command::new(env!("CARGO_BIN_EXE_ramlint"))
            .current_dir(dir.path())
            .args(["audit", "--format", "json", "--max-record-size", "4M", "-"])
            .stdin(Stdio::from(std::fs::File::open(device).unwrap()))
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&piped.stdout).unwrap();
        assert!(report["diagnostics"].as_array().is_some_and(|d| !d.is_empty()), "{device}: {report}");
    }
}

#[test]
fn many_files_hold_few_descriptors_and_leave_no_spill_behind() {
    let dir = TempDir::new("hostile-many");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    for i in 0..1500 {
        dir.write(&format!("logs/f{i}.jsonl"), format!("{e}\n{{\"Action\":\"NoSuchApi\"}}\n", e = event()));
    }
    // 1,500 inputs under a limit of 256 descriptors.
    let output = Command::new("sh")
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .args(["-c", &format!("ulimit -n 256 && exec {} audit --format json logs", env!("CARGO_BIN_EXE_ramlint"))])
        .output()
        .unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 3000, "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "spill files left behind");
    // An error exit (a `--policy` that does not exist) leaves nothing either.
    let _ = Command::new(env!("CARGO_BIN_EXE_ramlint"))
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .args(["audit", "--policy", "missing.json", "logs"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn redundant_action_over_long_wildcards_is_bounded() {
    let dir = TempDir::new("hostile-redundant");
    let a = format!("ecs:*{}*", "a".repeat(150_000));
    let b = format!("ecs:*{}*", "a".repeat(149_999));
    dir.write(
        "p.json",
        format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":["{a}","{b}"],"Resource":"*"}}]}}"#),
    );
    ramlint(dir.path(), &["check", "--format", "json", "p.json"]);
}
