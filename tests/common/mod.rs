//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use calldrill::content::{self, Library};
use calldrill::drill::{Answer, Drill};
use calldrill::playbook::Playbook;
use calldrill::scenario::{Flaw, Scenario};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the calldrill binary from the repository root with `args`, feeding
/// `stdin`; `CALLDRILL_CONTENT` from the caller's environment is ignored.
pub fn calldrill(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_calldrill"))
        .args(args)
        .current_dir(root())
        .env_remove("CALLDRILL_CONTENT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading everything; that is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub fn library(path: &str) -> Library {
    let loaded = content::load(&[root().join(path)]);
    assert_eq!(loaded.errors(), 0, "{:#?}", loaded.diagnostics);
    loaded.library
}

pub fn base() -> (Arc<Scenario>, Arc<Playbook>) {
    library("tests/corpus/base").drillable("ok").unwrap()
}

/// Kinds of option a plan or test can ask for by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Approved,
    OffScript,
    WrongMoment,
    Breach,
}

impl Pick {
    pub fn parse(token: &str) -> Option<Pick> {
        match token {
            "@approved" => Some(Pick::Approved),
            "@offscript" => Some(Pick::OffScript),
            "@wrong" => Some(Pick::WrongMoment),
            "@breach" => Some(Pick::Breach),
            _ => None,
        }
    }
}

/// The shown position (0-based) of the first option of this kind at the
/// current prompt, in node order.
pub fn position_of(drill: &Drill, pick: Pick) -> Option<usize> {
    let step = drill.steps().last()?;
    let node = drill.scenario().node(&step.node)?;
    let opt = node.options.iter().position(|o| match pick {
        Pick::Approved => o.line.is_some(),
        Pick::OffScript => matches!(o.flaw, Some(Flaw::OffScript { .. })),
        Pick::WrongMoment => matches!(o.flaw, Some(Flaw::WrongMoment { .. })),
        Pick::Breach => matches!(o.flaw, Some(Flaw::Breach { .. })),
    })?;
    step.offered.iter().position(|&i| i == opt)
}

pub fn choose(drill: &mut Drill, pick: Pick) {
    let pos = position_of(drill, pick)
        .unwrap_or_else(|| panic!("no {pick:?} option at {:?}", drill.path().last()));
    drill.answer(Answer::Choice(pos), None).unwrap();
}
