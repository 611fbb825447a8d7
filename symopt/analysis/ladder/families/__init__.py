"""The families rung: positive-dimensional components of polynomial critical sets."""
