//! "Did you mean": the closest catalog entry to a misspelt input.

/// The best candidate within a small edit distance, preferring a case-insensitive exact
/// match. Ties go to the candidate closest in length, then to the first in alphabetical
/// order, so that the answer does not depend on the candidates' order (some come from hash
/// maps).
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    match closest_by_distance(input, &candidates) {
        Some((distance, best)) if distance <= 1 => Some(best),
        other => completion(input, &candidates).or(other.map(|(_, c)| c)),
    }
}

/// The shortest candidate that the input begins (`UnassociateEip` ->
/// `UnassociateEipAddress`), for inputs of five characters or more.
fn completion<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if input.chars().count() < 5 {
        return None;
    }
    let lower = input.to_lowercase();
    candidates
        .iter()
        .copied()
        .filter(|c| c.len() > input.len() && c.to_lowercase().starts_with(&lower))
        .min_by_key(|c| (c.len(), *c))
}

/// Letter counts of an ASCII text, case folded, in 64 buckets (several bytes may share one).
type Histogram = [u16; 64];

fn histogram(text: &str) -> Option<Histogram> {
    if !text.is_ascii() {
        return None;
    }
    let mut h = [0u16; 64];
    for b in text.bytes() {
        if let Some(n) = h.get_mut(usize::from(b.to_ascii_lowercase() & 63)) {
            *n = n.saturating_add(1);
        }
    }
    Some(h)
}

/// Whether `candidate` is surely farther than `limit` edits from the input whose histogram is
/// `input`: an edit changes the letter counts by at most 2 (a transposition by 0), so half
/// their difference bounds the distance from below; bucketing only lowers that bound. Cheap
/// next to the edit distance itself, so most of a long catalog is skipped without it. Only for
/// ASCII texts, whose case folding is byte by byte; `None` input never skips.
fn surely_farther(input: Option<&Histogram>, candidate: &str, limit: usize) -> bool {
    let (Some(input), Some(other)) = (input, histogram(candidate)) else { return false };
    let difference: usize = input.iter().zip(other.iter()).map(|(a, b)| usize::from(a.abs_diff(*b))).sum();
    difference.div_ceil(2) > limit
}

fn closest_by_distance<'a>(input: &str, candidates: &[&'a str]) -> Option<(usize, &'a str)> {
    let lower = input.to_lowercase();
    let limit = (input.chars().count() / 4).clamp(1, 3);
    let length = input.chars().count();
    let letters = histogram(input);
    let mut best: Option<(usize, usize, &'a str)> = None;
    for &candidate in candidates {
        if candidate == input {
            continue;
        }
        if candidate.len().abs_diff(input.len()) > limit || surely_farther(letters.as_ref(), candidate, limit) {
            continue;
        }
        let cand_lower = candidate.to_lowercase();
        let distance = if cand_lower == lower { 0 } else { strsim::osa_distance(&lower, &cand_lower) };
        let key = (distance, candidate.chars().count().abs_diff(length), candidate);
        if distance <= limit && best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(d, _, c)| (d, c))
}

/// The correction of a misspelt input when it is certain: the one candidate equal to it but
/// for case, or else the one candidate within the edit distance [`closest`] allows (no
/// completion, no tie between candidates). `--fix` applies only these.
pub fn certain<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let limit = (input.chars().count() / 4).clamp(1, 3);
    let mut same_case: Option<&'a str> = None;
    let mut close: Option<&'a str> = None;
    let (mut n_same, mut n_close) = (0usize, 0usize);
    let letters = histogram(input);
    for candidate in candidates {
        if candidate == input {
            return None;
        }
        if candidate.len().abs_diff(input.len()) > limit || surely_farther(letters.as_ref(), candidate, limit) {
            continue;
        }
        let cand_lower = candidate.to_lowercase();
        if cand_lower == lower {
            n_same += 1;
            same_case = Some(candidate);
        } else if strsim::osa_distance(&lower, &cand_lower) <= limit {
            n_close += 1;
            close = Some(candidate);
        }
    }
    match (n_same, n_close) {
        (1, _) => same_case,
        (0, 1) => close,
        _ => None,
    }
}

/// `did you mean `x`?` help text, when a candidate is close.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(closest("Alow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(closest("effect", ["Effect", "Action"]), Some("Effect"));
        assert_eq!(closest("StringEqual", ["StringEquals", "StringLike"]), Some("StringEquals"));
        assert_eq!(closest("cn-hangzou", ["cn-hangzhou", "cn-shanghai"]), Some("cn-hangzhou"));
        assert_eq!(closest("acs:CurrentDate", ["acs:CurrentTime", "acs:SourceIp"]), Some("acs:CurrentTime"));
        assert_eq!(closest("Permit", ["Allow", "Deny"]), None);
        // Equal distances: the closer length wins, whatever the order.
        let names = ["AssociateEipAddress", "UnassociateEipAddress"];
        assert_eq!(closest("DisassociateEipAddress", names), Some("UnassociateEipAddress"));
        assert_eq!(closest("DisassociateEipAddress", names.into_iter().rev()), Some("UnassociateEipAddress"));
        assert_eq!(closest("ab", ["ax", "aa"]), Some("aa"));
        assert_eq!(closest("ab", ["aa", "ax"]), Some("aa"));
        assert_eq!(
            closest("UnassociateEip", ["UnassociateHaVip", "UnassociateEipAddress"]),
            Some("UnassociateEipAddress")
        );
    }

    /// The letter-count bound never skips a candidate within the limit: the answers are those
    /// of the edit distance alone.
    #[test]
    fn the_letter_bound_is_below_the_edit_distance() {
        let words = [
            "UnassociateEipAddress",
            "AssociateEipAddress",
            "DescribeEipAddresses",
            "ListAliases",
            "ListeAliases",
            "cn-hangzhou",
            "cn-hangzou",
            "Allow",
            "Alow",
            "aLlOw",
            "ab",
            "ba",
            "ax",
            "StringEquals",
            "StringEqual",
            "abc-xyz",
            "xyz-abc",
            "ecs:Describe*",
            "A",
            "",
            "ListKeys",
            "ListKey",
            "GetObject",
            "GetObjcet",
        ];
        for a in words {
            let letters = histogram(a);
            for b in words {
                let distance = strsim::osa_distance(&a.to_lowercase(), &b.to_lowercase());
                for limit in 0..4 {
                    if distance <= limit {
                        assert!(!surely_farther(letters.as_ref(), b, limit), "{a} / {b}: {distance} <= {limit}");
                    }
                }
            }
        }
    }

    #[test]
    fn certain_corrections_have_one_candidate() {
        assert_eq!(certain("Alow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(certain("allow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(certain("cn-hangzou", ["cn-hangzhou", "cn-shanghai"]), Some("cn-hangzhou"));
        // Two candidates at the same distance: not certain, though `closest` picks one.
        assert_eq!(certain("ab", ["ax", "aa"]), None);
        // A case-insensitive match wins over near misses.
        assert_eq!(certain("effect", ["Effect", "Affect"]), Some("Effect"));
        // Completions are suggestions, never fixes.
        assert_eq!(certain("UnassociateEip", ["UnassociateEipAddress"]), None);
        assert_eq!(certain("Permit", ["Allow", "Deny"]), None);
        assert_eq!(certain("Allow", ["Allow", "Deny"]), None);
    }
}
