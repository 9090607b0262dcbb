//! The checks that run once every file has parsed: ids, references, the shape
//! of each script tree (reachability, endings, choice-less cycles) and whether
//! every approved line is drilled somewhere. Every finding points at the text
//! it is about; positions are looked up only when there is something to report.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet, VecDeque};

use super::diagnostic::{Diagnostic, suggest};
use super::{Entry, Source};
use crate::playbook::Playbook;
use crate::scenario::{Flaw, Next, Scenario};
use crate::scoring::normalize;

pub(super) fn check(
    playbooks: &[Entry<Playbook>],
    scenarios: &[Entry<Scenario>],
    sources: &[Source],
    report_unused_lines: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source_of = |e: &std::path::Path| sources.iter().find(|s| s.path == e);

    // Ids across files.
    let mut seen: HashMap<&str, &Entry<Playbook>> = HashMap::new();
    for e in playbooks {
        if let Some(first) = seen.insert(e.value.id.as_str(), e) {
            let at = At::new(source_of(&e.path), &e.path);
            out.push(
                at.field(
                    Diagnostic::error(
                        "CD020",
                        &e.path,
                        format!("duplicate playbook id `{}`", e.value.id),
                    )
                    .help(format!(
                        "`{}` is also the id of {}; give each playbook its own id",
                        e.value.id,
                        first.path.display()
                    )),
                    "id",
                    &e.value.id,
                    0,
                ),
            );
        }
    }
    let mut seen: HashMap<&str, &Entry<Scenario>> = HashMap::new();
    for e in scenarios {
        if let Some(first) = seen.insert(e.value.id.as_str(), e) {
            let at = At::new(source_of(&e.path), &e.path);
            out.push(
                at.field(
                    Diagnostic::error(
                        "CD020",
                        &e.path,
                        format!("duplicate scenario id `{}`", e.value.id),
                    )
                    .help(format!(
                        "`{}` is also the id of {}; give each scenario its own id",
                        e.value.id,
                        first.path.display()
                    )),
                    "id",
                    &e.value.id,
                    0,
                ),
            );
        }
    }

    for e in playbooks {
        check_playbook(e, source_of(&e.path), &mut out);
    }
    let by_id: HashMap<&str, &Playbook> = playbooks
        .iter()
        .map(|e| (e.value.id.as_str(), &*e.value))
        .collect();
    let mut used: HashMap<&str, HashSet<&str>> = HashMap::new();
    for e in scenarios {
        let pb = by_id.get(e.value.playbook.as_str()).copied();
        check_scenario(e, pb, &by_id, source_of(&e.path), &mut out);
        if pb.is_some() {
            let set = used.entry(e.value.playbook.as_str()).or_default();
            for n in &e.value.nodes {
                set.extend(n.options.iter().filter_map(|o| o.line.as_deref()));
            }
        }
    }
    // Approved lines that no scenario drills (only for playbooks with scenarios loaded).
    for e in playbooks.iter().filter(|_| report_unused_lines) {
        let Some(set) = used.get(e.value.id.as_str()) else {
            continue;
        };
        let at = At::new(source_of(&e.path), &e.path);
        for (_, line) in e.value.lines() {
            if !set.contains(line.id.as_str()) {
                out.push(at.field(
                    Diagnostic::warning("CD040", &e.path, format!("no scenario drills the approved line `{}`", line.id))
                        .help("use it in an approved option (`line: \"...\"`) of some scenario, or remove it"),
                    "id",
                    &line.id,
                    0,
                ));
            }
        }
    }
    out
}

/// Finds where things were written in one file.
struct At<'a> {
    src: Option<&'a Source>,
    path: &'a std::path::Path,
}

impl<'a> At<'a> {
    fn new(src: Option<&'a Source>, path: &'a std::path::Path) -> At<'a> {
        At { src, path }
    }

    fn len(&self) -> usize {
        self.src.map_or(0, |s| s.text.len())
    }

    fn point(&self, d: Diagnostic, offset: Option<usize>, len: usize) -> Diagnostic {
        match (self.src, offset) {
            (Some(s), Some(o)) => s.point(d, o, len),
            (Some(s), None) => s.point(d, 0, 0),
            _ => d,
        }
    }

    fn find_field(&self, field: &str, value: &str, from: usize, until: usize) -> Option<usize> {
        self.src?.find_field(field, value, from, until)
    }

    fn find_quoted(&self, value: &str, from: usize, until: usize) -> Option<usize> {
        self.src?.find_quoted(value, from, until)
    }

    /// Points at `field: "value"` (the value) at or after `from`.
    fn field(&self, d: Diagnostic, field: &str, value: &str, from: usize) -> Diagnostic {
        let o = self.find_field(field, value, from, usize::MAX);
        self.point(d, o, value.len() + 2)
    }

    /// Points at the field name `field:` (for numbers and structs).
    fn word(&self, d: Diagnostic, field: &str, from: usize, until: usize) -> Diagnostic {
        let o = self.src.and_then(|s| s.find_key(field, from, until));
        self.point(d, o, field.len())
    }
}

fn check_playbook(e: &Entry<Playbook>, src: Option<&Source>, out: &mut Vec<Diagnostic>) {
    let pb = &e.value;
    let path = &e.path;
    let at = At::new(src, path);
    let end = at.len();
    if pb.pass_mark > 100 {
        out.push(
            at.word(
                Diagnostic::error(
                    "CD034",
                    path,
                    format!("pass_mark is {}, above 100", pb.pass_mark),
                )
                .help("the pass mark is a drill score from 0 to 100"),
                "pass_mark",
                0,
                end,
            ),
        );
    }
    let r = pb.rubric;
    if r.opening + r.discovery + r.objection + r.value + r.close == 0 {
        out.push(
            at.word(
                Diagnostic::error("CD034", path, "every rubric weight is 0")
                    .help("give at least one stage a weight above 0"),
                "rubric",
                0,
                end,
            ),
        );
    }
    if pb.categories.is_empty() {
        out.push(
            at.word(
                Diagnostic::error("CD034", path, "the playbook has no objection categories")
                    .help("add at least one Category(...) with approved lines"),
                "categories",
                0,
                end,
            ),
        );
    }
    let mut cats = HashSet::new();
    let mut lines = HashSet::new();
    let mut cursor = 0;
    for c in &pb.categories {
        let c_at = at.find_field("id", &c.id, cursor, end).unwrap_or(cursor);
        if !cats.insert(c.id.as_str()) {
            out.push(
                at.field(
                    Diagnostic::error("CD020", path, format!("duplicate category id `{}`", c.id))
                        .help("give each category its own id"),
                    "id",
                    &c.id,
                    c_at,
                ),
            );
        }
        if c.lines.is_empty() {
            out.push(
                at.field(
                    Diagnostic::error(
                        "CD034",
                        path,
                        format!("category `{}` has no approved lines", c.id),
                    )
                    .help("add at least one ApprovedLine(...)"),
                    "id",
                    &c.id,
                    c_at,
                ),
            );
        }
        let mut l_cursor = c_at;
        for l in &c.lines {
            let l_at = at
                .find_field("id", &l.id, l_cursor, end)
                .unwrap_or(l_cursor);
            l_cursor = l_at;
            if !lines.insert(l.id.as_str()) {
                out.push(at.field(
                    Diagnostic::error("CD020", path, format!("duplicate approved line id `{}`", l.id))
                        .help("line ids must be unique in the playbook; by convention \"category.name\""),
                    "id",
                    &l.id,
                    l_at,
                ));
            }
            if l.key_points.is_empty() {
                out.push(
                    at.field(
                        Diagnostic::error(
                            "CD034",
                            path,
                            format!("approved line `{}` has no key points", l.id),
                        )
                        .help("add the moves the line must make as KeyPoint(...)"),
                        "id",
                        &l.id,
                        l_at,
                    ),
                );
            }
            let mut kps = HashSet::new();
            for k in &l.key_points {
                if !kps.insert(k.id.as_str()) {
                    out.push(
                        at.field(
                            Diagnostic::error(
                                "CD020",
                                path,
                                format!("duplicate key point id `{}` in line `{}`", k.id, l.id),
                            )
                            .help("give each key point of a line its own id"),
                            "id",
                            &k.id,
                            l_at + 1,
                        ),
                    );
                }
                if k.phrasings.is_empty() {
                    out.push(at.field(
                        Diagnostic::error("CD034", path, format!("key point `{}` of line `{}` has no phrasings", k.id, l.id))
                            .help("list the phrasings that count, e.g. phrasings: [\"理解\", \"明白\"]"),
                        "id",
                        &k.id,
                        l_at,
                    ));
                }
                for p in &k.phrasings {
                    if normalize(p).is_empty() {
                        let o = at.find_quoted(p, l_at, end);
                        out.push(at.point(
                            Diagnostic::error("CD034", path, format!("the phrasing \"{p}\" has no letters or digits, so it can never match"))
                                .help("matching ignores punctuation and spaces; write words"),
                            o,
                            p.len() + 2,
                        ));
                    }
                }
            }
        }
        cursor = c_at;
    }
    let mut rules = HashSet::new();
    for rule in &pb.rules {
        let r_at = at.find_field("id", &rule.id, 0, end);
        if !rules.insert(rule.id.as_str()) {
            let second = r_at.and_then(|o| at.find_field("id", &rule.id, o + 1, end));
            out.push(
                at.point(
                    Diagnostic::error(
                        "CD020",
                        path,
                        format!("duplicate compliance rule id `{}`", rule.id),
                    )
                    .help("give each rule its own id"),
                    second.or(r_at),
                    rule.id.len() + 2,
                ),
            );
        }
        if rule.forbidden.iter().all(|p| normalize(p).is_empty()) {
            out.push(
                at.point(
                    Diagnostic::error(
                        "CD034",
                        path,
                        format!("compliance rule `{}` has no forbidden phrasings", rule.id),
                    )
                    .help("list the phrasings that breach it, so typed replies can be checked"),
                    r_at,
                    rule.id.len() + 2,
                ),
            );
        }
    }
}

/// Positions inside one scenario file, computed on first need.
struct ScenarioAt<'a> {
    at: At<'a>,
    scenario: &'a Scenario,
    starts: OnceCell<Vec<usize>>,
}

impl<'a> ScenarioAt<'a> {
    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut cursor = self.top_end_guess();
            self.scenario
                .nodes
                .iter()
                .map(|n| {
                    let o = self
                        .at
                        .find_field("id", &n.id, cursor, usize::MAX)
                        .unwrap_or(cursor);
                    cursor = o + 1;
                    o
                })
                .collect()
        })
    }

    /// Where the node list starts (top-level fields come before it).
    fn top_end_guess(&self) -> usize {
        self.at.src.and_then(|s| s.text.find("nodes")).unwrap_or(0)
    }

    fn node_range(&self, i: usize) -> (usize, usize) {
        let s = self.starts();
        let start = s.get(i).copied().unwrap_or(0);
        let end = s
            .get(i + 1)
            .copied()
            .filter(|&e| e > start)
            .unwrap_or(self.at.len());
        (start, end)
    }

    /// Where the node's option `oi` starts.
    fn option_start(&self, i: usize, oi: usize) -> usize {
        let (start, end) = self.node_range(i);
        let mut cursor = start;
        for (k, o) in self.scenario.nodes[i].options.iter().enumerate() {
            cursor = self
                .at
                .find_field("text", &o.text, cursor, end)
                .unwrap_or(cursor);
            if k == oi {
                return cursor;
            }
            cursor += 1;
        }
        start
    }

    /// Points at the node's id.
    fn node(&self, d: Diagnostic, i: usize) -> Diagnostic {
        let o = self.starts().get(i).copied();
        self.at.point(d, o, self.scenario.nodes[i].id.len() + 2)
    }

    /// Points at `"value"` inside node `i`, at or after `from`.
    fn quoted_in_node(&self, d: Diagnostic, i: usize, value: &str, from: usize) -> Diagnostic {
        let (start, end) = self.node_range(i);
        let o = self
            .at
            .find_quoted(value, from.max(start), end)
            .or(Some(start));
        self.at.point(d, o, value.len() + 2)
    }

    /// Points at the bare word `word` inside node `i`, at or after `from`.
    fn word_in_node(&self, d: Diagnostic, i: usize, word: &str, from: usize) -> Diagnostic {
        let (start, end) = self.node_range(i);
        self.at.word(d, word, from.max(start), end)
    }
}

fn check_scenario(
    e: &Entry<Scenario>,
    pb: Option<&Playbook>,
    playbooks: &HashMap<&str, &Playbook>,
    src: Option<&Source>,
    out: &mut Vec<Diagnostic>,
) {
    let sc = &*e.value;
    let path = &e.path;
    let sa = ScenarioAt {
        at: At::new(src, path),
        scenario: sc,
        starts: OnceCell::new(),
    };
    let at = &sa.at;
    let end = at.len();
    if pb.is_none() {
        let ids: Vec<&str> = playbooks.keys().copied().collect();
        out.push(
            at.field(
                Diagnostic::error("CD025", path, format!("unknown playbook `{}`", sc.playbook))
                    .help(suggest(&sc.playbook, &ids, "playbook")),
                "playbook",
                &sc.playbook,
                0,
            ),
        );
    }
    let persona_at = at
        .src
        .and_then(|s| s.find_key("persona", 0, usize::MAX))
        .unwrap_or(0);
    if !(1..=5).contains(&sc.difficulty) {
        out.push(
            at.word(
                Diagnostic::error(
                    "CD034",
                    path,
                    format!("difficulty is {}; it must be 1 to 5", sc.difficulty),
                )
                .help("1 is gentle, 5 the hardest"),
                "difficulty",
                0,
                end,
            ),
        );
    }
    for (name, v) in [
        ("patience", sc.persona.patience),
        ("interest", sc.persona.interest),
    ] {
        if !(0..=100).contains(&v) {
            out.push(
                at.word(
                    Diagnostic::error(
                        "CD034",
                        path,
                        format!("the persona's {name} is {v}; it must be 0 to 100"),
                    )
                    .help("mood values run from 0 to 100"),
                    name,
                    persona_at,
                    end,
                ),
            );
        }
    }
    if sc.step_budget == 0 {
        out.push(
            at.word(
                Diagnostic::error("CD034", path, "step_budget is 0")
                    .help("leave it out for the default (40), or give a number above 0"),
                "step_budget",
                0,
                end,
            ),
        );
    }
    if sc.nodes.is_empty() {
        out.push(
            at.word(
                Diagnostic::error("CD034", path, "the scenario has no nodes")
                    .help("add Node(...) entries; see docs/authoring.md"),
                "nodes",
                0,
                end,
            ),
        );
        return;
    }

    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, n) in sc.nodes.iter().enumerate() {
        if index.contains_key(n.id.as_str()) {
            out.push(
                sa.node(
                    Diagnostic::error("CD020", path, format!("duplicate node id `{}`", n.id))
                        .help("give each node its own id"),
                    i,
                ),
            );
        } else {
            index.insert(&n.id, i);
        }
    }
    let node_ids: Vec<&str> = sc.nodes.iter().map(|n| n.id.as_str()).collect();
    let missing_node = |id: &str| {
        Diagnostic::error("CD021", path, format!("no node has the id `{id}`"))
            .help(suggest(id, &node_ids, "node"))
    };
    if !index.contains_key(sc.start.as_str()) {
        out.push(at.field(missing_node(&sc.start), "start", &sc.start, 0));
    }
    if let Some(po) = &sc.patience_out
        && !index.contains_key(po.as_str())
    {
        out.push(at.field(missing_node(po), "patience_out", po, 0));
    }

    let line_ids: Vec<&str> = pb
        .map(|p| p.lines().map(|(_, l)| l.id.as_str()).collect())
        .unwrap_or_default();
    let rule_ids: Vec<&str> = pb
        .map(|p| p.rules.iter().map(|r| r.id.as_str()).collect())
        .unwrap_or_default();
    let cat_ids: Vec<&str> = pb
        .map(|p| p.categories.iter().map(|c| c.id.as_str()).collect())
        .unwrap_or_default();

    let check_next = |out: &mut Vec<Diagnostic>, i: usize, next: &Next, from: usize| {
        for t in next.targets() {
            if !index.contains_key(t) {
                out.push(sa.quoted_in_node(missing_node(t), i, t, from));
            }
        }
        match next {
            Next::Random(ws) if ws.iter().all(|(w, _)| *w == 0) => {
                out.push(
                    sa.word_in_node(
                        Diagnostic::error(
                            "CD034",
                            path,
                            "a Random transition needs at least one weight above 0",
                        )
                        .help("write it as Random([(3, \"node_a\"), (1, \"node_b\")])"),
                        i,
                        "Random",
                        from,
                    ),
                );
            }
            _ => {}
        }
    };

    for (i, n) in sc.nodes.iter().enumerate() {
        if n.say.is_empty() {
            out.push(
                sa.node(
                    Diagnostic::error(
                        "CD034",
                        path,
                        format!("node `{}` has no customer line", n.id),
                    )
                    .help("give `say` at least one line, e.g. say: [\"喂，哪位？\"]"),
                    i,
                ),
            );
        }
        if let (Some(obj), Some(_)) = (&n.objection, pb)
            && !cat_ids.contains(&obj.as_str())
        {
            out.push(
                sa.quoted_in_node(
                    Diagnostic::error("CD024", path, format!("unknown objection category `{obj}`"))
                        .help(suggest(obj, &cat_ids, "category")),
                    i,
                    obj,
                    0,
                ),
            );
        }
        if n.ending.is_some() {
            if !n.options.is_empty() || n.next.is_some() {
                out.push(sa.node(
                    Diagnostic::error("CD034", path, format!("ending node `{}` also has options or a next", n.id))
                        .help("the call ends at an ending node: remove its options and next, or remove the ending"),
                    i,
                ));
            }
            continue;
        }
        if n.options.is_empty() && n.next.is_none() {
            out.push(
                sa.node(
                    Diagnostic::error(
                        "CD035",
                        path,
                        format!("node `{}` has no options, no next and no ending", n.id),
                    )
                    .help("add reply options, a `next`, or an `ending`"),
                    i,
                ),
            );
        }
        if let Some(next) = &n.next {
            let from = sa.node_range(i).0;
            check_next(out, i, next, from);
        }
        if !n.options.is_empty() && !n.options.iter().any(|o| o.line.is_some()) {
            out.push(sa.node(
                Diagnostic::error("CD033", path, format!("node `{}` has no approved option", n.id))
                    .help("give one option `line: \"...\"` pointing at the approved playbook line; it is what the script says here"),
                i,
            ));
        }
        for (oi, o) in n.options.iter().enumerate() {
            let o_at = sa.option_start(i, oi);
            match (&o.line, &o.flaw) {
                (Some(_), Some(_)) => out.push(at.point(
                    Diagnostic::error("CD036", path, "this option has both `line` and `flaw`")
                        .help("an option either delivers an approved line or is a distractor with a flaw"),
                    Some(o_at),
                    4,
                )),
                (None, None) => out.push(at.point(
                    Diagnostic::error("CD036", path, "this option has neither `line` nor `flaw`")
                        .help("add `line: \"category.name\"` for an approved reply, or a `flaw: OffScript(...)`/`Breach(...)`/`WrongMoment(...)`"),
                    Some(o_at),
                    4,
                )),
                _ => {}
            }
            if let Some(l) = &o.line
                && pb.is_some()
                && !line_ids.contains(&l.as_str())
            {
                out.push(
                    sa.quoted_in_node(
                        Diagnostic::error(
                            "CD022",
                            path,
                            format!("the playbook has no approved line `{l}`"),
                        )
                        .help(suggest(l, &line_ids, "approved line")),
                        i,
                        l,
                        o_at,
                    ),
                );
            }
            match &o.flaw {
                Some(Flaw::Breach { rule, .. })
                    if pb.is_some() && !rule_ids.contains(&rule.as_str()) =>
                {
                    out.push(
                        sa.quoted_in_node(
                            Diagnostic::error(
                                "CD023",
                                path,
                                format!("the playbook has no compliance rule `{rule}`"),
                            )
                            .help(suggest(rule, &rule_ids, "rule")),
                            i,
                            rule,
                            o_at,
                        ),
                    );
                }
                Some(Flaw::WrongMoment { line, credit, .. }) => {
                    if pb.is_some() && !line_ids.contains(&line.as_str()) {
                        out.push(
                            sa.quoted_in_node(
                                Diagnostic::error(
                                    "CD022",
                                    path,
                                    format!("the playbook has no approved line `{line}`"),
                                )
                                .help(suggest(
                                    line,
                                    &line_ids,
                                    "approved line",
                                )),
                                i,
                                line,
                                o_at,
                            ),
                        );
                    }
                    if *credit > 100 {
                        out.push(
                            sa.word_in_node(
                                Diagnostic::error(
                                    "CD034",
                                    path,
                                    format!("credit is {credit}; it must be 0 to 100"),
                                )
                                .help("credit is the turn score for this distractor"),
                                i,
                                "credit",
                                o_at,
                            ),
                        );
                    }
                }
                Some(Flaw::OffScript { credit, .. }) if *credit > 100 => {
                    out.push(
                        sa.word_in_node(
                            Diagnostic::error(
                                "CD034",
                                path,
                                format!("credit is {credit}; it must be 0 to 100"),
                            )
                            .help("credit is the turn score for this distractor"),
                            i,
                            "credit",
                            o_at,
                        ),
                    );
                }
                _ => {}
            }
            match (&o.next, &n.next) {
                (Some(next), _) => check_next(out, i, next, o_at),
                (None, None) => out.push(at.point(
                    Diagnostic::error("CD035", path, format!("an option of node `{}` has no next, and neither has the node", n.id))
                        .help("give the option `next: Goto(\"...\")`, or give the node a default `next`"),
                    Some(o_at),
                    4,
                )),
                _ => {}
            }
        }
    }

    // A missing node makes everything behind it look unreachable: say only
    // what is wrong, not its echoes.
    let missing_targets = out.iter().any(|d| d.code == "CD021" && d.file == *path);
    check_graph(&sa, &index, out, missing_targets);
}

fn check_graph(
    sa: &ScenarioAt,
    index: &HashMap<&str, usize>,
    out: &mut Vec<Diagnostic>,
    missing_targets: bool,
) {
    let sc = sa.scenario;
    let path = sa.at.path;
    let n = sc.nodes.len();
    let succ: Vec<Vec<(usize, bool)>> = sc
        .nodes
        .iter()
        .map(|node| {
            node.successors()
                .into_iter()
                .filter_map(|(t, choice)| index.get(t).map(|&j| (j, choice)))
                .collect()
        })
        .collect();
    let patience_out = sc
        .patience_out
        .as_deref()
        .and_then(|p| index.get(p).copied());

    // Reachable from start.
    let mut reach = vec![false; n];
    if let Some(&s) = index.get(sc.start.as_str()) {
        let mut queue = VecDeque::from([s]);
        reach[s] = true;
        let mut po_added = false;
        while let Some(i) = queue.pop_front() {
            let mut next: Vec<usize> = succ[i].iter().map(|&(j, _)| j).collect();
            if !po_added && !sc.nodes[i].options.is_empty() {
                if let Some(p) = patience_out {
                    next.push(p);
                }
                po_added = true;
            }
            for j in next {
                if !reach[j] {
                    reach[j] = true;
                    queue.push_back(j);
                }
            }
        }
        for (i, r) in reach.iter().enumerate() {
            if !r && !missing_targets && index.get(sc.nodes[i].id.as_str()) == Some(&i) {
                out.push(
                    sa.node(
                        Diagnostic::warning(
                            "CD030",
                            path,
                            format!("node `{}` cannot be reached from the start", sc.nodes[i].id),
                        )
                        .help("point a `next` at it, or remove it"),
                        i,
                    ),
                );
            }
        }
    }

    // Can reach an ending.
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, s) in succ.iter().enumerate() {
        for &(j, _) in s {
            pred[j].push(i);
        }
    }
    let mut ends = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| sc.nodes[i].ending.is_some()).collect();
    for &i in &queue {
        ends[i] = true;
    }
    while let Some(j) = queue.pop_front() {
        for &i in &pred[j] {
            if !ends[i] {
                ends[i] = true;
                queue.push_back(i);
            }
        }
    }
    if !sc.nodes.iter().any(|n| n.ending.is_some()) {
        out.push(sa.at.word(
            Diagnostic::error("CD031", path, "the scenario has no ending node").help(
                "add nodes with `ending: Deal` (or Appointment, Callback, HangUp, Complaint)",
            ),
            "nodes",
            0,
            sa.at.len(),
        ));
    } else {
        for (i, reaches_end) in ends.iter().enumerate() {
            if !reaches_end && index.get(sc.nodes[i].id.as_str()) == Some(&i) {
                out.push(
                    sa.node(
                        Diagnostic::error(
                            "CD031",
                            path,
                            format!("no ending can be reached from node `{}`", sc.nodes[i].id),
                        )
                        .help("make some path from here lead to a node with an `ending`"),
                        i,
                    ),
                );
            }
        }
    }

    // Cycles with no player choice: among nodes without options.
    let passive: Vec<bool> = sc
        .nodes
        .iter()
        .map(|n| n.options.is_empty() && n.ending.is_none())
        .collect();
    let mut color = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    for s in 0..n {
        if !passive[s] || color[s] != 0 {
            continue;
        }
        // Iterative DFS keeping the path.
        let mut stack: Vec<(usize, usize)> = vec![(s, 0)];
        color[s] = 1;
        while let Some(&mut (i, ref mut k)) = stack.last_mut() {
            let edges: Vec<usize> = succ[i]
                .iter()
                .filter(|&&(j, c)| !c && passive[j])
                .map(|&(j, _)| j)
                .collect();
            if *k < edges.len() {
                let j = edges[*k];
                *k += 1;
                if color[j] == 1 {
                    let from = stack.iter().position(|&(x, _)| x == j).unwrap_or(0);
                    let mut names: Vec<&str> = stack[from..]
                        .iter()
                        .map(|&(x, _)| sc.nodes[x].id.as_str())
                        .collect();
                    names.push(&sc.nodes[j].id);
                    out.push(sa.node(
                        Diagnostic::error("CD032", path, format!("a cycle with no player choice in it: {}", names.join(" → ")))
                            .help("the call would loop forever: give one of these nodes reply options, or lead it out of the loop"),
                        j,
                    ));
                } else if color[j] == 0 {
                    color[j] = 1;
                    stack.push((j, 0));
                }
            } else {
                color[i] = 2;
                stack.pop();
            }
        }
    }
}
