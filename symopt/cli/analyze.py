"""`symopt analyze EXPR`: gradient, Hessian, every critical point with its kind, convexity."""

from __future__ import annotations

import json

from symopt.cli.common import Subcommand


def _arguments(p) -> None:
    p.add_argument("expr", help="an expression or definition, e.g. \"x^3 + y^3 - 3x y\"")
    p.add_argument("--vars", help="variables in order, e.g. x,y (other names are parameters)")
    p.add_argument("--box", help="search box, e.g. \"x=-5..5, y=-5..5\"")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="time budget in seconds for each symbolic step (default 10)")


def _run(args) -> int:
    import symopt
    result = symopt.analyze(args.expr, box=args.box, variables=args.vars, seconds=args.timeout)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        from symopt.textout import analysis_text
        print(analysis_text(result))
    return 0


COMMAND = Subcommand("analyze", "gradient, Hessian, critical points, convexity", _arguments, _run)
