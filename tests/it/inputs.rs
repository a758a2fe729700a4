//! Which paths are read (issue 14, items 3 and 7): only regular files and `-`; a FIFO or a
//! device is refused with the reason instead of blocking or reading without end; folder
//! walks and `**` globs do not follow links to folders (two links to `.` made a glob
//! endless); a folder that cannot be listed is reported and the rest is linted; `simulate`
//! reads gzip policies.

use crate::common::TempDir;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

const POLICY: &str =
    r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#;

/// Runs ramlint in `dir` with a time limit: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("ramlint")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "ramlint {args:?} panicked: {stderr}");
    let code = output.status.code().unwrap_or_else(|| panic!("ramlint {args:?} did not end: {stderr}"));
    (code, String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_not_waited_for() {
    let dir = TempDir::new("inputs-fifo");
    dir.write("a.json", POLICY);
    mkfifo(&dir.path().join("p.json"));
    for command in ["check", "audit"] {
        let (code, out, err) = run(dir.path(), &[command, "--no-config", "p.json", "a.json"]);
        assert_eq!(code, 2, "{command}: {out}\n{err}");
        assert!(err.contains("cannot read `p.json`: it is a FIFO; only regular files and `-` are read"), "{err}");
        assert!(out.contains("1 file") || out.contains("files                 2"), "{command} lints the rest: {out}");
    }
    // In a folder walk too.
    let (code, _, err) = run(dir.path(), &["check", "--no-config", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("it is a FIFO"), "{err}");
    // And as a policy or a request of `simulate`.
    let (code, _, err) =
        run(dir.path(), &["simulate", "--no-config", "--policy", "p.json", "--action", "ecs:DescribeInstances"]);
    assert_eq!(code, 2);
    assert!(err.contains("it is a FIFO"), "{err}");
    let (code, _, err) = run(dir.path(), &["simulate", "--no-config", "--policy", "a.json", "--request", "p.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("it is a FIFO"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let dir = TempDir::new("inputs-device");
    let (code, _, err) = run(dir.path(), &["audit", "--no-config", "/dev/zero"]);
    assert_eq!(code, 2);
    assert!(err.contains("it is a character device"), "{err}");
}

#[cfg(unix)]
#[test]
fn links_to_folders_are_not_followed() {
    let dir = TempDir::new("inputs-links");
    dir.write("sub/a.json", POLICY);
    dir.write("b.json", POLICY);
    // Two links to `.` in each of two folders: following them is exponential in the depth.
    for (link, to) in [("sub/l1", "."), ("sub/l2", "."), ("l3", "."), ("l4", "sub")] {
        std::os::unix::fs::symlink(to, dir.path().join(link)).unwrap();
    }
    // A link to a file is read like the file.
    std::os::unix::fs::symlink("b.json", dir.path().join("c.json")).unwrap();
    for args in [
        &["check", "--no-config", "--format", "json", "**/*.json"][..],
        &["check", "--no-config", "--format", "json", "."],
    ] {
        let (code, out, err) = run(dir.path(), args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["summary"]["files"], 3, "{args:?}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("inputs-unreadable");
    dir.write("ok/a.json", POLICY);
    dir.write("locked/b.json", POLICY);
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok(); // root reads it anyway
    for args in [&["check", "--no-config", "."][..], &["check", "--no-config", "**/*.json"]] {
        let (code, out, err) = run(dir.path(), args);
        if readable {
            assert_eq!(code, 0, "{args:?}: {err}");
            continue;
        }
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains("cannot read `locked`: cannot list the folder: permission denied"), "{err}");
        assert!(out.contains("in 1 file"), "the rest is linted: {out}");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn simulate_reads_a_gzip_policy() {
    let dir = TempDir::new("inputs-gzip-policy");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(POLICY.as_bytes()).unwrap();
    dir.write("p.json.gz", encoder.finish().unwrap());
    let (code, out, err) =
        run(dir.path(), &["simulate", "--no-config", "--policy", "p.json.gz", "--action", "ecs:DescribeInstances"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.starts_with("decision: allowed"), "{out}");
    // A cut stream is an error that says so.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(POLICY.as_bytes()).unwrap();
    let full = encoder.finish().unwrap();
    dir.write("cut.json.gz", &full[..full.len() / 2]);
    let (code, _, err) =
        run(dir.path(), &["simulate", "--no-config", "--policy", "cut.json.gz", "--action", "ecs:DescribeInstances"]);
    assert_eq!(code, 2);
    assert!(err.contains("the gzip stream is truncated or"), "{err}");
}

#[test]
fn globs_match_as_before() {
    let dir = TempDir::new("inputs-globs");
    for file in ["a.json", "sub/b.json", "sub/deeper/c.json", ".hidden/d.json", "target/e.json"] {
        dir.write(file, POLICY);
    }
    let files = |pattern: &str| {
        let (code, out, err) = run(dir.path(), &["check", "--no-config", "--format", "json", pattern]);
        assert_eq!(code, 0, "{pattern}: {err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        report["summary"]["files"].as_u64().unwrap()
    };
    assert_eq!(files("*.json"), 1);
    assert_eq!(files("./*.json"), 1);
    assert_eq!(files("sub/*.json"), 1);
    assert_eq!(files("*/*.json"), 3, "sub, .hidden and target: a glob names its folders");
    assert_eq!(files("sub/**/*.json"), 2);
    assert_eq!(files("**/*.json"), 5);
}
