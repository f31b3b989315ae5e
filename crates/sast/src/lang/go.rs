use tree_sitter::Node as TsNode;

use super::Cx;
use crate::ast::NodeId;

pub(super) fn lower(cx: &mut Cx<'_>, n: TsNode<'_>) -> NodeId {
    cx.opaque(n)
}
