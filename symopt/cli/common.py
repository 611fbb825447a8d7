"""What every subcommand shares: the `Subcommand` record, common options, error -> exit code."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Callable

from symopt.errors import (DefinitionError, DimensionError, DomainError, ParseError, SolverError,
                           SymoptError)

# A solver misconfiguration (unknown method or option) is bad input too.
BAD_INPUT = (ParseError, DefinitionError, DimensionError, DomainError, SolverError)


@dataclass(frozen=True)
class Subcommand:
    """One `symopt NAME ...`: `arguments(parser)` adds its options, `run(args)` returns the exit code."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None

    def register(self, sub) -> None:
        p = sub.add_parser(self.name, help=self.help, description=self.description or self.help,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        self.arguments(p)
        common_options(p)
        p.set_defaults(run=self.run)


def common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (CONTRACT section 3 keys)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def run_guarded(args) -> int:
    """args.run(args), with the contract's exit codes and one-line messages."""
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
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"symopt: internal error: {type(exc).__name__}: {first}"
              " (run with --debug for the traceback)", file=sys.stderr)
        return 1
