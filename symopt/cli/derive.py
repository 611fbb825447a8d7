"""`symopt derive EXPR`: the exact gradient and Hessian only."""

from __future__ import annotations

import json

from symopt.cli.common import Subcommand


def _arguments(p) -> None:
    p.add_argument("expr")
    p.add_argument("--vars")


def _run(args) -> int:
    from symopt.api import as_scalar_function
    from symopt.textout import derive_text
    fn = as_scalar_function(args.expr, args.vars)
    grad, hess = fn.gradient(), fn.hessian()
    if args.json:
        print(json.dumps({"variables": [v.name for v in fn.variables], "function": str(fn.expr),
                          "gradient": [str(g) for g in grad],
                          "hessian": [[str(hess[i, j]) for j in range(hess.cols)]
                                      for i in range(hess.rows)]}, indent=2))
    else:
        print(derive_text(fn, grad, hess))
    return 0


COMMAND = Subcommand("derive", "gradient and Hessian only", _arguments, _run)
