"""Floor 2: stabilizing rewrite rules and numpy code generation."""
