use crate::diagnostic::{Diagnostic, Resolver};
use crate::eval::{Effect, PolicySet};
use crate::finding::{Finding, Target};
use crate::source::LineIndex;
use std::collections::BTreeSet;

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
}

/// One finding per action pattern of an `Allow` statement that allowed no replayed call
/// (per `NotAction` element when the statement uses one). `used` holds (statement, pattern)
/// pairs; `None` stands for a statement's `NotAction`.
pub fn check(set: &PolicySet, used: &BTreeSet<(usize, Option<usize>)>, calls: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, file) in set.files.iter().enumerate() {
        let lines = LineIndex::new(&file.text);
        let resolver = Resolver { file: &file.name, text: &file.text, lines: Some(&lines), first_line: 0 };
        for (s, statement) in set.statements.iter().enumerate().filter(|(_, s)| s.file == index) {
            if statement.effect != Some(Effect::Allow) || statement.trust {
                continue;
            }
            let Some(scope) = &statement.action else { continue };
            let unused: Vec<(String, String)> = if scope.not {
                if used.contains(&(s, None)) {
                    continue;
                }
                vec![(scope.pointer.clone(), "the actions outside `NotAction`".to_string())]
            } else {
                scope
                    .patterns
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| !used.contains(&(s, Some(*p))))
                    .map(|(_, p)| (p.pointer.clone(), format!("`{}`", p.text)))
                    .collect()
            };
            for (pointer, what) in unused {
                let replayed =
                    if calls == 1 { "1 replayed call".to_string() } else { format!("{calls} replayed calls") };
                let finding = Finding::new(&META, Target::value(pointer), format!("no replayed call used {what}"))
                    .label(format!("unused by the {replayed}"))
                .help("no recorded call needed this grant: remove it for least privilege, or replay a longer log before deciding");
                out.push(resolver.resolve(finding, Some(&file.root), 0, None));
            }
        }
    }
    out
}
