//! PNG charts for managers, drawn with plotters: the hardest objections, the
//! trainees by adherence (lagging ones in red, the team median marked), and
//! progress over time per team. Labels use the shipped Noto Sans SC font, so
//! Chinese renders on any machine.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Report;
use crate::i18n::Lang;
use crate::records::StoreError;

const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-calldrill-Regular.otf");
pub(crate) const FAMILY: &str = "calldrill-sans";

pub(crate) const INK: RGBColor = RGBColor(0x22, 0x2a, 0x35);
const GOOD: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
const WARN: RGBColor = RGBColor(0xef, 0x8f, 0x00);
const BAD: RGBColor = RGBColor(0xc6, 0x28, 0x28);
pub(crate) const SERIES: [RGBColor; 6] = [
    RGBColor(0x15, 0x65, 0xc0),
    RGBColor(0xc6, 0x28, 0x28),
    RGBColor(0x2e, 0x7d, 0x32),
    RGBColor(0x6a, 0x1b, 0x9a),
    RGBColor(0xef, 0x8f, 0x00),
    RGBColor(0x00, 0x83, 0x8f),
];

pub(crate) fn register_font() -> Result<(), StoreError> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(StoreError {
            message: "the chart font could not be loaded".into(),
            help: "run with --no-charts for the CSV files only, and report this".into(),
        })
    }
}

pub(crate) fn draw_err(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError {
        message: format!("cannot draw {}: {e}", path.display()),
        help: "check that you may write to the folder and the disk is not full; --no-charts skips the charts".into(),
    }
}

fn colour_for(score: f64) -> RGBColor {
    if score >= 80.0 {
        GOOD
    } else if score >= 60.0 {
        WARN
    } else {
        BAD
    }
}

/// Draws every chart into `dir`; returns the files written.
pub fn write_all(report: &Report, dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, StoreError> {
    register_font()?;
    let zh = lang == Lang::Zh;
    let mut files = Vec::new();

    let hardest: Vec<(String, f64, RGBColor)> = report
        .hardest()
        .iter()
        .map(|o| (o.title.clone(), o.adherence, colour_for(o.adherence)))
        .collect();
    if !hardest.is_empty() {
        let path = dir.join("hardest.png");
        bars(
            &path,
            if zh {
                "最难的话术类别（开场、异议、促成…）：平均话术得分，越低越难"
            } else {
                "Hardest categories (opening, objections, closing…): average adherence, lower is harder"
            },
            &hardest,
            None,
        )?;
        files.push(path);
    }

    let mut trainees: Vec<&super::TraineeRow> = report
        .trainees
        .iter()
        .filter(|t| t.adherence.is_some())
        .collect();
    trainees.sort_by(|a, b| {
        a.adherence
            .unwrap_or(0.0)
            .total_cmp(&b.adherence.unwrap_or(0.0))
            .then(a.name.cmp(&b.name))
    });
    let shown_all = trainees.len() <= MAX_TRAINEE_BARS;
    trainees.truncate(MAX_TRAINEE_BARS);
    if !trainees.is_empty() {
        let rows: Vec<(String, f64, RGBColor)> = trainees
            .iter()
            .map(|t| {
                let label = if t.team.is_empty() {
                    t.name.clone()
                } else {
                    format!("{}（{}）", t.name, t.team)
                };
                let a = t.adherence.unwrap_or(0.0);
                (label, a, if t.lagging.is_empty() { GOOD } else { BAD })
            })
            .collect();
        let mut all: Vec<f64> = report.trainees.iter().filter_map(|t| t.adherence).collect();
        all.sort_by(f64::total_cmp);
        let median = all.get(all.len() / 2).copied();
        let path = dir.join("trainees.png");
        let title = match (zh, shown_all) {
            (true, true) => "学员话术得分（红色：落后；竖线：中位数）".to_string(),
            (true, false) => {
                format!("学员话术得分最低的 {MAX_TRAINEE_BARS} 人（红色：落后；竖线：全体中位数）")
            }
            (false, true) => "Trainee adherence (red: lagging; line: median)".to_string(),
            (false, false) => format!(
                "The {MAX_TRAINEE_BARS} trainees with the lowest adherence (red: lagging; line: everyone's median)"
            ),
        };
        bars(&path, &title, &rows, median)?;
        files.push(path);
    }

    if !report.progress.is_empty() {
        let path = dir.join("progress.png");
        progress(&path, report, zh)?;
        files.push(path);
    }
    Ok(files)
}

/// The trainee chart shows at most this many, the lowest first.
const MAX_TRAINEE_BARS: usize = 40;

/// Horizontal bars, 0-100, one labelled row each, top to bottom; the
/// labels sit in their own column on the left.
fn bars(
    path: &Path,
    title: &str,
    rows: &[(String, f64, RGBColor)],
    marker: Option<f64>,
) -> Result<(), StoreError> {
    let height = (140 + rows.len() as u32 * 34).max(360);
    let root = BitMapBackend::new(path, (1400, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(path, e))?;
    let root = root
        .titled(title, (FAMILY, 30).into_font().color(&INK))
        .map_err(|e| draw_err(path, e))?;
    let (labels, plot) = root.split_horizontally(360);
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(20)
        .x_label_area_size(40)
        .build_cartesian_2d(0.0f64..100.0, 0.0f64..n)
        .map_err(|e| draw_err(path, e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(11)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_label_style((FAMILY, 18).into_font().color(&INK))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()
        .map_err(|e| draw_err(path, e))?;
    let centre = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    );
    chart
        .draw_series(rows.iter().enumerate().map(|(i, (_, v, c))| {
            let y = n - i as f64;
            Rectangle::new([(0.0, y - 0.8), (v.clamp(0.0, 100.0), y - 0.2)], c.filled())
        }))
        .map_err(|e| draw_err(path, e))?;
    chart
        .draw_series(rows.iter().enumerate().map(|(i, (_, v, _))| {
            let y = n - i as f64;
            // Beside the bar when there is room, else inside its end in white.
            let (x, colour) = if *v <= 92.0 {
                (v.max(0.0) + 0.8, INK)
            } else {
                (v.min(100.0) - 7.0, WHITE)
            };
            Text::new(
                format!("{v:.1}"),
                (x, y - 0.5),
                (FAMILY, 18).into_font().color(&colour).pos(centre),
            )
        }))
        .map_err(|e| draw_err(path, e))?;
    if let Some(m) = marker {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(m, 0.0), (m, n)],
                ShapeStyle::from(&INK).stroke_width(2),
            )))
            .map_err(|e| draw_err(path, e))?;
    }
    // The labels, level with their bars, in the left column.
    let (_, oy) = labels.get_base_pixel();
    for (i, (label, _, _)) in rows.iter().enumerate() {
        let (_, py) = chart.backend_coord(&(0.0, n - i as f64 - 0.5));
        let text: String = label.chars().take(18).collect();
        labels
            .draw(&Text::new(
                text,
                (20, py - oy),
                (FAMILY, 20).into_font().color(&INK).pos(centre),
            ))
            .map_err(|e| draw_err(path, e))?;
    }
    root.present().map_err(|e| draw_err(path, e))
}

/// Average adherence per period, one line per team.
fn progress(path: &Path, report: &Report, zh: bool) -> Result<(), StoreError> {
    let periods: Vec<&str> = report.progress.iter().map(|p| p.period.as_str()).collect();
    let at = |p: &str| periods.iter().position(|q| *q == p).unwrap_or(0) as f64;
    let mut teams: Vec<&str> = report
        .team_progress
        .iter()
        .map(|(t, _, _)| t.as_str())
        .collect();
    teams.sort();
    teams.dedup();
    let series: Vec<Series> = teams
        .iter()
        .map(|team| {
            let points: Vec<(f64, f64)> = report
                .team_progress
                .iter()
                .filter(|(t, _, _)| t == team)
                .map(|(_, p, v)| (at(p), *v))
                .collect();
            let name = match (team.is_empty(), zh) {
                (true, true) => "未分组".to_string(),
                (true, false) => "no team".to_string(),
                (false, _) => team.to_string(),
            };
            (name, points.clone(), points)
        })
        .collect();
    // Periods are YYYY-MM-DD: the month and day are enough on the axis.
    let labels: Vec<String> = periods
        .iter()
        .map(|p| p.get(5..).unwrap_or(p).to_string())
        .collect();
    let title = match (zh, report.period == "week") {
        (true, true) => "每周平均话术得分",
        (true, false) => "每日平均话术得分",
        (false, true) => "Average adherence per week",
        (false, false) => "Average adherence per day",
    };
    lines(
        path,
        &LineChart {
            title,
            labels: &labels,
            x_desc: "",
            y_desc: if zh { "话术得分" } else { "adherence" },
            y_range: Some((0.0, 100.0)),
            legend: SeriesLabelPosition::LowerRight,
        },
        &series,
    )
}

/// A named line and the points marked on it with dots.
pub(crate) type Series = (String, Vec<(f64, f64)>, Vec<(f64, f64)>);

/// What a line chart shows besides its lines.
pub(crate) struct LineChart<'a> {
    pub title: &'a str,
    /// The x axis: position i is labelled `labels[i]`.
    pub labels: &'a [String],
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// A fixed y range, or `None` to fit the data with headroom for the legend.
    pub y_range: Option<(f64, f64)>,
    pub legend: SeriesLabelPosition,
}

/// One line per series over labelled x positions 0, 1, 2, …
pub(crate) fn lines(path: &Path, spec: &LineChart, series: &[Series]) -> Result<(), StoreError> {
    let (lo, hi) = match spec.y_range {
        Some(r) => r,
        None => {
            let ys = series.iter().flat_map(|(_, p, _)| p.iter().map(|q| q.1));
            let (lo, hi) = ys.fold((0.0f64, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
            let pad = ((hi - lo) * 0.08).max(1.0);
            // Headroom for the legend (about 25 px a row of ~600).
            let legend = (series.len() as f64 * 25.0 / 600.0 + 0.05).min(0.6);
            let top = pad.max((hi - lo + pad) * legend / (1.0 - legend));
            (lo - pad, hi + top)
        }
    };
    let labels = spec.labels;
    let x_max = labels.len().max(1) as f64 - 0.5;
    let root = BitMapBackend::new(path, (1400, 760)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(path, e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(spec.title, (FAMILY, 30).into_font().color(&INK))
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5f64..x_max, lo..hi)
        .map_err(|e| draw_err(path, e))?;
    let label_every = (labels.len() / 16).max(1);
    chart
        .configure_mesh()
        .x_labels(labels.len().clamp(3, 32))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            let i = i as usize;
            if !i.is_multiple_of(label_every) {
                return String::new();
            }
            labels.get(i).cloned().unwrap_or_default()
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc(spec.x_desc)
        .y_desc(spec.y_desc)
        .label_style((FAMILY, 18).into_font().color(&INK))
        .axis_desc_style((FAMILY, 20).into_font().color(&INK))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()
        .map_err(|e| draw_err(path, e))?;
    for (k, (name, points, dots)) in series.iter().enumerate() {
        let colour = SERIES[k % SERIES.len()];
        chart
            .draw_series(LineSeries::new(
                points.clone(),
                ShapeStyle::from(&colour).stroke_width(3),
            ))
            .map_err(|e| draw_err(path, e))?
            .label(name.clone())
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 24, y)],
                    ShapeStyle::from(&colour).stroke_width(3),
                )
            });
        chart
            .draw_series(dots.iter().map(|&p| Circle::new(p, 5, colour.filled())))
            .map_err(|e| draw_err(path, e))?;
    }
    chart
        .configure_series_labels()
        .label_font((FAMILY, 20).into_font().color(&INK))
        .background_style(WHITE.mix(0.9))
        .border_style(INK)
        .position(spec.legend.clone())
        .draw()
        .map_err(|e| draw_err(path, e))?;
    root.present().map_err(|e| draw_err(path, e))
}
