#!/usr/bin/env bash
# Grows each markdown and front-matter construct (links, headings, list
# items, table rows and columns, nesting, footnotes, code blocks, keys, ...)
# from N to 4N copies in one file, builds each, and prints the time ratio:
# about 4x for a linear stage, 16x for a quadratic one. Fails when a ratio
# is over 5x. See tests/it/scaling.rs and issue 26.
#
#   scripts/scaling.sh               # every construct
#   scripts/scaling.sh "wiki links"  # the constructs whose name contains it
set -euo pipefail
cd "$(dirname "$0")/.."
SCALING_ONLY="${1:-}" nice -n 5 cargo test --quiet --test it scaling -- \
  --ignored --nocapture --test-threads 1
