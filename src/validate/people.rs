//! Action items written as meeting notes write them, the owner first:
//! "Alice to add alerting on queue depth". A capitalised word before "to"
//! is no owner by itself ("Migrate to Postgres 16", "Move to the new
//! cluster"): only a person the archive knows is, an author of some
//! write-up or the owner of some action item. Runs after typing, when every
//! incident's people are known, and before the lints ask who owns what.

use std::collections::HashSet;

use crate::model::Incident;

/// Gives each action item without an owner the person its text opens
/// with, when the archive knows that person (see the module's comment).
pub(super) fn owners_named_first(incidents: &mut [Incident]) {
    if incidents.iter().flat_map(|i| &i.action_items).all(|a| a.owner.is_some()) {
        return;
    }
    let mut people: HashSet<String> = HashSet::new();
    for incident in incidents.iter() {
        for author in &incident.authors {
            people.insert(author.to_lowercase());
            // "Alice Ortiz" writes her own items as "Alice to …".
            if let Some(first) = author.split_whitespace().next() {
                people.insert(first.to_lowercase());
            }
        }
        let owners = incident.action_items.iter().filter_map(|a| a.owner.as_deref());
        people.extend(owners.map(str::to_lowercase));
    }
    for incident in incidents.iter_mut() {
        for item in incident.action_items.iter_mut().filter(|a| a.owner.is_none()) {
            let named = named_first(&item.action).filter(|n| people.contains(&n.to_lowercase()));
            if let Some(name) = named {
                item.owner = Some(name.to_string());
            }
        }
    }
}

/// The one or two capitalised words an action opens with before " to "
/// and a lower-case word: "Alice to add …", "Sam Ortiz to write …".
fn named_first(action: &str) -> Option<&str> {
    let (head, rest) = action.split_once(" to ")?;
    let verb = rest.split_whitespace().next()?;
    (head.split_whitespace().count() <= 2
        && crate::markdown::is_name(head)
        && verb.chars().next().is_some_and(char::is_lowercase))
    .then(|| head.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_then_to_and_a_verb_opens_the_action() {
        assert_eq!(named_first("Alice to add alerting on queue depth"), Some("Alice"));
        assert_eq!(named_first("Sam Ortiz to write the runbook"), Some("Sam Ortiz"));
        for other in [
            "Migrate to Postgres 16",
            "Add alerting to the queue",
            "The on-call team to review",
            "alice to add alerting",
            "Alice to",
        ] {
            assert_eq!(named_first(other), None, "{other}");
        }
        // "Move to the new cluster" reads as a name: only a known person is one.
        assert_eq!(named_first("Move to the new cluster"), Some("Move"));
    }
}
