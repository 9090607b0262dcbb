//! Diagnostics: what is wrong in which file, where, and how to fix it. Every
//! diagnostic has a stable code (documented in docs/authoring.md), a file, a
//! 1-based line and column, the offending text and, where we can, a hint.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: Level,
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// The offending text, quoted in the message (may be empty).
    pub snippet: String,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            level: Level::Error,
            file: file.to_path_buf(),
            line: 0,
            col: 0,
            snippet: String::new(),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Diagnostic {
        self.line = line;
        self.col = col;
        self
    }

    pub fn snippet(mut self, snippet: impl Into<String>) -> Diagnostic {
        self.snippet = snippet.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `file:line:col`, or just the file for whole-file problems.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}:{}", self.file.display(), self.line, self.col)
        }
    }
}

/// One line, grep-friendly: `error[CD021]: file:3:9: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}]: {}: {}",
            self.code,
            self.location(),
            self.message
        )
    }
}

/// Did-you-mean: the closest candidate, if it is close enough to be a typo.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&found.to_lowercase(), &c.to_lowercase());
        let dist = strsim::levenshtein(found, c);
        let close = score >= 0.8 || dist <= found.chars().count() / 3;
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

/// A hint naming the closest candidate, or listing them when there are few.
pub fn suggest(found: &str, candidates: &[&str], what: &str) -> String {
    match closest(found, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("no {what} is defined yet"),
        None if candidates.len() <= 8 => format!(
            "expected one of: {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("there are {} {what}s; check the spelling", candidates.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let c = ["patience", "interest", "traits", "name"];
        assert_eq!(closest("patiance", c), Some("patience"));
        assert_eq!(closest("intrest", c), Some("interest"));
        assert_eq!(closest("budget", c), None);
    }

    #[test]
    fn suggest_lists_few_candidates() {
        assert_eq!(
            suggest("x", &["a", "b"], "node"),
            "expected one of: `a`, `b`"
        );
        assert_eq!(suggest("nod", &["node"], "node"), "did you mean `node`?");
    }
}
