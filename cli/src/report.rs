//! `numerstake report`: one self-contained HTML page (inline SVG plots drawn with plotters, no
//! scripts, no server) with a staker's positions, their cumulative results, a correlation
//! heatmap of held and recommended models and the fees paid.

use plotters::prelude::*;

/// A line on a chart.
#[derive(Clone, Debug)]
pub struct Series {
	/// Legend text.
	pub label: String,
	/// (round, NMR) points.
	pub points: Vec<(u32, f64)>,
}

/// Everything on the page.
#[derive(Clone, Debug, Default)]
pub struct ReportData {
	/// The page's title.
	pub title: String,
	/// Where and when the figures were read.
	pub subtitle: String,
	/// Table header.
	pub table_header: Vec<String>,
	/// Table rows (already formatted, exact amounts).
	pub table: Vec<Vec<String>>,
	/// Cumulative result per position.
	pub positions: Vec<Series>,
	/// Cumulative result of the whole portfolio.
	pub portfolio: Option<Series>,
	/// Heatmap labels (models), and whether each is held (`true`) or recommended.
	pub heat_labels: Vec<(String, bool)>,
	/// Correlations, row-major.
	pub heat: Vec<f64>,
	/// Fees paid per position (label, NMR).
	pub fees: Vec<(String, f64)>,
	/// Paragraphs under the plots (the recommendation's reasons).
	pub notes: Vec<String>,
}

fn escape(s: &str) -> String {
	s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const PALETTE: [RGBColor; 8] = [
	RGBColor(31, 119, 180),
	RGBColor(255, 127, 14),
	RGBColor(44, 160, 44),
	RGBColor(214, 39, 40),
	RGBColor(148, 103, 189),
	RGBColor(140, 86, 75),
	RGBColor(227, 119, 194),
	RGBColor(127, 127, 127),
];

/// The cumulative-result chart as SVG.
pub fn cumulative_svg(series: &[Series], portfolio: Option<&Series>) -> Result<String, String> {
	let mut svg = String::new();
	{
		let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
		root.fill(&WHITE).map_err(|e| e.to_string())?;
		let all = series.iter().chain(portfolio).flat_map(|s| s.points.iter());
		let (mut x0, mut x1, mut y0, mut y1) = (u32::MAX, 0u32, 0f64, 0f64);
		for (x, y) in all {
			x0 = x0.min(*x);
			x1 = x1.max(*x);
			y0 = y0.min(*y);
			y1 = y1.max(*y);
		}
		if x0 > x1 {
			(x0, x1) = (0, 1);
		}
		if x1 == x0 {
			x1 = x0 + 1;
		}
		let pad = ((y1 - y0) * 0.1).max(1e-6);
		let mut chart = ChartBuilder::on(&root)
			.caption("Cumulative result (NMR) by round", ("sans-serif", 22))
			.margin(12)
			.x_label_area_size(36)
			.y_label_area_size(70)
			.build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
			.map_err(|e| e.to_string())?;
		chart
			.configure_mesh()
			.label_style(("sans-serif", 14))
			.x_desc("round")
			.y_desc("NMR")
			.draw()
			.map_err(|e| e.to_string())?;
		for (i, s) in series.iter().enumerate() {
			let colour = PALETTE[i % PALETTE.len()];
			chart
				.draw_series(LineSeries::new(s.points.iter().copied(), colour.stroke_width(2)))
				.map_err(|e| e.to_string())?
				.label(s.label.clone())
				.legend(move |(x, y)| {
					PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
				});
		}
		if let Some(p) = portfolio {
			chart
				.draw_series(LineSeries::new(p.points.iter().copied(), BLACK.stroke_width(3)))
				.map_err(|e| e.to_string())?
				.label(p.label.clone())
				.legend(|(x, y)| {
					PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(3))
				});
		}
		chart
			.configure_series_labels()
			.background_style(WHITE.mix(0.85))
			.border_style(BLACK)
			.position(SeriesLabelPosition::UpperLeft)
			.draw()
			.map_err(|e| e.to_string())?;
		root.present().map_err(|e| e.to_string())?;
	}
	Ok(svg)
}

/// Blue for −1, white for 0, red for +1.
fn heat_colour(v: f64) -> RGBColor {
	let v = v.clamp(-1.0, 1.0);
	let mix = |a: u8, b: u8, t: f64| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
	if v >= 0.0 {
		RGBColor(255, mix(255, 60, v), mix(255, 60, v))
	} else {
		RGBColor(mix(255, 60, -v), mix(255, 60, -v), 255)
	}
}

/// The correlation heatmap as SVG.
pub fn heatmap_svg(labels: &[(String, bool)], values: &[f64]) -> Result<String, String> {
	let n = labels.len();
	let cell = if n <= 8 { 60 } else { (480 / n.max(1)).max(12) } as i32;
	let left = 200i32;
	let top = 50i32;
	let width = (left + cell * n as i32 + 40).max(620) as u32;
	let height = (top + cell * n as i32 + 60) as u32;
	let mut svg = String::new();
	{
		let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
		root.fill(&WHITE).map_err(|e| e.to_string())?;
		let title = TextStyle::from(("sans-serif", 20).into_font()).color(&BLACK);
		root.draw(&Text::new(
			"Correlation of round returns (held ●, recommended ○)",
			(10, 10),
			title,
		))
		.map_err(|e| e.to_string())?;
		let label = TextStyle::from(("sans-serif", 13).into_font()).color(&BLACK);
		for (i, (name, held)) in labels.iter().enumerate() {
			let mark = if *held { "●" } else { "○" };
			let text = format!("{mark} {}", truncate(name, 22));
			root.draw(&Text::new(text, (8, top + cell * i as i32 + cell / 2 - 7), label.clone()))
				.map_err(|e| e.to_string())?;
			for j in 0..n {
				let v = values.get(i * n + j).copied().unwrap_or(0.0);
				let (x, y) = (left + cell * j as i32, top + cell * i as i32);
				root.draw(&Rectangle::new(
					[(x, y), (x + cell - 1, y + cell - 1)],
					heat_colour(v).filled(),
				))
				.map_err(|e| e.to_string())?;
				if cell >= 36 {
					root.draw(&Text::new(
						format!("{v:+.2}"),
						(x + 8, y + cell / 2 - 7),
						label.clone(),
					))
					.map_err(|e| e.to_string())?;
				}
			}
		}
		let legend_y = top + cell * n as i32 + 20;
		for k in 0..=10 {
			let v = -1.0 + 0.2 * k as f64;
			let x = left + 24 * k;
			root.draw(&Rectangle::new(
				[(x, legend_y), (x + 23, legend_y + 14)],
				heat_colour(v).filled(),
			))
			.map_err(|e| e.to_string())?;
		}
		root.draw(&Text::new("−1", (left - 22, legend_y), label.clone()))
			.map_err(|e| e.to_string())?;
		root.draw(&Text::new("+1", (left + 24 * 11 + 4, legend_y), label))
			.map_err(|e| e.to_string())?;
		root.present().map_err(|e| e.to_string())?;
	}
	Ok(svg)
}

/// The fee breakdown as a horizontal bar chart in SVG.
pub fn fees_svg(fees: &[(String, f64)]) -> Result<String, String> {
	let mut svg = String::new();
	{
		let height = (110 + 44 * fees.len().max(1)) as u32;
		let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
		root.fill(&WHITE).map_err(|e| e.to_string())?;
		let max = fees.iter().map(|f| f.1).fold(0.0f64, f64::max).max(1e-9) * 1.15;
		let mut chart = ChartBuilder::on(&root)
			.caption("Fees paid per position (NMR)", ("sans-serif", 22))
			.margin(12)
			.x_label_area_size(34)
			.y_label_area_size(240)
			.build_cartesian_2d(0f64..max, (0..fees.len().max(1)).into_segmented())
			.map_err(|e| e.to_string())?;
		let names: Vec<String> = fees.iter().map(|f| truncate(&f.0, 28)).collect();
		chart
			.configure_mesh()
			.disable_y_mesh()
			.label_style(("sans-serif", 15))
			.x_desc("NMR")
			.y_label_formatter(&|v| match v {
				SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
				_ => String::new(),
			})
			.draw()
			.map_err(|e| e.to_string())?;
		chart
			.draw_series(fees.iter().enumerate().map(|(i, (_, v))| {
				Rectangle::new(
					[(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))],
					PALETTE[i % PALETTE.len()].mix(0.8).filled(),
				)
			}))
			.map_err(|e| e.to_string())?;
		root.present().map_err(|e| e.to_string())?;
	}
	Ok(svg)
}

fn truncate(s: &str, n: usize) -> String {
	if s.chars().count() <= n {
		s.into()
	} else {
		format!("{}…", s.chars().take(n - 1).collect::<String>())
	}
}

/// The positions table.
fn table_html(data: &ReportData) -> String {
	let mut table = String::from("<table><thead><tr>");
	for h in &data.table_header {
		table.push_str(&format!("<th>{}</th>", escape(h)));
	}
	table.push_str("</tr></thead><tbody>");
	for row in &data.table {
		table.push_str("<tr>");
		for c in row {
			table.push_str(&format!("<td>{}</td>", escape(c)));
		}
		table.push_str("</tr>");
	}
	table.push_str("</tbody></table>");
	table
}

/// The whole page.
pub fn render(data: &ReportData) -> Result<String, String> {
	// A staker with nothing to plot reads a sentence, not an empty chart with meaningless axes.
	let cumulative = if data.positions.iter().all(|s| s.points.is_empty()) {
		"<p>No position has a settled round yet.</p>".to_string()
	} else {
		cumulative_svg(&data.positions, data.portfolio.as_ref())?
	};
	let heat = if data.heat_labels.is_empty() {
		"<p>No model history to correlate yet.</p>".to_string()
	} else {
		heatmap_svg(&data.heat_labels, &data.heat)?
	};
	let fees = if data.fees.is_empty() {
		"<p>No fees paid yet.</p>".to_string()
	} else {
		fees_svg(&data.fees)?
	};
	let table =
		if data.table.is_empty() { "<p>No positions.</p>".to_string() } else { table_html(data) };
	let notes: String = data.notes.iter().map(|n| format!("<li>{}</li>", escape(n))).collect();
	Ok(format!(
		r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #222; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }}
.sub {{ color: #666; margin-top: 0; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85rem; margin: 1rem 0 2rem; font-variant-numeric: tabular-nums; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
section {{ margin: 2rem 0; }}
svg {{ max-width: 100%; height: auto; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="sub">{subtitle}</p>
<section><h2>Positions</h2><div class="scroll">{table}</div><p class="sub">Amounts in NMR, exact to the planck.</p></section>
<section><h2>Results</h2>{cumulative}<p class="sub">Cumulative result before fees: each position's principal compounded through its model's settled round returns.</p></section>
<section><h2>Diversification</h2>{heat}<ul>{notes}</ul></section>
<section><h2>Fees</h2>{fees}</section>
</body></html>
"#,
		title = escape(&data.title),
		subtitle = escape(&data.subtitle),
	))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sample() -> ReportData {
		ReportData {
			title: "Portfolio <of> Eve".into(),
			subtitle: "block 1".into(),
			table_header: vec!["model".into(), "value".into()],
			table: vec![vec!["alpha & co".into(), "1,000.5".into()]],
			positions: vec![Series {
				label: "alpha".into(),
				points: vec![(10, 0.0), (11, 1.5), (12, -0.5)],
			}],
			portfolio: Some(Series {
				label: "portfolio".into(),
				points: vec![(10, 0.0), (12, 1.0)],
			}),
			heat_labels: vec![("alpha".into(), true), ("beta".into(), false)],
			heat: vec![1.0, 0.3, 0.3, 1.0],
			fees: vec![("alpha".into(), 0.25)],
			notes: vec!["beta: low correlation".into()],
		}
	}

	#[test]
	fn the_page_holds_its_plots_inline_and_escapes_names() {
		let html = render(&sample()).unwrap();
		assert_eq!(html.matches("<svg").count(), 3);
		assert!(html.contains("Portfolio &lt;of&gt; Eve"));
		assert!(html.contains("alpha &amp; co"));
		assert!(!html.contains("<script"));
	}

	#[test]
	fn a_staker_without_positions_reads_sentences_not_empty_charts() {
		let data = ReportData {
			table: vec![],
			positions: vec![],
			portfolio: None,
			heat_labels: vec![],
			heat: vec![],
			fees: vec![],
			notes: vec![],
			..sample()
		};
		let html = render(&data).unwrap();
		assert_eq!(html.matches("<svg").count(), 0);
		assert!(html.contains("No positions."));
		assert!(html.contains("No position has a settled round yet."));
		assert!(html.contains("No fees paid yet."));
	}
}
