//! Prefetching: the scoring pass reads a few hundred incidents' lists in
//! an order no cache predicts. Reading the start of each before any is
//! used lets the reads from memory overlap, where using each as it is read
//! waits on every one in turn. Nothing here changes a result; removing
//! both functions leaves the output as it is, only slower at 100,000
//! incidents.

use super::features::Features;
use super::lists::Lists;

impl<T> Lists<T> {
    /// Reads the start of list `i` and returns nothing: called for many
    /// lists in a row before any is used, it lets their reads from memory
    /// overlap, where using each list as it is read waits on every one in
    /// turn.
    pub(crate) fn touch(&self, i: usize)
    where
        T: Copy,
    {
        std::hint::black_box(self.at(i).first().copied());
    }
}

impl Features<'_> {
    /// Reads what scoring incident `b` reads first ([`Lists::touch`]); its
    /// text terms only when its cosine is still to be computed.
    pub(super) fn touch(&self, b: usize, text: bool) {
        if text {
            self.text.vectors.touch(b);
        }
        self.neighbours.touch(b);
        self.text.titles.touch(b);
        self.services.of.touch(b);
        self.tags.of.touch(b);
        std::hint::black_box((self.days.get(b).copied(), self.neighbour_norms.get(b).copied()));
    }
}
