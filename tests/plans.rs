//! Data-driven drill plans (tests/plans/*.ron): a scenario, a seed and the
//! answers, with the expected path, outcome, score and compliance. Each plan
//! runs through the engine and through the `calldrill drill --text` binary
//! with the answers piped in, and both must agree with the plan.
//!
//! Answers are what a trainee would type: an option number, or reply text.
//! `@approved`, `@offscript`, `@wrong` and `@breach` pick the first option of
//! that kind wherever the seed shuffled it. `rest` answers every prompt after
//! the listed ones. `CALLDRILL_BLESS=1 cargo test --test plans` rewrites the
//! expectations from what the engine does now: review the diff before
//! committing it.

mod common;

use calldrill::drill::{Answer, Drill};
use serde::{Deserialize, Serialize};

use common::{Pick, position_of};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Plan {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
    scenario: String,
    seed: u64,
    answers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rest: Option<String>,
    #[serde(default)]
    expect: Option<Expect>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Expect {
    path: Vec<String>,
    outcome: String,
    score: u32,
    compliance: String,
}

/// Runs a plan through the engine; returns what happened and the lines to pipe.
fn run(lib: &calldrill::content::Library, plan: &Plan) -> Result<(Expect, Vec<String>), String> {
    let (s, p) = lib
        .drillable(&plan.scenario)
        .ok_or_else(|| format!("no scenario {}", plan.scenario))?;
    let mut drill = Drill::new(s, p, plan.seed);
    let mut typed = Vec::new();
    let mut answers = plan.answers.iter();
    while !drill.is_over() {
        let Some(a) = answers.next().or(plan.rest.as_ref()) else {
            break;
        };
        let answer = if let Some(pick) = Pick::parse(a) {
            let pos = position_of(&drill, pick).ok_or_else(|| {
                format!(
                    "{}: no {a} option at node {:?}",
                    plan.scenario,
                    drill.path().last()
                )
            })?;
            typed.push((pos + 1).to_string());
            Answer::Choice(pos)
        } else if let Ok(n) = a.parse::<usize>() {
            typed.push(a.clone());
            Answer::Choice(n.wrapping_sub(1))
        } else {
            typed.push(a.clone());
            Answer::Typed(a.clone())
        };
        drill
            .answer(answer, None)
            .map_err(|e| format!("{}: answer {a:?}: {e}", plan.scenario))?;
    }
    if answers.next().is_some() {
        return Err(format!(
            "{}: the drill ended before every answer was used",
            plan.scenario
        ));
    }
    let card = drill.scorecard();
    Ok((
        Expect {
            path: drill.path().iter().map(|s| s.to_string()).collect(),
            outcome: drill
                .outcome()
                .map_or("Unfinished".into(), |o| o.ending.name().into()),
            score: card.score,
            compliance: card.compliance.name().into(),
        },
        typed,
    ))
}

fn plan_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(common::root().join("tests/plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn drill_plans_give_their_expected_path_outcome_and_score() {
    let lib = common::library("assets");
    let bless = std::env::var_os("CALLDRILL_BLESS").is_some();
    let mut failures = Vec::new();
    let mut covered = std::collections::HashSet::new();
    for file in plan_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut plans: Vec<Plan> = calldrill::content::parse_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for plan in &mut plans {
            covered.insert(plan.scenario.clone());
            let got = match run(&lib, plan) {
                Ok((got, _)) => got,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
            if bless {
                plan.expect = Some(got);
            } else if plan.expect.as_ref() != Some(&got) {
                failures.push(format!(
                    "{} seed {}: expected {:?}\n   got {got:?}",
                    plan.scenario, plan.seed, plan.expect
                ));
            }
        }
        if bless {
            let pretty = ron::ser::PrettyConfig::new()
                .struct_names(true)
                .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
            std::fs::write(
                &file,
                ron::ser::to_string_pretty(&plans, pretty).unwrap() + "\n",
            )
            .unwrap();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for s in &lib.scenarios {
        assert!(
            covered.contains(&s.value.id),
            "no drill plan for shipped scenario {}",
            s.value.id
        );
    }
}

#[test]
fn the_text_mode_binary_agrees_with_every_plan() {
    let lib = common::library("assets");
    let mut failures = Vec::new();
    for file in plan_files() {
        let plans: Vec<Plan> =
            calldrill::content::parse_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for plan in plans {
            let Ok((want, typed)) = run(&lib, &plan) else {
                continue;
            };
            let content = common::root().join("assets");
            let seed = plan.seed.to_string();
            let out = common::calldrill(
                &[
                    "drill",
                    "--text",
                    "--scenario",
                    &plan.scenario,
                    "--seed",
                    &seed,
                    "--content",
                    content.to_str().unwrap(),
                ],
                &(typed.join("\n") + "\n"),
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            let last = stdout.lines().last().unwrap_or("");
            let expected = format!(
                "score: {} compliance: {} outcome: {}",
                want.score, want.compliance, want.outcome
            );
            if last != expected {
                failures.push(format!(
                    "{} seed {}: binary said {last:?}, engine {expected:?}",
                    plan.scenario, plan.seed
                ));
            }
            if !String::from_utf8_lossy(&out.stderr).is_empty() {
                failures.push(format!(
                    "{}: stderr: {}",
                    plan.scenario,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
