//! Bar charts drawn at build time: no JavaScript, a `<title>` and `<desc>` for screen
//! readers, and the same numbers as a table next to each chart.
//!
//! The bars are an SVG stretched to the width of the page; every word and number around
//! them is HTML, so text keeps its size whatever the width (an SVG's own text shrinks with
//! it, to 6 px on a phone). The labels under the bars sit in a row of as many equal cells
//! as there are bars, so each lines up with its bar. Which bars get one is chosen for each
//! of the stylesheet's three widths of page ([`WIDTHS`]), for the narrowest chart of each,
//! so that labels never overlap and the first and last never leave the chart; each label
//! names the widths it shows at (classes `n`, `m`, `w`), the stylesheet hides it at the
//! others. The chart runs left to right in both interface languages, as the table's rows
//! run top to bottom.

use std::fmt::Write;

use serde::Serialize;

use super::i18n::Ui;
use super::numbers::grouped;
use super::views::escape;
use crate::content::{Count, Field};

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Label under the bar and in the table (`2017`, `Nov 2017`, `تشرين الثاني 2017`).
    pub label: String,
    /// People killed: the bar is as high as the minimum.
    pub count: Count,
}

/// A bar as the table under a chart shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The bar's label.
    pub label: String,
    /// Its count, worded: `at least 54`, `12–20`, `0`.
    pub value: String,
}

/// A chart and the table of its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Heading of the chart.
    pub title: String,
    /// Column heading of the labels in the table.
    pub label_heading: String,
    /// The bars, in order, worded for the table.
    pub bars: Vec<Row>,
    /// The SVG of the bars with the HTML of the scale and the labels, ready to place in
    /// the page.
    pub plot: String,
    /// What the bars leave out of the page's total, when they do not add up to it.
    pub leaves_out: Option<String>,
}

/// Width of the SVG's coordinates; it is stretched to the page's width.
const WIDTH: u32 = 640;
/// Height of the SVG's coordinates (the stylesheet gives the chart its height).
const HEIGHT: u32 = 150;
/// Room above the highest bar.
const TOP: u32 = 4;

/// The stylesheet's widths of page, each with the narrowest chart it has, in CSS px, and
/// the class that marks a label shown at it: a window under 40rem (a 320 px phone, less
/// the page's margins), one of 40rem to 64rem, and a wider one (the page's 62rem).
const WIDTHS: [(f64, &str); 3] = [(288.0, "n"), (608.0, "m"), (992.0, "w")];
/// A generous width of one character of a label at its 12 px (digits and Latin letters
/// of system fonts run 6 to 7 px, joined Arabic letters less).
const CHAR_PX: f64 = 7.0;
/// Space kept between two labels.
const GAP_PX: f64 = 12.0;

/// Draws `bars` as a bar chart of people killed; `None` when there is nothing to draw.
pub fn bar_chart(
    title: &str,
    description: &str,
    label_heading: &str,
    bars: Vec<Bar>,
    ui: Ui,
) -> Option<Chart> {
    if bars.iter().all(|b| b.count.min == 0) {
        return None;
    }
    let max = bars.iter().map(|b| b.count.min).max().unwrap_or(1).max(1);
    let n = bars.len();
    let slot = f64::from(WIDTH) / n as f64;
    let bar_width = (slot * 0.8).max(1.0);
    let plot_height = f64::from(HEIGHT - TOP);
    let mut plot = String::with_capacity(512 + n * 160);
    let _ = write!(
        plot,
        "<div class=\"plot\" dir=\"ltr\"><span class=\"peak\">{}</span><svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"chart-t chart-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-t\">{}</title><desc id=\"chart-d\">{}</desc><line x1=\"0\" y1=\"{TOP}\" x2=\"{WIDTH}\" y2=\"{TOP}\" class=\"grid\" vector-effect=\"non-scaling-stroke\"/>",
        grouped(max),
        escape(title),
        escape(description)
    );
    for (i, b) in bars.iter().enumerate() {
        let min = b.count.min;
        let h = (min as f64 / max as f64 * plot_height).max(if min > 0 { 1.0 } else { 0.0 });
        let x = slot * i as f64 + (slot - bar_width) / 2.0;
        let y = f64::from(HEIGHT) - h;
        let _ = write!(
            plot,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\"><title>{}: {}</title></rect>",
            escape(&b.label),
            escape(&ui.phrase(Field::Killed, b.count))
        );
    }
    let _ = write!(
        plot,
        "<line x1=\"0\" y1=\"{HEIGHT}\" x2=\"{WIDTH}\" y2=\"{HEIGHT}\" class=\"base\" vector-effect=\"non-scaling-stroke\"/></svg><ol class=\"ticks\" aria-hidden=\"true\">"
    );
    let widest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let chosen = WIDTHS.map(|(width, _)| labelled(n, widest, width));
    for (i, b) in bars.iter().enumerate() {
        let shown: Vec<&str> = WIDTHS
            .iter()
            .zip(&chosen)
            .filter(|(_, chosen)| chosen.contains(&i))
            .map(|((_, class), _)| *class)
            .collect();
        if shown.is_empty() {
            plot.push_str("<li></li>");
        } else {
            let _ = write!(
                plot,
                "<li><span class=\"{}\" dir=\"auto\">{}</span></li>",
                shown.join(" "),
                escape(&b.label)
            );
        }
    }
    plot.push_str("</ol></div>");
    Some(Chart {
        title: title.to_string(),
        label_heading: label_heading.to_string(),
        bars: bars
            .into_iter()
            .map(|b| Row {
                value: ui.count(b.count),
                label: b.label,
            })
            .collect(),
        plot,
        leaves_out: None,
    })
}

/// Which of `n` bars get a label on a chart `width` px wide, when the longest label has
/// `chars` characters: the first and the last, and bars evenly spaced between, as many as
/// fit. The first label starts at the chart's start edge and the last ends at its end edge
/// (so neither is clipped): the others stand centred under their bars, a step of bars
/// apart that holds one and a half labels and a gap, which keeps a centred label clear of
/// an edge one.
fn labelled(n: usize, chars: usize, width: f64) -> Vec<usize> {
    if n == 0 {
        return vec![];
    }
    let label = chars as f64 * CHAR_PX;
    let slot = width / n as f64;
    let step = ((1.5 * label + GAP_PX) / slot).ceil().max(1.0) as usize;
    let mut chosen: Vec<usize> = (0..n).step_by(step).collect();
    // The last bar has its label when it fits: the ones before it give way, but the first.
    while let Some(&before) = chosen.last() {
        if before == n - 1 {
            break;
        }
        if extent(before, n, label, width).1 + GAP_PX <= extent(n - 1, n, label, width).0 {
            chosen.push(n - 1);
            break;
        }
        if before == 0 {
            break;
        }
        chosen.pop();
    }
    chosen
}

/// Where the label of bar `i` of `n` stands on a chart `width` wide, for a label `label`
/// wide: the first from the start edge, the last to the end edge, the others centred.
fn extent(i: usize, n: usize, label: f64, width: f64) -> (f64, f64) {
    if n > 1 && i == 0 {
        (0.0, label)
    } else if n > 1 && i + 1 == n {
        (width - label, width)
    } else {
        let centre = (i as f64 + 0.5) * width / n as f64;
        (centre - label / 2.0, centre + label / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, min: u64, max: Option<u64>) -> Bar {
        Bar {
            label: label.into(),
            count: Count { min, max },
        }
    }

    #[test]
    fn charts_are_labelled_and_escaped() {
        let bars = vec![bar("<2017>", 5, None), bar("2018", 0, Some(0))];
        let c = bar_chart("Killed per year", "a & b", "Year", bars, Ui::En).unwrap();
        assert!(c.plot.contains(
            "<title id=\"chart-t\">Killed per year</title><desc id=\"chart-d\">a &amp; b</desc>"
        ));
        assert!(c.plot.contains("&lt;2017&gt;: at least 5 killed"));
        assert_eq!(c.plot.matches("<rect").count(), 2);
        assert_eq!(c.bars[0].value, "at least 5");
        assert_eq!(c.bars[1].value, "0");
        assert!(bar_chart("x", "y", "z", vec![bar("a", 0, None)], Ui::En).is_none());
    }

    #[test]
    fn counts_are_worded_in_the_table_and_the_tooltips() {
        let bars = vec![bar("2017", 12, Some(20)), bar("2018", 4400, None)];
        let c = bar_chart("t", "d", "Year", bars, Ui::Ar).unwrap();
        assert_eq!(c.bars[0].value, "12–20");
        assert_eq!(c.bars[1].value, "4,400 على الأقل");
        assert!(c.plot.contains("<span class=\"peak\">4,400</span>"));
    }

    #[test]
    fn labels_keep_clear_of_each_other_and_the_edges() {
        for n in 1..200 {
            for chars in [4, 8, 17] {
                for (width, _) in WIDTHS {
                    let chosen = labelled(n, chars, width);
                    assert_eq!(chosen[0], 0, "{n} {chars} {width}");
                    let label = chars as f64 * CHAR_PX;
                    let extent = |i| extent(i, n, label, width);
                    for pair in chosen.windows(2) {
                        let (a, b) = (extent(pair[0]), extent(pair[1]));
                        assert!(a.1 + GAP_PX <= b.0 + 1e-9, "{n} {chars} {width}: {pair:?}");
                    }
                    for &i in &chosen {
                        let (start, end) = extent(i);
                        assert!(n == 1 || (start >= 0.0 && end <= width), "{n} {chars} {i}");
                    }
                    // The last bar is labelled whenever two edge labels fit.
                    if n > 1 && 2.0 * label + GAP_PX <= width {
                        assert_eq!(*chosen.last().unwrap(), n - 1, "{n} {chars} {width}");
                    }
                }
            }
        }
    }
}
