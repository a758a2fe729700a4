use super::Findings;
use crate::eval::replay::ReplayResult;
use crate::eval::Effect;
use crate::finding::{Finding, Target};

crate::rule_meta!(
    META,
    "unused-permission",
    Info,
    Audit,
    Replay,
    "with `--policy`: an allowed action pattern that no recorded call used"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    /// Fires, once the whole log is replayed, on every action pattern of an `Allow` statement
    /// (not a trust policy's) that allowed no replayed call, in its policy file; on the
    /// `NotAction` element of a statement that uses one, when it allowed no call.
    fn check_replay(&self, replay: &ReplayResult<'_>, cx: &mut Findings) {
        let ReplayResult::Run(run) = replay else { return };
        let (set, used, calls) = (run.set, &run.stats.used, run.stats.evaluated);
        for (index, file) in set.files.iter().enumerate() {
            for (s, statement) in set.statements.iter().enumerate().filter(|(_, s)| s.file == index) {
                if statement.effect != Some(Effect::Allow) || statement.trust {
                    continue;
                }
                let Some(scope) = &statement.action else { continue };
                let unused: Vec<(String, String, (usize, Option<usize>))> = if scope.not {
                    if used.contains(&(s, None)) {
                        continue;
                    }
                    vec![(scope.pointer.clone(), "the actions outside `NotAction`".to_string(), (s, None))]
                } else {
                    scope
                        .patterns
                        .iter()
                        .enumerate()
                        .filter(|(p, _)| !used.contains(&(s, Some(*p))))
                        .map(|(i, p)| (p.pointer.clone(), format!("`{}`", p.text), (s, Some(i))))
                        .collect()
                };
                for (pointer, what, pair) in unused {
                    // A grant that matched calls which another statement denied was not
                    // unneeded: it was overruled. Say so instead of calling it unused.
                    if let Some(&n) = run.stats.pending.get(&pair) {
                        let calls =
                            if n == 1 { "1 call whose decision depends" } else { "calls whose decision depends" };
                        let n = if n == 1 { String::new() } else { format!("{n} ") };
                        cx.emit(
                            Finding::new(
                                &META,
                                Target::value(pointer),
                                format!("{what} matched {n}{calls} on a key the record does not carry"),
                            )
                            .label("undetermined, not unused")
                            .help("the calls' records lack a key this statement's condition reads: give its value with `--context KEY=VALUE` before deciding")
                            .in_file(&file.name),
                        );
                        continue;
                    }
                    if let Some(&n) = run.stats.overruled.get(&pair) {
                        let calls = if n == 1 { "1 call that was".to_string() } else { format!("{n} calls that were") };
                        cx.emit(
                            Finding::new(
                                &META,
                                Target::value(pointer),
                                format!("{what} matched {calls} denied all the same"),
                            )
                            .label("overruled, not unused")
                            .help("the calls needed this grant, but a `Deny` statement (or a resource no statement allows) denied them: see their `denied-by-policy` findings before removing it")
                            .in_file(&file.name),
                        );
                        continue;
                    }
                    let replayed =
                        if calls == 1 { "1 replayed call".to_string() } else { format!("{calls} replayed calls") };
                    cx.emit(
                        Finding::new(&META, Target::value(pointer), format!("no replayed call used {what}"))
                            .label(format!("unused by the {replayed}"))
                            .help("no recorded call needed this grant: remove it for least privilege, or replay a longer log before deciding")
                            .in_file(&file.name),
                    );
                }
            }
        }
    }
}
