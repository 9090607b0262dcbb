//! The `calldrill` command line. With no subcommand it opens the game; the
//! subcommands check content, play a drill in the terminal, and list what
//! can be drilled.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod competition_cmd;
mod records_cmd;

use calldrill::content::{self, Loaded};
use calldrill::drill::Drill;
use calldrill::i18n::Lang;
use calldrill::text_mode::{self, Finish, Style};

#[derive(Parser)]
#[command(
    name = "calldrill",
    version,
    about = "Offline telesales script-drill simulator (电销话术演练)"
)]
struct Cli {
    /// The content folder (playbooks/ and scenarios/). Default: $CALLDRILL_CONTENT or ./assets.
    #[arg(long, global = true, value_name = "DIR")]
    content: Option<PathBuf>,
    /// Where records and settings are kept. Default: $CALLDRILL_DATA or the platform's data folder.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The game's language: zh or en (default: the saved setting, zh).
    #[arg(long = "ui-lang", value_name = "LANG")]
    ui_lang: Option<String>,
    /// Visit every screen of the game, save PNGs in DIR, and exit.
    #[arg(long, value_name = "DIR", hide = true)]
    screenshots: Option<PathBuf>,
    /// Fix the seed of every drill in the game.
    #[arg(long = "game-seed", value_name = "N", hide = true)]
    game_seed: Option<u64>,
    /// Window size, e.g. 1920x1080.
    #[arg(long, value_name = "WxH", hide = true)]
    size: Option<String>,
    /// Open a bare Bevy window with the game's plugins (the startup benchmark's baseline).
    #[arg(long, hide = true)]
    bare_window: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check playbook, scenario and competition rules files and print every problem.
    Check {
        /// Files or folders to check (default: the content folder).
        paths: Vec<PathBuf>,
        /// Print diagnostics as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Play a drill.
    Drill(DrillArgs),
    /// List the scenarios that can be drilled.
    List,
    /// Show a trainee's mastery, items due, certification and next drill.
    Mastery {
        /// The trainee's name.
        #[arg(long)]
        trainee: String,
        /// The playbook (default: that of the trainee's latest drill).
        #[arg(long)]
        playbook: Option<String>,
        /// zh or en (default: the playbook's language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// List a trainee's past drills, or replay one step by step.
    History {
        /// The trainee's name.
        #[arg(long)]
        trainee: String,
        /// Replay this drill (its number in the list).
        #[arg(long, value_name = "ID")]
        replay: Option<i64>,
        /// zh or en (default: the playbook's language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Manager reports: CSV tables (UTF-8 with BOM, for Excel) and PNG charts.
    Report(calldrill::report::ReportArgs),
    /// Write a consistent copy of the records database.
    Backup {
        /// The copy to write: a new file, or a folder to put a dated copy in (default: calldrill-backup-DATE-TIME.sqlite3 in the current folder).
        dest: Option<PathBuf>,
    },
    /// Teams for the morning competition (晨会小组竞赛): balance, show, move.
    Teams {
        #[command(subcommand)]
        command: competition_cmd::TeamsCommand,
    },
    /// Check that no stored competition result was edited or deleted (hash chain).
    Verify {
        /// zh or en (default: zh).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Add a trainee, or put one in a team.
    Trainee {
        /// The trainee's name.
        name: String,
        /// The team (组) the trainee belongs to.
        #[arg(long)]
        team: Option<String>,
    },
}

#[derive(Args)]
struct DrillArgs {
    /// Play in the terminal (the game opens with `calldrill` alone).
    #[arg(long)]
    text: bool,
    /// The scenario id (see `calldrill list`).
    #[arg(long, required_unless_present = "next", conflicts_with = "next")]
    scenario: Option<String>,
    /// Let the scheduler choose the scenario and seed: what the trainee most
    /// needs (items due, then the weakest, then new ones). Needs --trainee.
    #[arg(long, requires = "trainee")]
    next: bool,
    /// With --next: the playbook to practise (default: the trainee's latest,
    /// or the first in the UI language for a new trainee).
    #[arg(long, requires = "next", value_name = "ID")]
    playbook: Option<String>,
    /// Exam mode: no feedback until the end, no retries; can certify (上岗认证).
    #[arg(long)]
    exam: bool,
    /// The seed: the same seed and answers replay the drill exactly.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The trainee's name. With a name, every answered turn is recorded and
    /// counts towards the trainee's mastery.
    #[arg(long)]
    trainee: Option<String>,
    /// Write the full transcript as JSON: to FILE, or with no FILE to stdout
    /// (everything else then goes to stderr).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    json: Option<PathBuf>,
    /// The UI language: zh or en (default: the playbook's language).
    #[arg(long)]
    lang: Option<String>,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        eprintln!("calldrill hit an internal error{at}: {}", panic_text(info));
        eprintln!(
            "This is a bug in calldrill, not in your files. Please report it with the command you ran."
        );
    }));
    let mut cli = Cli::parse();
    let root = cli.content.clone().unwrap_or_else(content::default_root);
    match cli.command.take() {
        Some(Command::Check { paths, json }) => {
            check(if paths.is_empty() { vec![root] } else { paths }, json)
        }
        Some(Command::Drill(args)) => drill(&root, cli.data_dir.as_deref(), args),
        Some(Command::List) => list(&root),
        Some(Command::Mastery {
            trainee,
            playbook,
            lang,
        }) => records_cmd::mastery(&root, cli.data_dir.as_deref(), &trainee, playbook, lang),
        Some(Command::History {
            trainee,
            replay,
            lang,
        }) => records_cmd::history(&root, cli.data_dir.as_deref(), &trainee, replay, lang),
        Some(Command::Report(args)) => records_cmd::report(&root, cli.data_dir.as_deref(), args),
        Some(Command::Backup { dest }) => records_cmd::backup(cli.data_dir.as_deref(), dest),
        Some(Command::Teams { command }) => {
            competition_cmd::teams(&root, cli.data_dir.as_deref(), command)
        }
        Some(Command::Verify { lang }) => {
            competition_cmd::verify(cli.data_dir.as_deref(), lang.as_deref())
        }
        Some(Command::Trainee { name, team }) => {
            records_cmd::trainee(cli.data_dir.as_deref(), &name, team)
        }
        None => game(&cli, root, started),
    }
}

fn panic_text(info: &std::panic::PanicHookInfo) -> String {
    if let Some(s) = info.payload().downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = info.payload().downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown".into()
    }
}

/// Splits the paths to check into content paths and competition rules files:
/// files in a `competition/` folder, and the `.ron` files of a content
/// folder's `competition/` (which `content::load` leaves out).
fn split_rules(paths: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let in_competition = |p: &std::path::Path| p.file_name().is_some_and(|n| n == "competition");
    let ron_in = |dir: &std::path::Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let (mut content_paths, mut rules) = (Vec::new(), Vec::new());
    for p in paths {
        if p.is_dir() && in_competition(&p) {
            rules.extend(ron_in(&p));
        } else if p.is_file() && p.parent().is_some_and(in_competition) {
            rules.push(p);
        } else {
            if p.is_dir() {
                rules.extend(ron_in(&p.join("competition")));
            }
            content_paths.push(p);
        }
    }
    (content_paths, rules)
}

fn check(paths: Vec<PathBuf>, json: bool) -> ExitCode {
    let (paths, rules_files) = split_rules(paths);
    let loaded = content::load(&paths);
    let color = io::stdout().is_terminal();
    let mut out = io::stdout().lock();
    let mut rules_errors = 0;
    let mut rules_failed = 0;
    for f in &rules_files {
        if let Err(e) = calldrill::competition::rules::load_file(f) {
            rules_failed += 1;
            rules_errors += e.diagnostics.len();
            let text = if json {
                e.diagnostics
                    .iter()
                    .map(|d| serde_json::to_string(d).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                e.render(color)
            };
            if writeln!(out, "{text}").is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    for d in &loaded.diagnostics {
        let text = if json {
            serde_json::to_string(d).unwrap_or_default()
        } else {
            loaded.render(d, color)
        };
        if writeln!(out, "{text}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    let rules_note = if rules_files.is_empty() {
        String::new()
    } else {
        format!(
            ", {} competition rules file(s)",
            rules_files.len() - rules_failed
        )
    };
    let _ = writeln!(
        out,
        "checked {} file(s): {} playbook(s), {} scenario(s){rules_note} ok; {} error(s), {} warning(s)",
        loaded.files.len() + rules_files.len(),
        loaded
            .library
            .playbooks
            .iter()
            .filter(|e| loaded.files.contains(&e.path))
            .count(),
        loaded
            .library
            .scenarios
            .iter()
            .filter(|e| loaded.files.contains(&e.path))
            .count(),
        loaded.errors() + rules_errors,
        loaded.warnings()
    );
    if loaded.errors() + rules_errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Loads the content folder for playing; prints its errors to stderr.
fn load_for_play(root: &PathBuf) -> Loaded {
    let loaded = content::load(std::slice::from_ref(root));
    if loaded.errors() > 0 {
        eprintln!(
            "note: {} error(s) in the content folder {}; files with errors are left out (run `calldrill check` for details)",
            loaded.errors(),
            root.display()
        );
    }
    loaded
}

fn list(root: &PathBuf) -> ExitCode {
    let loaded = load_for_play(root);
    if loaded.library.scenarios.is_empty() {
        eprintln!("no scenarios found in {}", root.display());
        return ExitCode::FAILURE;
    }
    // Padded by display width: an id may hold CJK, which is two columns wide.
    let width = |t: &str| unicode_width::UnicodeWidthStr::width(t);
    let id_width = loaded
        .library
        .scenarios
        .iter()
        .map(|s| width(&s.value.id))
        .max()
        .unwrap_or(0);
    for pb in &loaded.library.playbooks {
        println!(
            "{} — {} [{}]",
            pb.value.id, pb.value.title, pb.value.language
        );
        for s in loaded
            .library
            .scenarios
            .iter()
            .filter(|s| s.value.playbook == pb.value.id)
        {
            let s = &s.value;
            println!(
                "  {}{} {} {}  {} ({})",
                s.id,
                " ".repeat(id_width - width(&s.id)),
                "★".repeat(s.difficulty.clamp(1, 5) as usize),
                " ".repeat(5 - s.difficulty.clamp(1, 5) as usize),
                s.title,
                s.persona.name
            );
        }
    }
    ExitCode::SUCCESS
}

fn drill(root: &PathBuf, data_dir: Option<&std::path::Path>, args: DrillArgs) -> ExitCode {
    if !args.text {
        eprintln!("`calldrill drill` plays in the terminal: add --text.");
        eprintln!("The game opens with `calldrill` alone (no subcommand), or `scripts/run`.");
        return ExitCode::from(2);
    }
    // Find out now, not after the whole drill, if the transcript cannot be written.
    if let Some(path) = args.json.as_deref().filter(|p| p.as_os_str() != "-")
        && let Err(e) = std::fs::File::create(path)
    {
        eprintln!("error: cannot write {}: {e}", path.display());
        eprintln!(
            "  help: check the folder exists, that you may write there, and that the disk is not full"
        );
        return ExitCode::FAILURE;
    }
    // A named trainee's drill is recorded: open the records first.
    let recording = match args.trainee.as_deref() {
        None => None,
        Some(name) => match records_cmd::open_trainee(data_dir, name) {
            Ok(r) => Some(r),
            Err(code) => return code,
        },
    };
    let loaded = load_for_play(root);
    let mut seed = args.seed;
    let found = match (&args.scenario, &recording) {
        (Some(id), _) => loaded.library.drillable(id).ok_or(id.clone()),
        (None, Some((store, trainee))) => {
            match records_cmd::plan_next(
                store,
                &loaded.library,
                trainee,
                args.playbook.as_deref(),
                args.lang.as_deref(),
            ) {
                Ok(Some((s, pb, chosen))) => {
                    seed = chosen;
                    Ok((s, pb))
                }
                Ok(None) => {
                    eprintln!("error: no scenario to practise in {}", root.display());
                    return ExitCode::from(2);
                }
                Err(code) => return code,
            }
        }
        (None, None) => Err(String::new()),
    };
    let (scenario, playbook) = match found {
        Ok(sp) => sp,
        Err(id) => {
            // A scenario file of that name that failed its checks is left out
            // of the library: say so, not that there is no such scenario.
            let broken = loaded.diagnostics.iter().find(|d| {
                d.is_error()
                    && d.file
                        .file_stem()
                        .is_some_and(|s| s.to_string_lossy() == id)
            });
            if let Some(d) = broken {
                eprintln!(
                    "error: scenario `{id}` has errors, so it was left out: {}:{}:{}: {}",
                    d.file.display(),
                    d.line,
                    d.col,
                    d.message
                );
                eprintln!(
                    "  help: fix it (`calldrill check {}` shows every problem), then run the drill again",
                    root.display()
                );
                return ExitCode::from(2);
            }
            let ids: Vec<&str> = loaded
                .library
                .scenarios
                .iter()
                .map(|s| s.value.id.as_str())
                .collect();
            eprintln!("error: no scenario `{id}` in {}", root.display());
            eprintln!(
                "  help: {}",
                content::diagnostic::suggest(&id, &ids, "scenario")
            );
            eprintln!("  (`calldrill list` shows them all)");
            return ExitCode::from(2);
        }
    };
    let lang = match args.lang.as_deref() {
        None => Lang::for_content(&playbook.language),
        Some(l) => match Lang::parse(l) {
            Some(l) => l,
            None => {
                eprintln!("error: unknown language `{l}`; use zh or en");
                return ExitCode::from(2);
            }
        },
    };
    let mode = if args.exam {
        calldrill::training::Mode::Exam
    } else {
        calldrill::training::Mode::Practice
    };
    let json_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut drill = Drill::new(scenario, playbook, seed);
    let session = match &recording {
        None => None,
        Some((store, trainee)) => match records_cmd::Session::start(store, trainee, &drill, mode) {
            Ok(s) => Some(s),
            Err(code) => return code,
        },
    };
    let stdin = io::stdin();
    let echo = !stdin.is_terminal();
    let mut input = stdin.lock();
    let mut recorder = match (&recording, session) {
        (Some((store, trainee)), Some(session)) => Some(records_cmd::TextRecorder {
            store,
            trainee,
            session: Some(session),
            lang,
        }),
        _ => None,
    };
    let to_stderr = json_stdout;
    let style = Style {
        lang,
        color: if to_stderr {
            io::stderr().is_terminal()
        } else {
            io::stdout().is_terminal()
        },
        echo,
        exam: args.exam,
    };
    let result = if to_stderr {
        text_mode::play(
            &mut drill,
            &mut input,
            &mut io::stderr().lock(),
            style,
            args.trainee.as_deref(),
            recorder.as_mut().map(|r| r as &mut dyn text_mode::Recorder),
        )
    } else {
        text_mode::play(
            &mut drill,
            &mut input,
            &mut io::stdout().lock(),
            style,
            args.trainee.as_deref(),
            recorder.as_mut().map(|r| r as &mut dyn text_mode::Recorder),
        )
    };
    let finish = match result {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.json {
        let json = match serde_json::to_string_pretty(&drill.transcript()) {
            Ok(j) => j,
            Err(e) => {
                eprintln!("error: cannot write the transcript: {e}");
                return ExitCode::FAILURE;
            }
        };
        if json_stdout {
            println!("{json}");
        } else if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("error: cannot write {}: {e}", path.display());
            eprintln!(
                "  help: check the folder exists, that you may write there, and that the disk is not full"
            );
            return ExitCode::FAILURE;
        }
    }
    match finish {
        Finish::Completed => ExitCode::SUCCESS,
        Finish::EndOfInput | Finish::Abandoned => ExitCode::from(3),
        Finish::NotSaved(_) => ExitCode::FAILURE,
    }
}

#[cfg(feature = "game")]
fn game(cli: &Cli, root: PathBuf, started: std::time::Instant) -> ExitCode {
    let lang = match cli.ui_lang.as_deref().map(|l| (l, Lang::parse(l))) {
        None => None,
        Some((_, Some(l))) => Some(l),
        Some((l, None)) => {
            eprintln!("error: unknown language `{l}`; use zh or en");
            return ExitCode::from(2);
        }
    };
    let size = match cli.size.as_deref().map(|s| {
        s.split_once('x')
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
    }) {
        None => None,
        Some(Some(wh)) => Some(wh),
        Some(None) => {
            eprintln!("error: --size takes WIDTHxHEIGHT, like 1920x1080");
            return ExitCode::from(2);
        }
    };
    if !root.join("playbooks").is_dir() {
        eprintln!(
            "error: no content folder at {} (it needs playbooks/ and scenarios/)",
            root.display()
        );
        eprintln!("  help: run from the calldrill folder, or give --content DIR");
        return ExitCode::from(2);
    }
    let mut data_dir = calldrill::records::data_dir(cli.data_dir.as_deref());
    let mut content_root = std::fs::canonicalize(&root).unwrap_or(root);
    if cli.screenshots.is_some() {
        // The tour breaks a file on purpose: give it its own copy of the content and records.
        let tmp = std::env::temp_dir().join(format!("calldrill-tour-{}", std::process::id()));
        if let Err(e) = copy_dir(&content_root, &tmp.join("assets")) {
            eprintln!("error: cannot copy the content for the tour: {e}");
            return ExitCode::FAILURE;
        }
        content_root = tmp.join("assets");
        if cli.data_dir.is_none() {
            data_dir = tmp.join("data");
        }
    }
    if let Some(dir) = &cli.screenshots
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    calldrill::game::run(calldrill::game::GameOptions {
        content_root,
        data_dir,
        lang,
        screenshots: cli
            .screenshots
            .as_ref()
            .map(|d| std::fs::canonicalize(d).unwrap_or(d.clone())),
        seed: cli.game_seed.or(cli.screenshots.as_ref().map(|_| 7)),
        size,
        startup_probe: std::env::var_os("CALLDRILL_STARTUP_PROBE").map(|_| started),
        bare_window: cli.bare_window,
    })
}

#[cfg(feature = "game")]
fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(not(feature = "game"))]
fn game(_cli: &Cli, _root: PathBuf, _started: std::time::Instant) -> ExitCode {
    eprintln!("This calldrill was built without the game (the `game` feature).");
    eprintln!(
        "Play in the terminal instead:  calldrill drill --text --scenario <ID>   (see `calldrill list`)"
    );
    ExitCode::from(2)
}
