//! `graph/index.html` and `graph/page-N.html`: the related-incidents graph
//! laid out at build time (at most [`MAX_DRAWN`] incidents) above the first
//! clusters of recurring failures, and the further clusters a page each;
//! then `graph.json`, from the same list of edges.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::{
    CLUSTERS_PER_PAGE, SvgEdge, SvgNode, UniqueEdge, edge_lines, edge_width, node_dots, radius,
    unique_edges,
};
use crate::error::{Error, Result};
use crate::model::{Incident, IncidentIdx};
use crate::related::RelatedGraph;
use crate::render::OutputFile;
use crate::render::layout::{Point, layout};
use crate::render::shared::Shared;
use crate::render::{pager, splice};

/// Size of the whole-graph drawing.
const WIDTH: f64 = 1200.0;
const HEIGHT: f64 = 900.0;

/// The most incidents the graph page draws. A larger archive draws the
/// members of its largest recurring failures: more dots would not be
/// readable, and would cost a visitor megabytes (every incident's related
/// list is on its own page, and `graph.json` has every edge).
const MAX_DRAWN: usize = 500;

/// The incidents the graph page draws, in input order: every incident of
/// a small archive, else the members of the largest clusters that fit in
/// [`MAX_DRAWN`].
fn drawn_incidents(graph: &RelatedGraph, total: usize) -> Vec<IncidentIdx> {
    if total <= MAX_DRAWN {
        return IncidentIdx::all(total).collect();
    }
    let mut drawn = Vec::new();
    for cluster in &graph.clusters {
        if drawn.len() + cluster.members.len() <= MAX_DRAWN {
            drawn.extend(cluster.members.iter().copied().filter(|&m| m.get() < total));
        }
    }
    drawn.sort_unstable();
    drawn.dedup();
    drawn
}

/// The whole graph's lines and dots as SVG markup, each in parts to write
/// one after the other: tens of thousands of elements at 10,000 incidents.
fn graph_markup(
    nodes: &[SvgNode<'_>],
    edges: &[SvgEdge],
    root: &str,
) -> (Vec<String>, Vec<String>) {
    rayon::join(
        || in_chunks(edges, 120, edge_lines),
        || in_chunks(nodes, 260, |svg, chunk| node_dots(svg, chunk, root, true)),
    )
}

/// The markup `write` gives for `items`, written in parallel chunks, in
/// order; `bytes_each` sizes each chunk's buffer.
fn in_chunks<T: Sync>(
    items: &[T],
    bytes_each: usize,
    write: impl Fn(&mut String, &[T]) + Sync,
) -> Vec<String> {
    const CHUNK: usize = 2048;
    items
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut svg = String::with_capacity(bytes_each * chunk.len());
            write(&mut svg, chunk);
            svg
        })
        .collect()
}

/// The graph page's drawing: how many incidents it shows, and its lines
/// and dots as SVG markup in parts (see [`graph_markup`]).
struct Drawing {
    nodes: usize,
    edge_svg: Vec<String>,
    node_svg: Vec<String>,
}

/// A recurring failure on the graph page.
#[derive(Serialize)]
struct ClusterView<'a> {
    id: usize,
    name: &'a str,
    size: usize,
    services: usize,
    /// Month of the newest dated member; `None` when all are undated.
    last: Option<String>,
    /// Where the drawing names it; `None` when its members are not drawn.
    #[serde(skip)]
    label: Option<Label<'a>>,
    members: Vec<Member<'a>>,
}

/// A cluster's name on the drawing, linking to its entry in the list.
#[derive(Serialize)]
struct Label<'a> {
    name: &'a str,
    x: f64,
    y: f64,
    href: String,
}

/// An incident of a recurring failure.
#[derive(Serialize)]
struct Member<'a> {
    url: String,
    title: &'a str,
    date: Option<String>,
}

impl Shared<'_> {
    /// `graph/index.html`, then `graph.json`, handed to `emit` one after
    /// the other from one list of the archive's edges; gives up when `emit`
    /// no longer wants the site.
    pub(crate) fn graph_files(&self, emit: &dyn crate::render::Emit) -> Result<()> {
        let edges = unique_edges(self.input.related);
        for page in self.graph_pages(emit, &edges)? {
            emit.emit(page)?;
        }
        emit.emit(OutputFile::bytes("graph.json", self.graph_json(&edges, emit)?))
    }

    /// `graph/index.html` (the drawing and the first clusters) and the
    /// further pages of clusters; gives up when `emit` no longer wants the
    /// site.
    fn graph_pages(
        &self,
        emit: &dyn crate::render::Emit,
        edges: &[UniqueEdge<'_>],
    ) -> Result<Vec<OutputFile>> {
        let (drawing, clusters) = self.drawing(emit, edges)?;
        let services: Vec<&String> = self.views.services.iter().map(|(name, _)| name).collect();
        let mut ctx = self.context(1, "graph");
        ctx.insert("width", &WIDTH);
        ctx.insert("height", &HEIGHT);
        ctx.insert("incident_count", &self.input.incidents.len());
        ctx.insert("node_count", &drawing.nodes);
        ctx.insert("edge_count", &edges.len());
        ctx.insert("cluster_count", &clusters.len());
        ctx.insert("services", &services);
        let labels: Vec<&Label<'_>> = clusters.iter().filter_map(|c| c.label.as_ref()).collect();
        let chunks: Vec<&[ClusterView<'_>]> = if clusters.is_empty() {
            vec![&[]]
        } else {
            clusters.chunks(CLUSTERS_PER_PAGE).collect()
        };
        let pages = chunks.len();
        let mut files = Vec::with_capacity(pages);
        for (k, chunk) in chunks.into_iter().enumerate() {
            let page = k + 1;
            let mut ctx = ctx.clone();
            ctx.insert("page_number", &page);
            ctx.insert("clusters", chunk);
            if pages > 1 {
                let pager = pager::Pager::new(
                    "Recurring failures",
                    page,
                    pages,
                    clusters.len(),
                    CLUSTERS_PER_PAGE,
                )
                .ordered("largest first", "← Larger", "Smaller →");
                ctx.insert("pager", &pager);
            }
            let path = format!("graph/{}", pager::page_file(page));
            if page > 1 {
                files.push(self.render("graph.html", &ctx, path)?);
                continue;
            }
            // The markup is written into the page where the template
            // prints it (see `super::splice`), not copied through the
            // context.
            ctx.insert("labels", &labels);
            ctx.insert("node_svg", &splice::marker("node-svg"));
            ctx.insert("edge_svg", &splice::marker("edge-svg"));
            let room = drawing.edge_svg.iter().chain(&drawing.node_svg).map(String::len).sum();
            files.push(self.render_spliced("graph.html", ctx, path, room, |name, out| {
                let parts = match name {
                    "node-svg" => &drawing.node_svg,
                    "edge-svg" => &drawing.edge_svg,
                    _ => return Ok(()),
                };
                parts.iter().for_each(|part| out.extend_from_slice(part.as_bytes()));
                Ok(())
            })?);
        }
        Ok(files)
    }

    /// The drawing of the graph page, laid out at build time from the
    /// drawn incidents and the edges between them, and every cluster,
    /// labelled where its drawn members are; gives up when `emit` no
    /// longer wants the site.
    fn drawing(
        &self,
        emit: &dyn crate::render::Emit,
        edges: &[UniqueEdge<'_>],
    ) -> Result<(Drawing, Vec<ClusterView<'_>>)> {
        let incidents = self.input.incidents;
        let drawn = drawn_incidents(self.input.related, incidents.len());
        // Position in the drawing of each incident, `None` if not drawn.
        let mut slot: Vec<Option<usize>> = vec![None; incidents.len()];
        for (k, &i) in drawn.iter().enumerate() {
            #[allow(clippy::expect_used, reason = "`drawn_incidents` keeps those below the count")]
            let s = i.of_mut(&mut slot).expect("a drawn incident is one of the incidents");
            *s = Some(k);
        }
        let slot_of = |i: IncidentIdx| i.of(&slot).copied().flatten();
        let drawn_edges: Vec<(usize, usize, f64)> =
            edges.iter().filter_map(|&(a, b, s, _)| Some((slot_of(a)?, slot_of(b)?, s))).collect();
        let stop = || emit.wanted().is_err();
        let points = layout(drawn.len(), &drawn_edges, (WIDTH, HEIGHT, 30.0), 0x5eed, &stop);
        let Some(points) = points else { return Err(Error::Unwanted) };
        let point_of = |i: IncidentIdx| points.get(slot_of(i)?).copied();
        let nodes: Vec<SvgNode<'_>> = drawn
            .iter()
            .filter_map(|&i| {
                let r = radius(self.incident(i).duration_minutes);
                Some(self.node(i, point_of(i)?, r, false))
            })
            .collect();
        let svg_edges: Vec<SvgEdge> = drawn_edges
            .iter()
            .filter_map(|&(a, b, s)| {
                let (pa, pb) = (points.get(a)?, points.get(b)?);
                Some(SvgEdge { x1: pa.x, y1: pa.y, x2: pb.x, y2: pb.y, width: edge_width(s) })
            })
            .collect();
        let (edge_svg, node_svg) =
            graph_markup(&nodes, &svg_edges, &crate::render::shared::root_for(1));
        let drawing = Drawing { nodes: nodes.len(), edge_svg, node_svg };
        Ok((drawing, self.cluster_views(&point_of, &points)))
    }

    /// The recurring failures as the graph page lists them, each labelled
    /// at the centre of its members' points when they are drawn, clear of
    /// the drawn dots (`dots`) where a place near it is.
    fn cluster_views(
        &self,
        point_of: &dyn Fn(IncidentIdx) -> Option<Point>,
        dots: &[Point],
    ) -> Vec<ClusterView<'_>> {
        let clusters = &self.input.related.clusters;
        clusters
            .iter()
            .enumerate()
            .map(|(c, cluster)| {
                let mut members: Vec<(IncidentIdx, &Incident)> =
                    cluster.members.iter().map(|&m| (m, self.incident(m))).collect();
                let services: BTreeSet<&str> = members
                    .iter()
                    .flat_map(|(_, m)| m.services.iter().map(String::as_str))
                    .collect();
                let at: Vec<Point> = cluster.members.iter().filter_map(|&m| point_of(m)).collect();
                let n = at.len().max(1) as f64;
                let label = (!at.is_empty()).then(|| {
                    let centre = Point {
                        x: at.iter().map(|p| p.x).sum::<f64>() / n,
                        y: at.iter().map(|p| p.y).sum::<f64>() / n,
                    };
                    let Point { x, y } = label_place(centre, &cluster.name, dots);
                    Label {
                        name: &cluster.name,
                        x: (x * 10.0).round() / 10.0,
                        y: (y * 10.0).round() / 10.0,
                        // Labels are on the first page; so are the first
                        // clusters.
                        href: match c / CLUSTERS_PER_PAGE + 1 {
                            1 => format!("#cluster-{}", c + 1),
                            page => format!("{}#cluster-{}", pager::page_file(page), c + 1),
                        },
                    }
                });
                // Newest first, undated (`None`) last.
                members.sort_by(|(a, x), (b, y)| y.date.cmp(&x.date).then(a.cmp(b)));
                ClusterView {
                    id: c + 1,
                    name: &cluster.name,
                    size: cluster.members.len(),
                    services: services.len(),
                    last: members.first().and_then(|(_, m)| m.date).map(year_month),
                    label,
                    members: members
                        .iter()
                        .map(|(_, m)| Member { url: m.url(), title: &m.title, date: m.date_text() })
                        .collect(),
                }
            })
            .collect()
    }
}

/// Where a cluster's name goes: at the centre of its members (`centre`,
/// where the text starts, on its baseline) unless a dot of `dots` is
/// under the text, then the first place a line above or below, or a
/// half-name to the left, that has none and stays in the drawing. A name
/// written over a dot hid the incident it stands for.
fn label_place(centre: Point, name: &str, dots: &[Point]) -> Point {
    // The text is 14 px, about 8.5 px a character at its weight; a dot's
    // radius is at most about 12 px.
    let width = 8.5 * name.chars().count() as f64;
    let covers = |at: &Point, dot: &Point| {
        const CLEAR: f64 = 12.0;
        dot.x > at.x - CLEAR
            && dot.x < at.x + width + CLEAR
            && dot.y > at.y - 14.0 - CLEAR
            && dot.y < at.y + 4.0 + CLEAR
    };
    let inside =
        |at: &Point| at.x >= 0.0 && at.x + width <= WIDTH && at.y >= 14.0 && at.y <= HEIGHT;
    let tries =
        [(0.0, 0.0), (0.0, -28.0), (0.0, 32.0), (-width / 2.0, 0.0), (0.0, -56.0), (0.0, 60.0)];
    tries
        .iter()
        .map(|&(dx, dy)| Point { x: centre.x + dx, y: centre.y + dy })
        .find(|at| inside(at) && !dots.iter().any(|dot| covers(at, dot)))
        .unwrap_or(centre)
}

/// `YYYY-MM` of a date.
fn year_month(date: jiff::civil::Date) -> String {
    let text = date.to_string();
    text.get(..7).unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::cluster_url;
    use super::*;

    #[test]
    fn a_cluster_name_is_written_clear_of_the_dots() {
        let p = |x: f64, y: f64| Point { x, y };
        // Nothing under the centre: the name starts there.
        assert_eq!(label_place(p(100.0, 100.0), "disk full", &[p(10.0, 10.0)]), p(100.0, 100.0));
        // A dot under the name: a line above, which is clear.
        let moved = label_place(p(100.0, 100.0), "disk full", &[p(130.0, 95.0)]);
        assert_eq!(moved, p(100.0, 72.0));
        // Dots above and below too: half a name to the left.
        let dots = [p(130.0, 95.0), p(130.0, 67.0), p(130.0, 127.0)];
        let moved = label_place(p(100.0, 100.0), "disk", &dots);
        assert_eq!(moved, p(83.0, 100.0));
        // Nowhere clear: the centre, as before.
        let crowded: Vec<Point> = (0..40)
            .flat_map(|i| (0..40).map(move |j| p(f64::from(i) * 10.0, f64::from(j) * 10.0)))
            .collect();
        assert_eq!(label_place(p(100.0, 100.0), "disk", &crowded), p(100.0, 100.0));
    }

    #[test]
    fn a_large_archive_draws_its_largest_clusters_that_fit() {
        let cluster = |from: usize, size: usize| crate::related::Cluster {
            name: String::new(),
            members: (from..from + size).map(IncidentIdx::new).collect(),
            top_terms: Vec::new(),
        };
        let graph = RelatedGraph {
            clusters: vec![cluster(0, 300), cluster(300, 250), cluster(600, 150), cluster(800, 3)],
            ..RelatedGraph::default()
        };
        assert_eq!(drawn_incidents(&graph, 40), IncidentIdx::all(40).collect::<Vec<_>>());
        let drawn: Vec<usize> =
            drawn_incidents(&graph, 10_000).into_iter().map(IncidentIdx::get).collect();
        assert_eq!(drawn.len(), 453, "the 250 would pass the limit; the smaller ones fit");
        assert!(drawn.contains(&0) && !drawn.contains(&300) && drawn.contains(&600));
        assert!(drawn.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(cluster_url(0), "graph/index.html#cluster-1");
        assert_eq!(cluster_url(50), "graph/page-2.html#cluster-51");
    }
}
