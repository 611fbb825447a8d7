"""The `symopt` command: parse arguments, call the API, print. Nothing else lives here.

Exit codes (CONTRACT section 2): 0 done; 2 bad input (the message says what and where);
1 anything else, with a one-line message (a traceback only with --debug).
"""

from __future__ import annotations

import argparse
import json
import sys

from symopt.errors import DefinitionError, DimensionError, DomainError, ParseError, SolverError, SymoptError

# A solver misconfiguration (unknown method or option) is bad input too.
BAD_INPUT = (ParseError, DefinitionError, DimensionError, DomainError, SolverError)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (CONTRACT section 3 keys)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symopt", description="Symbolic-numeric analysis of the math of optimization.",
        epilog="An expression that begins with '-' comes after '--': symopt analyze -- \"-x^6\"")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("analyze", help="gradient, Hessian, critical points, convexity")
    p.add_argument("expr", help="an expression or definition, e.g. \"x^3 + y^3 - 3x y\"")
    p.add_argument("--vars", help="variables in order, e.g. x,y (other names are parameters)")
    p.add_argument("--box", help="search box, e.g. \"x=-5..5, y=-5..5\"")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="time budget in seconds for each symbolic step (default 10)")
    _common(p)
    p.set_defaults(run=run_analyze)

    p = sub.add_parser("minimize", help="run an iterative solver on generated numpy code")
    p.add_argument("expr")
    p.add_argument("--from", dest="start", required=True, help="start point, e.g. \"x=-1.2, y=1\"")
    p.add_argument("--method", default="bfgs")
    p.add_argument("--vars")
    p.add_argument("--lr", type=float, help="learning rate (step size) for first-order methods")
    p.add_argument("--tol", type=float, help="stop when ||grad f|| <= tol")
    p.add_argument("--max-iter", type=int, dest="max_iter")
    _common(p)
    p.set_defaults(run=run_minimize)

    p = sub.add_parser("derive", help="gradient and Hessian only")
    p.add_argument("expr")
    p.add_argument("--vars")
    _common(p)
    p.set_defaults(run=run_derive)
    return parser


# -- subcommands -----------------------------------------------------------------------------
def run_analyze(args) -> int:
    import symopt
    result = symopt.analyze(args.expr, box=args.box, variables=args.vars, seconds=args.timeout)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        from symopt.textout import analysis_text
        print(analysis_text(result))
    return 0


def run_derive(args) -> int:
    import symopt
    from symopt.textout import derive_text
    fn = symopt.api.as_scalar_function(args.expr, args.vars)
    grad, hess = fn.gradient(), fn.hessian()
    if args.json:
        print(json.dumps({"variables": [v.name for v in fn.variables], "function": str(fn.expr),
                          "gradient": [str(g) for g in grad],
                          "hessian": [[str(hess[i, j]) for j in range(hess.cols)] for i in range(hess.rows)]},
                         indent=2))
    else:
        print(derive_text(fn, grad, hess))
    return 0


def run_minimize(args) -> int:
    import symopt
    options = {k: v for k, v in (("lr", args.lr), ("tol", args.tol), ("max_iter", args.max_iter))
               if v is not None}
    result = symopt.minimize(args.expr, args.start, method=args.method, variables=args.vars, **options)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        from symopt.textout import minimize_text
        print(minimize_text(result))
    return 0


# -- entry point -----------------------------------------------------------------------------
def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        from symopt.repl import main as repl_main
        return repl_main()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except BAD_INPUT as exc:
        if args.debug:
            raise
        print(f"symopt: error: {exc}", file=sys.stderr)
        return 2
    except SymoptError as exc:
        if args.debug:
            raise
        print(f"symopt: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("symopt: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the contract: one line, traceback only with --debug
        if args.debug:
            raise
        print(f"symopt: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
              " (run with --debug for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
