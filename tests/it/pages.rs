//! The `<main>` of every page type, pinned: one snapshot file per page
//! type of the `basic` fixture, so a change to one page's markup shows as
//! a change to that page's snapshot alone. Review with `cargo insta
//! review` after an intended change.
//!
//! The build day is fixed, so what depends on it (overdue action items,
//! ages) does not drift with the calendar.

use std::sync::LazyLock;

use hindsight::{BuildOptions, Site};

use crate::support::{Archive, main_of};

/// The `basic` fixture, built once for every test here.
static BASIC: LazyLock<Archive> = LazyLock::new(|| {
    let archive = Archive::fixture("basic");
    let mut site = Site::open(archive.root()).unwrap();
    site.build_date = jiff::civil::date(2025, 1, 1);
    site.build(&BuildOptions::default()).unwrap();
    archive
});

fn main_of_page(rel: &str) -> String {
    main_of(&BASIC.read(rel))
}

macro_rules! page_snapshots {
    ($($name:ident => $path:literal,)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(main_of_page($path));
            }
        )*
    };
}

page_snapshots! {
    index => "index.html",
    incident => "incidents/2024-01-10-db-pool/index.html",
    incident_without_front_matter => "incidents/2022-05-05-no-front-matter/index.html",
    services => "services/index.html",
    service => "services/ledger-db/index.html",
    tags => "tags/index.html",
    tag => "tags/database/index.html",
    severities => "severity/index.html",
    severity => "severity/p1/index.html",
    timeline => "timeline/index.html",
    actions => "actions/index.html",
    stats => "stats/index.html",
    graph => "graph/index.html",
    not_found => "404.html",
}
