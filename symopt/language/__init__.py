"""Floor 2: the language (Lark grammar -> exact SymPy trees) and its printer."""
