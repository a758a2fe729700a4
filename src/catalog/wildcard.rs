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
    // ASCII patterns (all real action patterns) are compared as bytes, without a copy.
    if general.is_ascii() && specific.is_ascii() {
        let eq = |a: u8, b: u8| if fold_case { a.eq_ignore_ascii_case(&b) } else { a == b };
        return covers_seq(general.as_bytes(), specific.as_bytes(), b'*', b'?', eq);
    }
    let g: Vec<char> = general.chars().collect();
    let s: Vec<char> = specific.chars().collect();
    let eq = |a: char, b: char| if fold_case { a.to_lowercase().eq(b.to_lowercase()) } else { a == b };
    covers_seq(&g, &s, '*', '?', eq)
}

/// [`covers`] over any sequence of symbols (bytes for ASCII, chars otherwise).
fn covers_seq<T: Copy + PartialEq>(g: &[T], s: &[T], star_sym: T, any: T, eq: impl Fn(T, T) -> bool) -> bool {
    let wild = |c: T| c == star_sym || c == any;
    // Quick rejection: the literal heads (before any wildcard) must agree.
    for (&a, &b) in g.iter().zip(s) {
        if wild(a) || wild(b) {
            break;
        }
        if !eq(a, b) {
            return false;
        }
    }
    // `general` is a wildcard pattern over `specific`'s symbols: its `?` takes one symbol that
    // is not `*`, a literal an equal literal, and its `*` any run. Every pattern symbol takes
    // one text symbol, so the greedy match with a return to the last `*` is exact; it needs
    // no table (memory linear in the patterns) and its steps are capped, past which the
    // answer is "not covered" (a missed suggestion, never a false one).
    let budget = COVER_STEPS.max(g.len().saturating_add(s.len()).saturating_mul(8));
    let fits = |gc: T, sc: T| {
        if gc == any {
            sc != star_sym
        } else {
            sc != star_sym && sc != any && eq(gc, sc)
        }
    };
    let (mut gi, mut si, mut steps) = (0usize, 0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        steps += 1;
        if steps > budget {
            return false;
        }
        match (g.get(gi).copied(), s.get(si).copied()) {
            (Some(gc), _) if gc == star_sym => {
                star = Some((gi, si));
                gi += 1;
            }
            (Some(gc), Some(sc)) if fits(gc, sc) => {
                gi += 1;
                si += 1;
            }
            _ => match star {
                Some((sg, ss)) => {
                    gi = sg + 1;
                    si = ss + 1;
                    star = Some((sg, ss + 1));
                }
                None => return false,
            },
        }
    }
    g.get(gi..).is_some_and(|rest| rest.iter().all(|&c| c == star_sym))
}

/// The steps [`covers`] may take at least (it may take 8 per symbol of its inputs): far more
/// than two real action patterns need, and a few milliseconds at most.
const COVER_STEPS: usize = 1 << 20;

/// Whether some string matches both patterns: `Some(true)` or `Some(false)`, decided exactly
/// over the pair of patterns (each position pair visited once), or `None` when the patterns are
/// so long that the pairs exceed [`INTERSECT_PAIRS`] (the caller then assumes the worst).
pub fn intersects(a: &str, b: &str, fold_case: bool) -> Option<bool> {
    if a == "*" || b == "*" {
        return Some(true);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let cells = (a.len() + 1).checked_mul(width).filter(|&n| n <= INTERSECT_PAIRS)?;
    let eq = |x: char, y: char| if fold_case { x.to_lowercase().eq(y.to_lowercase()) } else { x == y };
    // A product of the two patterns' automata: state (i, j) has read the same string up to
    // `a[..i]` and `b[..j]`; a `*` may be skipped or take one more character.
    let mut seen = vec![false; cells];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(cell) = seen.get_mut(i * width + j) else { continue };
        if *cell {
            continue;
        }
        *cell = true;
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x.is_none() && y.is_none() {
            return Some(true);
        }
        if x == Some('*') {
            stack.push((i + 1, j));
        }
        if y == Some('*') {
            stack.push((i, j + 1));
        }
        match (x, y) {
            (Some('*'), Some(c)) if c != '*' => stack.push((i, j + 1)),
            (Some(c), Some('*')) if c != '*' => stack.push((i + 1, j)),
            (Some(c), Some(d)) if c != '*' && d != '*' && (c == '?' || d == '?' || eq(c, d)) => {
                stack.push((i + 1, j + 1))
            }
            _ => {}
        }
    }
    Some(false)
}

/// The most position pairs [`intersects`] visits (a few megabytes of flags).
const INTERSECT_PAIRS: usize = 1 << 22;

pub fn has_wildcard(s: &str) -> bool {
    // Over bytes (an ASCII byte is never part of another character): a char-set search
    // decodes every character, and this is asked of every action and resource.
    s.bytes().any(|b| b == b'*' || b == b'?')
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
        assert!(covers("a*b*c", "a?xb*yc", false));
        assert!(!covers("a*b?", "a*b*", false));
        assert!(covers("*?", "a", false));
        assert!(!covers("*?", "*", false));
    }

    #[test]
    fn intersecting() {
        assert_eq!(intersects("vpc:*Eip*", "vpc:Describe*", true), Some(true));
        assert_eq!(intersects("eip/a*", "eip/b*", false), Some(false));
        assert_eq!(intersects("eip/*", "*/x", false), Some(true));
        assert_eq!(intersects("a?c", "ab*", false), Some(true));
        assert_eq!(intersects("a?", "a", false), Some(false));
        assert_eq!(intersects("A*", "a*", false), Some(false));
        assert_eq!(intersects("A*", "a*", true), Some(true));
        assert_eq!(intersects(&"a*".repeat(3000), &"*b".repeat(3000), false), None);
    }

    #[test]
    fn covering_long_patterns_is_bounded() {
        // 150,000 characters each: a table would need 22.5 G cells (minutes and gigabytes), so a
        // quadratic cover check shows up as a test that does not finish, not as a timing.
        let general = format!("ecs:*{}*", "a".repeat(150_000));
        let specific = format!("ecs:*{}*", "a".repeat(149_999));
        assert!(!covers(&general, &specific, true));
        let general = format!("ecs:{}*", "a?".repeat(75_000));
        let specific = format!("ecs:{}*", "ab".repeat(75_000));
        assert!(covers(&general, &specific, true));
    }
}
