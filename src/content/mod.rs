//! Loading a content folder: playbooks and scenarios in RON, with every
//! problem reported as a compiler-grade diagnostic (file:line:col, the
//! offending text, a stable code and a hint). A file with an error is left out
//! of the [`Library`]; nothing else is lost.

mod checks;
pub mod diagnostic;
pub mod source;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

pub use diagnostic::{Diagnostic, Level};
use diagnostic::{closest, suggest};
pub use source::Source;

use crate::playbook::Playbook;
use crate::scenario::Scenario;

/// RON nesting deeper than this is refused (CD015) rather than risking the stack.
pub const MAX_NESTING: usize = 64;

/// A parsed file's value and where it came from.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub value: Arc<T>,
    pub path: PathBuf,
}

/// The playbooks and scenarios that loaded without errors.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub playbooks: Vec<Entry<Playbook>>,
    pub scenarios: Vec<Entry<Scenario>>,
}

impl Library {
    pub fn playbook(&self, id: &str) -> Option<&Arc<Playbook>> {
        self.playbooks
            .iter()
            .find(|e| e.value.id == id)
            .map(|e| &e.value)
    }

    pub fn scenario(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios
            .iter()
            .find(|e| e.value.id == id)
            .map(|e| &e.value)
    }

    /// A scenario and its playbook.
    pub fn drillable(&self, id: &str) -> Option<(Arc<Scenario>, Arc<Playbook>)> {
        let s = self.scenario(id)?;
        let p = self.playbook(&s.playbook)?;
        Some((s.clone(), p.clone()))
    }
}

/// The result of loading: the library, and every diagnostic of every file.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    /// The files read (those asked for, not those read for context).
    pub files: Vec<PathBuf>,
    sources: Vec<Source>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    pub fn source(&self, path: &Path) -> Option<&Source> {
        self.sources.iter().find(|s| s.path == path)
    }

    /// A diagnostic rendered like a compiler's: the message, the source line
    /// with a caret, and the hint.
    pub fn render(&self, d: &Diagnostic, color: bool) -> String {
        render(d, self.source(&d.file), color)
    }
}

/// What a content file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Playbook,
    Scenario,
}

/// Loads the given files and folders (folders are searched for `.ron` files).
/// A scenario file given on its own also reads the playbooks of its content
/// folder (`../playbooks/`), so that its references can be checked.
pub fn load(paths: &[PathBuf]) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files = BTreeSet::new();
    for p in paths {
        if p.is_dir() {
            collect_ron(p, &mut files, &mut loaded.diagnostics);
        } else if p.is_file() {
            files.insert(p.clone());
        } else {
            loaded.diagnostics.push(
                Diagnostic::error("CD001", p, "no such file or folder")
                    .help("give a content folder (like `assets`) or .ron files"),
            );
        }
    }
    // Context: the playbooks beside scenario files that were named one by one.
    let mut context = BTreeSet::new();
    for f in &files {
        let abs = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        if let Some(root) = abs
            .parent()
            .filter(|d| d.ends_with("scenarios"))
            .and_then(Path::parent)
        {
            let dir = root.join("playbooks");
            if dir.is_dir() {
                collect_ron(&dir, &mut context, &mut Vec::new());
            }
        }
    }
    let canonical = |f: &PathBuf| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
    let asked_abs: HashSet<PathBuf> = files.iter().map(canonical).collect();
    let context: Vec<PathBuf> = context
        .into_iter()
        .filter(|f| !asked_abs.contains(&canonical(f)))
        .collect();
    loaded.files = files.iter().cloned().collect();

    let mut playbooks = Vec::new();
    let mut scenarios = Vec::new();
    let mut diagnostics = Vec::new();
    for path in files.iter().chain(context.iter()) {
        let source = match read_source(path) {
            Ok(s) => s,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        match kind_of(&source) {
            Some(Kind::Playbook) => match parse_source::<Playbook>(&source) {
                Ok(p) => playbooks.push(Entry {
                    value: Arc::new(p),
                    path: path.clone(),
                }),
                Err(d) => diagnostics.push(*d),
            },
            Some(Kind::Scenario) => match parse_source::<Scenario>(&source) {
                Ok(s) => scenarios.push(Entry {
                    value: Arc::new(s),
                    path: path.clone(),
                }),
                Err(d) => diagnostics.push(*d),
            },
            None => {
                let (off, len) = first_token(&source.text);
                diagnostics.push(source.point(
                    Diagnostic::error("CD010", path, "expected `Playbook(` or `Scenario(` at the start of the file"),
                    off,
                    len,
                )
                .help("a playbook file starts with `Playbook(` and a scenario file with `Scenario(`; see docs/authoring.md"));
            }
        }
        loaded.sources.push(source);
    }

    // Unused-line warnings only make sense when every scenario file parsed.
    let all_parsed = !diagnostics.iter().any(|d| d.is_error());
    diagnostics.extend(checks::check(
        &playbooks,
        &scenarios,
        &loaded.sources,
        all_parsed,
    ));

    // Keep only diagnostics about the files asked for.
    let asked: HashSet<&PathBuf> = files.iter().collect();
    diagnostics.retain(|d| asked.contains(&d.file));
    diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.col, a.code).cmp(&(&b.file, b.line, b.col, b.code)));
    diagnostics.dedup();

    // Leave out every file with an error, and the scenarios of a left-out playbook.
    let bad_files: HashSet<&PathBuf> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| &d.file)
        .collect();
    playbooks.retain(|e| !bad_files.contains(&e.path));
    let good_playbooks: HashSet<&str> = playbooks.iter().map(|e| e.value.id.as_str()).collect();
    scenarios.retain(|e| {
        !bad_files.contains(&e.path) && good_playbooks.contains(e.value.playbook.as_str())
    });
    loaded.library = Library {
        playbooks,
        scenarios,
    };
    loaded.diagnostics.extend(diagnostics);
    loaded
}

fn collect_ron(dir: &Path, out: &mut BTreeSet<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "CD001",
                dir,
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            // `competition/` holds the competition rules (checked on their own), not playbooks or scenarios.
            if p.file_name().is_some_and(|n| n == "competition") {
                continue;
            }
            collect_ron(&p, out, diagnostics);
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) {
            out.insert(p);
        }
    }
}

/// The first identifier of the file, after comments and `#![...]` attributes.
fn kind_of(source: &Source) -> Option<Kind> {
    let (off, len) = first_token(&source.text);
    match &source.text[off..off + len] {
        "Playbook" => Some(Kind::Playbook),
        "Scenario" => Some(Kind::Scenario),
        _ => None,
    }
}

/// Offset and length of the first token that is not white space, a comment or
/// an attribute.
fn first_token(text: &str) -> (usize, usize) {
    let mut i = 0;
    let b = text.as_bytes();
    loop {
        while i < b.len() && (b[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(b.len(), |n| i + n);
        } else if text[i..].starts_with("/*") {
            i = text[i..].find("*/").map_or(b.len(), |n| i + n + 2);
        } else if text[i..].starts_with("#![") {
            i = text[i..].find(']').map_or(b.len(), |n| i + n + 1);
        } else {
            break;
        }
    }
    let len = text[i..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len() - i, |(n, _)| n);
    (
        i,
        len.max(text[i..].chars().next().map_or(0, char::len_utf8)),
    )
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// Parses a file into `T`, or the diagnostic for the first error (with the
/// content codes CD010–CD016 and did-you-mean hints).
pub fn parse_source<T: DeserializeOwned>(source: &Source) -> Result<T, Box<Diagnostic>> {
    ron_options()
        .from_str::<T>(&source.text)
        .map_err(|e| Box::new(ron_diagnostic(source, e)))
}

/// Reads a file as every RON file here is read: size, UTF-16, BOM, UTF-8
/// and CRLF handled, each problem a [`Diagnostic`].
pub fn read_source(path: &Path) -> Result<Source, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error("CD001", path, format!("cannot read the file: {e}"))
                .help("check that the file exists and that you may read it"),
        )
    })?;
    Source::decode(path, &bytes)
}

/// Parses RON text as this crate's loader does (BOM and CRLF accepted,
/// implicit `Some`), without the checks. For benchmarks and tools.
pub fn parse_str<T: DeserializeOwned>(text: &str) -> Result<T, ron::error::SpannedError> {
    ron_options().from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn ron_diagnostic(source: &Source, e: ron::error::SpannedError) -> Diagnostic {
    use ron::Error as E;
    let path = &source.path;
    let (code, message, help): (&'static str, String, Option<String>) = match &e.code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            "CD011",
            format!("unknown field `{found}`{}", in_outer(outer)),
            Some(match outer {
                // Not a typo of a field here: most often the value before it
                // was not closed, so this field landed inside it.
                Some(o) if closest(found, expected.iter().copied()).is_none() => format!(
                    "{}; if `{found}` belongs after `{o}(…)`, the `)` that closes `{o}(` is missing before it",
                    suggest(found, expected, "field")
                ),
                _ => suggest(found, expected, "field"),
            }),
        ),
        E::MissingStructField { field, outer } => (
            "CD012",
            format!("missing field `{field}`{}", in_outer(outer)),
            Some(format!("add `{field}: ...`; see docs/authoring.md")),
        ),
        E::DuplicateStructField { field, outer } => (
            "CD016",
            format!("the field `{field}` is written twice{}", in_outer(outer)),
            Some("keep one of them".into()),
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            "CD014",
            format!("unknown variant `{found}`{}", in_outer(outer)),
            Some(suggest(found, expected, "variant")),
        ),
        E::InvalidValueForType { expected, found } => (
            "CD013",
            format!("wrong type: expected {expected}, found {found}"),
            Some(type_hint(expected)),
        ),
        E::ExpectedString | E::ExpectedStringEnd => (
            "CD013",
            "wrong type: expected a string".into(),
            Some("write text in double quotes: \"...\"".into()),
        ),
        E::ExpectedInteger | E::ExpectedFloat | E::IntegerOutOfBounds => (
            "CD013",
            "wrong type: expected a whole number".to_string(),
            Some("write a whole number, like 60".into()),
        ),
        E::ExpectedBoolean => ("CD013", "wrong type: expected true or false".into(), None),
        E::ExpectedArray => (
            "CD013",
            "wrong type: expected a list".into(),
            Some("write a list in square brackets: [ ..., ... ]".into()),
        ),
        E::ExpectedDifferentStructName { expected, found } => (
            "CD013",
            format!("expected `{expected}(...)`, found `{found}(...)`"),
            Some(format!("write `{expected}(` here")),
        ),
        E::ExceededRecursionLimit => (
            "CD015",
            format!("the nesting is too deep (more than {MAX_NESTING} levels)"),
            Some("a closing bracket may be missing, or a value nested by mistake".into()),
        ),
        E::Eof => (
            "CD010",
            "unexpected end of file".into(),
            Some("a closing `)` or `]` is probably missing".into()),
        ),
        E::ExpectedComma => (
            "CD010",
            "expected a comma".into(),
            Some(
                "a `,` is missing just before this: separate fields and list items with commas"
                    .into(),
            ),
        ),
        E::TrailingCharacters => (
            "CD010",
            "unexpected text after the end".into(),
            Some("there may be one `)` too many, or two values in one file".into()),
        ),
        E::ExpectedStructLikeEnd | E::ExpectedArrayEnd | E::ExpectedMapEnd => (
            "CD010",
            format!("{}", e.code),
            Some("a comma or a closing bracket may be missing just before this".into()),
        ),
        E::ExpectedIdentifier => (
            "CD010",
            "expected a name here (a field, or a list item such as a variant)".into(),
            Some(
                "a closing `]` or `)` may be missing just before this, or there is a comma with nothing after it"
                    .into(),
            ),
        ),
        E::Message(m) => ("CD013", m.clone(), None),
        other => ("CD010", format!("syntax error: {other}"), None),
    };
    let mut start = source.offset(e.span.start.line, e.span.start.col);
    // Point at the value, not at the white space before it.
    start += source.text[start..].len() - source.text[start..].trim_start().len();
    // A missing field of the file's top-level value: point at its name.
    if let E::MissingStructField { outer: Some(o), .. } = &e.code {
        let (off, len) = first_token(&source.text);
        if &source.text[off..off + len] == o {
            start = off;
        }
    }
    // A syntax error after a string that runs over a line break is almost
    // always a missing closing quote: say so, at the opening quote.
    if code == "CD010"
        && let Some(open) = source.unclosed_string(start)
    {
        return source
            .point(
                Diagnostic::error("CD010", path, "this string is not closed"),
                open,
                40,
            )
            .help("add the closing `\"` at the end of the text");
    }
    let end = source.offset(e.span.end.line, e.span.end.col).max(start);
    let end = if matches!(e.code, E::MissingStructField { .. }) {
        start + 8
    } else {
        end
    };
    let mut d = source.point(
        Diagnostic::error(code, path, message),
        start,
        (end - start).min(80),
    );
    if d.snippet.trim().is_empty() {
        d.snippet = source.line_text(d.line).trim().to_string();
    }
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

fn in_outer(outer: &Option<String>) -> String {
    outer
        .as_ref()
        .map(|o| format!(" in `{o}`"))
        .unwrap_or_default()
}

fn type_hint(expected: &str) -> String {
    if expected.contains("string") {
        "write text in double quotes: \"...\"".into()
    } else if expected.contains("integer") {
        "write a whole number, like 60".into()
    } else if expected.contains("sequence") {
        "write a list in square brackets: [ ..., ... ]".into()
    } else {
        format!("write {expected} here; see docs/authoring.md")
    }
}

/// Renders a diagnostic like a compiler: the header with the code, the
/// location, the source line with a caret under the offending text, and the
/// hint. Columns count characters; carets allow for double-width CJK.
pub fn render(d: &Diagnostic, source: Option<&Source>, color: bool) -> String {
    use unicode_width::UnicodeWidthStr;
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let (word, colour) = match d.level {
        Level::Error => ("error", "1;31"),
        Level::Warning => ("warning", "1;33"),
    };
    let mut out = format!(
        "{}{}\n",
        paint(colour, &format!("{word}[{}]", d.code)),
        paint("1", &format!(": {}", d.message))
    );
    let gutter = d.line.max(1).to_string().len();
    let pad = " ".repeat(gutter);
    out.push_str(&format!("{pad}{} {}\n", paint("1;34", "-->"), d.location()));
    if let Some(src) = source.filter(|_| d.line > 0) {
        let line = src.line_text(d.line);
        let before: String = line.chars().take(d.col.saturating_sub(1)).collect();
        let rest: String = line.chars().skip(d.col.saturating_sub(1)).collect();
        let marked = if d.snippet.is_empty() || !rest.starts_with(&d.snippet) {
            rest.chars().next().map(String::from).unwrap_or_default()
        } else {
            d.snippet.clone()
        };
        let carets = "^".repeat(marked.width().max(1));
        let bar = paint("1;34", "|");
        out.push_str(&format!("{pad} {bar}\n"));
        out.push_str(&format!(
            "{} {bar} {line}\n",
            paint("1;34", &d.line.to_string())
        ));
        out.push_str(&format!(
            "{pad} {bar} {}{}\n",
            " ".repeat(before.width()),
            paint(colour, &carets)
        ));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!("{pad} = {}: {h}\n", paint("1", "help")));
    }
    out
}

/// The content folder to use when none is given: `$CALLDRILL_CONTENT`, else
/// `./assets`, else the `assets` folder beside the executable's project
/// (`target/*/calldrill` → `../../assets`), else the source tree's.
pub fn default_root() -> PathBuf {
    if let Some(p) = std::env::var_os("CALLDRILL_CONTENT") {
        return PathBuf::from(p);
    }
    let here = PathBuf::from("assets");
    if here.join("playbooks").is_dir() {
        return here;
    }
    if let Ok(exe) = std::env::current_exe() {
        for up in exe.ancestors().skip(1).take(4) {
            let p = up.join("assets");
            if p.join("playbooks").is_dir() {
                return p;
            }
        }
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}
