"""The polynomial rung: Groebner bases, the quotient algebra, exact algebraic solutions with a completeness count."""
