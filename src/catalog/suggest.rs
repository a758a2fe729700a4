//! "Did you mean": the closest catalog entry to a misspelt input.

/// The best candidate within a small edit distance, preferring a case-insensitive exact
/// match. Ties go to the first candidate in iteration order.
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let limit = (input.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let cand_lower = candidate.to_lowercase();
        let distance = if cand_lower == lower { 0 } else { strsim::damerau_levenshtein(&lower, &cand_lower) };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
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
    }
}
