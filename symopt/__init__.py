"""symopt: a symbolic-numeric analysis engine for the math of optimization."""

from symopt.errors import ParseError, SymoptError  # noqa: F401

__version__ = "0.1.0"
