//! Figures by day as PNG: bars side by side for each day (revenue and charges, or orders
//! and cancellations) and an optional line across the days (profit), negative values
//! below the axis. The caller gives local day starts and the words; the same fonts and
//! width as the stock charts.

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Result;
use super::charts::{COLOURS, FONT, WIDTH, day_label, err, fonts, png};

/// One named series: a value per day, in the order of [`DayChart::days`].
#[derive(Debug, Clone, PartialEq)]
pub struct DaySeries {
    pub name: String,
    pub values: Vec<f64>,
}

/// What the chart shows, in the reader's words.
#[derive(Debug, Clone, PartialEq)]
pub struct DayChart {
    pub title: String,
    /// Local day starts (seconds), oldest first.
    pub days: Vec<i64>,
    /// Bars drawn side by side within each day.
    pub bars: Vec<DaySeries>,
    /// A line across the days, drawn over the bars.
    pub line: Option<DaySeries>,
    pub y_label: String,
}

/// Hundredths of a day: the x axis is integer, each day a slot 100 wide centred on it.
const SLOT: i64 = 100;

/// Rounds a value range out to a readable one that holds zero.
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let hi = if hi <= 0.0 && lo >= 0.0 { 1.0 } else { hi };
    let pad = (hi - lo) / 10.0;
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

/// The chart of [`DayChart`].
pub fn by_day(c: &DayChart) -> Result<Vec<u8>> {
    fonts()?;
    let (w, h) = (WIDTH, 650);
    let n = c.days.len().max(1) as i64;
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (lo, hi) = range(
            c.bars
                .iter()
                .chain(c.line.iter())
                .flat_map(|s| s.values.iter().copied()),
        );
        // Every day labelled up to 15 days, then every few, the last always.
        let step = (n as usize).div_ceil(15).max(1);
        let mut keys: Vec<i64> = (0..n).rev().step_by(step).map(|i| i * SLOT).collect();
        keys.reverse();
        let days = c.days.clone();
        let mut chart = ChartBuilder::on(&root)
            .caption(&c.title, (FONT, 30, FontStyle::Bold))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(90)
            .build_cartesian_2d(
                (-SLOT / 2..n * SLOT - SLOT / 2).with_key_points(keys.clone()),
                lo..hi,
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(keys.len())
            .x_label_formatter(&|x| {
                usize::try_from(x.div_euclid(SLOT))
                    .ok()
                    .and_then(|i| days.get(i))
                    .map(|t| day_label(*t))
                    .unwrap_or_default()
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc(&c.y_label)
            .label_style((FONT, 18))
            .axis_desc_style((FONT, 20))
            .draw()
            .map_err(err)?;
        let k = c.bars.len().max(1) as i64;
        let width = SLOT * 8 / 10 / k;
        for (j, s) in c.bars.iter().enumerate() {
            // Blue, then orange: the line's green stays its own.
            let colour = [COLOURS[0], COLOURS[3], COLOURS[2], COLOURS[5]][j % 4];
            let left = -SLOT * 4 / 10 + j as i64 * width;
            chart
                .draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    let x = i as i64 * SLOT + left;
                    Rectangle::new([(x + 2, 0.0), (x + width - 2, *v)], colour.filled())
                }))
                .map_err(err)?
                .label(&s.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 24, y + 6)], colour.filled())
                });
        }
        if let Some(line) = &c.line {
            let colour = RGBColor(44, 160, 44);
            let points: Vec<(i64, f64)> = line
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as i64 * SLOT, *v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))
                .map_err(err)?
                .label(&line.name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 5, colour.filled())),
                )
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 18))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    png(&buf, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_range_holds_zero_and_negative_days() {
        assert_eq!(range([0.0, 0.0].into_iter()), (0.0, 1.1));
        let (lo, hi) = range([100.0, -50.0].into_iter());
        assert!(lo < -50.0 && hi > 100.0, "{lo} {hi}");
        assert_eq!(range([10.0].into_iter()).0, 0.0);
    }

    #[test]
    fn a_chart_of_days_is_a_wide_png() {
        let day = 86_400;
        let chart = DayChart {
            title: "Выручка и прибыль · 7 дней".into(),
            days: (0..7).map(|i| i * day).collect(),
            bars: vec![
                DaySeries {
                    name: "Выручка".into(),
                    values: vec![1200.0, 0.0, 3400.5, 800.0, 0.0, 0.0, 1500.0],
                },
                DaySeries {
                    name: "Удержания".into(),
                    values: vec![300.0, 76.0, 900.0, 200.0, 0.0, 0.0, 400.0],
                },
            ],
            line: Some(DaySeries {
                name: "Прибыль".into(),
                values: vec![500.0, -76.0, 1200.0, 300.0, 0.0, 0.0, 700.0],
            }),
            y_label: "₽".into(),
        };
        let png = by_day(&chart).expect("renders");
        let d = ::png::Decoder::new(std::io::Cursor::new(png.clone()));
        assert_eq!(d.read_info().expect("a png").info().width, WIDTH);
        // A day alone and no days at all still draw.
        let one = DayChart {
            days: vec![0],
            bars: vec![DaySeries {
                name: "Заказы".into(),
                values: vec![3.0],
            }],
            line: None,
            ..chart
        };
        assert!(by_day(&one).is_ok());
        assert!(
            by_day(&DayChart {
                days: vec![],
                bars: vec![],
                ..one
            })
            .is_ok()
        );
    }
}
