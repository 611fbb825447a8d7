"""`compile_function`: f, its gradient and its Hessian as vectorized, stabilized numpy code.

    c = compile_function(f, variables=None, stabilize=True, check=True)
    c(X), c.gradient(X), c.hessian(X), c.value_and_grad(X)

X has shape (n,) or (..., n); outputs have shapes (...), (..., n), (..., n, n). The derivatives
are exact trees (eq. 4.6: H_ij = d^2 f / dx_i dx_j, symmetric by eq. 4.7) differentiated from
the stabilized f and stabilized again, so derivatives are stable too (d logsumexp / dx_i is the
softmax weight exp(x_i - logsumexp(x)), evaluated with the max shift). The Hessian is
differentiated and compiled on its first use. One-point calls run generated math-module code on
Python floats when an operation count says it is cheaper; batches (and large n) run numpy code,
where sums of shift-equal terms become slice code (see `structure`).

check=True (default): a non-finite output raises EvaluationError naming the output (f, gradient
entry i, Hessian entry (i, j)), the first bad point and what happened. check=False skips the
test (solvers that check finiteness themselves); non-finite values are then returned as is.
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from symopt.codegen.emit import Outputs, array_source, scalar_cost_bound, scalar_source
from symopt.codegen.numeric import NUMPY_HELPERS, PYTHON_HELPERS
from symopt.codegen.stabilize import stabilize as stabilize_tree
from symopt.codegen.structure import MIN_RUN
from symopt.core.functions import CUSTOM_FUNCTIONS
from symopt.budget import DEFAULT_SECONDS, budget
from symopt.errors import BudgetExceeded, DefinitionError, DimensionError, EvaluationError

_KINDS = ("f", "gradient", "hessian", "value_and_grad")
_SCALAR_EXCEPTIONS = (ArithmeticError, ValueError)


def _normalize(f, variables):
    from symopt.core.objects import Function
    from symopt.core.symbols import as_real, sorted_variables
    if isinstance(f, Function):
        expr, variables = f.expr, (f.variables if variables is None else variables)
    elif isinstance(f, (sp.Basic, sp.MatrixBase)):
        expr = f
    elif isinstance(f, (int, float)):
        expr = sp.sympify(f, strict=True)
    else:
        raise DefinitionError(f"compile_function needs a SymPy expression or a symopt Function, "
                              f"got {type(f).__name__}")
    if isinstance(expr, sp.MatrixBase):
        raise DimensionError("compile_function compiles a scalar f; got a "
                             f"{expr.shape[0]}x{expr.shape[1]} matrix")
    expr = as_real(expr)
    variables = sorted_variables(expr.free_symbols) if variables is None \
        else tuple(as_real(v) for v in variables)
    extra = expr.free_symbols - set(variables)
    if extra:
        names = ", ".join(sorted(s.name for s in extra))
        raise DefinitionError(f"f has free names that are not variables: {names} "
                              "(substitute values for parameters before compiling)")
    return expr, tuple(variables)


def _engine_and_gradient(expr, variables):
    """Exact gradient entries from the core's sparsity-aware engine (nested lists: no dense
    n x n SymPy matrix to build and read back, which dominates at n = 1000); the engine is
    kept for the Hessian, whose sub-derivatives it caches. symopt.core.calculus wraps it."""
    from symopt.core.differentiation import Differentiator, gradient_entries
    engine = Differentiator()
    return engine, gradient_entries(expr, variables, engine)


def _hessian_upper(engine, grad, variables):
    """The nonzero upper-triangle Hessian entries {(i, j): d2f/dx_i dx_j}, i <= j (eq. 4.7)."""
    from symopt.core.differentiation import hessian_entries
    rows = hessian_entries(grad, variables, engine)
    zero = sp.S.Zero
    return {(i, j): entry for i, row in enumerate(rows) for j, entry in enumerate(row)
            if j >= i and entry is not zero and entry != 0}


def _naive(expr):
    """The textbook definitions of the custom nodes, for stabilize=False."""
    return expr.rewrite(sp.exp) if expr.has(*CUSTOM_FUNCTIONS.values()) else expr


def _describe_point(variables, x) -> str:
    return ", ".join(f"{v.name}={float(val)!r}" for v, val in zip(variables, x))


class CompiledFunction:
    """Compiled f with gradient and Hessian. `source` shows the generated code."""

    def __init__(self, expr, variables, stabilized: bool, check: bool, force_path=None,
                 seconds: float | None = None):
        t0 = time.perf_counter()
        self.expr = expr
        self.variables = variables
        self.n = len(variables)
        self._seconds = seconds
        self.stabilized = stabilized
        self.check = check
        self.notes: list[str] = []
        self._force_path = force_path
        self._trace: list[str] = []
        f = self._stable(expr) if stabilized else expr
        with budget("differentiate for codegen", 3 * DEFAULT_SECONDS):
            self._engine, grad = _engine_and_gradient(f, variables)
        grad = [self._stable(g) for g in grad] if stabilized else [_naive(g) for g in grad]
        self._hessian_source_f = f
        f = f if stabilized else _naive(f)
        self.f_expr, self.gradient_exprs = f, grad
        self._hessian = None  # (entries, flat order, upper flat order): built on first use
        self._array, self._scalar, self._sources = {}, {}, []
        self._generate({"f": Outputs(f=f), "gradient": Outputs(gradient=grad, structure_of=f),
                        "value_and_grad": Outputs(f=f, gradient=grad, structure_of=f)}, None)
        self.compile_seconds = time.perf_counter() - t0
        self._frozen = True

    @property
    def rules_applied(self) -> tuple[str, ...]:
        """Names of the stabilizing rules that fired (f, gradient, Hessian once compiled)."""
        return tuple(dict.fromkeys(self._trace))

    @property
    def source(self) -> str:
        """The generated Python source (the Hessian's appears once it is compiled)."""
        return "\n".join(self._sources)

    @property
    def hessian_exprs(self) -> dict:
        """{(i, j): exact stabilized d2f/dx_i dx_j} for the nonzero entries with i <= j."""
        return self._ensure_hessian()[0]

    def _ensure_hessian(self):
        """Differentiate, stabilize and compile the Hessian on first use: gradient-only
        solvers never pay for it (a dense n = 100 Hessian has 5050 entries)."""
        if self._hessian is None:
            t0 = time.perf_counter()
            n = self.n
            with budget("differentiate for codegen", 3 * DEFAULT_SECONDS):
                hess = _hessian_upper(self._engine, self._gradient_before_stabilizing(),
                                      self.variables)
            if self.stabilized:
                hess = {k: self._stable(h) for k, h in hess.items()}
                hess = {k: h for k, h in hess.items() if h != 0}
            else:
                hess = {k: _naive(h) for k, h in hess.items()}
            order = sorted(hess) + sorted((j, i) for (i, j) in hess if i != j)
            flat = np.array([i * n + j for i, j in order], dtype=np.intp)
            object.__setattr__(self, "_hessian", (hess, flat, flat[:len(hess)]))
            self._generate({"hessian": Outputs(hessian=hess)}, order)
            object.__setattr__(self, "hessian_compile_seconds", time.perf_counter() - t0)
        return self._hessian

    def _gradient_before_stabilizing(self):
        from symopt.core.differentiation import gradient_entries
        return gradient_entries(self._hessian_source_f, self.variables, self._engine)

    def _generate(self, specs, order):
        variables, force_path = self.variables, self._force_path
        vectorize = self.n >= MIN_RUN
        try:
            for kind, spec in specs.items():
                gen = array_source(f"_{kind}_array", variables, spec, vectorize)
                self._array[kind] = self._exec(gen, f"_{kind}_array", NUMPY_HELPERS)
                self._sources.append(gen.source)
                if force_path == "array" or (force_path is None
                                             and scalar_cost_bound(spec, order) > 3 * gen.cost):
                    continue  # the math-module code cannot win: do not spend time on it
                sgen = scalar_source(f"_{kind}_scalar", variables, spec, order)
                if force_path == "scalar" or sgen.cost < gen.cost:
                    self._scalar[kind] = self._exec(sgen, f"_{kind}_scalar", PYTHON_HELPERS)
                    self._sources.append(sgen.source)
        except PrintMethodNotImplementedError as exc:
            raise DefinitionError(f"no numpy code for a function in f: {exc}".split("\n")[0]) \
                from exc

    def _stable(self, expr):
        """The stabilized tree; when stabilizing runs out of time, the tree as given (and a
        note saying so): correct in exact arithmetic, only less robust in floating point."""
        try:
            return stabilize_tree(expr, seconds=self._seconds, trace=self._trace)
        except BudgetExceeded as exc:
            self.notes.append(f"{exc}: this expression was compiled without stabilization")
            return expr

    @staticmethod
    def _exec(gen, name, helpers):
        namespace = {"numpy": np, "functools": functools, **vars(math), **helpers,
                     **gen.constants}
        code = compile(gen.source, f"<symopt generated {name}>", "exec")
        exec(code, namespace)  # noqa: S102 - our own generated source, never user text
        fn = namespace[name]
        # numpy may not warn: non-finite outputs are reported by _verify (decorator form of
        # errstate: half the cost of a with-block per call)
        return np.errstate(all="ignore")(fn) if helpers is NUMPY_HELPERS else fn

    def __setattr__(self, name, value):
        if getattr(self, "_frozen", False):
            raise AttributeError(f"CompiledFunction is read-only (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        names = ", ".join(v.name for v in self.variables)
        mode = "stabilized" if self.stabilized else "naive"
        return f"CompiledFunction(({names}) -> {self.f_expr}, {mode}, check={self.check})"

    def _repr_latex_(self) -> str:
        names = ", ".join(sp.latex(v) for v in self.variables)
        return (f"$\\displaystyle f\\left({names}\\right) = {sp.latex(self.f_expr)}$"
                f" (compiled, {'stabilized' if self.stabilized else 'naive'})")

    def to_dict(self) -> dict:
        return {"variables": [v.name for v in self.variables], "function": str(self.expr),
                "compiled": str(self.f_expr), "stabilized": self.stabilized,
                "rules_applied": list(self.rules_applied), "check": self.check,
                "one_point_math_code": sorted(self._scalar),
                "hessian_nonzeros": None if self._hessian is None else len(self._hessian[0]),
                "notes": list(self.notes),
                "compile_seconds": self.compile_seconds}

    # -- evaluation ------------------------------------------------------------------------
    def _input(self, X):
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise DimensionError(f"points must be arrays of real numbers: {exc}") from None
        if X.ndim == 0 or X.shape[-1] != self.n:
            raise DimensionError(f"expected points with {self.n} coordinates "
                                 f"({', '.join(v.name for v in self.variables)}), "
                                 f"got an array of shape {X.shape}")
        return X

    def _run(self, kind, X):
        X = self._input(X)
        if X.ndim == 1 and kind in self._scalar:
            try:
                return self._pack(kind, self._scalar[kind](X), X)
            except _SCALAR_EXCEPTIONS:
                pass  # math raised (overflow, log(0), ...): numpy semantics decide below
        out = self._array[kind](X)
        batch = X.shape[:-1]
        if kind == "value_and_grad":
            f, g = out
            f = self._shape_f(f, batch)
            if self.check:
                self._screen("f", f, X)
                self._screen("gradient", g, X)
            return f, g
        if kind == "f":
            out = self._shape_f(out, batch)
        if self.check:
            self._screen(kind, out, X)
        return out

    def _screen(self, kind, out, X):
        # cheap screen before the full search: only the structural nonzeros of a Hessian can
        # be non-finite; one point uses a dot product (a non-finite entry spoils the sum of
        # squares; an overflow of the squares only costs the full search), batches isfinite
        # (multithreaded BLAS stalls on a loaded machine)
        nonzeros = self._hessian[2] if kind == "hessian" else None
        if kind == "hessian" and (X.ndim == 1 or 6 * len(nonzeros) < self.n * self.n):
            values = out.reshape(X.shape[:-1] + (self.n * self.n,))[..., nonzeros]
        else:  # a gather costs more than testing a dense-ish Hessian whole
            values = out
        if X.ndim == 1:
            if kind == "f":
                total = values
            else:
                total = values.dot(values)
            if math.isfinite(total):
                return
        elif np.isfinite(values).all():
            return
        self._verify(kind, out, X)

    @staticmethod
    def _shape_f(f, batch):
        if np.shape(f) != batch:
            f = np.broadcast_to(np.asarray(f, dtype=float), batch).copy()
        return float(f) if batch == () else f

    def _pack(self, kind, result, X):
        if kind == "f":
            if self.check and not math.isfinite(result):
                self._verify("f", np.float64(result), X)
            return float(result)
        if kind == "gradient":
            return self._pack_vector(result, X)
        if kind == "hessian":
            H = np.zeros(self.n * self.n)
            if result:
                H[self._hessian[1]] = result
                if self.check:
                    total = sum(result)
                    if total - total != 0:
                        self._verify("hessian", H.reshape(self.n, self.n), X)
            return H.reshape(self.n, self.n)
        f, g = result
        if self.check and not math.isfinite(f):
            self._verify("f", np.float64(f), X)
        return float(f), self._pack_vector(g, X)

    def _pack_vector(self, values, X):
        g = np.array(values, dtype=float)
        if self.check:
            total = sum(values)
            if total - total != 0:  # inf or NaN somewhere (or a harmless overflow of the sum)
                self._verify("gradient", g, X)
        return g

    def _verify(self, kind, out, X):
        bad = ~np.isfinite(out)
        if not bad.any():
            return
        where = tuple(int(k) for k in np.argwhere(bad)[0])
        value = np.asarray(out)[where]
        batch_ndim = X.ndim - 1
        point_index, entry = where[:batch_ndim], where[batch_ndim:]
        names = [v.name for v in self.variables]
        if kind == "f":
            what = "f"
        elif kind == "gradient":
            what = f"gradient entry {entry[0]} (df/d{names[entry[0]]})"
        else:
            i, j = entry
            what = f"Hessian entry ({i}, {j}) (d2f/d{names[i]}d{names[j]})"
        if np.isnan(value):
            happened = ("is NaN: an undefined operation (0/0, inf - inf, 0*inf, log or sqrt "
                        "of a negative number, a derivative at a kink such as |x| at 0) or a "
                        "point outside the domain of f")
        else:
            happened = (f"overflowed to {value}: its value (or an intermediate the stabilizing "
                        "rules could not rewrite) is beyond the float range (about 1.8e308)")
        point = _describe_point(self.variables, X[point_index])
        if not np.isfinite(X[point_index]).all():
            happened += " (the input point itself has a non-finite coordinate)"
        at = f" (batch index {point_index})" if batch_ndim else ""
        raise EvaluationError(f"{what} {happened}; at the point {point}{at}")

    def __call__(self, X):
        """f(X): a float for one point, an array of shape X.shape[:-1] for a batch."""
        return self._run("f", X)

    def gradient(self, X):
        """The gradient, shape (..., n)."""
        return self._run("gradient", X)

    def hessian(self, X):
        """The Hessian (symmetric), shape (..., n, n). Compiled on the first call."""
        if self._hessian is None:
            self._ensure_hessian()
        return self._run("hessian", X)

    def value_and_grad(self, X):
        """(f(X), gradient(X)) computed in one pass with shared subexpressions."""
        return self._run("value_and_grad", X)


def compile_function(f, variables=None, stabilize: bool = True, check: bool = True,
                     path: str | None = None, seconds: float | None = None) -> CompiledFunction:
    """Compile f (a SymPy expression or symopt Function) to numpy code.

    stabilize: apply the rewrite rules of `symopt.codegen.rules` first (False gives the naive
    code, for comparison). check: raise EvaluationError on non-finite outputs. path: "scalar"
    forces the math-module code for one-point calls, "array" forces numpy (default: the
    cheaper one by an operation-count estimate). seconds: time budget for stabilizing each
    expression (on timeout the tree as given is compiled, and `c.notes` says so);
    differentiation runs under 3 * DEFAULT_SECONDS and raises BudgetExceeded past it."""
    if path not in (None, "scalar", "array"):
        raise DefinitionError(f"path must be 'scalar', 'array' or None, not {path!r}")
    expr, variables = _normalize(f, variables)
    return CompiledFunction(expr, variables, stabilize, check, force_path=path, seconds=seconds)
