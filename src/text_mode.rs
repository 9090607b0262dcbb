//! Text mode: a whole drill in the terminal (`calldrill drill --text`). It
//! reads answers line by line, so it works at a keyboard and with stdin piped
//! from a script or CI, and it serves users without a GPU. It ends with one
//! machine-readable line: `score: 87 compliance: pass outcome: Appointment`.

use std::io::{self, BufRead, Write};
use std::time::Instant;

use unicode_width::UnicodeWidthStr;

use crate::drill::{Answer, AnswerError, Drill, EndReason, Mood, Step, Turn};
use crate::i18n::{self, Lang, Msg};
use crate::playbook::Playbook;
use crate::scoring::{Scorecard, Verdict, normalize};

/// How the text drill looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub lang: Lang,
    /// ANSI colours (for a terminal).
    pub color: bool,
    /// Echo each answer after the prompt, for piped input that a terminal
    /// does not echo, so the output reads as a transcript.
    pub echo: bool,
    /// Exam mode: no feedback until the scorecard, no retries.
    pub exam: bool,
}

/// Keeps a text drill's records: each answered turn as soon as it is
/// answered, and the end.
pub trait Recorder {
    /// Commits the answered step `index`; an error stops the drill and is shown.
    fn turn(&mut self, drill: &Drill, index: usize) -> Result<(), String>;
    /// Records the end; returns lines shown after the scorecard, before the
    /// machine-readable last line.
    fn finish(&mut self, drill: &Drill) -> String;
}

/// How a text drill ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// The call ended.
    Completed,
    /// Input ended before the call did.
    EndOfInput,
    /// The trainee typed q.
    Abandoned,
    /// An answered turn could not be saved; the message says why.
    NotSaved(String),
}

/// The machine-readable closing line.
pub fn score_line(drill: &Drill) -> String {
    let card = drill.scorecard();
    let outcome = drill
        .outcome()
        .map(|o| o.ending.name())
        .unwrap_or("Unfinished");
    format!(
        "score: {} compliance: {} outcome: {}",
        card.score,
        card.compliance.name(),
        outcome
    )
}

/// Plays `drill` to its end, reading answers from `input` and writing to `out`.
/// I/O errors on `out` are returned; bad answers are explained and asked again.
pub fn play(
    drill: &mut Drill,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    style: Style,
    trainee: Option<&str>,
    mut recorder: Option<&mut dyn Recorder>,
) -> io::Result<Finish> {
    let lang = style.lang;
    let sc = drill.scenario().clone();
    let pb = drill.playbook().clone();
    writeln!(
        out,
        "{}",
        paint(style, BOLD, &format!("══ {} ══", sc.title))
    )?;
    writeln!(
        out,
        "{} · {} {} · {} {}{}",
        pb.title,
        i18n::msg(lang, Msg::Difficulty),
        "★".repeat(sc.difficulty.clamp(1, 5) as usize),
        i18n::msg(lang, Msg::Seed),
        drill.seed(),
        trainee
            .map(|t| format!(" · {} {t}", i18n::msg(lang, Msg::Trainee)))
            .unwrap_or_default()
    )?;
    let p = &sc.persona;
    writeln!(
        out,
        "{}: {}{}{}",
        i18n::msg(lang, Msg::Customer),
        p.name,
        if p.description.is_empty() {
            ""
        } else {
            " — "
        },
        p.description
    )?;
    if !p.traits.is_empty() {
        writeln!(out, "  {}", p.traits.join(" · "))?;
    }
    if style.exam {
        writeln!(
            out,
            "{}",
            paint(style, YELLOW, i18n::msg(lang, Msg::ExamRules))
        )?;
    }
    writeln!(out)?;

    let mut shown = 0;
    let finish = loop {
        // Show every customer step not yet shown (lines of nodes passed through).
        while shown < drill.steps().len() {
            let step = &drill.steps()[shown];
            write_customer(out, style, &sc.persona.name, step)?;
            shown += 1;
        }
        let Some(prompt) = drill.prompt() else {
            break Finish::Completed;
        };
        let n = prompt.options.len();
        write_mood(out, style, drill.mood())?;
        for (i, text) in prompt.options.iter().enumerate() {
            writeln!(out, "  {}) {text}", i + 1)?;
        }
        writeln!(
            out,
            "  {}",
            paint(style, DIM, i18n::msg(lang, Msg::PromptHint))
        )?;
        let asked = Instant::now();
        let answer = loop {
            write!(out, "> ")?;
            out.flush()?;
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) => break None,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    writeln!(out, "{}", i18n::msg(lang, Msg::EmptyInput))?;
                    continue;
                }
                Err(e) => return Err(e),
            }
            let text = line.trim();
            if style.echo {
                writeln!(out, "{text}")?;
            }
            if text.eq_ignore_ascii_case("q") || text.eq_ignore_ascii_case("quit") {
                break Some(None);
            }
            // Nothing but spaces and punctuation counts as no answer.
            let folded = normalize(text);
            if folded.is_empty() {
                writeln!(
                    out,
                    "{}",
                    paint(style, YELLOW, i18n::msg(lang, Msg::EmptyInput))
                )?;
                continue;
            }
            if folded.chars().all(|c| c.is_ascii_digit()) {
                match folded.parse::<usize>() {
                    Ok(k) if (1..=n).contains(&k) => break Some(Some(Answer::Choice(k - 1))),
                    _ => {
                        writeln!(
                            out,
                            "{}",
                            paint(
                                style,
                                YELLOW,
                                &format!(
                                    "{} {n}{}",
                                    i18n::msg(lang, Msg::OutOfRange),
                                    i18n::msg(lang, Msg::FullStop)
                                )
                            )
                        )?;
                        continue;
                    }
                }
            }
            break Some(Some(Answer::Typed(text.to_string())));
        };
        let answer = match answer {
            None => {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    paint(style, YELLOW, i18n::msg(lang, Msg::EndOfInput))
                )?;
                break Finish::EndOfInput;
            }
            Some(None) => {
                writeln!(out, "{}", i18n::msg(lang, Msg::Abandoned))?;
                break Finish::Abandoned;
            }
            Some(Some(a)) => a,
        };
        let ms = asked.elapsed().as_millis() as u64;
        match drill.answer(answer, Some(ms)) {
            Ok(turn) => {
                let turn = turn.clone();
                // The step just answered: the last one with a turn.
                let index = drill
                    .steps()
                    .iter()
                    .rposition(|s| s.turn.is_some())
                    .unwrap_or(0);
                if let Some(r) = recorder.as_mut()
                    && let Err(e) = r.turn(drill, index)
                {
                    writeln!(out, "{}", paint(style, RED, &e))?;
                    break Finish::NotSaved(e);
                }
                if style.exam {
                    writeln!(
                        out,
                        "  {}",
                        paint(style, DIM, i18n::msg(lang, Msg::ExamNoted))
                    )?;
                } else {
                    write_feedback(out, style, &pb, &turn)?;
                }
            }
            Err(AnswerError::OutOfRange(n)) => {
                writeln!(
                    out,
                    "{} {n}{}",
                    i18n::msg(lang, Msg::OutOfRange),
                    i18n::msg(lang, Msg::FullStop)
                )?;
            }
            Err(AnswerError::Empty) => writeln!(out, "{}", i18n::msg(lang, Msg::EmptyInput))?,
            Err(AnswerError::Ended) => break Finish::Completed,
        }
    };
    if let Some(o) = drill.outcome() {
        match o.reason {
            EndReason::PatienceOut => writeln!(
                out,
                "{}",
                paint(style, DIM, i18n::msg(lang, Msg::CustomerHangsUp))
            )?,
            EndReason::StepBudget => writeln!(
                out,
                "{}",
                paint(style, DIM, i18n::msg(lang, Msg::BudgetSpent))
            )?,
            EndReason::Scripted => {}
        }
    }
    writeln!(out)?;
    write_scorecard_body(out, style, drill)?;
    if let Some(r) = recorder.as_mut() {
        write!(out, "{}", r.finish(drill))?;
    }
    writeln!(out, "{}", score_line(drill))?;
    Ok(finish)
}

fn write_customer(out: &mut dyn Write, style: Style, name: &str, step: &Step) -> io::Result<()> {
    let stage = i18n::stage(style.lang, step.stage);
    writeln!(
        out,
        "{} {}",
        paint(style, DIM, &format!("[{stage}]")),
        paint(style, CYAN, &format!("{name}: {}", step.line))
    )
}

fn meter(v: i32) -> String {
    let filled = (v.clamp(0, 100) as usize + 5) / 10;
    format!("{}{} {v:>3}", "█".repeat(filled), "░".repeat(10 - filled))
}

fn write_mood(out: &mut dyn Write, style: Style, mood: Mood) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}   {} {}",
        i18n::msg(style.lang, Msg::Patience),
        meter(mood.patience),
        i18n::msg(style.lang, Msg::Interest),
        meter(mood.interest)
    )
}

/// The feedback after one turn: the verdict, what was said, what the script
/// says, and the key points covered and missed.
pub fn write_feedback(
    out: &mut dyn Write,
    style: Style,
    pb: &Playbook,
    turn: &Turn,
) -> io::Result<()> {
    let lang = style.lang;
    let a = &turn.assessment;
    let (mark, colour) = match a.verdict {
        Verdict::Approved => ("✔", GREEN),
        Verdict::Partial => ("◐", YELLOW),
        Verdict::Breach => ("✘", RED),
    };
    let points = if lang == Lang::Zh { "分" } else { " pts" };
    writeln!(
        out,
        "  {}",
        paint(
            style,
            colour,
            &format!(
                "{mark} {} ({}{points})",
                i18n::verdict(lang, a.verdict),
                a.score
            )
        )
    )?;
    writeln!(out, "    {}: {}", i18n::msg(lang, Msg::YouSaid), turn.said)?;
    if let Some((_, line)) = pb.line(&a.line) {
        if a.verdict != Verdict::Approved || turn.option.is_none() {
            writeln!(
                out,
                "    {}: {}",
                i18n::msg(lang, Msg::ScriptSays),
                line.text
            )?;
        }
        let kp: Vec<String> = line
            .key_points
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if a.coverage.is_covered(i) {
                    paint(style, GREEN, &format!("✔{}", k.title))
                } else {
                    paint(style, RED, &format!("✘{}", k.title))
                }
            })
            .collect();
        writeln!(
            out,
            "    {}: {}",
            i18n::msg(lang, Msg::KeyPoints),
            kp.join("  ")
        )?;
    }
    if let Some(r) = &a.reason
        && !r.is_empty()
    {
        writeln!(out, "    {}: {r}", i18n::msg(lang, Msg::Reason))?;
    }
    for b in &a.breaches {
        let (title, advice) = pb
            .rule(&b.rule)
            .map(|r| (r.title.as_str(), r.advice.as_str()))
            .unwrap_or((b.rule.as_str(), ""));
        let phrase = b
            .phrase
            .as_ref()
            .map(|p| format!(" «{p}»"))
            .unwrap_or_default();
        writeln!(
            out,
            "    {}",
            paint(
                style,
                RED,
                &format!(
                    "{}: {title} ({}){phrase}",
                    i18n::msg(lang, Msg::BreachOf),
                    i18n::severity(lang, b.severity)
                )
            )
        )?;
        if !advice.is_empty() {
            writeln!(out, "    {}: {advice}", i18n::msg(lang, Msg::Advice))?;
        }
    }
    writeln!(out)
}

/// The scorecard: outcome, compliance gate, the stages, the total, a
/// turn-by-turn review, and the machine-readable line last.
pub fn write_scorecard(out: &mut dyn Write, style: Style, drill: &Drill) -> io::Result<()> {
    write_scorecard_body(out, style, drill)?;
    writeln!(out, "{}", score_line(drill))
}

/// The scorecard without its machine-readable last line.
pub fn write_scorecard_body(out: &mut dyn Write, style: Style, drill: &Drill) -> io::Result<()> {
    let lang = style.lang;
    let card: Scorecard = drill.scorecard();
    writeln!(
        out,
        "{}",
        paint(
            style,
            BOLD,
            &format!("══ {} ══", i18n::msg(lang, Msg::Scorecard))
        )
    )?;
    match drill.outcome() {
        Some(o) => writeln!(
            out,
            "{}: {} ({})",
            i18n::msg(lang, Msg::Outcome),
            i18n::ending(lang, o.ending),
            o.ending.name()
        )?,
        None => writeln!(
            out,
            "{}: {}",
            i18n::msg(lang, Msg::Outcome),
            i18n::msg(lang, Msg::Unfinished)
        )?,
    }
    let c_colour = match card.compliance {
        crate::scoring::Compliance::Pass => GREEN,
        crate::scoring::Compliance::Warn => YELLOW,
        crate::scoring::Compliance::Fail => RED,
    };
    writeln!(
        out,
        "{}: {}",
        i18n::msg(lang, Msg::Compliance),
        paint(style, c_colour, i18n::compliance(lang, card.compliance))
    )?;
    writeln!(
        out,
        "  {}{}{}{}",
        pad(i18n::msg(lang, Msg::Stage), 14),
        pad_left(i18n::msg(lang, Msg::Weight), 8),
        pad_left(i18n::msg(lang, Msg::Turns), 8),
        pad_left(i18n::msg(lang, Msg::Average), 8)
    )?;
    for s in &card.stages {
        writeln!(
            out,
            "  {}{}{}{}",
            pad(i18n::stage(lang, s.stage), 14),
            pad_left(&s.weight.to_string(), 8),
            pad_left(&s.turns.to_string(), 8),
            pad_left(&format!("{:.0}", s.average), 8)
        )?;
    }
    if card.fatal_breaches > 0 {
        writeln!(
            out,
            "{}",
            paint(style, RED, i18n::msg(lang, Msg::FatalZeroes))
        )?;
    } else if card.major_breaches > 0 {
        writeln!(
            out,
            "{}",
            paint(style, YELLOW, &i18n::major_penalty(lang, &card))
        )?;
    }
    let verdict = if card.passed {
        paint(style, GREEN, &format!("✔ {}", i18n::msg(lang, Msg::Passed)))
    } else {
        paint(
            style,
            RED,
            &format!("✘ {}", i18n::msg(lang, Msg::NotPassed)),
        )
    };
    writeln!(
        out,
        "{}: {} / 100 ({} {}) {verdict}",
        i18n::msg(lang, Msg::Score),
        card.score,
        i18n::msg(lang, Msg::PassMark),
        card.pass_mark
    )?;
    writeln!(out)?;
    writeln!(out, "{}", i18n::msg(lang, Msg::TurnByTurn))?;
    for (i, s) in drill
        .steps()
        .iter()
        .filter(|s| s.turn.is_some())
        .enumerate()
    {
        let t = s.turn.as_ref().expect("filtered");
        writeln!(
            out,
            "  {:>2}. [{}] {} → {} ({})",
            i + 1,
            i18n::stage(lang, s.stage),
            s.node,
            i18n::verdict(lang, t.assessment.verdict),
            t.assessment.score
        )?;
    }
    writeln!(out)
}

/// Pads to a display width (CJK characters are two columns wide).
fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn pad_left(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const CYAN: &str = "36";

fn paint(style: Style, code: &str, text: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
