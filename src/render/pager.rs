//! The links between the pages of a paged list (`index.html`,
//! `page-2.html`, ...), for `partials/pager.html`: the index, term pages,
//! timeline, action items and the graph's recurring failures.

use serde::Serialize;

/// The links between the pages of one list, for `partials/pager.html`.
/// Every page sits in the same folder, so links are file names.
#[derive(Serialize)]
pub(crate) struct Pager {
    /// What the list holds, for "Incidents 1–100 of 250".
    noun: &'static str,
    /// The list's order, and the words of the links to the pages before
    /// and after: "newest first", "← Newer", "Older →".
    order: &'static str,
    prev_label: &'static str,
    next_label: &'static str,
    page: usize,
    pages: usize,
    /// The first and last incident of this page, counted from 1.
    first: usize,
    last: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// Page numbers around this one, the first and the last; `None`
    /// stands for the numbers left out between them.
    links: Vec<Option<PageLink>>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// The file name of page `n` of a list.
pub(crate) fn page_file(n: usize) -> String {
    if n <= 1 { "index.html".to_string() } else { format!("page-{n}.html") }
}

impl Pager {
    /// Page `page` (from 1) of `pages`, of a list of `total` `noun`s shown
    /// `per` a page.
    pub(crate) fn new(
        noun: &'static str,
        page: usize,
        pages: usize,
        total: usize,
        per: usize,
    ) -> Pager {
        let near = |n: usize| n == 1 || n == pages || n.abs_diff(page) <= 2;
        let mut links = Vec::new();
        for n in 1..=pages {
            // Linear in the pages, and a list has at most one per hundred
            // incidents.
            if near(n) {
                links.push(Some(PageLink { number: n, url: page_file(n), current: n == page }));
            } else if links.last().is_some_and(Option::is_some) {
                links.push(None);
            }
        }
        Pager {
            noun,
            order: "newest first",
            prev_label: "← Newer",
            next_label: "Older →",
            page,
            pages,
            first: (page - 1) * per + 1,
            last: (page * per).min(total),
            total,
            prev: (page > 1).then(|| page_file(page - 1)),
            next: (page < pages).then(|| page_file(page + 1)),
            links,
        }
    }

    /// The pager of a list in another `order` than newest first.
    pub(crate) fn ordered(
        self,
        order: &'static str,
        prev_label: &'static str,
        next_label: &'static str,
    ) -> Pager {
        Pager { order, prev_label, next_label, ..self }
    }
}
