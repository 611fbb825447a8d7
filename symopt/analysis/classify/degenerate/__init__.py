"""Higher-order tests at degenerate critical points: Taylor germs, the splitting lemma, Newton polyhedra, exact witnesses."""
