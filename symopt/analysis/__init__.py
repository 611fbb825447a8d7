"""Floor 2: critical points, classification, convexity, conditioning; every symbolic step on a budget."""
