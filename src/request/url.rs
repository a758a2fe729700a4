//! Request URLs and query strings (`https://vpc.aliyuncs.com/?Action=...&AllocationId=...`).

/// Whether a file that is not JSON holds request URL or query-string lines: its name ends
/// in `.log`, `.txt` or `.url` (or the kind is forced to request) and its first non-blank
/// line has an `Action=` parameter.
pub fn looks_like_url_lines(name: &str, text: &str, forced: bool) -> bool {
    let lower = name.to_lowercase();
    let by_name = [".log", ".txt", ".url", ".log.gz", ".txt.gz"].iter().any(|e| lower.ends_with(e));
    (by_name || forced)
        && crate::lint::non_blank_lines(text).next().is_some_and(|(_, _, line)| line.contains("Action="))
}
