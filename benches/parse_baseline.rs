//! Baseline for the audit benchmark: parse every line of a JSON Lines file with serde_json
//! into a `Value`, on all cores, and print lines per second. Run by `scripts/bench.sh`
//! through `cargo bench --bench parse_baseline -- FILE`.

use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: parse_baseline FILE.jsonl");
        std::process::exit(2);
    };
    let start = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let parsed = lines
        .par_chunks(4096)
        .map(|c| c.iter().filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()).count())
        .sum::<usize>();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "serde_json baseline: {} lines ({} parsed) in {:.3} s = {:.0} lines/s",
        lines.len(),
        parsed,
        secs,
        lines.len() as f64 / secs
    );
}
