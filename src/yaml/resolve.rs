//! Alias dereferencing and merge keys (`<<: *a`, `<<: [*a, *b]`) with provenance,
//! under an expansion budget so an alias bomb is cut off instead of expanded.

use std::cell::{Cell, RefCell};
use std::collections::hash_map::{Entry, HashMap};

use super::events::ScalarStyle;
use super::tree::{NodeId, NodeKind, Tree};
use crate::source::Span;

/// Default number of nodes that following aliases may add to a file.
pub const DEFAULT_EXPANSION_BUDGET: u64 = 1_000_000;

/// How a value reached its place through YAML indirection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "via", rename_all = "kebab-case")]
pub enum YamlVia {
    /// The value was written at an alias `*name` (span of the alias).
    Alias {
        /// Anchor name.
        name: String,
        /// Span of `*name`.
        span: Span,
    },
    /// The entry came through a merge key; `key` is the `<<` key's span and
    /// `source` the span of the alias or inline mapping it merged.
    Merge {
        /// Span of the `<<` key.
        key: Span,
        /// Span of the merged alias or mapping.
        source: Span,
    },
}

/// A mapping entry after merge keys are applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEntry {
    /// The key node (dereferenced).
    pub key: NodeId,
    /// The value node (dereferenced).
    pub value: NodeId,
    /// Indirections the entry went through, outermost first.
    pub via: Vec<YamlVia>,
}

/// A problem found while resolving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveIssue {
    /// Following aliases exceeded the budget at this alias.
    BudgetExceeded { span: Span, budget: u64 },
    /// A merge key whose value is not a mapping or a list of mappings.
    BadMerge { span: Span },
}

/// A mapping key as merging compares it.
#[derive(PartialEq, Eq, Hash)]
enum KeyOf<'t> {
    Scalar(&'t str),
    Node(NodeId),
}

/// Read access to a [`Tree`] with aliases followed and merge keys applied.
pub struct Resolver<'t> {
    tree: &'t Tree,
    budget: u64,
    spent: Cell<u64>,
    issues: RefCell<Vec<ResolveIssue>>,
}

impl<'t> Resolver<'t> {
    /// A resolver with the default budget.
    pub fn new(tree: &'t Tree) -> Self {
        Self::with_budget(tree, DEFAULT_EXPANSION_BUDGET)
    }

    /// A resolver allowing aliases to add at most `budget` nodes in total.
    pub fn with_budget(tree: &'t Tree, budget: u64) -> Self {
        Resolver {
            tree,
            budget,
            spent: Cell::new(0),
            issues: RefCell::new(Vec::new()),
        }
    }

    /// The underlying tree.
    pub fn tree(&self) -> &'t Tree {
        self.tree
    }

    /// Issues found so far (each span once).
    pub fn take_issues(&self) -> Vec<ResolveIssue> {
        std::mem::take(&mut *self.issues.borrow_mut())
    }

    fn issue(&self, issue: ResolveIssue) {
        let mut issues = self.issues.borrow_mut();
        if !issues.contains(&issue) {
            issues.push(issue);
        }
    }

    /// Follows `id` if it is an alias, charging the budget. `None` for an undefined
    /// alias or when the budget is spent. The `YamlVia::Alias` is pushed to `via`.
    pub fn deref(&self, id: NodeId, via: &mut Vec<YamlVia>) -> Option<NodeId> {
        let node = self.tree.node(id);
        let NodeKind::Alias(alias) = &node.kind else {
            return Some(id);
        };
        let (name, target) = (&alias.name, alias.target?);
        let cost = self.tree.expanded_size(target);
        let spent = self.spent.get().saturating_add(cost);
        if spent > self.budget {
            // Reported once, at the first alias past the budget.
            if self.spent.get() <= self.budget {
                self.issue(ResolveIssue::BudgetExceeded {
                    span: node.span(),
                    budget: self.budget,
                });
                self.spent.set(spent);
            }
            return None;
        }
        self.spent.set(spent);
        via.push(YamlVia::Alias {
            name: name.clone(),
            span: node.span(),
        });
        Some(target)
    }

    /// Whether `key` is a merge key (`<<` written plain, untagged).
    pub fn is_merge_key(&self, key: NodeId) -> bool {
        let n = self.tree.node(key);
        matches!(&n.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain } if &**value == "<<")
            && n.tag().is_none()
    }

    /// Entries of mapping `map` with merge keys applied: explicit keys first, in
    /// source order (a duplicate key keeps its last value, which is reported
    /// elsewhere), then keys brought by `<<` sources, the first source winning.
    pub fn entries(&self, map: NodeId) -> Vec<MapEntry> {
        self.entries_depth(map, 0)
    }

    fn entries_depth(&self, map: NodeId, depth: usize) -> Vec<MapEntry> {
        let NodeKind::Mapping { entries, .. } = &self.tree.node(map).kind else {
            return Vec::new();
        };
        let mut out: Vec<MapEntry> = Vec::with_capacity(entries.len());
        // where each key is in `out`, so large mappings stay linear
        let mut index: HashMap<KeyOf<'_>, usize> = HashMap::with_capacity(entries.len());
        let mut merges = Vec::new();
        for e in entries {
            if self.is_merge_key(e.key) {
                merges.push(*e);
                continue;
            }
            let mut via = Vec::new();
            let Some(key) = self.deref(e.key, &mut Vec::new()) else {
                continue;
            };
            let Some(value) = self.deref(e.value, &mut via) else {
                continue;
            };
            let entry = MapEntry { key, value, via };
            match index.entry(self.key_of(key)) {
                Entry::Occupied(at) => out[*at.get()] = entry,
                Entry::Vacant(slot) => {
                    slot.insert(out.len());
                    out.push(entry);
                }
            }
        }
        if depth > 64 {
            return out;
        }
        for m in merges {
            let key_span = self.tree.node(m.key).span();
            let mut via = Vec::new();
            let Some(source) = self.deref(m.value, &mut via) else {
                continue;
            };
            let sources: Vec<(NodeId, Span)> = match &self.tree.node(source).kind {
                NodeKind::Mapping { .. } => vec![(source, self.tree.node(m.value).span())],
                NodeKind::Sequence { items, .. } => {
                    let mut list = Vec::new();
                    for &item in items {
                        let item_span = self.tree.node(item).span();
                        match self.deref(item, &mut Vec::new()) {
                            Some(t)
                                if matches!(self.tree.node(t).kind, NodeKind::Mapping { .. }) =>
                            {
                                list.push((t, item_span))
                            }
                            Some(_) => self.issue(ResolveIssue::BadMerge { span: item_span }),
                            None => {}
                        }
                    }
                    list
                }
                _ => {
                    self.issue(ResolveIssue::BadMerge {
                        span: self.tree.node(m.value).span(),
                    });
                    Vec::new()
                }
            };
            for (src, src_span) in sources {
                for inner in self.entries_depth(src, depth + 1) {
                    let Entry::Vacant(slot) = index.entry(self.key_of(inner.key)) else {
                        continue;
                    };
                    slot.insert(out.len());
                    let mut via = vec![YamlVia::Merge {
                        key: key_span,
                        source: src_span,
                    }];
                    via.extend(inner.via);
                    out.push(MapEntry {
                        key: inner.key,
                        value: inner.value,
                        via,
                    });
                }
            }
        }
        out
    }

    /// What makes two keys the same: equal scalar text, else the same node.
    fn key_of(&self, key: NodeId) -> KeyOf<'t> {
        match self.tree.scalar(key) {
            Some(text) => KeyOf::Scalar(text),
            None => KeyOf::Node(key),
        }
    }

    /// Items of sequence `seq`, each dereferenced, with the alias it came through.
    pub fn items(&self, seq: NodeId) -> Vec<(NodeId, Vec<YamlVia>)> {
        let NodeKind::Sequence { items, .. } = &self.tree.node(seq).kind else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|&i| {
                let mut via = Vec::new();
                self.deref(i, &mut via).map(|t| (t, via))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(r: &Resolver<'_>, map: NodeId) -> Vec<(String, String, usize)> {
        r.entries(map)
            .into_iter()
            .map(|e| {
                (
                    r.tree().scalar(e.key).unwrap_or("?").to_string(),
                    r.tree().scalar(e.value).unwrap_or("<coll>").to_string(),
                    e.via.len(),
                )
            })
            .collect()
    }

    #[test]
    fn explicit_keys_win_and_first_merge_source_wins() {
        let text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 0\n";
        let tree = Tree::parse(text);
        let r = Resolver::new(&tree);
        let root = r.entries(tree.root().unwrap());
        let c = root[2].value;
        assert_eq!(
            keys(&r, c),
            vec![
                ("x".into(), "0".into(), 0),
                ("y".into(), "1".into(), 1),
                ("z".into(), "2".into(), 1)
            ]
        );
    }

    #[test]
    fn alias_bomb_is_cut_off_by_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let tree = Tree::parse(&text);
        let r = Resolver::with_budget(&tree, 10_000);
        let last = r.entries(tree.root().unwrap()).last().unwrap().value;
        // Walking the 10^10-node expansion stops at the budget.
        fn walk(r: &Resolver<'_>, id: NodeId) -> u64 {
            1 + r.items(id).iter().map(|(c, _)| walk(r, *c)).sum::<u64>()
        }
        assert!(walk(&r, last) <= 10_001);
        assert!(matches!(
            r.take_issues().first(),
            Some(ResolveIssue::BudgetExceeded { .. })
        ));
    }
}
