//! Headless game tests: a Bevy app with MinimalPlugins and the game's own
//! plugins (no window, no GPU, no audio device), driven by faked key presses
//! and synthetic IME commit events through every screen of a whole drill.
//! The result the game shows must equal the engine's for the same seed and
//! answers, and be in the records store.
#![cfg(feature = "game")]

mod common;

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy::window::Ime;

use calldrill::drill::{Answer, Drill};
use calldrill::game::{
    self, ActiveDrill, DrillPhase, GameOptions, LastResult, Screen, Sfx, ShownScore,
};
use calldrill::i18n::Lang;
use common::{Pick, position_of};

#[derive(Resource, Default)]
struct SfxLog(Vec<Sfx>);

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("calldrill-game-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn copy_content(to: &Path) {
    for sub in ["playbooks", "scenarios"] {
        std::fs::create_dir_all(to.join(sub)).unwrap();
        for e in std::fs::read_dir(common::root().join("assets").join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(sub).join(e.file_name())).unwrap();
        }
    }
}

fn app(content: &Path, data: &Path, seed: u64) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin));
    game::insert_resources(
        &mut app,
        &GameOptions {
            content_root: content.to_path_buf(),
            data_dir: data.to_path_buf(),
            lang: Some(Lang::Zh),
            seed: Some(seed),
            ..Default::default()
        },
    )
    .unwrap();
    app.add_plugins(game::plugin);
    app.init_resource::<SfxLog>();
    app.add_systems(
        Last,
        |mut r: MessageReader<Sfx>, mut log: ResMut<SfxLog>| log.0.extend(r.read().copied()),
    );
    app.update();
    app
}

fn press(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
    app.update();
}

fn ime_commit(app: &mut App, text: &str) {
    app.world_mut().write_message(Ime::Commit {
        window: Entity::PLACEHOLDER,
        value: text.into(),
    });
    app.update();
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn digit(n: usize) -> KeyCode {
    [
        KeyCode::Digit1,
        KeyCode::Digit2,
        KeyCode::Digit3,
        KeyCode::Digit4,
        KeyCode::Digit5,
        KeyCode::Digit6,
        KeyCode::Digit7,
        KeyCode::Digit8,
        KeyCode::Digit9,
    ][n]
}

/// All the text on screen, joined.
fn screen_text(app: &mut App) -> String {
    let mut q = app.world_mut().query::<&Text>();
    q.iter(app.world())
        .map(|t| t.0.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// From the title screen: create a trainee by typing the name through the IME.
fn create_trainee(app: &mut App, name: &str) {
    assert_eq!(screen(app), Screen::Title);
    press(app, KeyCode::KeyN);
    ime_commit(app, name);
    assert!(
        screen_text(app).contains(name),
        "the typed name shows while typing"
    );
    press(app, KeyCode::Enter);
    assert_eq!(screen(app), Screen::Library);
}

/// In the library: move the selection to `id` with the arrow keys, then Enter.
fn start(app: &mut App, id: &str) {
    let order: Vec<String> = {
        let lib = app.world().resource::<game::ContentLibrary>();
        game::library_order(lib)
            .iter()
            .map(|s| s.id.clone())
            .collect()
    };
    let want = order.iter().position(|s| s == id).unwrap();
    while app.world().resource::<game::LibraryState>().cursor != want {
        press(app, KeyCode::ArrowDown);
    }
    press(app, KeyCode::Enter);
    assert_eq!(screen(app), Screen::Drill);
}

#[test]
fn a_whole_drill_by_keyboard_shows_the_engines_result() {
    let data = temp("whole");
    let mut app = app(&common::root().join("assets"), &data, 4242);
    assert!(screen_text(&mut app).contains("电销话术演练"));
    create_trainee(&mut app, "小张");
    assert!(
        screen_text(&mut app).contains("午市高峰的面馆王老板"),
        "the library lists the scenarios"
    );
    start(&mut app, "pos-noodle-busy");
    assert!(
        app.world().resource::<SfxLog>().0.contains(&Sfx::Ring),
        "a ring when the call starts"
    );

    // Answer: on script, then a typed reply through the IME, then on script to the end.
    let mut turns = 0;
    while screen(&app) == Screen::Drill {
        let (phase, over) = {
            let a = app.world().resource::<ActiveDrill>();
            (a.phase, a.drill.is_over())
        };
        match phase {
            DrillPhase::Answering => {
                turns += 1;
                if turns == 2 {
                    press(&mut app, KeyCode::Tab);
                    ime_commit(&mut app, "理解您忙，我是汇通支付的小陈");
                    press(&mut app, KeyCode::Enter);
                } else {
                    let pos =
                        position_of(&app.world().resource::<ActiveDrill>().drill, Pick::Approved)
                            .unwrap();
                    press(&mut app, digit(pos));
                }
                assert_eq!(
                    app.world().resource::<ActiveDrill>().phase,
                    DrillPhase::Feedback
                );
                let text = screen_text(&mut app);
                assert!(
                    text.contains("要点"),
                    "feedback shows the key points:\n{text}"
                );
            }
            DrillPhase::Feedback => {
                press(&mut app, KeyCode::Enter);
                if over {
                    break;
                }
            }
        }
        assert!(turns < 40);
    }
    assert_eq!(screen(&app), Screen::Scorecard);
    let shown = app.world().resource::<ShownScore>().clone();
    let last = app.world().resource::<LastResult>().clone();
    assert!(
        matches!(last.answers[1], Answer::Typed(_)),
        "{:?}",
        last.answers
    );

    // The engine, on its own, with the same seed and answers.
    let (s, p) = common::library("assets")
        .drillable("pos-noodle-busy")
        .unwrap();
    let mut engine = Drill::new(s, p, 4242);
    for a in &last.answers {
        engine.answer(a.clone(), None).unwrap();
    }
    let card = engine.scorecard();
    assert_eq!(shown.score, card.score);
    assert_eq!(shown.compliance, card.compliance);
    assert_eq!(shown.outcome, engine.outcome().unwrap().ending.name());
    assert_eq!(engine.path(), last.drill.path());
    let text = screen_text(&mut app);
    assert!(text.contains(&format!("{} / 100", card.score)), "{text}");

    // Recorded: every turn, and the best score for the library.
    let store = calldrill::records::Store::open(&data).unwrap();
    let t = store.trainee("小张").unwrap();
    assert_eq!(
        store.best_score(t.id, "pos-noodle-busy").unwrap(),
        Some(card.score)
    );
    let turns_in_db: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM turns", [], |r| r.get(0))
        .unwrap();
    assert_eq!(turns_in_db as usize, last.answers.len());

    // Back to the library, which now shows the best score.
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Library);
    assert!(screen_text(&mut app).contains(&format!("最佳 {}", card.score)));
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn feedback_sounds_follow_the_verdict() {
    let data = temp("sfx");
    let mut app = app(&common::root().join("assets"), &data, 1);
    create_trainee(&mut app, "小李");
    start(&mut app, "pos-noodle-busy");
    let pos = position_of(&app.world().resource::<ActiveDrill>().drill, Pick::Breach).unwrap();
    press(&mut app, digit(pos));
    let text = screen_text(&mut app);
    assert!(text.contains("违规"), "{text}");
    assert!(app.world().resource::<SfxLog>().0.contains(&Sfx::Buzz));
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn out_of_range_keys_and_escape_are_safe() {
    let data = temp("keys");
    let mut app = app(&common::root().join("assets"), &data, 3);
    create_trainee(&mut app, "小王");
    start(&mut app, "pos-noodle-busy");
    let before = app.world().resource::<ActiveDrill>().drill.steps().len();
    press(&mut app, KeyCode::Digit9);
    let a = app.world().resource::<ActiveDrill>();
    assert_eq!(
        (a.phase, a.drill.steps().len()),
        (DrillPhase::Answering, before)
    );
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Library);
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Title);
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn a_broken_edit_shows_its_diagnostic_and_the_drill_in_progress_goes_on() {
    let data = temp("reload-data");
    let content = temp("reload-content");
    copy_content(&content);
    let mut app = app(&content, &data, 5);
    create_trainee(&mut app, "小赵");
    start(&mut app, "pos-noodle-busy");

    let file = content.join("scenarios/pos-noodle-busy.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    // The length changes too, so the edit is seen even where mtimes are coarse.
    let broken = text.replacen("patience:", "patiance:", 1) + "\n// edited\n";
    std::fs::write(&file, broken).unwrap();
    // The watcher polls twice a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while app.world().resource::<game::ContentLibrary>().generation == 0
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
        app.update();
    }
    app.update();
    let lib = app.world().resource::<game::ContentLibrary>();
    assert!(lib.loaded.errors() > 0);
    assert!(lib.loaded.library.scenario("pos-noodle-busy").is_none());
    let shown = screen_text(&mut app);
    assert!(
        shown.contains("pos-noodle-busy.ron:"),
        "the panel names the file:\n{shown}"
    );
    assert!(
        shown.contains("CD011") && shown.contains("patiance"),
        "{shown}"
    );
    let mut panels = app
        .world_mut()
        .query_filtered::<Entity, With<game::DiagnosticsPanel>>();
    assert_eq!(panels.iter(app.world()).count(), 1);

    // The drill started before the edit keeps its version and finishes.
    for _ in 0..40 {
        if screen(&app) != Screen::Drill {
            break;
        }
        let phase = app.world().resource::<ActiveDrill>().phase;
        if phase == DrillPhase::Answering {
            let pos =
                position_of(&app.world().resource::<ActiveDrill>().drill, Pick::Approved).unwrap();
            press(&mut app, digit(pos));
        } else {
            press(&mut app, KeyCode::Enter);
        }
    }
    assert_eq!(screen(&app), Screen::Scorecard);

    // Fixing the file clears the panel.
    std::fs::write(&file, text).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while app
        .world()
        .resource::<game::ContentLibrary>()
        .loaded
        .errors()
        > 0
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
        app.update();
    }
    app.update();
    let mut panels = app
        .world_mut()
        .query_filtered::<Entity, With<game::DiagnosticsPanel>>();
    assert_eq!(panels.iter(app.world()).count(), 0);
    let _ = std::fs::remove_dir_all(data);
    let _ = std::fs::remove_dir_all(content);
}

#[test]
fn settings_change_from_the_keyboard_and_are_saved() {
    let data = temp("settings");
    let mut app = app(&common::root().join("assets"), &data, 1);
    press(&mut app, KeyCode::KeyS);
    assert_eq!(screen(&app), Screen::Settings);
    press(&mut app, KeyCode::ArrowLeft); // ring volume 70 → 60
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowRight); // text size 100 → 110
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowRight); // language → English
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Title);
    assert!(screen_text(&mut app).contains("Telesales Script Drill"));
    let saved = game::Settings::load(&data);
    assert_eq!(
        (saved.ring_volume, saved.text_size, saved.lang),
        (60, 110, Lang::En)
    );
    let _ = std::fs::remove_dir_all(data);
}

/// Plays the drill on screen to its end by keys: on script, or the first
/// option when `on_script` is false. Practice shows feedback after each
/// answer; an exam goes straight on.
fn play_drill(app: &mut App, on_script: bool) {
    let mut guard = 0;
    while screen(app) == Screen::Drill {
        guard += 1;
        assert!(guard < 80);
        let phase = app.world().resource::<ActiveDrill>().phase;
        match phase {
            DrillPhase::Answering => {
                let pos = if on_script {
                    position_of(&app.world().resource::<ActiveDrill>().drill, Pick::Approved)
                        .unwrap()
                } else {
                    0
                };
                press(app, digit(pos));
            }
            DrillPhase::Feedback => press(app, KeyCode::Enter),
        }
    }
}

/// [`play_drill`], ending on the scorecard.
fn play_to_end(app: &mut App, on_script: bool) {
    play_drill(app, on_script);
    assert_eq!(screen(app), Screen::Scorecard);
}

#[test]
fn mastery_next_drill_exam_and_replay_by_keyboard() {
    let data = temp("mastery");
    let mut app = app(&common::root().join("assets"), &data, 11);
    create_trainee(&mut app, "小周");
    // M opens the mastery screen: nothing practised yet.
    press(&mut app, KeyCode::KeyM);
    assert_eq!(screen(&app), Screen::Mastery);
    let text = screen_text(&mut app);
    assert!(text.contains("尚未获得上岗认证"), "{text}");
    assert!(text.contains("下一练"), "{text}");
    // N starts the scheduler's next drill: the one `training::next_drill` picks.
    let expected = {
        let store = calldrill::records::Store::open(&data).unwrap();
        let lib = common::library("assets");
        let t = store.trainee("小周").unwrap();
        let pb = calldrill::training::current_playbook(&store, &lib, &t, Lang::Zh)
            .unwrap()
            .unwrap();
        calldrill::training::next_drill(&store, &lib, &t, &pb, calldrill::records::now_ms())
            .unwrap()
            .unwrap()
            .1
            .id
            .clone()
    };
    press(&mut app, KeyCode::KeyN);
    assert_eq!(screen(&app), Screen::Drill);
    assert_eq!(
        app.world().resource::<ActiveDrill>().drill.scenario().id,
        expected
    );
    play_to_end(&mut app, true);
    let last = app.world().resource::<LastResult>().clone();
    let changes = last.finished.as_ref().expect("recorded").changes.clone();
    assert!(!changes.is_empty(), "the trainee sees their mastery change");
    assert!(screen_text(&mut app).contains("掌握度变化"));
    // The mastery screen now shows those levels.
    press(&mut app, KeyCode::KeyM);
    assert_eq!(screen(&app), Screen::Mastery);
    let text = screen_text(&mut app);
    for (title, _, after) in &changes {
        assert!(text.contains(title.as_str()), "{title} missing:\n{text}");
        assert!(
            text.contains(&format!(" {after}")),
            "{after} missing:\n{text}"
        );
    }
    // E: the next drill as an exam. No feedback between answers.
    press(&mut app, KeyCode::KeyE);
    assert_eq!(screen(&app), Screen::Drill);
    assert_eq!(
        app.world().resource::<ActiveDrill>().mode,
        calldrill::training::Mode::Exam
    );
    let pos = position_of(&app.world().resource::<ActiveDrill>().drill, Pick::Approved).unwrap();
    press(&mut app, digit(pos));
    if screen(&app) == Screen::Drill {
        assert_eq!(
            app.world().resource::<ActiveDrill>().phase,
            DrillPhase::Answering,
            "an exam shows no feedback"
        );
        assert!(!screen_text(&mut app).contains("要点"));
    }
    play_to_end(&mut app, true);
    let last = app.world().resource::<LastResult>().clone();
    let check = last.finished.unwrap().exam.expect("an exam is checked");
    // Not certified after one day: required categories are not all at the threshold.
    assert!(!check.granted);
    assert!(screen_text(&mut app).contains("本次考试未获认证"));
    // History: both drills, newest first; Enter replays the exam exactly.
    press(&mut app, KeyCode::Escape);
    press(&mut app, KeyCode::KeyH);
    assert_eq!(screen(&app), Screen::History);
    let text = screen_text(&mut app);
    assert!(
        text.contains("【考试】") && text.contains("【练习】"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    let (faithful, frames) = {
        let h = app.world().resource::<game::HistoryState>();
        let (r, _) = h.replay.as_ref().expect("replaying");
        (r.faithful, r.frames.len())
    };
    assert!(faithful);
    assert_eq!(
        frames,
        last.drill
            .steps()
            .iter()
            .filter(|s| s.turn.is_some())
            .count()
    );
    let first_line = last.drill.steps()[0].line.clone();
    assert!(screen_text(&mut app).contains(&first_line));
    press(&mut app, KeyCode::ArrowRight);
    let second = last
        .drill
        .steps()
        .iter()
        .filter(|s| s.turn.is_some())
        .nth(1)
        .map(|s| s.line.clone());
    if let Some(second) = second {
        assert!(screen_text(&mut app).contains(&second));
    }
    press(&mut app, KeyCode::Escape);
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Library);
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn a_morning_competition_of_three_teams_by_keyboard() {
    let data = temp("competition");
    // Six trainees already in the records.
    {
        let store = calldrill::records::Store::open(&data).unwrap();
        for n in ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"] {
            store.trainee(n).unwrap();
        }
    }
    let mut app = app(&common::root().join("assets"), &data, 5);
    // C: the competition; three balanced teams of two.
    press(&mut app, KeyCode::KeyC);
    assert_eq!(screen(&app), Screen::Teams);
    let teams = app
        .world()
        .resource::<game::TeamsState>()
        .balance
        .clone()
        .unwrap();
    assert_eq!(teams.teams.len(), 3);
    assert!(teams.teams.iter().all(|t| t.members.len() == 2));
    // A manual move, and back.
    press(&mut app, KeyCode::ArrowRight);
    let moved = app
        .world()
        .resource::<game::TeamsState>()
        .balance
        .clone()
        .unwrap();
    assert!(!moved.sizes_ok, "3/1/2 after one move");
    press(&mut app, KeyCode::ArrowLeft);
    assert!(
        app.world()
            .resource::<game::TeamsState>()
            .balance
            .as_ref()
            .unwrap()
            .sizes_ok
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Competition);
    // Setup: two scenarios (Space adds each), two rounds: round 2 plays the second.
    press(&mut app, KeyCode::Space);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::Space);
    let chosen = app
        .world()
        .resource::<game::CompetitionState>()
        .chosen
        .clone();
    assert_eq!(chosen.len(), 2);
    // F sets a focus objection and narrows the list; F again through all of them back to none.
    press(&mut app, KeyCode::KeyF);
    assert!(
        app.world()
            .resource::<game::CompetitionState>()
            .focus
            .is_some()
    );
    assert!(screen_text(&mut app).contains("重点异议"));
    while app
        .world()
        .resource::<game::CompetitionState>()
        .focus
        .is_some()
    {
        press(&mut app, KeyCode::KeyF);
    }
    press(&mut app, KeyCode::Enter);
    {
        let st = app.world().resource::<game::CompetitionState>();
        let c = st.session.as_ref().unwrap();
        assert_eq!(c.scenarios(), chosen.as_slice());
        assert_eq!(c.scenario_for(2), chosen[1]);
    }
    assert_eq!(
        app.world().resource::<game::CompetitionState>().phase,
        game::CompetitionPhase::Scoreboard
    );
    let mut banners = Vec::new();
    let mut played = Vec::new();
    for turn in 0..6 {
        let (slot, rep) = {
            let st = app.world().resource::<game::CompetitionState>();
            let c = st.session.as_ref().unwrap();
            let slot = c.next_slot().unwrap();
            (
                slot.clone(),
                slot.representative.clone().expect("proposed by rotation"),
            )
        };
        assert!(
            screen_text(&mut app).contains(&rep),
            "the scoreboard names who is up"
        );
        press(&mut app, KeyCode::Enter);
        assert_eq!(screen(&app), Screen::Drill);
        {
            let a = app.world().resource::<ActiveDrill>();
            assert_eq!(
                a.drill.seed(),
                slot.seed,
                "every team gets the round's seed"
            );
        }
        // Team 0 plays on script; the others answer the first option.
        play_competition_drill(&mut app, slot.team == 0);
        assert_eq!(screen(&app), Screen::Competition);
        let phase = app
            .world()
            .resource::<game::CompetitionState>()
            .phase
            .clone();
        if let game::CompetitionPhase::Banner(text) = &phase {
            assert!(
                text.contains(&slot.team_name) && text.contains(&rep),
                "{text}"
            );
            assert!(app.world().resource::<SfxLog>().0.contains(&Sfx::Celebrate));
            banners.push(text.clone());
            press(&mut app, KeyCode::Enter);
        }
        played.push((turn, slot.team, rep));
    }
    // The podium, the awards, and the stored, chained results.
    let (phase, c, awards) = {
        let st = app.world().resource::<game::CompetitionState>();
        (
            st.phase.clone(),
            st.session.clone().unwrap(),
            st.awards.clone(),
        )
    };
    assert_eq!(phase, game::CompetitionPhase::Podium);
    assert!(c.is_finished());
    assert_eq!(c.results().len(), 6);
    assert!(!awards.is_empty(), "awards at the end of the session");
    assert!(
        awards
            .iter()
            .any(|a| a.kind == calldrill::competition::awards::AwardKind::MonthlyChampion),
        "the month's champion so far is shown too"
    );
    let text = screen_text(&mut app);
    for a in awards.iter().take(4) {
        assert!(text.contains(&a.winner), "{} missing:\n{text}", a.winner);
    }
    let board = c.scoreboard();
    assert!(text.contains(&board[0].team), "{text}");
    // Team 0 played on script twice: some announcement, and it leads.
    assert!(!banners.is_empty(), "a deal or appointment was announced");
    assert_eq!(board[0].team_index, 0, "{board:?}");
    let store = calldrill::records::Store::open(&data).unwrap();
    assert!(store.verify_results().unwrap().is_empty());
    let stored = store.competition_results(0, i64::MAX).unwrap();
    assert_eq!(stored.len(), 6);
    assert_eq!(
        stored.iter().map(|r| r.points.total).sum::<i64>(),
        c.results().iter().map(|r| r.points.total).sum::<i64>()
    );
    // Representatives rotated: both members of each team played once.
    for team in 0..3 {
        let reps: Vec<&String> = played
            .iter()
            .filter(|p| p.1 == team)
            .map(|p| &p.2)
            .collect();
        assert_eq!(reps.len(), 2);
        assert_ne!(reps[0], reps[1], "rotation");
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Title);
    let _ = std::fs::remove_dir_all(data);
}

/// A representative's drill: played like any other, back to the competition.
fn play_competition_drill(app: &mut App, on_script: bool) {
    play_drill(app, on_script);
}

#[test]
fn an_interrupted_competition_resumes_without_losing_points() {
    let data = temp("resume");
    {
        let store = calldrill::records::Store::open(&data).unwrap();
        for n in ["甲", "乙", "丙", "丁"] {
            store.trainee(n).unwrap();
        }
    }
    let points_before;
    {
        let mut app = app(&common::root().join("assets"), &data, 9);
        press(&mut app, KeyCode::KeyC);
        press(&mut app, KeyCode::Digit2);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        play_competition_drill(&mut app, true);
        if matches!(
            app.world().resource::<game::CompetitionState>().phase,
            game::CompetitionPhase::Banner(_)
        ) {
            press(&mut app, KeyCode::Enter);
        }
        let st = app.world().resource::<game::CompetitionState>();
        points_before = st.session.as_ref().unwrap().scoreboard();
        assert_eq!(st.session.as_ref().unwrap().results().len(), 1);
        // The app goes away (power cut, window closed) mid-session.
    }
    let mut app = app(&common::root().join("assets"), &data, 9);
    press(&mut app, KeyCode::KeyC);
    press(&mut app, KeyCode::Enter);
    let st = app.world().resource::<game::CompetitionState>();
    assert_eq!(st.phase, game::CompetitionPhase::Resume);
    assert_eq!(st.session.as_ref().unwrap().scoreboard(), points_before);
    press(&mut app, KeyCode::Enter);
    let st = app.world().resource::<game::CompetitionState>();
    assert_eq!(st.phase, game::CompetitionPhase::Scoreboard);
    assert_eq!(
        st.session.as_ref().unwrap().results().len(),
        1,
        "nothing lost"
    );
    let _ = std::fs::remove_dir_all(data);
}
