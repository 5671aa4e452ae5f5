//! SVG bar charts drawn at build time: no JavaScript, a `<title>` and `<desc>` for screen
//! readers, and the same numbers as a table next to each chart.

use std::fmt::Write;

use serde::Serialize;

use super::views::escape;

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Label under the bar (`2017`, `Nov 2017`).
    pub label: String,
    /// Its value.
    pub value: u64,
}

/// A chart and the table of its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Heading of the chart.
    pub title: String,
    /// Column heading of the labels in the table.
    pub label_heading: String,
    /// The bars, in order.
    pub bars: Vec<Bar>,
    /// The SVG, ready to place in the page.
    pub svg: String,
    /// What the bars leave out of the page's total, when they do not add up to it.
    pub leaves_out: Option<String>,
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 180;
const TOP: u32 = 16;
const BOTTOM: u32 = 28;

/// Draws `bars` as an SVG bar chart; `None` when there is nothing to draw.
pub fn bar_chart(
    title: &str,
    description: &str,
    label_heading: &str,
    bars: Vec<Bar>,
) -> Option<Chart> {
    if bars.is_empty() || bars.iter().all(|b| b.value == 0) {
        return None;
    }
    let max = bars.iter().map(|b| b.value).max().unwrap_or(1).max(1);
    let n = bars.len() as u32;
    let slot = f64::from(WIDTH) / f64::from(n);
    let bar_width = (slot * 0.8).max(1.0);
    let plot = f64::from(HEIGHT - TOP - BOTTOM);
    let mut svg = String::with_capacity(256 + bars.len() * 90);
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-t chart-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-t\">{}</title><desc id=\"chart-d\">{}</desc>",
        escape(title),
        escape(description)
    );
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"11\" class=\"axis\">{max}</text><line x1=\"0\" y1=\"{TOP}\" x2=\"{WIDTH}\" y2=\"{TOP}\" class=\"grid\"/>"
    );
    for (i, b) in bars.iter().enumerate() {
        let h = (b.value as f64 / max as f64 * plot).max(if b.value > 0 { 1.0 } else { 0.0 });
        let x = slot * i as f64 + (slot - bar_width) / 2.0;
        let y = f64::from(HEIGHT - BOTTOM) - h;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\"><title>{}: {}</title></rect>",
            escape(&b.label),
            b.value
        );
    }
    // Labels: the first, the last, and a few between, so they never overlap.
    let step = (n as usize).div_ceil(8).max(1);
    for (i, b) in bars.iter().enumerate() {
        let last = i + 1 == bars.len() && i % step >= step.div_ceil(2);
        if i % step == 0 || last {
            let x = slot * i as f64 + slot / 2.0;
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"axis\">{}</text>",
                HEIGHT - 8,
                escape(&b.label)
            );
        }
    }
    let _ = write!(
        svg,
        "<line x1=\"0\" y1=\"{0}\" x2=\"{WIDTH}\" y2=\"{0}\" class=\"base\"/></svg>",
        HEIGHT - BOTTOM
    );
    Some(Chart {
        title: title.to_string(),
        label_heading: label_heading.to_string(),
        bars,
        svg,
        leaves_out: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_labelled_and_escaped() {
        let bars = vec![
            Bar {
                label: "<2017>".into(),
                value: 5,
            },
            Bar {
                label: "2018".into(),
                value: 0,
            },
        ];
        let c = bar_chart("Killed per year", "a & b", "Year", bars).unwrap();
        assert!(c.svg.contains(
            "<title id=\"chart-t\">Killed per year</title><desc id=\"chart-d\">a &amp; b</desc>"
        ));
        assert!(c.svg.contains("&lt;2017&gt;: 5"));
        assert_eq!(c.svg.matches("<rect").count(), 2);
        assert!(
            bar_chart(
                "x",
                "y",
                "z",
                vec![Bar {
                    label: "a".into(),
                    value: 0
                }]
            )
            .is_none()
        );
    }
}
