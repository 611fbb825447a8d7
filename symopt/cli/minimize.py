"""`symopt minimize EXPR --from P`: an iterative solver on generated numpy code."""

from __future__ import annotations

import json

from symopt.cli.common import Subcommand


def _arguments(p) -> None:
    p.add_argument("expr")
    p.add_argument("--from", dest="start", required=True, help="start point, e.g. \"x=-1.2, y=1\"")
    p.add_argument("--method", default="bfgs")
    p.add_argument("--vars")
    p.add_argument("--lr", type=float, help="learning rate (step size) for first-order methods")
    p.add_argument("--tol", type=float, help="stop when ||grad f|| <= tol")
    p.add_argument("--max-iter", type=int, dest="max_iter")


def _run(args) -> int:
    import symopt
    options = {k: v for k, v in (("lr", args.lr), ("tol", args.tol), ("max_iter", args.max_iter))
               if v is not None}
    result = symopt.minimize(args.expr, args.start, method=args.method, variables=args.vars,
                             **options)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        from symopt.textout import minimize_text
        print(minimize_text(result))
    return 0


COMMAND = Subcommand("minimize", "run an iterative solver on generated numpy code", _arguments, _run)
