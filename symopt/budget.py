"""Time budgets for symbolic steps that can blow up (solve, Groebner bases, simplify).

`with budget("groebner", 5.0): ...` raises `BudgetExceeded("groebner", 5.0)` inside the block
when the time is up. In the main thread this uses SIGALRM (ITIMER_REAL), which interrupts pure
Python code such as SymPy's; budgets nest (the inner deadline never outlives the outer one).
Off the main thread, or where SIGALRM is missing, the block runs unbounded but `check()` calls
inside long loops still enforce the deadline cooperatively.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from symopt.errors import BudgetExceeded

#: Default budget for one symbolic step, seconds (the CLI's --timeout changes it).
DEFAULT_SECONDS = 10.0

_deadlines: list[tuple[float, str, float]] = []  # (deadline, step, seconds), innermost last


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def remaining() -> float:
    """Seconds left in the innermost budget (inf when none is running)."""
    if not _deadlines:
        return float("inf")
    return min(d for d, _, _ in _deadlines) - time.monotonic()


def check() -> None:
    """Raise BudgetExceeded if the innermost budget has run out (cooperative check)."""
    now = time.monotonic()
    for deadline, step, seconds in reversed(_deadlines):
        if now >= deadline:
            raise BudgetExceeded(step, seconds)


def _on_alarm(signum, frame):
    now = time.monotonic()
    for deadline, step, seconds in reversed(_deadlines):
        if now >= deadline:
            # Re-arm a short timer first: Python discards exceptions raised inside some
            # callbacks (garbage-collector hooks, __del__), and the block must not then run on
            # unbounded. Leaving the budget block disarms the timer.
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            raise BudgetExceeded(step, seconds)
    _arm()  # spurious wake-up (an outer budget's timer): re-arm for the nearest deadline


def _arm() -> None:
    if not _deadlines:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = max(remaining(), 1e-4)
    signal.setitimer(signal.ITIMER_REAL, left)


@contextlib.contextmanager
def budget(step: str, seconds: float | None = None):
    """Run the block under a time budget of `seconds` (DEFAULT_SECONDS when None)."""
    seconds = DEFAULT_SECONDS if seconds is None else float(seconds)
    deadline = time.monotonic() + seconds
    use_alarm = _can_alarm()
    previous_handler = None
    if use_alarm and not _deadlines:
        previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append((deadline, step, seconds))
    try:
        if use_alarm:
            _arm()
        yield
    finally:
        _deadlines.pop()
        if use_alarm:
            _arm()
            if not _deadlines and previous_handler is not None:
                signal.signal(signal.SIGALRM, previous_handler)


def run(step: str, seconds: float | None, fn, *args, **kwargs):
    """fn(*args, **kwargs) under `budget(step, seconds)`."""
    with budget(step, seconds):
        return fn(*args, **kwargs)
