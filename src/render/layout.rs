//! Force-directed layout of the related-incidents graph, computed at build
//! time so the graph page needs no client-side physics.
//!
//! Fruchterman-Reingold with repulsion limited to neighbouring cells of a
//! grid (cells one ideal edge length wide), so each iteration costs about
//! O(nodes + edges) instead of O(nodes²). Deterministic: start positions come
//! from a seeded generator, and every sum runs in a fixed order (the
//! repulsion of each node is computed on its own, in parallel), so the same
//! graph gives the same picture on every build.

use rayon::prelude::*;

/// A point in layout space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) x: f64,
    pub(crate) y: f64,
}

/// At most this many nodes of one grid row's three neighbouring cells push
/// a node in an iteration; see the repulsion loop.
const SAMPLE_PER_ROW: usize = 24;

/// splitmix64, for start positions.
fn next(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Lays out `n` nodes joined by weighted `edges` in a `(width, height,
/// margin)` box, with `margin` left free on every side. Gives up with
/// `None` between two rounds once `stop` says so: the whole archive's graph
/// takes a while, and `serve` may no longer want it.
pub(crate) fn layout(
    n: usize,
    edges: &[(usize, usize, f64)],
    (width, height, margin): (f64, f64, f64),
    seed: u64,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Point>> {
    if n == 0 {
        return Some(Vec::new());
    }
    let mut state = seed;
    let side = (n as f64).sqrt().max(1.0);
    let mut pos: Vec<Point> =
        (0..n).map(|_| Point { x: next(&mut state) * side, y: next(&mut state) * side }).collect();
    let iterations = if n > 5_000 {
        40
    } else if n > 1_000 {
        60
    } else {
        120
    };
    let mut temperature = side / 8.0;
    let cool = temperature / (iterations as f64 + 1.0);
    let cells = (side / K).ceil().max(1.0) as usize;
    let mut disp = vec![Point { x: 0.0, y: 0.0 }; n];
    let mut grid = Grid::new(n, cells * cells);
    for _ in 0..iterations {
        if stop() {
            return None;
        }
        grid.fill(&pos, |p| {
            let cx = ((p.x / K).floor().max(0.0) as usize).min(cells - 1);
            let cy = ((p.y / K).floor().max(0.0) as usize).min(cells - 1);
            cy * cells + cx
        });
        disp.fill(Point { x: 0.0, y: 0.0 });
        repel(&pos, &mut disp, &grid, cells);
        attract(&pos, &mut disp, edges);
        settle(&mut pos, &disp, side, temperature);
        temperature = (temperature - cool).max(0.01);
    }
    Some(fit(&pos, width, height, margin))
}

/// Ideal edge length: the layout runs in a square of side √n.
const K: f64 = 1.0;

/// Adds to each node's displacement the push of the nodes in its 3×3
/// neighbouring cells. Each node's push is summed on its own in a fixed
/// order (cell by cell, nodes in index order), so running nodes in
/// parallel changes nothing in the result.
fn repel(pos: &[Point], disp: &mut [Point], grid: &Grid, cells: usize) {
    pos.par_iter().zip(disp.par_iter_mut()).enumerate().for_each(|(i, (p, d))| {
        let cell = grid.cell.get(i).copied().unwrap_or(0);
        let (cx, cy) = (cell % cells, cell / cells);
        let (x0, x1) = (cx.saturating_sub(1), (cx + 1).min(cells - 1));
        for gy in cy.saturating_sub(1)..=(cy + 1).min(cells - 1) {
            // The cells of one grid row are neighbours in the grid's
            // order: one run of nodes covers all three.
            let (ids, xs, ys) = grid.run(gy * cells + x0, gy * cells + x1);
            // A crowded run (a large family drawn together) pushes
            // through an even sample of its nodes, each standing for
            // the ones it skips, so the work per node stays bounded
            // however dense the picture gets.
            let stride = ids.len().div_ceil(SAMPLE_PER_ROW).max(1);
            let weight = if stride == 1 {
                1.0
            } else {
                ids.len() as f64 / ids.len().div_ceil(stride) as f64
            };
            let (mut px, mut py) = (0.0, 0.0);
            for ((&j, &qx), &qy) in ids.iter().zip(xs).zip(ys).step_by(stride) {
                if i == j as usize {
                    continue;
                }
                let dx = p.x - qx;
                let dy = p.y - qy;
                let d2 = (dx * dx + dy * dy).max(1e-4);
                let f = K * K / d2;
                px += dx * f;
                py += dy * f;
            }
            d.x += px * weight;
            d.y += py * weight;
        }
    });
}

/// Adds the pull along edges, stronger for higher scores.
fn attract(pos: &[Point], disp: &mut [Point], edges: &[(usize, usize, f64)]) {
    for &(a, b, w) in edges {
        let (Some(pa), Some(pb)) = (pos.get(a), pos.get(b)) else { continue };
        if a == b {
            continue;
        }
        let dx = pa.x - pb.x;
        let dy = pa.y - pb.y;
        let d = (dx * dx + dy * dy).sqrt().max(1e-4);
        let f = d / K * (0.3 + w);
        if let Some(da) = disp.get_mut(a) {
            da.x -= dx / d * f;
            da.y -= dy / d * f;
        }
        if let Some(db) = disp.get_mut(b) {
            db.x += dx / d * f;
            db.y += dy / d * f;
        }
    }
}

/// Moves each node along its displacement, at most `temperature` far,
/// with a gentle gravity that keeps disconnected parts on the canvas.
fn settle(pos: &mut [Point], disp: &[Point], side: f64, temperature: f64) {
    let centre = side / 2.0;
    for (p, d) in pos.iter_mut().zip(disp) {
        let (dx, dy) = (d.x + (centre - p.x) * 0.02, d.y + (centre - p.y) * 0.02);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let step = len.min(temperature);
        p.x = (p.x + dx / len * step).clamp(0.0, side);
        p.y = (p.y + dy / len * step).clamp(0.0, side);
    }
}

/// Nodes bucketed by grid cell, cells in row order and nodes in index
/// order within a cell, positions stored beside them: the repulsion loop
/// reads one contiguous run per grid row instead of chasing a list per
/// cell.
struct Grid {
    /// Where each cell's nodes start; `cells + 1` entries.
    start: Vec<usize>,
    ids: Vec<u32>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Each node's cell, in node order.
    cell: Vec<usize>,
}

impl Grid {
    fn new(n: usize, cells: usize) -> Self {
        Grid {
            start: vec![0; cells + 1],
            ids: vec![0; n],
            xs: vec![0.0; n],
            ys: vec![0.0; n],
            cell: vec![0; n],
        }
    }

    /// Buckets `pos` by `cell_of` (a counting sort, stable in node order).
    fn fill(&mut self, pos: &[Point], cell_of: impl Fn(&Point) -> usize) {
        let cells = self.start.len() - 1;
        self.start.fill(0);
        for (slot, p) in self.cell.iter_mut().zip(pos) {
            *slot = cell_of(p).min(cells - 1);
            if let Some(count) = self.start.get_mut(*slot + 1) {
                *count += 1;
            }
        }
        for c in 0..cells {
            let before = self.start.get(c).copied().unwrap_or(0);
            if let Some(next) = self.start.get_mut(c + 1) {
                *next += before;
            }
        }
        let mut next = self.start.clone();
        for (i, (p, &c)) in pos.iter().zip(&self.cell).enumerate() {
            let Some(at) = next.get_mut(c) else { continue };
            if let (Some(id), Some(x), Some(y)) =
                (self.ids.get_mut(*at), self.xs.get_mut(*at), self.ys.get_mut(*at))
            {
                (*id, *x, *y) = (i as u32, p.x, p.y);
            }
            *at += 1;
        }
    }

    /// The nodes of cells `first..=last` (ids, xs, ys).
    fn run(&self, first: usize, last: usize) -> (&[u32], &[f64], &[f64]) {
        let from = self.start.get(first).copied().unwrap_or(0);
        let to = self.start.get(last + 1).copied().unwrap_or(from).max(from);
        (
            self.ids.get(from..to).unwrap_or_default(),
            self.xs.get(from..to).unwrap_or_default(),
            self.ys.get(from..to).unwrap_or_default(),
        )
    }
}

/// Scales positions into the box and rounds them, so tiny float noise
/// never reaches the output.
fn fit(pos: &[Point], width: f64, height: f64, margin: f64) -> Vec<Point> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pos {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let sx = (width - 2.0 * margin) / (x1 - x0).max(1e-9);
    let sy = (height - 2.0 * margin) / (y1 - y0).max(1e-9);
    let round = |v: f64| (v * 10.0).round() / 10.0;
    pos.iter()
        .map(|p| {
            let x = if x1 > x0 { margin + (p.x - x0) * sx } else { width / 2.0 };
            let y = if y1 > y0 { margin + (p.y - y0) * sy } else { height / 2.0 };
            Point { x: round(x), y: round(y) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(
        n: usize,
        edges: &[(usize, usize, f64)],
        w: f64,
        h: f64,
        m: f64,
        seed: u64,
    ) -> Vec<Point> {
        layout(n, edges, (w, h, m), seed, &|| false).unwrap()
    }

    #[test]
    fn a_layout_told_to_stop_gives_up() {
        assert_eq!(layout(100, &[(0, 1, 1.0)], (10.0, 10.0, 1.0), 1, &|| true), None);
        let rounds = std::cell::Cell::new(0);
        let stop_after_two = || {
            rounds.set(rounds.get() + 1);
            rounds.get() > 2
        };
        assert_eq!(layout(100, &[], (10.0, 10.0, 1.0), 1, &stop_after_two), None);
        assert_eq!(rounds.get(), 3, "asked once per round");
    }

    #[test]
    fn deterministic_and_inside_the_box() {
        let edges: Vec<_> = (0..50).map(|i| (i, (i * 7 + 3) % 60, 0.5)).collect();
        let a = laid_out(60, &edges, 800.0, 600.0, 20.0, 7);
        let b = laid_out(60, &edges, 800.0, 600.0, 20.0, 7);
        assert_eq!(a, b);
        assert!(a.iter().all(|p| (20.0..=780.0).contains(&p.x) && (20.0..=580.0).contains(&p.y)));
    }

    #[test]
    fn connected_nodes_end_up_closer_than_unconnected_ones() {
        // Two cliques of five, no edge between them.
        let mut edges = Vec::new();
        for group in [0, 5] {
            for i in group..group + 5 {
                for j in i + 1..group + 5 {
                    edges.push((i, j, 1.0));
                }
            }
        }
        let p = laid_out(10, &edges, 1000.0, 1000.0, 0.0, 1);
        let dist =
            |a: usize, b: usize| ((p[a].x - p[b].x).powi(2) + (p[a].y - p[b].y).powi(2)).sqrt();
        let within = (dist(0, 1) + dist(5, 6)) / 2.0;
        let across = (dist(0, 5) + dist(1, 6)) / 2.0;
        assert!(within < across, "within {within} across {across}");
    }

    #[test]
    fn a_crowded_family_still_spreads_out() {
        // 2,000 nodes in four families of 500, each joined in a ring with
        // chords: the families pull together into crowded cells, where the
        // repulsion works on a sample.
        let mut edges = Vec::new();
        for f in 0..4 {
            for i in 0..500 {
                let a = f * 500 + i;
                edges.push((a, f * 500 + (i + 1) % 500, 1.0));
                edges.push((a, f * 500 + (i * 37 + 11) % 500, 0.5));
            }
        }
        let p = laid_out(2_000, &edges, 1600.0, 1200.0, 30.0, 3);
        assert_eq!(p, laid_out(2_000, &edges, 1600.0, 1200.0, 30.0, 3), "deterministic");
        let mut distinct: Vec<(i64, i64)> =
            p.iter().map(|q| ((q.x * 10.0) as i64, (q.y * 10.0) as i64)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 1_900, "{} distinct positions of 2,000", distinct.len());
    }

    #[test]
    fn degenerate_inputs() {
        assert!(laid_out(0, &[], 10.0, 10.0, 1.0, 1).is_empty());
        let one = laid_out(1, &[(0, 5, 1.0)], 10.0, 10.0, 1.0, 1);
        assert_eq!(one, [Point { x: 5.0, y: 5.0 }]);
    }
}
