//! Linting one source framed by [`crate::frame`] (one document, array, JSON Lines, URL
//! lines): kind detection (policy or recorded request), running the rules, resolving findings,
//! and counting records.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Resolver};
use crate::finding::Finding;
use crate::frame::embed::{self, Body, Host};
use crate::frame::{self, SkipReason};
use crate::json::{self, Node, Value};
use crate::model::call::{CallFact, CallParts};
use crate::model::language::Language;
use crate::model::policy::Policy;
use crate::request;
use crate::rules::{self, json_syntax, Context};
use crate::source::{LineIndex, Source};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What `--kind` says an input is: a recorded request, a policy whose language is detected
/// from its content, or a policy of one language (`docs/policy-languages.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Policy,
    Request,
    /// Policies in a Terraform configuration (`.tf`, `.tf.json`).
    Terraform,
    /// Policies in a ROS template (JSON or YAML).
    Ros,
    /// Policies in a Terraform plan (`terraform show -json`).
    Plan,
    RamPolicy,
    TrustPolicy,
    OssBucketPolicy,
    VpcEndpointPolicy,
    KmsKeyPolicy,
    #[value(name = "maxcompute-policy")]
    MaxComputePolicy,
    ControlPolicy,
    RosStackPolicy,
}

impl Kind {
    /// The host of embedded policies this kind forces, if it is one.
    pub fn host(self) -> Option<Host> {
        match self {
            Kind::Terraform => Some(Host::Terraform),
            Kind::Ros => Some(Host::Ros),
            Kind::Plan => Some(Host::Plan),
            _ => None,
        }
    }

    /// The policy language this kind names, if it names one.
    pub fn language(self) -> Option<Language> {
        match self {
            Kind::Policy | Kind::Request | Kind::Terraform | Kind::Ros | Kind::Plan => None,
            Kind::RamPolicy => Some(Language::RamPolicy),
            Kind::TrustPolicy => Some(Language::TrustPolicy),
            Kind::OssBucketPolicy => Some(Language::OssBucketPolicy),
            Kind::VpcEndpointPolicy => Some(Language::VpcEndpointPolicy),
            Kind::KmsKeyPolicy => Some(Language::KmsKeyPolicy),
            Kind::MaxComputePolicy => Some(Language::MaxComputePolicy),
            Kind::ControlPolicy => Some(Language::ControlPolicy),
            Kind::RosStackPolicy => Some(Language::RosStackPolicy),
        }
    }
}

/// Counts of request records: every record read is linted, skipped or unreadable.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub records: usize,
    pub linted: usize,
    pub skipped: usize,
    pub unreadable: usize,
    pub skipped_reasons: BTreeMap<String, usize>,
    pub by_api: BTreeMap<String, usize>,
    pub by_error_code: BTreeMap<String, BTreeMap<String, usize>>,
    /// Counts of the policy replay (`audit --policy`) and the observed calls (`generate`).
    pub replay: crate::eval::replay::Stats,
}

impl Tally {
    pub fn merge(&mut self, other: Tally) {
        self.records += other.records;
        self.linted += other.linted;
        self.skipped += other.skipped;
        self.unreadable += other.unreadable;
        for (k, v) in other.skipped_reasons {
            *self.skipped_reasons.entry(k).or_default() += v;
        }
        for (k, v) in other.by_api {
            *self.by_api.entry(k).or_default() += v;
        }
        for (api, codes) in other.by_error_code {
            let entry = self.by_error_code.entry(api).or_default();
            for (code, n) in codes {
                *entry.entry(code).or_default() += n;
            }
        }
        self.replay.merge(other.replay);
    }
}

/// What linting one file produced.
#[derive(Debug)]
pub struct FileReport {
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
    pub tally: Tally,
    pub facts: Vec<CallFact>,
    /// Why the file was not linted, when it was not.
    pub skipped: Option<SkipReason>,
    /// What the input was read as (`ram-policy`, `trust-policy`, `request`, `request-log`);
    /// `None` when it was not read as anything (skipped, or not JSON).
    pub kind: Option<&'static str>,
    /// Files a Terraform configuration reads policies from (`file()`, `templatefile()`), with
    /// the resource that reads each: linted once as inputs of their own.
    pub references: Vec<(String, String)>,
    /// The policy language of each document embedded in a Terraform, ROS or plan file, with
    /// the resource that holds it, in file order (JSON `files[].documents`).
    pub documents: Vec<(String, &'static str)>,
}

pub struct Linter<'c> {
    pub catalog: &'c Catalog,
    pub kind: Option<Kind>,
    /// Keep what the sequence rules need about each call (`audit` only).
    pub collect_facts: bool,
    /// Project settings for the policy rules.
    pub project: &'c rules::Project,
    /// Replay each call against a policy, or observe it (`audit --policy`, `generate`).
    pub replay: Option<&'c crate::eval::replay::Replay<'c>>,
    /// Checks the recorded calls (of `catalog`), keeping per API what the run works out.
    pub validator: request::Validator<'c>,
}

/// The kind a parsed document looks like.
pub fn detect(root: &Node) -> Option<Kind> {
    match &root.value {
        Value::Object(_) => {
            if is_request(root) {
                Some(Kind::Request)
            } else if root.get("Statement").is_some()
                || root.get("Version").is_some()
                || crate::model::policy::looks_like_policy(root)
            {
                Some(Kind::Policy)
            } else {
                None
            }
        }
        Value::Array(items) => (items.is_empty() || items.iter().any(is_request)).then_some(Kind::Request),
        _ => None,
    }
}

/// What became of an embedded document ([`Linter::lint_body`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyRead {
    /// Linted, in this language (`None`: not JSON and no attribute to say it).
    Linted(Option<Language>),
    /// A template directive leaves it unreadable before Terraform renders it.
    NotRendered,
}

/// The policy language of an embedded document: what the attribute that holds it says, else
/// what its content shows.
fn language_of(hint: Option<embed::Language>, root: &Node) -> Language {
    hint.map_or_else(|| Language::detect(root), model_language)
}

fn model_language(language: embed::Language) -> Language {
    match language {
        embed::Language::Ram => Language::RamPolicy,
        embed::Language::Trust => Language::TrustPolicy,
        embed::Language::Control => Language::ControlPolicy,
        embed::Language::OssBucket => Language::OssBucketPolicy,
        embed::Language::VpcEndpoint => Language::VpcEndpointPolicy,
        embed::Language::KmsKey => Language::KmsKeyPolicy,
        embed::Language::RosStack => Language::RosStackPolicy,
    }
}

fn is_request(root: &Node) -> bool {
    root.get("Action").is_some_and(|m| m.value.as_str().is_some()) || root.get("eventName").is_some()
}

/// Collects the diagnostics, counts and facts of one file (or one batch of its lines).
pub struct Run<'a> {
    pub resolver: Resolver<'a>,
    pub diagnostics: Vec<Diagnostic>,
    pub tally: Tally,
    pub facts: Vec<CallFact>,
    collect_facts: bool,
    file: Option<std::sync::Arc<str>>,
    /// Files read by `file()`/`templatefile()` (path, resource).
    pub references: Vec<(String, String)>,
    /// The language of each embedded document (resource, language).
    pub documents: Vec<(String, &'static str)>,
}

impl<'a> Run<'a> {
    pub fn new(resolver: Resolver<'a>, collect_facts: bool) -> Self {
        Run {
            resolver,
            diagnostics: Vec::new(),
            tally: Tally::default(),
            facts: Vec::new(),
            collect_facts,
            file: None,
            references: Vec::new(),
            documents: Vec::new(),
        }
    }

    fn push(&mut self, findings: Vec<Finding>, doc: Option<&Node>, base: usize, record: Option<usize>) {
        // Most records have no finding: nothing to resolve.
        if findings.is_empty() {
            return;
        }
        self.diagnostics.extend(self.resolver.resolve_all(findings, doc, base, record));
    }

    fn unreadable(&mut self, findings: Vec<Finding>, doc: Option<&Node>, base: usize, record: Option<usize>) {
        self.tally.records += 1;
        self.tally.unreadable += 1;
        self.push(findings, doc, base, record);
    }

    fn record(
        &mut self,
        linter: &Linter<'_>,
        mut outcome: request::Outcome,
        doc: Option<&Node>,
        base: usize,
        record: Option<usize>,
    ) {
        self.tally.records += 1;
        match &outcome.skipped {
            Some(reason) => {
                self.tally.skipped += 1;
                *self.tally.skipped_reasons.entry(reason.group().to_string()).or_default() += 1;
            }
            None => {
                self.tally.linted += 1;
                if let Some(api) = &outcome.api {
                    match self.tally.by_api.get_mut(api) {
                        Some(n) => *n += 1,
                        None => {
                            self.tally.by_api.insert(api.clone(), 1);
                        }
                    }
                    if let Some(code) = &outcome.error_code {
                        *self.tally.by_error_code.entry(api.clone()).or_default().entry(code.clone()).or_default() += 1;
                    }
                }
            }
        }
        if let (Some(replay), Some(call)) = (linter.replay, outcome.call.as_mut()) {
            // `--context` gives the keys the record lacks.
            replay.fill_context(&mut call.call.context);
            // A call the API would reject as recorded (an error finding) did not succeed either.
            let accepted = outcome.error_code.is_none()
                && !outcome.findings.iter().any(|f| f.severity == crate::finding::Severity::Error);
            if let Some(mut replayed) = replay.record(call, accepted, &mut self.tally.replay) {
                replayed.origin = Some(crate::eval::replay::Origin { file: self.resolver.file, record });
                outcome.findings.extend(rules::check_replay(&crate::eval::replay::ReplayResult::Call(&replayed)));
            }
        }
        if let Some(mut fact) = outcome.fact.filter(|_| self.collect_facts) {
            // A fact names its API only when it is kept: it names a resource key or a client token.
            if let Some(api) = fact.api.take() {
                let resolver = &self.resolver;
                let key = fact.key.map(|(kind, value, at)| {
                    // Not interned: a busy log names millions of distinct resources.
                    (kind, std::sync::Arc::from(value.as_str()), resolver.place_at(at.in_file(base), base, record))
                });
                let token = fact.token.map(|(hash, at)| (hash, resolver.place_at(at.in_file(base), base, record)));
                let file = self.file.get_or_insert_with(|| std::sync::Arc::from(self.resolver.file)).clone();
                self.facts.push(CallFact::new(CallParts {
                    file,
                    api,
                    time: fact.time,
                    fingerprint: fact.fingerprint,
                    record,
                    query: fact.query,
                    accepted: fact.accepted,
                    in_event: fact.in_event,
                    key,
                    token,
                }));
            }
        }
        self.push(outcome.findings, doc, base, record);
    }
}

impl Linter<'_> {
    /// Lints an already decoded text (framed as a file of that name would be).
    pub fn lint(&self, source: Source) -> FileReport {
        let whole = frame::text(&source.name, &source.text, self.requests());
        self.lint_whole(source.name, whole)
    }

    /// Reads and lints one input whole (`ramlint check`).
    pub fn lint_input(&self, input: &crate::discover::Input) -> Result<FileReport, crate::discover::ReadError> {
        let name = input.name();
        let whole = frame::read_as(input, &name, self.requests())?;
        Ok(self.lint_whole(name, whole))
    }

    /// Whether the kind is forced to request (URL lines are then recognised by content alone).
    pub fn requests(&self) -> bool {
        self.kind == Some(Kind::Request)
    }

    /// Lints a framed input. A document with invalid UTF-8 gets one finding at the byte and
    /// is not linted further; in a log, a record with invalid UTF-8 is unreadable and the
    /// other records are linted. A truncated input is linted as far as it goes.
    pub fn lint_whole(&self, name: String, whole: frame::Whole) -> FileReport {
        let frame::Whole { text, form, records, bad, problem } = whole;
        let source = Source { name, text: std::sync::Arc::from(text) };
        let text = source.text.clone();
        let lines = LineIndex::new(&text);
        let mut run = Run::new(
            Resolver { file: &source.name, text: &text, lines: Some(&lines), first_line: 0 },
            self.collect_facts,
        );
        let mut skipped = None;
        let mut kind = None;
        // Sniffed once (it searches the whole text).
        let host = if form == frame::Form::Document { self.host_of(&source.name, &text) } else { None };
        match (form, bad.first()) {
            (frame::Form::Document, _) if problem.as_ref().is_some_and(frame::DecodeProblem::too_large) => {}
            (frame::Form::Document, Some(byte)) if problem.is_none() => {
                let at = json::Span::new(byte.at, byte.at);
                run.push(vec![json_syntax::unreadable_input(&byte.problem().to_string(), at)], None, 0, None);
            }
            (frame::Form::Document, _) if host.is_some() => {
                let host = host.unwrap_or(Host::Terraform);
                let (read_as, reason) = self.lint_embedded(host, &source.name, &text, &mut run);
                kind = read_as;
                skipped = reason;
            }
            (frame::Form::Document, _) => match self.lint_text(&source.name, &text, &mut run) {
                Ok(read_as) => kind = read_as,
                Err(reason) => skipped = Some(reason),
            },
            (form, _) => {
                kind = Some("request-log");
                self.lint_lines(&records, &text, form == frame::Form::UrlLines, &mut run);
            }
        }
        if let Some(problem) = problem {
            // The decoding problem explains why the document does not parse: report it alone.
            run.diagnostics.retain(|d| !(d.rule == json_syntax::META.id && d.record.is_none()));
            let at = json::Span::new(text.len(), text.len());
            if problem.too_large() {
                // The document is one record, over the limit: counted as unreadable.
                run.unreadable(vec![json_syntax::oversize_document(&problem.to_string(), at)], None, 0, None);
            } else {
                let finding = json_syntax::unreadable_input(&problem.to_string(), at);
                run.push(vec![finding], None, 0, None);
            }
        }
        let Run { mut diagnostics, tally, facts, references, documents, .. } = run;
        crate::diagnostic::sort(&mut diagnostics);
        FileReport { diagnostics, tally, facts, skipped, source, kind, references, documents }
    }

    /// The host of embedded policies a file is: forced by `--kind`, or a Terraform or YAML
    /// name, or a ROS template or plan by its content.
    fn host_of(&self, name: &str, text: &str) -> Option<Host> {
        match self.kind {
            Some(kind) => kind.host(),
            None if embed::is_yaml_name(name) => Some(Host::Ros),
            None => embed::sniff(name, text),
        }
    }

    /// Lints the policies embedded in a host file: what it was read as, or why it was skipped
    /// (quietly: a Terraform or YAML file without a policy is no problem). Each document is a
    /// record (1-based, in file order); its findings point into the host and name the
    /// resource that holds it; findings that would judge a template part are not reported.
    fn lint_embedded(
        &self,
        host: Host,
        name: &str,
        text: &str,
        run: &mut Run<'_>,
    ) -> (Option<&'static str>, Option<SkipReason>) {
        if host == Host::Ros && embed::is_yaml_name(name) && !text.contains("ROSTemplateFormatVersion") {
            return (None, Some(SkipReason::NotEmbedding(host)));
        }
        let extraction = embed::extract(host, name, text);
        if let Some((message, _)) = &extraction.error {
            return (None, Some(SkipReason::HostSyntax(host, message.clone())));
        }
        if extraction.documents.is_empty() {
            return (Some(host.kind()), Some(SkipReason::NotEmbedding(host)));
        }
        let mut not_rendered = Vec::new();
        for (i, doc) in extraction.documents.iter().enumerate() {
            let start = run.diagnostics.len();
            if let Body::File { path, .. } = &doc.body {
                // Read on its own as an input of the run, once (`crate::commands::check`).
                let beside = std::path::Path::new(name).parent().unwrap_or(std::path::Path::new(""));
                run.references.push((beside.join(path).to_string_lossy().to_string(), doc.resource.clone()));
                continue;
            }
            let read = self.lint_body(&doc.body, text, Some(i + 1), Some(doc.language), run);
            if let BodyRead::Linted(Some(language)) = read {
                run.documents.push((doc.resource.clone(), language.name()));
            }
            if read == BodyRead::NotRendered {
                let line = match &doc.body {
                    Body::Text { map, .. } => {
                        let at = map.span(json::Span::new(0, 0)).start;
                        run.resolver.lines.map_or(0, |l| l.position(text, at).0)
                    }
                    _ => 0,
                };
                not_rendered.push(format!("`{}` (line {line})", doc.resource));
            }
            for d in run.diagnostics.get_mut(start..).unwrap_or_default() {
                d.resource = Some(doc.resource.clone());
            }
        }
        if not_rendered.is_empty() {
            return (Some(host.kind()), None);
        }
        let all = not_rendered.len() == extraction.documents.len();
        (Some(host.kind()), Some(SkipReason::NotRendered { documents: not_rendered, all }))
    }

    /// Lints one embedded document of the run's text (`text`) as record `record`: the language
    /// it was linted as, or `NotRendered` when it cannot be read before Terraform renders it (a
    /// template directive writes its JSON so that what is left does not parse: unknown, not
    /// wrong, and reported as not linted).
    fn lint_body(
        &self,
        body: &Body,
        text: &str,
        record: Option<usize>,
        hint: Option<embed::Language>,
        run: &mut Run<'_>,
    ) -> BodyRead {
        match body {
            Body::Text { text: derived, map, unknown, directives } => match json::parse(derived) {
                Ok(root) => {
                    let language = language_of(hint, &root);
                    let findings = self.policy_findings(&root, derived, unknown, language);
                    run.diagnostics.extend(run.resolver.resolve_through(derived, map, findings, Some(&root), record));
                    BodyRead::Linted(Some(language))
                }
                Err(_) if *directives => BodyRead::NotRendered,
                Err(err) => {
                    let finding = json_syntax::finding(&err, 0);
                    run.diagnostics.extend(run.resolver.resolve_through(derived, map, vec![finding], None, record));
                    BodyRead::Linted(hint.map(model_language))
                }
            },
            Body::Tree { root, unknown } => {
                let language = language_of(hint, root);
                let findings = self.policy_findings(root, text, unknown, language);
                run.push(findings, Some(root), 0, record);
                BodyRead::Linted(Some(language))
            }
            Body::File { .. } => BodyRead::Linted(None),
        }
    }

    /// Lints a policy file that a Terraform configuration reads with `file()` or
    /// `templatefile()`: its `${...}` parts are unknown values; its findings name the
    /// resource that reads it.
    pub fn lint_template_file(
        &self,
        input: &crate::discover::Input,
        resource: &str,
    ) -> Result<FileReport, crate::discover::ReadError> {
        let whole = frame::read(input, false)?;
        let source = Source { name: input.name(), text: std::sync::Arc::from(whole.text) };
        let text = source.text.clone();
        let lines = LineIndex::new(&text);
        let mut run = Run::new(
            Resolver { file: &source.name, text: &text, lines: Some(&lines), first_line: 0 },
            self.collect_facts,
        );
        // The language the attribute that reads the file holds (`alicloud_oss_bucket_policy`
        // reads an OSS bucket policy), else what the content shows.
        let hint = embed::language_of(resource);
        let read = self.lint_body(&embed::template_file(&text), &text, None, hint, &mut run);
        let skipped = (read == BodyRead::NotRendered)
            .then(|| SkipReason::NotRendered { documents: vec![format!("`{resource}`")], all: true });
        let kind = match read {
            BodyRead::Linted(language) => language.map(Language::name),
            BodyRead::NotRendered => None,
        };
        let Run { mut diagnostics, tally, facts, .. } = run;
        for d in &mut diagnostics {
            d.resource = Some(resource.to_string());
        }
        crate::diagnostic::sort(&mut diagnostics);
        let references = Vec::new();
        Ok(FileReport { diagnostics, tally, facts, skipped, source, kind, references, documents: Vec::new() })
    }

    /// The policy rules' findings on an embedded document, less those that judge an unknown
    /// value (`unknown`: spans of template parts in `text`, the text `root` indexes).
    fn policy_findings(&self, root: &Node, text: &str, unknown: &[json::Span], language: Language) -> Vec<Finding> {
        self.policy_findings_of(&Policy::new(root), root, text, unknown, language)
    }

    /// [`Linter::policy_findings`] of a policy already read.
    fn policy_findings_of(
        &self,
        policy: &Policy<'_>,
        root: &Node,
        text: &str,
        unknown: &[json::Span],
        language: Language,
    ) -> Vec<Finding> {
        let mut cx = Context::new(self.catalog, text, self.project).with_language(language);
        rules::check_policy(policy, &mut cx);
        let mut findings = cx.into_findings();
        if !unknown.is_empty() {
            let unknowns = embed::Unknowns::new(root, unknown);
            let at = Resolver { file: "", text, lines: None, first_line: 0 };
            let mut spans = json::Spans::new(root);
            findings.retain(|f| !unknowns.judged_by(at.span_of(&f.primary, &mut spans)));
        }
        findings
    }

    /// Lints one document: what it was read as (`None`: not JSON), or why it was skipped.
    fn lint_text(&self, name: &str, text: &str, run: &mut Run<'_>) -> Result<Option<&'static str>, SkipReason> {
        match json::parse(text) {
            Ok(root) => self.lint_document(name, &root, text, run).map(Some),
            Err(_) if text.trim().is_empty() => {
                run.push(vec![json_syntax::empty_file(json::Span::new(0, 0))], None, 0, None);
                Ok(None)
            }
            Err(err) => {
                let name = run.resolver.file.to_ascii_lowercase();
                let name = name.strip_suffix(".gz").unwrap_or(&name);
                let log = [".txt", ".log", ".url"].iter().any(|e| name.ends_with(e));
                let what = if log { json_syntax::Unparsed::TextLog } else { json_syntax::Unparsed::Document };
                run.push(vec![json_syntax::finding_in(&err, 0, what)], None, 0, None);
                Ok(None)
            }
        }
    }

    /// Lints one parsed document of file `name`. A policy's language is what `--kind` names,
    /// else what a `[[kinds]]` entry of `ramlint.toml` whose glob matches `name` names, else
    /// what its content shows ([`Language::detect`]).
    fn lint_document(
        &self,
        name: &str,
        root: &Node,
        text: &str,
        run: &mut Run<'_>,
    ) -> Result<&'static str, SkipReason> {
        match self.kind.or_else(|| detect(root)) {
            Some(Kind::Request) => self.lint_request_document(root, text, run),
            // The hosts of embedded policies are read by `lint_embedded`, never as one document.
            Some(Kind::Terraform | Kind::Ros | Kind::Plan) | None => Err(SkipReason::NotPolicyOrRequest),
            Some(kind) => {
                let language = kind
                    .language()
                    .or_else(|| self.project.language_of(name))
                    .unwrap_or_else(|| Language::detect(root));
                let findings = self.policy_findings_of(
                    &Policy::new(root),
                    root,
                    text,
                    &embed::resource_template_parts(root, text),
                    language,
                );
                run.push(findings, Some(root), 0, None);
                Ok(language.name())
            }
        }
    }

    fn lint_request_document(&self, root: &Node, text: &str, run: &mut Run<'_>) -> Result<&'static str, SkipReason> {
        match &root.value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.lint_request(item, text, 0, Some(i + 1), run);
                }
                Ok("request-log")
            }
            _ => {
                self.lint_request(root, text, 0, None, run);
                Ok("request")
            }
        }
    }

    /// Lints the records of a log in parallel (chunks of records), merging in record order;
    /// `text` is what the records' offsets index into.
    pub fn lint_lines(&self, records: &[frame::Record], text: &str, url: bool, run: &mut Run<'_>) {
        let resolver = &run.resolver;
        let parts: Vec<(Vec<Diagnostic>, Tally, Vec<CallFact>)> = records
            .par_chunks(256)
            .map(|chunk| {
                let mut sub = Run::new(
                    Resolver {
                        file: resolver.file,
                        text: resolver.text,
                        lines: resolver.lines,
                        first_line: resolver.first_line,
                    },
                    self.collect_facts,
                );
                for record in chunk {
                    if let Some(len) = record.oversize {
                        let at = json::Span::new(record.start, record.start);
                        let finding = json_syntax::oversize_record(len, frame::max_record_size(), at);
                        sub.unreadable(vec![finding], None, record.start, Some(record.number));
                        continue;
                    }
                    match record.bad {
                        Some(byte) => {
                            let at = json::Span::new(byte.at, byte.at);
                            let finding = json_syntax::invalid_record(&byte.problem().to_string(), at);
                            sub.unreadable(vec![finding], None, record.start, Some(record.number));
                        }
                        None => self.lint_line(record.text(text), record.start, record.number, url, &mut sub),
                    }
                }
                (sub.diagnostics, sub.tally, sub.facts)
            })
            .collect();
        for (diagnostics, tally, facts) in parts {
            run.diagnostics.extend(diagnostics);
            run.tally.merge(tally);
            run.facts.extend(facts);
        }
    }

    /// Lints one line of a JSON Lines or URL-lines log; `base` is its byte offset in the text
    /// the run resolves against.
    pub fn lint_line(&self, line: &str, base: usize, number: usize, url: bool, run: &mut Run<'_>) {
        if url {
            let outcome = self.validator.lint_url_line(line, base, self.want());
            run.record(self, outcome, None, base, Some(number));
            return;
        }
        match json::parse(line) {
            Ok(root) => self.lint_request(&root, line, base, Some(number), run),
            Err(e) => {
                let finding = json_syntax::finding_in(&e, base, json_syntax::Unparsed::Record);
                run.unreadable(vec![finding], None, base, Some(number));
            }
        }
    }

    /// `text` is what the node's spans index into, starting at byte `base` of the run's text.
    fn lint_request(&self, root: &Node, text: &str, base: usize, record: Option<usize>, run: &mut Run<'_>) {
        if root.as_object().is_none() || !is_request(root) {
            let findings = request::lint_not_a_request(self.catalog, root, text);
            run.unreadable(findings, Some(root), base, record);
            return;
        }
        let outcome = self.validator.lint_record(root, text, self.want());
        run.record(self, outcome, Some(root), base, record);
    }

    fn want(&self) -> request::Want<'_> {
        request::Want {
            facts: self.collect_facts,
            calls: self.replay.is_some(),
            account: self.replay.and_then(|r| r.account.as_deref()),
            keys: self.replay.and_then(|r| r.policy).map(|p| p.keys.as_slice()),
        }
    }
}

/// The warnings about `--policy` files: a trust policy (it grants no calls), and a file that
/// holds errors RAM would reject (statements that cannot be evaluated never apply, so a
/// decision may differ from what the author meant).
pub fn policy_warnings(set: &crate::eval::PolicySet, catalog: &Catalog) -> Vec<String> {
    let project = rules::Project::default();
    set.files
        .iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let mine: Vec<&crate::eval::Statement> = set.statements.iter().filter(|s| s.file == index).collect();
            if !mine.is_empty() && mine.iter().all(|s| s.trust) {
                return Some(format!(
                    "warning: `{}` is a trust policy: it says who may assume a role and grants no calls",
                    f.name
                ));
            }
            // The policy rules over the tree already parsed.
            let mut cx = Context::new(catalog, &f.text, &project);
            rules::check_policy(&Policy::new(&f.root), &mut cx);
            let errors =
                cx.into_findings().iter().filter(|d| d.severity == crate::finding::Severity::Error).count();
            (errors > 0).then(|| {
                format!(
                    "warning: `{}` has {errors} error{} RAM would reject; an element that cannot be evaluated never applies (run `ramlint check {}`)",
                    f.name,
                    if errors == 1 { "" } else { "s" },
                    f.name
                )
            })
        })
        .collect()
}
