//! The record-keeping subcommands: recording a text drill, `mastery`,
//! `history` (with replay), `report`, `backup` and `trainee`. Each turns a
//! store or content problem into a message with a hint and an exit code.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use calldrill::content::Library;
use calldrill::content::diagnostic::suggest;
use calldrill::drill::Drill;
use calldrill::i18n::{self, Lang, Msg};
use calldrill::mastery::next::Why;
use calldrill::playbook::Playbook;
use calldrill::records::{self, Store, StoreError, Trainee, now_ms};
use calldrill::scenario::Scenario;
use calldrill::text_mode::{self, Style};
use calldrill::training::{self, Mode};

/// A records problem (damaged, locked, full, unwritable): exit 1, as an
/// I/O error; 2 is for usage mistakes.
fn store_error(e: &StoreError) -> ExitCode {
    eprintln!("error: {}", e.message);
    eprintln!("  help: {}", e.help);
    ExitCode::FAILURE
}

pub fn open_store(data_dir: Option<&Path>) -> Result<Store, ExitCode> {
    let dir = records::data_dir(data_dir);
    Store::open(&dir).map_err(|e| store_error(&e))
}

fn nonempty(name: &str) -> Result<(), ExitCode> {
    if name.trim().is_empty() {
        eprintln!("error: the trainee's name is empty");
        eprintln!("  help: give a name, e.g. 小王");
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// The store and the named trainee (created if new): for a drill, whose
/// first one adds the trainee, and for `calldrill trainee`.
pub fn open_trainee(data_dir: Option<&Path>, name: &str) -> Result<(Store, Trainee), ExitCode> {
    nonempty(name)?;
    let store = open_store(data_dir)?;
    let trainee = store.trainee(name).map_err(|e| store_error(&e))?;
    Ok((store, trainee))
}

/// The store and a trainee who already exists: for the commands that only
/// read (`mastery`, `history`), so a typo names the trainees there are
/// instead of quietly adding a new one to the teams and the reports.
pub fn open_known_trainee(
    data_dir: Option<&Path>,
    name: &str,
) -> Result<(Store, Trainee), ExitCode> {
    nonempty(name)?;
    let store = open_store(data_dir)?;
    let all = store.trainees().map_err(|e| store_error(&e))?;
    if let Some(t) = all.iter().find(|t| t.name == name.trim()) {
        let t = t.clone();
        return Ok((store, t));
    }
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    eprintln!("error: no trainee `{}`", name.trim());
    eprintln!(
        "  help: {} (a trainee is added by their first drill, `calldrill drill --text --trainee NAME`, or by `calldrill trainee NAME`)",
        suggest(name.trim(), &names, "trainee")
    );
    Err(ExitCode::from(2))
}

fn lang_of(arg: Option<&str>, content_lang: &str) -> Result<Lang, ExitCode> {
    match arg {
        None => Ok(Lang::for_content(content_lang)),
        Some(l) => Lang::parse(l).ok_or_else(|| {
            eprintln!("error: unknown language `{l}`; use zh or en");
            ExitCode::from(2)
        }),
    }
}

fn why(lang: Lang, w: Why) -> &'static str {
    i18n::msg(
        lang,
        match w {
            Why::Due => Msg::WhyDue,
            Why::Weak => Msg::WhyWeak,
            Why::New => Msg::WhyNew,
        },
    )
}

/// The playbook with this id, or an error naming the closest.
fn find_playbook(library: &Library, id: &str) -> Result<Arc<Playbook>, ExitCode> {
    if let Some(pb) = library.playbook(id) {
        return Ok(pb.clone());
    }
    let ids: Vec<&str> = library
        .playbooks
        .iter()
        .map(|e| e.value.id.as_str())
        .collect();
    eprintln!("error: no playbook `{id}`");
    eprintln!(
        "  help: {} (`calldrill list` shows them)",
        suggest(id, &ids, "playbook")
    );
    Err(ExitCode::from(2))
}

/// The scenario, playbook and seed of a scheduled drill.
pub type NextCall = (Arc<Scenario>, Arc<Playbook>, u64);

/// Asks the scheduler for the trainee's next drill, and says why on stderr.
pub fn plan_next(
    store: &Store,
    library: &Library,
    trainee: &Trainee,
    playbook: Option<&str>,
    lang: Option<&str>,
) -> Result<Option<NextCall>, ExitCode> {
    let ui = lang.and_then(Lang::parse).unwrap_or_default();
    let pb = match playbook {
        Some(id) => Some(find_playbook(library, id)?),
        None => {
            training::current_playbook(store, library, trainee, ui).map_err(|e| store_error(&e))?
        }
    };
    let Some(pb) = pb else {
        return Ok(None);
    };
    let lang = lang_of(lang, &pb.language)?;
    let Some((plan, scenario, playbook)) =
        training::next_drill(store, library, trainee, &pb, now_ms())
            .map_err(|e| store_error(&e))?
    else {
        return Ok(None);
    };
    let focus: Vec<String> = plan
        .targets
        .iter()
        .filter(|t| plan.covered.contains(&t.key.item))
        .take(4)
        .map(|t| format!("{}（{} {}）", t.title, why(lang, t.why), t.level))
        .collect();
    eprintln!(
        "{}: {} · {} {} · {}",
        i18n::msg(lang, Msg::NextDrill),
        scenario.title,
        i18n::msg(lang, Msg::Seed),
        plan.seed,
        focus.join("、")
    );
    Ok(Some((scenario, playbook, plan.seed)))
}

/// A recorded drill in progress.
pub struct Session {
    pub drill_id: i64,
    mode: Mode,
    before: std::collections::HashMap<String, u32>,
}

impl Session {
    pub fn start(
        store: &Store,
        trainee: &Trainee,
        drill: &Drill,
        mode: Mode,
    ) -> Result<Session, ExitCode> {
        let before = training::levels(store, trainee, drill.playbook(), now_ms())
            .map_err(|e| store_error(&e))?;
        let drill_id = store
            .start_drill(trainee, drill, mode.name())
            .map_err(|e| store_error(&e))?;
        Ok(Session {
            drill_id,
            mode,
            before,
        })
    }

    /// Records the end and returns what to tell the trainee.
    pub fn finish(
        self,
        store: &Store,
        trainee: &Trainee,
        drill: &Drill,
        lang: Lang,
    ) -> Result<String, StoreError> {
        let done = training::finish(
            store,
            trainee,
            self.drill_id,
            drill,
            self.mode,
            &self.before,
        )?;
        let mut out = String::new();
        if !done.changes.is_empty() {
            let parts: Vec<String> = done
                .changes
                .iter()
                .map(|(t, b, a)| format!("{t} {b} → {a}"))
                .collect();
            out += &format!(
                "{}: {}\n",
                i18n::msg(lang, Msg::MasteryChanged),
                parts.join("  ")
            );
        }
        if let Some(check) = &done.exam {
            if check.granted {
                out += &format!(
                    "★ {} ({})\n",
                    i18n::msg(lang, Msg::CertGranted),
                    training::date(
                        done.certification
                            .as_ref()
                            .map_or(now_ms(), |c| c.granted_ms)
                    )
                );
            } else {
                out += &format!("{}:\n", i18n::msg(lang, Msg::CertNotYet));
                for m in &check.missing {
                    out += &format!("  - {}\n", m.describe(lang == Lang::Zh));
                }
            }
        }
        Ok(out)
    }
}

/// Records a text drill for a named trainee.
pub struct TextRecorder<'a> {
    pub store: &'a Store,
    pub trainee: &'a Trainee,
    pub session: Option<Session>,
    pub lang: Lang,
}

impl text_mode::Recorder for TextRecorder<'_> {
    fn turn(&mut self, drill: &Drill, index: usize) -> Result<(), String> {
        let Some(s) = &self.session else {
            return Ok(());
        };
        self.store
            .record_turn(s.drill_id, drill, index)
            .map(|_| ())
            .map_err(|e| format!("error: this answer was not saved: {e}"))
    }

    fn finish(&mut self, drill: &Drill) -> String {
        match self.session.take() {
            Some(s) => s
                .finish(self.store, self.trainee, drill, self.lang)
                .unwrap_or_else(|e| format!("error: {e}\n")),
            None => String::new(),
        }
    }
}

fn bar(level: u32) -> String {
    let filled = (level as usize + 5) / 10;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

pub fn mastery(
    root: &Path,
    data_dir: Option<&Path>,
    name: &str,
    playbook: Option<String>,
    lang: Option<String>,
) -> ExitCode {
    let (store, trainee) = match open_known_trainee(data_dir, name) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let loaded = crate::load_for_play(&root.to_path_buf());
    let ui = lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let pb = match playbook {
        Some(id) => match find_playbook(&loaded.library, &id) {
            Ok(pb) => pb,
            Err(code) => return code,
        },
        None => match training::current_playbook(&store, &loaded.library, &trainee, ui) {
            Ok(Some(pb)) => pb,
            Ok(None) => {
                eprintln!("error: no playbook in {}", root.display());
                return ExitCode::from(2);
            }
            Err(e) => return store_error(&e),
        },
    };
    let lang = match lang_of(lang.as_deref(), &pb.language) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let now = now_ms();
    let view = match training::mastery_view(&store, &trainee, &pb, now) {
        Ok(v) => v,
        Err(e) => return store_error(&e),
    };
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "══ {} · {} · {} ══",
        i18n::msg(lang, Msg::MasteryTitle),
        trainee.name,
        pb.title
    );
    for c in &view.categories {
        let state = if c.due {
            i18n::msg(lang, Msg::DueNow)
        } else if !c.practised {
            i18n::msg(lang, Msg::NewItem)
        } else {
            ""
        };
        let req = if c.required {
            i18n::msg(lang, Msg::Required)
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} {:>3}  {}{}{}",
            bar(c.level),
            c.level,
            c.title,
            if req.is_empty() {
                String::new()
            } else {
                format!(" [{req}]")
            },
            if state.is_empty() {
                String::new()
            } else {
                format!(" · {state}")
            }
        );
    }
    let _ = writeln!(
        out,
        "{}: {} · {}: {}",
        i18n::msg(lang, Msg::ItemsDue),
        view.due,
        i18n::msg(lang, Msg::Threshold),
        view.threshold
    );
    match &view.certification {
        Some(c) => {
            let _ = writeln!(
                out,
                "★ {} ({}, {} {})",
                i18n::msg(lang, Msg::Certified),
                training::date(c.granted_ms),
                i18n::msg(lang, Msg::Score),
                c.score
            );
        }
        None => {
            let _ = writeln!(out, "{}", i18n::msg(lang, Msg::NotCertified));
        }
    }
    if let Ok(Some((plan, scenario, _))) =
        training::next_drill(&store, &loaded.library, &trainee, &pb, now)
    {
        let _ = writeln!(
            out,
            "{}: calldrill drill --text --next --trainee {} --playbook {}   ({} · {} {})",
            i18n::msg(lang, Msg::NextDrill),
            shell_word(&trainee.name),
            shell_word(&pb.id),
            scenario.title,
            i18n::msg(lang, Msg::Seed),
            plan.seed
        );
    }
    ExitCode::SUCCESS
}

fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| !c.is_whitespace() && !"'\"$`\\;&|<>()".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub fn history(
    root: &Path,
    data_dir: Option<&Path>,
    name: &str,
    replay: Option<i64>,
    lang: Option<String>,
) -> ExitCode {
    let (store, trainee) = match open_known_trainee(data_dir, name) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let drills = match store.drills(trainee.id) {
        Ok(d) => d,
        Err(e) => return store_error(&e),
    };
    let loaded = crate::load_for_play(&root.to_path_buf());
    let content_lang = drills
        .first()
        .and_then(|d| loaded.library.playbook(&d.playbook))
        .map(|p| p.language.clone())
        .unwrap_or_else(|| "zh-CN".into());
    let lang = match lang_of(lang.as_deref(), &content_lang) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let mut out = io::stdout().lock();
    let Some(id) = replay else {
        if drills.is_empty() {
            let _ = writeln!(out, "{}", i18n::msg(lang, Msg::NoHistory));
            return ExitCode::SUCCESS;
        }
        let _ = writeln!(
            out,
            "══ {} · {} ══",
            i18n::msg(lang, Msg::History),
            trainee.name
        );
        for d in &drills {
            let title = loaded
                .library
                .scenario(&d.scenario)
                .map_or(d.scenario.as_str(), |s| s.title.as_str());
            let mode = if d.mode == "exam" {
                i18n::msg(lang, Msg::Exam)
            } else {
                i18n::msg(lang, Msg::Practice)
            };
            let _ = writeln!(
                out,
                "  #{:<5} {}  {:<4} {:>3}  {:<12} {}",
                d.id,
                training::date_time(d.started_ms),
                mode,
                d.score.map_or("—".to_string(), |s| s.to_string()),
                d.outcome.as_deref().unwrap_or("Unfinished"),
                title
            );
        }
        let _ = writeln!(
            out,
            "calldrill history --trainee {} --replay ID",
            shell_word(&trainee.name)
        );
        return ExitCode::SUCCESS;
    };
    let Some(record) = drills.iter().find(|d| d.id == id) else {
        eprintln!("error: {} has no drill #{id}", trainee.name);
        eprintln!(
            "  help: `calldrill history --trainee {}` lists them",
            shell_word(&trainee.name)
        );
        return ExitCode::from(2);
    };
    let turns = match store.turns(id) {
        Ok(t) => t,
        Err(e) => return store_error(&e),
    };
    let r = training::replay(&loaded.library, record, &turns);
    let style = Style {
        lang,
        color: io::stdout().is_terminal(),
        echo: false,
        exam: false,
    };
    let _ = writeln!(
        out,
        "══ {} #{} · {} · {} {} ══",
        i18n::msg(lang, Msg::Replay),
        record.id,
        training::date_time(record.started_ms),
        i18n::msg(lang, Msg::Seed),
        record.seed
    );
    if !r.faithful {
        let _ = writeln!(out, "{}", i18n::msg(lang, Msg::ReplayDiffers));
    }
    let pb = loaded.library.playbook(&record.playbook).cloned();
    for (i, f) in r.frames.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>2}. [{}] {}",
            i + 1,
            i18n::stage(lang, f.stage),
            f.customer
        );
        for (k, o) in f.options.iter().enumerate() {
            let mark = if f.chosen == Some(k) { "▶" } else { " " };
            let _ = writeln!(out, "   {mark} {}) {o}", k + 1);
        }
        match (&f.turn, &pb) {
            (Some(turn), Some(pb)) => {
                let _ = text_mode::write_feedback(&mut out, style, pb, turn);
            }
            _ => {
                let _ = writeln!(
                    out,
                    "    {}: {} ({} {})\n",
                    i18n::msg(lang, Msg::YouSaid),
                    f.said,
                    f.verdict,
                    f.score
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "{}: {} · {}: {}",
        i18n::msg(lang, Msg::Outcome),
        match record.outcome.as_deref() {
            None => i18n::msg(lang, Msg::Unfinished).to_string(),
            Some(o) => match calldrill::scenario::Ending::from_name(o) {
                Some(e) => format!("{} ({o})", i18n::ending(lang, e)),
                None => o.to_string(),
            },
        },
        i18n::msg(lang, Msg::Score),
        record.score.map_or("—".to_string(), |s| s.to_string())
    );
    ExitCode::SUCCESS
}

pub fn report(
    root: &Path,
    data_dir: Option<&Path>,
    args: calldrill::report::ReportArgs,
) -> ExitCode {
    let store = match open_store(data_dir) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if let Some(calldrill::report::ReportCommand::Competition(c)) = &args.command {
        if args.team.is_some() || args.since.is_some() {
            eprintln!("error: --team and --since are for the training report");
            eprintln!(
                "  help: `calldrill report competition` covers one month: choose it with --month YYYY-MM"
            );
            return ExitCode::from(2);
        }
        // `report --out DIR competition` means the same as `report competition --out DIR`.
        let mut c = c.clone();
        c.output = c.output.or(&args.output);
        return match calldrill::report::competition::run(&store, &c) {
            Ok(summary) => {
                print!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}", e.message);
                eprintln!("  help: {}", e.help);
                ExitCode::FAILURE
            }
        };
    }
    let loaded = crate::load_for_play(&root.to_path_buf());
    match calldrill::report::run(&store, &loaded.library, &args) {
        Ok(summary) => {
            print!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", e.message);
            eprintln!("  help: {}", e.help);
            ExitCode::FAILURE
        }
    }
}

pub fn backup(data_dir: Option<&Path>, dest: Option<PathBuf>) -> ExitCode {
    let store = match open_store(data_dir) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // A folder (or nothing) gets a dated file name inside it.
    let stamp = training::date_time(now_ms()).replace([' ', ':'], "-");
    let dated = format!("calldrill-backup-{stamp}.sqlite3");
    let dest = match dest {
        Some(d) if d.is_dir() => d.join(dated),
        Some(d) => d,
        None => PathBuf::from(dated),
    };
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        eprintln!(
            "error: cannot write the backup {}: the folder {} does not exist",
            dest.display(),
            parent.display()
        );
        eprintln!("  help: create the folder first, or give a file in an existing folder");
        return ExitCode::FAILURE;
    }
    match store.backup(&dest) {
        Ok(bytes) => {
            println!(
                "backed up {} to {} ({:.1} KiB, integrity ok)",
                store.path().display(),
                dest.display(),
                bytes as f64 / 1024.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => store_error(&e),
    }
}

pub fn trainee(data_dir: Option<&Path>, name: &str, team: Option<String>) -> ExitCode {
    let (store, trainee) = match open_trainee(data_dir, name) {
        Ok(v) => v,
        Err(c) => return c,
    };
    if let Some(team) = &team
        && let Err(e) = store.set_team(trainee.id, Some(team.trim()).filter(|t| !t.is_empty()))
    {
        return store_error(&e);
    }
    println!(
        "{} (#{}){}",
        trainee.name,
        trainee.id,
        team.map(|t| format!(" · {t}")).unwrap_or_default()
    );
    ExitCode::SUCCESS
}
