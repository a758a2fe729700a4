//! Baseline for the audit benchmark: read a JSON Lines file and parse every line with
//! serde_json into a `Value`, once on one core (the plain loop) and once on all cores, and
//! print lines per second for each (reading the file included in both). Run by
//! `scripts/bench.py` through `cargo bench --bench parse_baseline -- FILE`.

use rayon::prelude::*;
use std::time::Instant;

fn parse(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).is_ok()
}

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: parse_baseline FILE.jsonl");
        std::process::exit(2);
    };
    let read = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let read_secs = read.elapsed().as_secs_f64();
    let single = Instant::now();
    let parsed = lines.iter().filter(|l| parse(l)).count();
    let single_secs = read_secs + single.elapsed().as_secs_f64();
    let all = Instant::now();
    let parsed_all: usize = lines.par_chunks(4096).map(|c| c.iter().filter(|l| parse(l)).count()).sum();
    let all_secs = read_secs + all.elapsed().as_secs_f64();
    let n = lines.len() as f64;
    println!(
        "serde_json one core: {} lines ({parsed} parsed) in {single_secs:.3} s = {:.0} lines/s",
        lines.len(),
        n / single_secs
    );
    println!(
        "serde_json all cores: {} lines ({parsed_all} parsed) in {all_secs:.3} s = {:.0} lines/s",
        lines.len(),
        n / all_secs
    );
}
