//! Stock charts as PNG (plotters on an RGB buffer, encoded with `png`): a SKU's level per
//! warehouse over days with its sales marked, and bars of the top SKUs by stock and by days
//! of stock left. 1200 px wide, a title, dates as the caller's local days, Cyrillic from the
//! embedded DejaVu (no system fonts).

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{RenderError, Result};

pub(super) const FONT: &str = "mpbot-sans";
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold-subset.ttf");

/// Chart width in pixels: legible on a phone when Telegram scales it down.
pub const WIDTH: u32 = 1200;

pub(super) fn fonts() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut failed = false;
    ONCE.call_once(|| {
        failed = plotters::style::register_font(FONT, FontStyle::Normal, REGULAR).is_err()
            || plotters::style::register_font(FONT, FontStyle::Bold, BOLD).is_err();
    });
    if failed {
        return Err(RenderError::Png("the embedded font does not load".into()));
    }
    Ok(())
}

pub(super) fn err<E: std::fmt::Display>(e: E) -> RenderError {
    RenderError::Png(e.to_string())
}

pub(super) fn png(buf: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(buf).map_err(err)?;
    }
    Ok(out)
}

pub(super) const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
];

/// A level over time: (local time in seconds, quantity), steps held until the next point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(i64, i64)>,
}

/// What the level chart shows, in the reader's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelChart {
    pub title: String,
    /// Local times (seconds) of the window.
    pub from: i64,
    pub to: i64,
    pub series: Vec<Series>,
    /// Sales: (local time, units).
    pub sales: Vec<(i64, i64)>,
    pub sales_label: String,
    pub y_label: String,
}

/// Day starts from `from` to `to` to label the time axis: every day, or every few days so
/// that at most 15 labels show, the last day always labelled.
fn day_marks(from: i64, to: i64) -> Vec<i64> {
    let first = from.div_euclid(86_400) * 86_400 + if from % 86_400 == 0 { 0 } else { 86_400 };
    let last = to.div_euclid(86_400) * 86_400;
    let all: Vec<i64> = (0..)
        .map(|i| first + i * 86_400)
        .take_while(|t| *t <= last)
        .collect();
    let step = all.len().div_ceil(15).max(1);
    let mut marks: Vec<i64> = all.iter().rev().step_by(step).copied().collect();
    marks.reverse();
    marks
}

pub(super) fn day_label(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%d.%m").to_string())
        .unwrap_or_default()
}

/// A SKU's stock per warehouse over the window, sales marked along the bottom.
pub fn levels(c: &LevelChart) -> Result<Vec<u8>> {
    fonts()?;
    let (w, h) = (WIDTH, 700);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = c
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(c.sales.iter().map(|s| s.1))
            .max()
            .unwrap_or(0)
            .max(5);
        let to = c.to.max(c.from + 86_400);
        // A label a day (every few days over a long window), on day starts, the last day
        // always among them.
        let days = day_marks(c.from, to);
        let mut chart = ChartBuilder::on(&root)
            .caption(&c.title, (FONT, 30, FontStyle::Bold))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (c.from..to).with_key_points(days.clone()),
                0i64..top + top / 8 + 1,
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(days.len())
            .x_label_formatter(&|t| day_label(*t))
            .y_desc(&c.y_label)
            .label_style((FONT, 18))
            .axis_desc_style((FONT, 20))
            .draw()
            .map_err(err)?;
        for (i, s) in c.series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut steps = Vec::new();
            for (j, p) in s.points.iter().enumerate() {
                steps.push(*p);
                let next = s.points.get(j + 1).map_or(to, |n| n.0);
                steps.push((next, p.1));
            }
            chart
                .draw_series(LineSeries::new(steps, colour.stroke_width(3)))
                .map_err(err)?
                .label(&s.name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
        if !c.sales.is_empty() {
            let red = RGBColor(214, 39, 40);
            chart
                .draw_series(c.sales.iter().map(|(t, q)| {
                    Rectangle::new([(*t - 1_800, 0), (*t + 1_800, *q)], red.mix(0.7).filled())
                }))
                .map_err(err)?
                .label(&c.sales_label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 24, y + 6)], red.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 18))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    png(&buf, w, h)
}

/// A bar of the warehouse chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// Two panels of horizontal bars side by side (top SKUs by stock, by days left).
pub fn bars(
    title: &str,
    left: (&str, &[Bar]),
    right: (&str, &[Bar]),
    empty: &str,
) -> Result<Vec<u8>> {
    fonts()?;
    let rows = left.1.len().max(right.1.len()).max(1);
    let (w, h) = (WIDTH, (140 + rows as u32 * 34).max(400));
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(title, (FONT, 30, FontStyle::Bold))
            .map_err(err)?;
        let panels = root.split_evenly((1, 2));
        for (i, (panel, (name, bars))) in panels.iter().zip([left, right]).enumerate() {
            let top = bars.iter().map(|b| b.value).fold(1.0, f64::max);
            let n = bars.len().max(1) as i32;
            let mut chart = ChartBuilder::on(panel)
                .caption(name, (FONT, 22))
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(230)
                .build_cartesian_2d(0.0..top * 1.1, (0..n).into_segmented())
                .map_err(err)?;
            let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n as usize)
                .y_label_formatter(&|y| match y {
                    SegmentValue::CenterOf(y) => labels
                        .get((n - 1 - *y) as usize)
                        .map(|l| l.chars().take(26).collect())
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                // Units are whole, few of them labelled once each; a few days of stock read
                // as fractions, not "0 0 1 1".
                .x_labels(if i == 0 {
                    (top.ceil() as usize + 1).min(6)
                } else {
                    6
                })
                .x_label_formatter(&|x| {
                    if i > 0 && top < 10.0 {
                        format!("{x:.1}")
                    } else {
                        format!("{x:.0}")
                    }
                })
                .label_style((FONT, 16))
                .draw()
                .map_err(err)?;
            let colour = COLOURS[i % COLOURS.len()];
            chart
                .draw_series(bars.iter().enumerate().map(|(j, b)| {
                    let y = n - 1 - j as i32;
                    let mut r = Rectangle::new(
                        [
                            (0.0, SegmentValue::Exact(y)),
                            (b.value, SegmentValue::Exact(y + 1)),
                        ],
                        colour.mix(0.8).filled(),
                    );
                    r.set_margin(4, 4, 0, 0);
                    r
                }))
                .map_err(err)?;
            if bars.is_empty() {
                panel
                    .draw(&Text::new(
                        empty.to_owned(),
                        (260, 120),
                        (FONT, 20).into_font().color(&RGBColor(120, 120, 120)),
                    ))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    png(&buf, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(png: &[u8]) -> (u32, u32) {
        let d = png::Decoder::new(std::io::Cursor::new(png.to_vec()));
        let r = d.read_info().expect("a png");
        (r.info().width, r.info().height)
    }

    #[test]
    fn the_time_axis_marks_day_starts_and_always_the_last_day() {
        let day = 86_400;
        let marks = day_marks(3 * day + 3_600, 10 * day + 100);
        assert_eq!(marks.first(), Some(&(4 * day)));
        assert_eq!(marks.last(), Some(&(10 * day)), "the last day is labelled");
        assert_eq!(marks.len(), 7);
        let long = day_marks(0, 90 * day + 500);
        assert!(long.len() <= 15, "{}", long.len());
        assert_eq!(long.last(), Some(&(90 * day)));
        assert!(long.windows(2).all(|w| (w[1] - w[0]) % day == 0));
    }

    #[test]
    fn a_level_chart_is_a_wide_png() {
        let day = 86_400;
        let png = levels(&LevelChart {
            title: "КР-1 · Кружка: остаток за 30 дней".into(),
            from: 0,
            to: 30 * day,
            series: vec![Series {
                name: "Основной склад".into(),
                points: vec![(0, 12), (5 * day, 9), (20 * day, 30)],
            }],
            sales: vec![(5 * day, 3)],
            sales_label: "Продажи".into(),
            y_label: "шт.".into(),
        })
        .expect("renders");
        assert_eq!(size(&png).0, WIDTH);
        assert!(png.len() > 5_000);
    }

    #[test]
    fn a_bar_chart_is_a_wide_png() {
        let bars_list: Vec<Bar> = (1..=10)
            .map(|i| Bar {
                label: format!("КР-{i} · Товар"),
                value: f64::from(i * 3),
            })
            .collect();
        let png = bars(
            "Склад",
            ("Остаток", &bars_list),
            ("Дней", &[]),
            "Нет продаж",
        )
        .expect("renders");
        assert_eq!(size(&png).0, WIDTH);
    }
}
