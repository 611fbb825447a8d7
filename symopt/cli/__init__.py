"""The `symopt` command: parse arguments, call the API, print. Nothing else lives here.

Each subcommand is a module of this package exposing `COMMAND` (a `Subcommand`); `SUBCOMMANDS`
lists them in the order `symopt --help` shows them. Exit codes (CONTRACT section 2): 0 done;
2 bad input (the message says what and where); 1 anything else, with a one-line message
(a traceback only with --debug).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from symopt.cli.common import run_guarded

#: Subcommand modules, in the order of `symopt --help`.
SUBCOMMANDS = ("analyze", "derive", "minimize")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symopt", description="Symbolic-numeric analysis of the math of optimization.",
        epilog="An expression that begins with '-' comes after '--': symopt analyze -- \"-x^6\"")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"symopt.cli.{name}").COMMAND.register(sub)
    return parser


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
    return run_guarded(args)


if __name__ == "__main__":
    sys.exit(main())
