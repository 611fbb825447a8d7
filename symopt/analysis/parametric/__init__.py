"""Critical points of functions with symbolic parameters, case by case."""
