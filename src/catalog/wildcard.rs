//! RAM wildcards: `*` matches any run of characters (including none), `?` exactly one.

/// Whether `pattern` matches `text`. Action names compare case-insensitively, so callers
/// pass `fold_case = true` for them.
pub fn matches(pattern: &str, text: &str, fold_case: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        let eq = |a: u8, b: u8| if fold_case { a.eq_ignore_ascii_case(&b) } else { a == b };
        return matches_seq(pattern.as_bytes(), text.as_bytes(), b'*', b'?', eq);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| if fold_case { a.to_lowercase().eq(b.to_lowercase()) } else { a == b };
    matches_seq(&p, &t, '*', '?', eq)
}

/// The wildcard match over any sequence of symbols (bytes for ASCII, so that the common case
/// does not allocate; chars otherwise).
fn matches_seq<T: Copy + PartialEq>(p: &[T], t: &[T], star_sym: T, any: T, eq: impl Fn(T, T) -> bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi).copied(), t.get(ti).copied()) {
            (Some(pc), _) if pc == star_sym => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(pc), Some(_)) if pc == any => {
                pi += 1;
                ti += 1;
            }
            (Some(pc), Some(tc)) if eq(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|&c| c == star_sym))
}

/// Whether every string `specific` can match is also matched by `general` (a sufficient
/// test: `general`'s `*` may absorb any part of `specific`, its `?` one non-`*` character,
/// and its literals must meet equal literals).
pub fn covers(general: &str, specific: &str, fold_case: bool) -> bool {
    // Quick rejection: the literal heads (before any wildcard) must agree.
    for (a, b) in general.chars().zip(specific.chars()) {
        if matches!(a, '*' | '?') || matches!(b, '*' | '?') {
            break;
        }
        let same = if fold_case { a.to_lowercase().eq(b.to_lowercase()) } else { a == b };
        if !same {
            return false;
        }
    }
    let g: Vec<char> = general.chars().collect();
    let s: Vec<char> = specific.chars().collect();
    let eq = |a: char, b: char| if fold_case { a.to_lowercase().eq(b.to_lowercase()) } else { a == b };
    // dp[i][j]: g[..i] covers s[..j]
    let width = s.len() + 1;
    let mut dp = vec![false; (g.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    if let Some(cell) = dp.get_mut(0) {
        *cell = true;
    }
    for i in 1..=g.len() {
        let gc = g.get(i - 1).copied().unwrap_or_default();
        for j in 0..=s.len() {
            let value = if gc == '*' {
                dp.get(at(i - 1, j)).copied().unwrap_or(false)
                    || (j > 0 && dp.get(at(i, j - 1)).copied().unwrap_or(false))
            } else if j == 0 {
                false
            } else {
                let sc = s.get(j - 1).copied().unwrap_or_default();
                let fits = match gc {
                    '?' => sc != '*',
                    _ => sc != '*' && sc != '?' && eq(gc, sc),
                };
                fits && dp.get(at(i - 1, j - 1)).copied().unwrap_or(false)
            };
            if let Some(cell) = dp.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    dp.get(at(g.len(), s.len())).copied().unwrap_or(false)
}

pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(matches("vpc:*Eip*", "vpc:DescribeEipAddresses", true));
        assert!(matches("VPC:describeeip*", "vpc:DescribeEipAddresses", true));
        assert!(!matches("vpc:*EipAdress*", "vpc:DescribeEipAddresses", true));
        assert!(matches("cn-?angzhou", "cn-hangzhou", false));
        assert!(matches("*", "", false));
        assert!(!matches("a?", "a", false));
    }

    #[test]
    fn covering() {
        assert!(covers("vpc:*Tag*", "vpc:*TagResource*", true));
        assert!(!covers("vpc:*TagResource*", "vpc:*Tag*", true));
        assert!(covers("vpc:Describe*", "vpc:DescribeEipAddresses", true));
        assert!(covers("*", "ecs:*", true));
        assert!(!covers("ecs:Describe?", "ecs:Describe*", true));
        assert!(covers("ecs:describe*", "ECS:DescribeInstances", true));
    }
}
