"""Classification of a critical point: the second-derivative test (exact and certified-numeric) and the higher-order tests for degenerate points."""
