//! Benchmarks of the domain core, each printed against a baseline measured in
//! the same run (run with `cargo bench --bench core`):
//!
//! 1. Loading and validating a generated library of 1,000 scenarios × 40
//!    nodes, against a bare parse (`ron` into the same types) of the same
//!    files. Target: at most 2× the bare parse.
//! 2. The engine's turns per second with a bot player that answers at random,
//!    against the bare cost of the bot's own choices and the RNG. Target: at
//!    least 1,000,000 turns/s on one core.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calldrill::content;
use calldrill::drill::{Answer, Drill, DrillRng};
use calldrill::playbook::Playbook;
use calldrill::scenario::Scenario;

const SCENARIOS: usize = 1000;
const NODES: usize = 40;

fn main() {
    let dir = std::env::temp_dir().join(format!("calldrill-bench-{}", std::process::id()));
    generate(&dir);
    let files = list(&dir.join("scenarios"));
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    println!(
        "library: {} scenarios × {NODES} nodes, {:.1} MiB",
        files.len(),
        bytes as f64 / (1024.0 * 1024.0)
    );

    // Warm the page cache, then take the best of several runs of each.
    let bare = best_of(5, || bare_parse(&dir, &files));
    let full = best_of(5, || {
        let loaded = content::load(std::slice::from_ref(&dir));
        assert_eq!(loaded.errors(), 0, "{:?}", loaded.diagnostics.first());
        assert_eq!(loaded.library.scenarios.len(), SCENARIOS);
        black_box(loaded.library.scenarios.len());
    });
    let ratio = full.as_secs_f64() / bare.as_secs_f64();
    println!(
        "load+validate: {:>8.1} ms   bare ron parse: {:>8.1} ms   ratio {ratio:.2}× (target ≤ 2.00×) {}",
        ms(full),
        ms(bare),
        verdict(ratio <= 2.0)
    );

    // Turns per second, on the generated scenarios and on the shipped ones.
    let loaded = content::load(std::slice::from_ref(&dir));
    let pairs: Vec<_> = loaded
        .library
        .scenarios
        .iter()
        .take(50)
        .map(|s| loaded.library.drillable(&s.value.id).unwrap())
        .collect();
    report_turns("generated (40 nodes)", &pairs);
    let shipped = content::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")]);
    let pairs: Vec<_> = shipped
        .library
        .scenarios
        .iter()
        .map(|s| shipped.library.drillable(&s.value.id).unwrap())
        .collect();
    report_turns("shipped content", &pairs);
    let _ = std::fs::remove_dir_all(&dir);
}

fn report_turns(name: &str, pairs: &[(std::sync::Arc<Scenario>, std::sync::Arc<Playbook>)]) {
    let budget = Duration::from_millis(1500);
    // Baseline: the bot's own work (its RNG and the choice) without the engine.
    let start = Instant::now();
    let mut bot = DrillRng::new(99);
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..10_000 {
            black_box(bot.below(black_box(4)));
            n += 1;
        }
    }
    let base_rate = n as f64 / start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut bot = DrillRng::new(7);
    let mut turns = 0u64;
    let mut drills = 0u64;
    let mut seed = 0u64;
    while start.elapsed() < budget {
        for (s, p) in pairs {
            let mut d = Drill::new(s.clone(), p.clone(), seed);
            seed += 1;
            while let Some(prompt) = d.prompt() {
                let k = bot.below(prompt.options.len() as u64) as usize;
                d.answer(Answer::Choice(k), None).unwrap();
                turns += 1;
            }
            black_box(d.scorecard().score);
            drills += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = turns as f64 / secs;
    println!(
        "engine, {name}: {:>10.0} turns/s ({drills} drills, {:.1} turns each; bot alone {:.0} choices/s)  target ≥ 1,000,000 {}",
        rate,
        turns as f64 / drills as f64,
        base_rate,
        verdict(rate >= 1_000_000.0)
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "OK" } else { "MISSED" }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn bare_parse(dir: &Path, files: &[PathBuf]) {
    let pb = std::fs::read_to_string(dir.join("playbooks/gen.ron")).unwrap();
    black_box(content::parse_str::<Playbook>(&pb).unwrap());
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        black_box(content::parse_str::<Scenario>(&text).unwrap());
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Writes a playbook and SCENARIOS scenarios of NODES nodes each: 36 nodes
/// with three options (approved, off-script, breach), random objections, a
/// mood transition, and four endings.
fn generate(dir: &Path) {
    std::fs::create_dir_all(dir.join("playbooks")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    let mut pb = String::from(
        "Playbook(\n    id: \"gen\",\n    title: \"生成的话术\",\n    language: \"zh-CN\",\n    pass_mark: 80,\n    rubric: (opening: 10, discovery: 25, objection: 30, value: 15, close: 20),\n    categories: [\n",
    );
    for c in 0..12 {
        pb.push_str(&format!(
            "        Category(id: \"c{c}\", title: \"类别{c}\", lines: [\n            ApprovedLine(id: \"c{c}.a\", text: \"我理解您的顾虑，我们有真实案例，您看周三下午三点方便吗？\", key_points: [\n                KeyPoint(id: \"k1\", title: \"共情\", phrasings: [\"理解\", \"明白\"]),\n                KeyPoint(id: \"k2\", title: \"举证\", phrasings: [\"案例\", \"客户\"]),\n                KeyPoint(id: \"k3\", title: \"约时间\", phrasings: [\"三点\", \"方便吗\"]),\n            ]),\n        ]),\n"
        ));
    }
    pb.push_str("    ],\n    rules: [\n        ComplianceRule(id: \"r1\", title: \"不得冒充银联\", severity: Fatal, forbidden: [\"银联的\"]),\n    ],\n)\n");
    std::fs::write(dir.join("playbooks/gen.ron"), pb).unwrap();
    let stages = ["Opening", "Discovery", "Objection", "Value", "Close"];
    for s in 0..SCENARIOS {
        let mut t = format!(
            "Scenario(\n    id: \"gen-{s:04}\",\n    playbook: \"gen\",\n    title: \"生成场景 {s}\",\n    difficulty: {},\n    persona: Persona(name: \"客户{s}\", patience: 80, interest: 30, traits: [\"测试\"]),\n    start: \"n0\",\n    patience_out: \"e_hangup\",\n    nodes: [\n",
            s % 5 + 1
        );
        let option_nodes = NODES - 4;
        for n in 0..option_nodes {
            let next = if n + 1 < option_nodes {
                if n % 5 == 4 {
                    format!(
                        "Random([(2, \"n{}\"), (1, \"n{}\")])",
                        n + 1,
                        (n + 2).min(option_nodes - 1)
                    )
                } else {
                    format!("Goto(\"n{}\")", n + 1)
                }
            } else {
                "Mood(cases: [(when: InterestAtLeast(60), goto: \"e_deal\"), (when: PatienceBelow(30), goto: \"e_hangup\")], otherwise: \"e_callback\")".to_string()
            };
            let c = n % 12;
            t.push_str(&format!(
                "        Node(\n            id: \"n{n}\",\n            stage: {},\n            say: [\"客户的第{n}句话：这个我得再想想。\", \"第{n}句的另一种说法。\"],\n            objection: \"c{c}\",\n            options: [\n                Reply(text: \"我理解您的顾虑，我们有真实案例，您看周三下午三点方便吗？\", line: \"c{c}.a\"),\n                Reply(text: \"您就办一个吧，大家都办了。\", flaw: OffScript(credit: 30, reason: \"没有回应顾虑\")),\n                Reply(text: \"我是银联的，必须升级。\", flaw: Breach(rule: \"r1\", reason: \"冒充银联\"), next: Goto(\"e_complaint\")),\n            ],\n            next: {next},\n        ),\n",
                stages[n * 5 / option_nodes]
            ));
        }
        for (id, ending) in [
            ("e_deal", "Deal"),
            ("e_callback", "Callback"),
            ("e_hangup", "HangUp"),
            ("e_complaint", "Complaint"),
        ] {
            t.push_str(&format!(
                "        Node(id: \"{id}\", stage: Close, say: [\"好的。\"], ending: {ending}),\n"
            ));
        }
        t.push_str("    ],\n)\n");
        std::fs::write(dir.join(format!("scenarios/gen-{s:04}.ron")), t).unwrap();
    }
}
