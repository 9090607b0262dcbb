//! The drill engine on the test corpus's base scenario: mood, transitions,
//! typed replies, the step budget, bad answers, and exact replays.

mod common;

use std::sync::Arc;

use calldrill::drill::{Answer, AnswerError, Drill, EndReason};
use calldrill::scenario::Ending;
use calldrill::scoring::{Compliance, Verdict};
use common::{Pick, base, choose};

#[test]
fn script_perfect_drill_books_the_visit_with_full_marks() {
    let (s, p) = base();
    for seed in 0..20 {
        let mut d = Drill::new(s.clone(), p.clone(), seed);
        while !d.is_over() {
            choose(&mut d, Pick::Approved);
        }
        assert_eq!(
            d.path(),
            ["open", "price", "think", "close", "deal"],
            "seed {seed}"
        );
        assert_eq!(d.outcome().unwrap().ending, Ending::Appointment);
        let card = d.scorecard();
        assert_eq!(
            (card.score, card.compliance, card.passed),
            (100, Compliance::Pass, true)
        );
        // The stages the drill visited, with the rubric's weights.
        let stages: Vec<_> = card
            .stages
            .iter()
            .map(|s| (s.stage.name(), s.weight, s.turns))
            .collect();
        assert_eq!(
            stages,
            [("Opening", 10, 1), ("Objection", 30, 1), ("Close", 20, 1)]
        );
    }
}

#[test]
fn a_fatal_breach_ends_in_a_complaint_and_zeroes_the_drill() {
    let (s, p) = base();
    let mut d = Drill::new(s, p, 5);
    choose(&mut d, Pick::Breach);
    assert!(d.is_over());
    assert_eq!(d.outcome().unwrap().ending, Ending::Complaint);
    let card = d.scorecard();
    assert_eq!(card.compliance, Compliance::Fail);
    assert_eq!(card.score, 0);
    let turn = d.steps()[0].turn.as_ref().unwrap();
    assert_eq!(turn.assessment.verdict, Verdict::Breach);
    assert_eq!(
        turn.assessment.line, "open.intro",
        "feedback shows the approved line"
    );
    assert_eq!(turn.assessment.breaches[0].rule, "no_impersonation");
}

#[test]
fn a_major_breach_costs_ten_points() {
    let (s, p) = base();
    let mut d = Drill::new(s, p, 5);
    choose(&mut d, Pick::Approved);
    choose(&mut d, Pick::Breach); // no_rate_promise: Major
    while !d.is_over() {
        choose(&mut d, Pick::Approved);
    }
    let card = d.scorecard();
    assert_eq!(card.compliance, Compliance::Warn);
    assert_eq!(card.score, card.raw_score - 10);
}

#[test]
fn mood_moves_and_steers_mood_transitions() {
    let (s, p) = base();
    // Off-script at the opening (-20 patience by the option's own mood), then
    // off-script on price (default -10/-5): interest 30 → 25 → 20, below the
    // InterestAtLeast(40) case, patience 50 → 30 → 20, not below 20: "doubt".
    let mut d = Drill::new(s, p, 9);
    choose(&mut d, Pick::OffScript);
    assert_eq!(d.mood().patience, 30);
    assert_eq!(
        d.mood().interest,
        25,
        "the option sets patience only; interest keeps its default"
    );
    choose(&mut d, Pick::OffScript);
    assert_eq!((d.mood().patience, d.mood().interest), (20, 20));
    assert_eq!(&d.path()[..4], ["open", "price", "think", "doubt"]);
    // "doubt" draws close or callback at random.
    let last = *d.path().last().unwrap();
    assert!(last == "close" || last == "callback", "{last}");
}

#[test]
fn the_wrong_moment_scores_its_credit_and_explains() {
    let (s, p) = base();
    let mut d = Drill::new(s, p, 2);
    choose(&mut d, Pick::WrongMoment);
    let a = &d.steps()[0].turn.as_ref().unwrap().assessment;
    assert_eq!((a.verdict, a.score), (Verdict::Partial, 20));
    assert_eq!(a.reason.as_deref(), Some("还没建立需求就约见面"));
}

#[test]
fn typed_replies_are_scored_by_key_points() {
    let (s, p) = base();
    // Full coverage: counts as approved and moves on like the approved option.
    let mut d = Drill::new(s.clone(), p.clone(), 1);
    let t = d
        .answer(
            Answer::Typed("王老板您好！我是汇通支付的小陈，耽误您一分钟，方便吗？".into()),
            Some(900),
        )
        .unwrap();
    assert_eq!(
        (t.assessment.verdict, t.assessment.score),
        (Verdict::Approved, 100)
    );
    assert_eq!(t.response_ms, Some(900));
    assert_eq!(d.path()[1], "price");
    // Half the key points of price.clarify (empathy and fact, not clarify).
    let t = d
        .answer(Answer::Typed("理解理解，我们是千分之三点八".into()), None)
        .unwrap();
    assert_eq!(
        (t.assessment.verdict, t.assessment.score),
        (Verdict::Partial, 67)
    );
    assert!(t.assessment.coverage.is_covered(0) && !t.assessment.coverage.is_covered(1));

    // Full-width letters and punctuation fold before matching.
    let mut d = Drill::new(s.clone(), p.clone(), 1);
    let t = d
        .answer(
            Answer::Typed("我是　汇通支付！！占用您一分钟，方便吗？".into()),
            None,
        )
        .unwrap();
    assert_eq!(t.assessment.score, 100);

    // Nothing relevant: off-script mood, still follows the approved transition.
    let mut d = Drill::new(s.clone(), p.clone(), 1);
    let t = d.answer(Answer::Typed("喂喂喂".into()), None).unwrap();
    assert_eq!(
        (t.assessment.verdict, t.assessment.score),
        (Verdict::Partial, 0)
    );
    assert_eq!(d.mood().patience, 40);
    assert_eq!(d.path()[1], "price");

    // A typed breach follows the option that breaches the same rule.
    let mut d = Drill::new(s, p, 1);
    let t = d
        .answer(Answer::Typed("您好，我们是银联的，机器要升级".into()), None)
        .unwrap();
    assert_eq!(t.assessment.verdict, Verdict::Breach);
    assert_eq!(t.assessment.breaches[0].phrase.as_deref(), Some("银联的"));
    assert_eq!(d.outcome().unwrap().ending, Ending::Complaint);
}

#[test]
fn bad_answers_are_refused_and_change_nothing() {
    let (s, p) = base();
    let mut d = Drill::new(s, p, 3);
    let before = d.transcript();
    assert_eq!(
        d.answer(Answer::Choice(4), None).unwrap_err(),
        AnswerError::OutOfRange(4)
    );
    assert_eq!(
        d.answer(Answer::Typed(" ，。! ".into()), None).unwrap_err(),
        AnswerError::Empty
    );
    assert_eq!(d.transcript(), before);
    choose(&mut d, Pick::Breach);
    assert_eq!(
        d.answer(Answer::Choice(0), None).unwrap_err(),
        AnswerError::Ended
    );
}

#[test]
fn patience_running_out_goes_to_patience_out() {
    let (s, p) = base();
    let mut sc = (*s).clone();
    sc.persona.patience = 15;
    let mut d = Drill::new(Arc::new(sc.clone()), p.clone(), 3);
    choose(&mut d, Pick::OffScript); // -20
    assert_eq!(d.path(), ["open", "hangup"]);
    assert_eq!(d.outcome().unwrap().ending, Ending::HangUp);
    // Without patience_out, the call just ends.
    sc.patience_out = None;
    let mut d = Drill::new(Arc::new(sc), p, 3);
    choose(&mut d, Pick::OffScript);
    assert_eq!(d.outcome().unwrap().reason, EndReason::PatienceOut);
    assert_eq!(d.path(), ["open"]);
}

#[test]
fn the_step_budget_ends_a_call_that_goes_round_in_circles() {
    let (s, p) = base();
    let mut sc = (*s).clone();
    // The approved price answer loops back to the opening.
    let price = sc.nodes.iter_mut().find(|n| n.id == "price").unwrap();
    price.options[0].next = Some(calldrill::scenario::Next::Goto("open".into()));
    sc.step_budget = 5;
    sc.persona.patience = 100;
    let mut d = Drill::new(Arc::new(sc), p, 3);
    let mut answers = 0;
    while !d.is_over() {
        choose(&mut d, Pick::Approved);
        answers += 1;
        assert!(answers < 10, "the budget must stop the loop");
    }
    assert_eq!(d.outcome().unwrap().reason, EndReason::StepBudget);
    assert_eq!(d.steps().len(), 5);
}

#[test]
fn the_same_seed_and_answers_replay_exactly() {
    let (s, p) = base();
    for seed in [0u64, 1, 42, u64::MAX] {
        let mut a = Drill::new(s.clone(), p.clone(), seed);
        let picks = [
            Pick::OffScript,
            Pick::Approved,
            Pick::Approved,
            Pick::Approved,
        ];
        let mut i = 0;
        while !a.is_over() {
            choose(&mut a, picks[i.min(3)]);
            i += 1;
        }
        let t = a.transcript();
        let mut b = Drill::new(s.clone(), p.clone(), seed);
        for ans in t.answers() {
            b.answer(ans, None).unwrap();
        }
        assert_eq!(b.transcript(), t);
        assert_eq!(
            serde_json::to_string(&b.transcript()).unwrap(),
            serde_json::to_string(&t).unwrap()
        );
    }
}

#[test]
fn seeds_shuffle_the_options_and_pick_line_variants() {
    let (s, p) = base();
    let orders: std::collections::HashSet<Vec<usize>> = (0..30)
        .map(|seed| {
            Drill::new(s.clone(), p.clone(), seed).steps()[0]
                .offered
                .clone()
        })
        .collect();
    assert!(orders.len() > 5, "{} distinct orders", orders.len());
    let lines: std::collections::HashSet<String> = (0..30)
        .map(|seed| {
            Drill::new(s.clone(), p.clone(), seed).steps()[0]
                .line
                .clone()
        })
        .collect();
    assert_eq!(lines.len(), 2, "both variants of the opening line appear");
}

#[test]
fn an_unfinished_drill_never_passes() {
    let (s, p) = base();
    let mut d = Drill::new(s, p, 2);
    choose(&mut d, Pick::Approved);
    let card = d.scorecard();
    assert_eq!(card.score, 100, "the turns so far were perfect");
    assert!(!d.is_over());
    assert!(!card.passed, "but the call has not ended");
}
