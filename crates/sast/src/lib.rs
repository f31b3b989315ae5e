//! Palisade's static analyser: Semgrep-compatible YAML rules matched on tree-sitter trees lowered
//! into one generic AST.
//!
//! Pure library: bytes in, findings out. The engine walks files and calls [`SastScanner::scan`]
//! from many threads; the CLI loads rules with [`RuleSet::load`] and runs rule tests with
//! [`testing::run`].

mod ast;
mod deadline;
mod docs;
mod fix;
mod lang;
mod matcher;
mod pattern;
mod prefilter;
mod rule;
mod ruleset;
mod scanner;
mod taint;
pub mod testing;
mod yaml;

pub use docs::rule_docs;
pub use lang::Language;
pub use rule::{RuleLoadError, RuleSource};
pub use ruleset::RuleSet;
pub use scanner::{Limits, SastError, SastScanner};
