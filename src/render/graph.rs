//! The related-incidents graph as the views of an incident page (related
//! list, cluster, recurrence chain, neighbourhood SVG), the records of
//! incidents.json, `graph.json`, and what the graph pages share with them
//! (edges, dots, lines). The graph pages themselves are in `page`.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use serde::Serialize;

use super::data::score_value;
use super::layout::Point;
use super::shared::Shared;
use crate::model::{IncidentIdx, indexed};
use crate::related::RelatedGraph;

/// Recurring failures listed on one page of `graph/`.
const CLUSTERS_PER_PAGE: usize = 50;

/// The address of cluster `c` (from 0) from the site root.
pub(crate) fn cluster_url(c: usize) -> String {
    format!("graph/{}#cluster-{}", super::pager::page_file(c / CLUSTERS_PER_PAGE + 1), c + 1)
}

/// Scores shown to readers: two decimals.
pub(crate) fn score_text(score: f64) -> String {
    format!("{score:.2}")
}

/// Circle radius from the duration: a long incident is a bigger dot.
fn radius(minutes: Option<u64>) -> f64 {
    let m = minutes.unwrap_or(30) as f64;
    ((3.0 + (m.max(1.0).ln() * 0.9)) * 10.0).round() / 10.0
}

/// An undirected edge: `(a, b, score, reasons)` with `a < b`.
type UniqueEdge<'a> = (IncidentIdx, IncidentIdx, f64, &'a [String]);

/// Every undirected edge once, in `(a, b)` order; of a pair listed from
/// both sides, the reasons of the side listed first (the lower index).
fn unique_edges(graph: &RelatedGraph) -> Vec<UniqueEdge<'_>> {
    let mut edges: Vec<UniqueEdge<'_>> = indexed(&graph.related)
        .flat_map(|(a, list)| {
            list.iter().map(move |r| (a.min(r.index), a.max(r.index), r.score, &r.reasons[..]))
        })
        .collect();
    // Stable, so the first listing of a pair stays first and is kept.
    edges.par_sort_by_key(|&(a, b, _, _)| (a, b));
    edges.dedup_by_key(|&mut (a, b, _, _)| (a, b));
    edges
}

#[derive(Serialize)]
pub(crate) struct RelatedView<'a> {
    /// The related incident, to leave out of the list when the page shows
    /// it elsewhere.
    #[serde(skip)]
    pub(crate) index: IncidentIdx,
    url: &'a str,
    /// The link from the incident page that lists it.
    href: String,
    title: &'a str,
    date: Option<&'a str>,
    severity: &'a super::views::SeverityView,
    score: String,
    reasons: &'a [String],
}

#[derive(Serialize)]
pub(crate) struct ClusterRef {
    name: String,
    url: String,
    size: usize,
}

pub(crate) struct SvgNode<'a> {
    x: f64,
    y: f64,
    r: f64,
    class: &'a str,
    /// The incident's page, from the site root on the graph page and from
    /// the sibling page in an incident's neighbourhood.
    url: std::borrow::Cow<'a, str>,
    title: &'a str,
    services: String,
    current: bool,
}

pub(crate) struct SvgEdge {
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    width: f64,
}

/// The related part of an incident page.
#[derive(Serialize, Default)]
pub(crate) struct IncidentGraphView<'a> {
    pub(crate) related: Vec<RelatedView<'a>>,
    pub(crate) cluster: Option<ClusterRef>,
    /// The neighbourhood drawing, as SVG markup; `None` without related
    /// incidents.
    pub(crate) neighbourhood: Option<String>,
    /// The earlier incidents this one recurs, latest first: the first is
    /// what it is a recurrence of, the rest that one's own chain.
    pub(crate) recurrence_of: Vec<RecurrenceRef<'a>>,
}

/// An earlier incident in a recurrence chain.
#[derive(Serialize)]
pub(crate) struct RecurrenceRef<'a> {
    url: &'a str,
    /// The link from the incident page that names it.
    href: String,
    title: &'a str,
    date: Option<&'a str>,
}

/// SVG `<line>`s for `edges`. Numbers are written shortest first (`160`,
/// `92.2`): a page holds a few dozen of them.
fn edge_lines(svg: &mut String, edges: &[SvgEdge]) {
    use std::fmt::Write;
    for e in edges {
        let _ = write!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\"/>",
            e.x1, e.y1, e.x2, e.y2, e.width
        );
    }
}

/// SVG dots for `nodes`, each a link to its incident (`root` leads to
/// where the nodes' addresses start); the whole graph's dots carry their
/// services for the page's filter.
fn node_dots(svg: &mut String, nodes: &[SvgNode<'_>], root: &str, with_services: bool) {
    use std::fmt::Write;
    let esc = |out: &mut String, text: &str| {
        let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
    };
    for n in nodes {
        svg.push_str("<a href=\"");
        esc(svg, root);
        esc(svg, &n.url);
        if with_services {
            svg.push_str("\" data-services=\"");
            esc(svg, &n.services);
        }
        svg.push_str("\"><circle class=\"sev-fill sev-");
        esc(svg, n.class);
        if n.current {
            svg.push_str(" current");
        }
        let _ = write!(svg, "\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>", n.x, n.y, n.r);
        esc(svg, n.title);
        svg.push_str("</title></circle></a>");
    }
}

/// The neighbourhood of an incident page as SVG, its dots linking to their
/// sibling pages. Written here rather than by the template: a page's
/// dozen dots and lines went through tera's interpreter attribute by
/// attribute, a quarter of the incident template's cost.
fn neighbourhood_svg(nodes: &[SvgNode<'_>], edges: &[SvgEdge]) -> String {
    let mut svg = String::with_capacity(256 + 120 * edges.len() + 240 * nodes.len());
    svg.push_str(
        "<svg class=\"neighbourhood\" viewBox=\"0 0 320 240\" role=\"group\" \
         aria-label=\"This incident and its related incidents\"><g class=\"edges\">",
    );
    edge_lines(&mut svg, edges);
    svg.push_str("</g><g class=\"nodes\">");
    node_dots(&mut svg, nodes, "", false);
    svg.push_str("</g></svg>");
    svg
}

mod page;

impl Shared<'_> {
    fn node<'s>(&'s self, i: IncidentIdx, p: Point, r: f64, current: bool) -> SvgNode<'s> {
        let (incident, row) = (self.incident(i), self.row(i));
        SvgNode {
            x: p.x,
            y: p.y,
            r,
            class: &row.severity.class,
            url: std::borrow::Cow::Borrowed(&row.url),
            title: &incident.title,
            services: incident.services.join(" "),
            current,
        }
    }

    /// Related list, cluster and neighbourhood of incident `i`.
    pub(crate) fn incident_graph(&self, i: IncidentIdx) -> IncidentGraphView<'_> {
        let graph = self.input.related;
        let list = graph.related_to(i);
        let related = list
            .iter()
            .map(|r| {
                let (other, row) = (self.incident(r.index), self.row(r.index));
                RelatedView {
                    index: r.index,
                    url: &row.url,
                    href: other.sibling_url(),
                    title: &other.title,
                    date: row.date.as_deref(),
                    severity: &row.severity,
                    score: score_text(r.score),
                    reasons: &r.reasons,
                }
            })
            .collect();
        let cluster = graph.cluster_containing(i).map(|(c, cl)| ClusterRef {
            name: cl.name.clone(),
            url: cluster_url(c),
            size: cl.members.len(),
        });
        // The neighbourhood: this incident in the middle, its related ones
        // on a circle, and the links among them.
        let (cx, cy, ring) = (160.0, 120.0, 90.0);
        let mut at: BTreeMap<IncidentIdx, Point> = BTreeMap::new();
        at.insert(i, Point { x: cx, y: cy });
        let count = list.len().max(1) as f64;
        for (n, r) in list.iter().enumerate() {
            let angle = -std::f64::consts::FRAC_PI_2 + n as f64 * std::f64::consts::TAU / count;
            let round = |v: f64| (v * 10.0).round() / 10.0;
            at.insert(
                r.index,
                Point { x: round(cx + ring * angle.cos()), y: round(cy + ring * angle.sin()) },
            );
        }
        let mut edges = Vec::new();
        let mut drawn = BTreeSet::new();
        for (&a, pa) in &at {
            for r in graph.related_to(a) {
                if let Some(pb) = at.get(&r.index) {
                    if drawn.insert((a.min(r.index), a.max(r.index))) {
                        edges.push(SvgEdge {
                            x1: pa.x,
                            y1: pa.y,
                            x2: pb.x,
                            y2: pb.y,
                            width: edge_width(r.score),
                        });
                    }
                }
            }
        }
        let nodes: Vec<SvgNode<'_>> = at
            .iter()
            .map(|(&j, &p)| {
                let node = self.node(j, p, if j == i { 12.0 } else { 8.0 }, j == i);
                SvgNode { url: self.incident(j).sibling_url().into(), ..node }
            })
            .collect();
        let neighbourhood = (nodes.len() > 1).then(|| neighbourhood_svg(&nodes, &edges));
        let recurrence_of = graph
            .recurrence_chain(i)
            .into_iter()
            .map(|j| {
                let (other, row) = (self.incident(j), self.row(j));
                RecurrenceRef {
                    url: &row.url,
                    href: other.sibling_url(),
                    title: &other.title,
                    date: row.date.as_deref(),
                }
            })
            .collect();
        IncidentGraphView { related, cluster, neighbourhood, recurrence_of }
    }

    /// `graph.json`: nodes and undirected edges with scores and reasons,
    /// escaped for HTML as it is written (see [`super::data::json_for_html`]);
    /// gives up when `emit` no longer wants the site.
    fn graph_json(
        &self,
        edges: &[UniqueEdge<'_>],
        emit: &dyn super::Emit,
    ) -> crate::error::Result<Vec<u8>> {
        #[derive(Serialize)]
        struct Node<'a> {
            id: &'a str,
            title: &'a str,
            /// `null` for an undated incident.
            date: Option<String>,
            severity: &'a str,
            services: &'a [String],
            tags: &'a [String],
            url: String,
        }
        #[derive(Serialize)]
        struct Edge<'a> {
            source: &'a str,
            target: &'a str,
            score: f64,
            reasons: &'a [String],
        }
        #[derive(Serialize)]
        struct Graph<'a> {
            nodes: Vec<Node<'a>>,
            edges: Vec<Edge<'a>>,
        }
        let incidents = self.input.incidents;
        let graph = Graph {
            nodes: incidents
                .iter()
                .map(|i| Node {
                    id: &i.slug,
                    title: &i.title,
                    date: i.date_text(),
                    severity: &i.severity.name,
                    services: &i.services,
                    tags: &i.tags,
                    url: i.url(),
                })
                .collect(),
            edges: edges
                .iter()
                .map(|&(a, b, s, reasons)| Edge {
                    source: &self.incident(a).slug,
                    target: &self.incident(b).slug,
                    score: score_value(s),
                    reasons,
                })
                .collect(),
        };
        let room = super::data::json_room(&graph.nodes)
            .saturating_add(super::data::json_room(&graph.edges));
        super::data::json_file(&graph, room, emit)
    }
}

fn edge_width(score: f64) -> f64 {
    ((0.5 + score * 3.0) * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_edge_is_listed_once_with_the_reasons_of_its_first_listing() {
        let related = |index: usize, reason: &str| crate::related::Related {
            index: IncidentIdx::new(index),
            score: 0.5,
            reasons: vec![reason.to_string()],
        };
        let graph = RelatedGraph {
            related: vec![
                vec![related(1, "0 to 1")],
                vec![related(0, "1 to 0"), related(2, "1 to 2")],
                vec![related(0, "2 to 0")],
            ],
            ..RelatedGraph::default()
        };
        let edges: Vec<(usize, usize, &str)> = unique_edges(&graph)
            .into_iter()
            .map(|(a, b, _, reasons)| (a.get(), b.get(), reasons[0].as_str()))
            .collect();
        assert_eq!(edges, [(0, 1, "0 to 1"), (0, 2, "2 to 0"), (1, 2, "1 to 2")]);
    }

    #[test]
    fn scores_and_sizes_are_rounded() {
        assert_eq!(score_text(0.4567), "0.46");
        assert_eq!(score_value(0.45678), 0.457);
        assert_eq!(edge_width(1.0), 3.5);
        assert!(radius(Some(600)) > radius(Some(5)));
    }
}
