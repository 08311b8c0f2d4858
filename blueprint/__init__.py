"""The service blueprint: model, editor, board, dependency graph and root-cause analysis."""
