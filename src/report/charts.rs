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
                "最难的异议：平均话术得分（越低越难）"
            } else {
                "Hardest objections: average adherence (lower is harder)"
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
    trainees.truncate(40);
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
        bars(
            &path,
            if zh {
                "学员话术得分（红色：落后；竖线：中位数；最低 40 人）"
            } else {
                "Trainee adherence (red: lagging; line: median; lowest 40)"
            },
            &rows,
            median,
        )?;
        files.push(path);
    }

    if !report.progress.is_empty() {
        let path = dir.join("progress.png");
        progress(&path, report, zh)?;
        files.push(path);
    }
    Ok(files)
}

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
            Text::new(
                format!("{v:.1}"),
                (v.clamp(0.0, 92.0) + 0.8, y - 0.5),
                (FAMILY, 18).into_font().color(&INK).pos(centre),
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
    let root = BitMapBackend::new(path, (1400, 760)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(path, e))?;
    let title = if zh {
        if report.period == "week" {
            "每周平均话术得分"
        } else {
            "每日平均话术得分"
        }
    } else if report.period == "week" {
        "Average adherence per week"
    } else {
        "Average adherence per day"
    };
    let x_max = (periods.len().max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FAMILY, 30).into_font().color(&INK))
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.3f64..x_max + 0.3, 0.0f64..100.0)
        .map_err(|e| draw_err(path, e))?;
    let label_every = (periods.len() / 10).max(1);
    chart
        .configure_mesh()
        .x_labels(periods.len().clamp(2, 12))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            let i = i as usize;
            if !i.is_multiple_of(label_every) {
                return String::new();
            }
            periods
                .get(i)
                .map(|p| p[5..].to_string())
                .unwrap_or_default()
        })
        .y_desc(if zh { "话术得分" } else { "adherence" })
        .label_style((FAMILY, 18).into_font().color(&INK))
        .axis_desc_style((FAMILY, 20).into_font().color(&INK))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()
        .map_err(|e| draw_err(path, e))?;
    for (k, team) in teams.iter().enumerate() {
        let colour = SERIES[k % SERIES.len()];
        let points: Vec<(f64, f64)> = report
            .team_progress
            .iter()
            .filter(|(t, _, _)| t == team)
            .map(|(_, p, v)| (at(p), *v))
            .collect();
        let name = if team.is_empty() {
            if zh {
                "未分组".to_string()
            } else {
                "no team".to_string()
            }
        } else {
            team.to_string()
        };
        chart
            .draw_series(LineSeries::new(
                points.clone(),
                ShapeStyle::from(&colour).stroke_width(3),
            ))
            .map_err(|e| draw_err(path, e))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 24, y)],
                    ShapeStyle::from(&colour).stroke_width(3),
                )
            });
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
            .map_err(|e| draw_err(path, e))?;
    }
    chart
        .configure_series_labels()
        .label_font((FAMILY, 20).into_font().color(&INK))
        .background_style(WHITE.mix(0.9))
        .border_style(INK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|e| draw_err(path, e))?;
    root.present().map_err(|e| draw_err(path, e))
}
