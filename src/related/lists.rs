//! Many short lists stored end to end, one per incident.
//!
//! Inputs and outputs: lists of any item. Imports: nothing.
//!
//! Scoring a pair reads each incident's text terms, labels and nearest
//! incidents. As a `Vec` each, a list costs a read of its header and then a
//! read of its own allocation somewhere else on the heap; here the starts
//! are one small array and the items of neighbouring incidents sit next to
//! each other, so a list is usually one or two cache lines away.

/// Lists numbered from 0, their items in one allocation.
#[derive(Debug, Clone)]
pub(crate) struct Lists<T> {
    /// Where list `i` starts in `items`; list `i` ends where `i + 1` starts.
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists { starts: vec![0], items: Vec::new() }
    }
}

impl<T> Lists<T> {
    /// List `i`; empty past the last list.
    #[allow(clippy::expect_used, reason = "`push` keeps `starts` rising and within `items`")]
    pub(crate) fn at(&self, i: usize) -> &[T] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => {
                self.items.get(start..end).expect("starts rise and end within the items")
            }
            _ => &[],
        }
    }

    /// How many lists there are.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Adds a list after the last.
    pub(crate) fn push(&mut self, list: impl IntoIterator<Item = T>) {
        self.items.extend(list);
        self.starts.push(self.items.len());
    }

    /// Every list, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[T]> {
        (0..self.len()).map(|i| self.at(i))
    }
}

impl<T> FromIterator<Vec<T>> for Lists<T> {
    fn from_iter<I: IntoIterator<Item = Vec<T>>>(lists: I) -> Self {
        let mut all = Lists::default();
        for list in lists {
            all.push(list);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_their_items_and_their_bounds() {
        let lists: Lists<u32> = [vec![3, 1], vec![], vec![7]].into_iter().collect();
        assert_eq!(lists.len(), 3);
        assert_eq!(lists.at(0), [3, 1]);
        assert!(lists.at(1).is_empty());
        assert_eq!(lists.at(2), [7]);
        assert!(lists.at(3).is_empty(), "past the end");
        assert_eq!(lists.iter().map(<[u32]>::len).collect::<Vec<_>>(), [2, 0, 1]);
        assert_eq!(Lists::<u8>::default().len(), 0);
    }
}
