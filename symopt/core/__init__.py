"""Floor 1: objects (Function, Problem), the custom SymPy functions, and exact calculus."""
