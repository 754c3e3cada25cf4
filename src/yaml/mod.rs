//! Any YAML: parser events with byte spans, a spanned node tree, and alias/merge
//! resolution with provenance.

pub mod block;
pub mod events;
pub mod resolve;
pub mod tree;

pub use events::{Backend, Comment, CommentPlacement, ScalarStyle};
pub use resolve::{MapEntry, Resolver, YamlVia};
pub use tree::{Node, NodeId, NodeKind, Tree, TreeIssue};
