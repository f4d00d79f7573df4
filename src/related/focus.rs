//! What two incidents have in common, measured for the exact scoring pass.
//!
//! Inputs: the related stage's [`Features`]. Outputs: per pair, the raw
//! overlaps the signals are made of. Imports: the stage's own types.
//!
//! The exact pass scores each incident against about fifty others. Merging
//! two sorted lists per overlap (terms, services, tags, nearest incidents)
//! was most of that pass's time, a branch mispredicted at every step. A
//! [`Focus`] spreads one incident over dense arrays instead, so each other
//! incident costs one lookup per entry of its own lists. Shared entries are
//! still summed in id order, so the result is the merge's to the last bit;
//! the merging [`Merged`] stays as the reference the tests hold it to.

use super::Features;
use super::labels::Marks;
use super::text::Spread;

/// The overlaps of one pair, each asked for only when its signal counts.
pub(super) trait Overlap {
    /// Cosine of the two text vectors.
    fn cosine(&self) -> f64;
    /// Rarity-weighted share of services.
    fn services(&self) -> f64;
    /// Rarity-weighted share of tags.
    fn tags(&self) -> f64;
    /// Whether the two share a service.
    fn share_service(&self) -> bool;
    /// Sum, over the nearest incidents both have, of the product of the
    /// two cosines with it.
    fn shared_neighbours(&self) -> f64;
}

/// A pair measured by merging both incidents' sorted lists.
#[cfg(test)]
pub(super) struct Merged<'f, 'a> {
    pub(super) features: &'f Features<'a>,
    pub(super) a: usize,
    pub(super) b: usize,
}

#[cfg(test)]
impl Overlap for Merged<'_, '_> {
    fn cosine(&self) -> f64 {
        self.features.text.cosine(self.a, self.b)
    }

    fn services(&self) -> f64 {
        self.features.services.similarity(self.a, self.b)
    }

    fn tags(&self) -> f64 {
        self.features.tags.similarity(self.a, self.b)
    }

    fn share_service(&self) -> bool {
        self.features.services.share_any(self.a, self.b)
    }

    fn shared_neighbours(&self) -> f64 {
        let near = |i: usize| self.features.neighbours.at(i);
        let mut shared = 0.0f64;
        super::text::merge_shared(near(self.a), near(self.b), |_, x, y| {
            shared += f64::from(x) * f64::from(y);
        });
        shared
    }
}

/// One incident spread over dense arrays, reused from incident to incident
/// by a worker thread.
pub(super) struct Focus {
    incident: usize,
    text: Spread,
    services: Marks,
    tags: Marks,
    /// The focused incident's nearest incidents, by slug rank.
    neighbours: Spread,
}

impl Focus {
    pub(super) fn new(features: &Features) -> Focus {
        Focus {
            incident: usize::MAX,
            text: Spread::new(features.text.df.len()),
            services: Marks::new(&features.services),
            tags: Marks::new(&features.tags),
            neighbours: Spread::new(features.incidents.len()),
        }
    }

    /// The incident in focus.
    pub(super) fn incident(&self) -> usize {
        self.incident
    }

    /// Focuses on incident `a`, clearing the one before.
    pub(super) fn set(&mut self, features: &Features, a: usize) {
        self.text.set(&features.text.vectors, a);
        self.services.set(&features.services, a);
        self.tags.set(&features.tags, a);
        self.neighbours.set(&features.neighbours, a);
        self.incident = a;
    }

    /// The focused incident paired with `b`, whose text cosine with it may
    /// be known already.
    pub(super) fn with<'x, 'a>(
        &'x self,
        features: &'x Features<'a>,
        b: usize,
        cosine: Option<f64>,
    ) -> Focused<'x, 'a> {
        Focused { focus: self, features, b, cosine }
    }
}

/// The focused incident and one other.
pub(super) struct Focused<'x, 'a> {
    focus: &'x Focus,
    features: &'x Features<'a>,
    b: usize,
    cosine: Option<f64>,
}

impl Overlap for Focused<'_, '_> {
    fn cosine(&self) -> f64 {
        self.cosine.unwrap_or_else(|| self.focus.text.cosine(&self.features.text, self.b))
    }

    fn services(&self) -> f64 {
        self.focus.services.similarity(&self.features.services, self.b)
    }

    fn tags(&self) -> f64 {
        self.focus.tags.similarity(&self.features.tags, self.b)
    }

    fn share_service(&self) -> bool {
        self.focus.services.share_any(&self.features.services, self.b)
    }

    fn shared_neighbours(&self) -> f64 {
        self.focus.neighbours.dot(self.features.neighbours.at(self.b))
    }
}
