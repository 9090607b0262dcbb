//! The morning competition's subcommands: `teams balance | show | move` and
//! `verify`. Each turns a store problem or a typo into a message with a hint
//! (did-you-mean for names) and an exit code: 0 done, 1 problems found
//! (verify), 2 bad input or an unusable store.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;

use calldrill::competition::chain::Problem;
use calldrill::competition::teams::{self, Balance, BalanceMethod, Team};
use calldrill::content::diagnostic::suggest;
use calldrill::i18n::Lang;
use calldrill::records::{ResultRow, Store, StoreError, now_ms};

#[derive(Subcommand)]
pub enum TeamsCommand {
    /// Split every trainee into K teams of similar strength (mean mastery
    /// level of the categories each has practised), and print them.
    Balance {
        /// How many teams.
        #[arg(long, value_name = "K")]
        teams: usize,
        /// Save the teams as the roster the competition uses (keeps the names,
        /// slogans and targets of the saved teams).
        #[arg(long)]
        save: bool,
        /// Measure strength on this playbook's categories only.
        #[arg(long, value_name = "ID")]
        playbook: Option<String>,
        /// zh or en (default: zh).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Print the saved teams with each member's strength.
    Show {
        /// zh or en (default: zh).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Move a trainee to another team by hand, and save.
    Move {
        /// The trainee's name.
        name: String,
        /// The team to move to.
        #[arg(long, value_name = "TEAM")]
        to: String,
        /// zh or en (default: zh).
        #[arg(long)]
        lang: Option<String>,
    },
}

fn fail(message: impl std::fmt::Display, help: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("  help: {help}");
    ExitCode::from(2)
}

/// A records problem: exit 1, as an I/O error; 2 is for usage mistakes.
fn store_error(e: &StoreError) -> ExitCode {
    fail(&e.message, &e.help);
    ExitCode::FAILURE
}

fn lang(arg: Option<&str>) -> Result<Lang, ExitCode> {
    match arg {
        None => Ok(Lang::Zh),
        Some(l) => Lang::parse(l).ok_or_else(|| {
            fail(
                format!("unknown language `{l}`"),
                "use --lang zh or --lang en",
            )
        }),
    }
}

fn open(data_dir: Option<&Path>) -> Result<Store, ExitCode> {
    Store::open(&calldrill::records::data_dir(data_dir)).map_err(|e| store_error(&e))
}

pub fn teams(root: &Path, data_dir: Option<&Path>, command: TeamsCommand) -> ExitCode {
    let result = match command {
        TeamsCommand::Balance {
            teams,
            save,
            playbook,
            lang: l,
        } => lang(l.as_deref())
            .and_then(|l| balance(root, data_dir, teams, save, playbook.as_deref(), l)),
        TeamsCommand::Show { lang: l } => lang(l.as_deref()).and_then(|l| show(data_dir, l)),
        TeamsCommand::Move { name, to, lang: l } => {
            lang(l.as_deref()).and_then(|l| move_to(data_dir, &name, &to, l))
        }
    };
    result.unwrap_or_else(|code| code)
}

/// The playbook ids calldrill knows of: the content folder's and those with
/// recorded mastery.
fn known_playbooks(root: &Path, store: &Store) -> Result<Vec<String>, ExitCode> {
    let loaded = calldrill::content::load(&[root.to_path_buf()]);
    let mut ids: Vec<String> = loaded
        .library
        .playbooks
        .iter()
        .map(|p| p.value.id.clone())
        .collect();
    let mut st = store
        .connection()
        .prepare("SELECT DISTINCT playbook FROM mastery")
        .map_err(|e| {
            fail(
                format!("cannot read the records: {e}"),
                "restore a backup if this persists",
            )
        })?;
    let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(|e| {
        fail(
            format!("cannot read the records: {e}"),
            "restore a backup if this persists",
        )
    })?;
    ids.extend(rows.flatten());
    ids.sort();
    ids.dedup();
    Ok(ids)
}

fn print_balance(b: &Balance, zh: bool) {
    let width = b
        .teams
        .iter()
        .flat_map(|t| t.members.iter())
        .map(|m| unicode_width::UnicodeWidthStr::width(m.as_str()))
        .max()
        .unwrap_or(0)
        .max(8);
    for (t, strength) in b.teams.iter().zip(&b.strengths) {
        if zh {
            println!("{} · 口号：{} · 目标：{}", t.name, t.slogan, t.target);
        } else {
            println!("{} · slogan: {} · target: {}", t.name, t.slogan, t.target);
        }
        for m in &t.members {
            let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(m.as_str()));
            let s = b.member_strength.get(m).copied().unwrap_or(0.0);
            println!("  {m}{}  {s:>5.1}", " ".repeat(pad));
        }
        if t.members.is_empty() {
            println!(
                "  {}",
                if zh {
                    "（没有成员）"
                } else {
                    "(no members)"
                }
            );
        }
        if zh {
            println!("  小组实力 {strength:.1}（{} 人）", t.members.len());
        } else {
            println!(
                "  team strength {strength:.1} ({} members)",
                t.members.len()
            );
        }
    }
    let how = match (b.method, zh) {
        (BalanceMethod::Exact, true) => "最优解",
        (BalanceMethod::Exact, false) => "optimal",
        (BalanceMethod::Differencing, true) => "近似最优",
        (BalanceMethod::Differencing, false) => "near-optimal",
        (BalanceMethod::Manual, true) => "手动调整",
        (BalanceMethod::Manual, false) => "moved by hand",
        (BalanceMethod::Saved, true) => "已保存的分组",
        (BalanceMethod::Saved, false) => "the saved teams",
    };
    if zh {
        println!("实力差（最强组 - 最弱组）：{:.1}（{how}）", b.spread);
    } else {
        println!("spread (strongest - weakest team): {:.1} ({how})", b.spread);
    }
    if b.is_even() {
        return;
    }
    let k = b.teams.len();
    match (b.can_improve(), zh) {
        (true, true) => println!(
            "各组实力相差较大：运行 `calldrill teams balance --teams {k} --save` 可把实力差降到 {:.1}。",
            b.best_spread
        ),
        (true, false) => println!(
            "the teams differ widely in strength: `calldrill teams balance --teams {k} --save` would bring the spread down to {:.1}.",
            b.best_spread
        ),
        (false, true) => println!("各组实力仍相差较大：成员之间实力悬殊，这已是最好的分法。"),
        (false, false) => println!(
            "the teams still differ widely: the trainees differ widely in strength, and this is the best split there is."
        ),
    }
}

fn balance(
    root: &Path,
    data_dir: Option<&Path>,
    k: usize,
    save: bool,
    playbook: Option<&str>,
    lang: Lang,
) -> Result<ExitCode, ExitCode> {
    let zh = lang == Lang::Zh;
    let store = open(data_dir)?;
    if let Some(p) = playbook {
        let known = known_playbooks(root, &store)?;
        if !known.iter().any(|k| k == p) {
            let refs: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(fail(
                format!("no playbook `{p}`"),
                suggest(p, &refs, "playbook"),
            ));
        }
    }
    let roster = store
        .strengths_in(now_ms(), playbook)
        .map_err(|e| store_error(&e))?;
    if roster.is_empty() {
        return Err(fail(
            "no trainees recorded yet",
            "add them with `calldrill trainee NAME`, or play a drill with --trainee NAME",
        ));
    }
    if k == 0 || k > roster.len() {
        return Err(fail(
            format!("cannot make {k} teams from {} trainee(s)", roster.len()),
            format!(
                "--teams must be between 1 and {} (every team needs at least one member)",
                roster.len()
            ),
        ));
    }
    let mut b = teams::balance(&roster, k)
        .map_err(|e| fail(e, "check the trainees with `calldrill teams show`"))?;
    // Keep the names, slogans and targets the trainer gave the saved teams.
    let saved = store.teams().map_err(|e| store_error(&e))?;
    for (t, s) in b.teams.iter_mut().zip(&saved) {
        t.name = s.name.clone();
        t.slogan = s.slogan.clone();
        t.target = s.target.clone();
    }
    dedupe_names(&mut b.teams);
    print_balance(&b, zh);
    if save {
        store.save_teams(&b.teams).map_err(|e| store_error(&e))?;
        println!(
            "{}",
            if zh {
                "已保存为竞赛分组"
            } else {
                "saved as the competition's teams"
            }
        );
    } else {
        println!(
            "{}",
            if zh {
                "（未保存：加 --save 保存为竞赛分组）"
            } else {
                "(not saved: add --save to keep these teams)"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Saved names may repeat a default name given to a new team; number those.
fn dedupe_names(teams: &mut [Team]) {
    for i in 0..teams.len() {
        let mut n = 2;
        while teams[..i].iter().any(|t| t.name == teams[i].name) {
            teams[i].name = format!("{}{n}", teams[i].name.trim_end_matches(char::is_numeric));
            n += 1;
        }
    }
}

/// The saved roster as a [`Balance`], with everyone's current strength.
fn saved_balance(store: &Store) -> Result<Balance, ExitCode> {
    let teams = store.teams().map_err(|e| store_error(&e))?;
    let member_strength: BTreeMap<String, f64> = store
        .strengths(now_ms())
        .map_err(|e| store_error(&e))?
        .into_iter()
        .collect();
    Ok(Balance::of_teams(teams, member_strength))
}

fn show(data_dir: Option<&Path>, lang: Lang) -> Result<ExitCode, ExitCode> {
    let zh = lang == Lang::Zh;
    let store = open(data_dir)?;
    let b = saved_balance(&store)?;
    if b.teams.is_empty() {
        println!(
            "{}",
            if zh {
                "还没有保存的分组。运行 `calldrill teams balance --teams 3 --save` 自动分组"
            } else {
                "no teams saved yet. Run `calldrill teams balance --teams 3 --save` to make some"
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    print_balance(&b, zh);
    warn_sizes(&b, zh);
    Ok(ExitCode::SUCCESS)
}

fn warn_sizes(b: &Balance, zh: bool) {
    if !b.sizes_ok {
        let sizes: Vec<String> = b
            .teams
            .iter()
            .map(|t| format!("{} {}", t.name, t.members.len()))
            .collect();
        if zh {
            eprintln!(
                "warning: 各组人数相差超过 1 人（{}）；`calldrill teams balance --teams {} --save` 可重新平衡",
                sizes.join("，"),
                b.teams.len()
            );
        } else {
            eprintln!(
                "warning: team sizes differ by more than one ({}); `calldrill teams balance --teams {} --save` rebalances",
                sizes.join(", "),
                b.teams.len()
            );
        }
    }
    for t in b.teams.iter().filter(|t| t.members.is_empty()) {
        if zh {
            eprintln!("warning: {} 没有成员，竞赛无法开始", t.name);
        } else {
            eprintln!(
                "warning: {} has no members; a competition cannot start like this",
                t.name
            );
        }
    }
}

fn move_to(
    data_dir: Option<&Path>,
    name: &str,
    to: &str,
    lang: Lang,
) -> Result<ExitCode, ExitCode> {
    let zh = lang == Lang::Zh;
    let (name, to) = (name.trim(), to.trim());
    let store = open(data_dir)?;
    let mut b = saved_balance(&store)?;
    if b.teams.is_empty() {
        return Err(fail(
            "no teams saved yet",
            "make them first with `calldrill teams balance --teams K --save`",
        ));
    }
    let Some(to_index) = b.teams.iter().position(|t| t.name == to) else {
        let names: Vec<&str> = b.teams.iter().map(|t| t.name.as_str()).collect();
        return Err(fail(format!("no team `{to}`"), suggest(to, &names, "team")));
    };
    if b.teams[to_index].members.iter().any(|m| m == name) {
        if zh {
            println!("{name} 已在 {to}，无需调整");
        } else {
            println!("{name} is already in {to}; nothing changed");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let in_team = b.teams.iter().any(|t| t.members.iter().any(|m| m == name));
    if in_team {
        teams::move_member(&mut b, name, to_index)
            .map_err(|e| fail(e, "see `calldrill teams show`"))?;
    } else {
        let known = store.trainees().map_err(|e| store_error(&e))?;
        if !known.iter().any(|t| t.name == name) {
            let names: Vec<&str> = known.iter().map(|t| t.name.as_str()).collect();
            return Err(fail(
                format!("no trainee `{name}`"),
                format!(
                    "{} (add a new trainee with `calldrill trainee NAME`)",
                    suggest(name, &names, "trainee")
                ),
            ));
        }
        // A known trainee not yet in any team joins this one.
        b.teams[to_index].members.push(name.to_string());
        b.method = BalanceMethod::Manual;
        b.recompute();
    }
    store.save_teams(&b.teams).map_err(|e| store_error(&e))?;
    if zh {
        println!("已把 {name} 调到 {to}");
    } else {
        println!("moved {name} to {to}");
    }
    print_balance(&b, zh);
    warn_sizes(&b, zh);
    Ok(ExitCode::SUCCESS)
}

/// The competitions' saved states, by id (those that can be read).
type States = BTreeMap<i64, calldrill::competition::Competition>;

/// The result a chain row holds: its payload when readable, else the
/// result at the same place in its competition's saved state.
fn row_result<'a>(
    rows: &'a [ResultRow],
    states: &'a States,
    row: &'a ResultRow,
) -> Option<&'a calldrill::competition::ScoredResult> {
    if let Some(r) = &row.result {
        return Some(r);
    }
    let position = rows
        .iter()
        .filter(|r| r.competition_id == row.competition_id && r.id < row.id)
        .count();
    states
        .get(&row.competition_id)
        .and_then(|c| c.results().get(position))
}

/// What is known of a chain row, for naming a problem.
fn describe_row(rows: &[ResultRow], states: &States, id: i64, zh: bool) -> String {
    let Some(row) = rows.iter().find(|r| r.id == id) else {
        return String::new();
    };
    match row_result(rows, states, row) {
        Some(r) => {
            let r = &r.result;
            if zh {
                format!(
                    "（第 {} 场比赛，第 {} 轮，{}，{}）",
                    row.competition_id, r.round, r.team, r.trainee
                )
            } else {
                format!(
                    " (competition {}, round {}, {}, {})",
                    row.competition_id, r.round, r.team, r.trainee
                )
            }
        }
        None => {
            if zh {
                format!("（第 {} 场比赛）", row.competition_id)
            } else {
                format!(" (competition {})", row.competition_id)
            }
        }
    }
}

pub fn verify(data_dir: Option<&Path>, lang_arg: Option<&str>) -> ExitCode {
    let zh = match lang(lang_arg) {
        Ok(l) => l == Lang::Zh,
        Err(code) => return code,
    };
    let store = match open(data_dir) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let loaded = store.verify_results().and_then(|p| {
        let states: States = store
            .competitions(i64::MIN, i64::MAX)?
            .into_iter()
            .filter_map(|c| Some((c.id, c.competition.ok()?)))
            .collect();
        Ok((p, store.result_rows()?, states))
    });
    let (problems, rows, states) = match loaded {
        Ok(v) => v,
        Err(e) => return store_error(&e),
    };
    let missing = missing_results(&rows, &states);
    // A row whose hash no longer matches is reported as edited; compare the rest.
    let edited: Vec<i64> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::Edited { id } => Some(*id),
            _ => None,
        })
        .collect();
    let differing: Vec<_> = differing_results(&rows, &states)
        .into_iter()
        .filter(|(_, row, _)| !edited.contains(row))
        .collect();
    if problems.is_empty() && missing.is_empty() && differing.is_empty() {
        if zh {
            println!("{} 条成绩，哈希链完整", rows.len());
        } else {
            println!("{} results, chain intact", rows.len());
        }
        return ExitCode::SUCCESS;
    }
    for p in &problems {
        let text = if zh { p.zh() } else { p.to_string() };
        let at = match p {
            Problem::Edited { id }
            | Problem::BrokenLink { id, .. }
            | Problem::Reordered { id, .. }
            | Problem::BadId { id, .. } => describe_row(&rows, &states, *id, zh),
            Problem::Deleted { before, .. } => describe_row(&rows, &states, *before, zh),
            Problem::HeadMismatch { at_row: Some(id) } => describe_row(&rows, &states, *id, zh),
            _ => String::new(),
        };
        println!("{}{text}{at}", if zh { "问题：" } else { "problem: " });
    }
    for (competition, r) in &missing {
        if zh {
            println!(
                "缺失：第 {competition} 场比赛第 {} 条成绩（第 {} 轮，{}，{}）在比赛状态中有，但成绩记录里没有",
                r.seq, r.result.round, r.result.team, r.result.trainee
            );
        } else {
            println!(
                "missing: result {} of competition {competition} (round {}, {}, {}) is in the competition's state but not among the stored results",
                r.seq, r.result.round, r.result.team, r.result.trainee
            );
        }
    }
    for (competition, row_id, r) in &differing {
        if zh {
            println!(
                "不符：第 {competition} 场比赛第 {} 条成绩（第 {} 轮，{}，{}）与第 {row_id} 条记录不一致：比赛状态被改动过",
                r.seq, r.result.round, r.result.team, r.result.trainee
            );
        } else {
            println!(
                "differs: result {} of competition {competition} (round {}, {}, {}) in the competition's state does not match stored row {row_id}: the state was altered",
                r.seq, r.result.round, r.result.team, r.result.trainee
            );
        }
    }
    let n = problems.len() + missing.len() + differing.len();
    if zh {
        println!(
            "{} 条成绩，发现 {n} 处问题：成绩被改动或删除过。请从备份恢复记录（calldrill backup 可做备份）",
            rows.len()
        );
    } else {
        println!(
            "{} results, {n} problem(s): stored results were altered or deleted. Restore the records from a backup (make backups with `calldrill backup`)",
            rows.len()
        );
    }
    ExitCode::FAILURE
}

/// Results a competition's saved state holds that no chain row stores (a
/// row whose payload cannot be read stands for the result at its place).
fn missing_results(
    rows: &[ResultRow],
    states: &States,
) -> Vec<(i64, calldrill::competition::ScoredResult)> {
    let mut out = Vec::new();
    for (id, c) in states {
        let mine: Vec<&ResultRow> = rows.iter().filter(|r| r.competition_id == *id).collect();
        for (i, r) in c.results().iter().enumerate() {
            let stored = mine
                .iter()
                .any(|row| row.result.as_ref().is_some_and(|s| s.seq == r.seq))
                || mine.get(i).is_some_and(|row| row.result.is_none());
            if !stored {
                out.push((*id, r.clone()));
            }
        }
    }
    out
}

/// Results whose competition state and stored row (readable, same number)
/// disagree: `(competition, row id, the state's result)`.
fn differing_results(
    rows: &[ResultRow],
    states: &States,
) -> Vec<(i64, i64, calldrill::competition::ScoredResult)> {
    let mut out = Vec::new();
    for (id, c) in states {
        for r in c.results() {
            let row = rows.iter().find(|row| {
                row.competition_id == *id && row.result.as_ref().is_some_and(|s| s.seq == r.seq)
            });
            if let Some(row) = row
                && row.result.as_ref() != Some(r)
            {
                out.push((*id, row.id, r.clone()));
            }
        }
    }
    out
}
