"""Readable plain-text renderings for the command line and the REPL."""

from __future__ import annotations

import sympy as sp


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    lines = [fmt.format(*header), fmt.format(*["-" * w for w in widths])]
    lines += [fmt.format(*[str(c) for c in r]) for r in rows]
    return "\n".join("  " + line.rstrip() for line in lines)


def _short(value, limit: int = 48) -> str:
    text = str(value)
    if len(text) <= limit:
        return text
    try:
        return f"{float(sp.N(value, 12)):.10g}"
    except (TypeError, ValueError):
        return text[: limit - 3] + "..."


def _matrix_text(m) -> str:
    rows = ["[" + ", ".join(str(m[i, j]) for j in range(m.cols)) + "]" for i in range(m.rows)]
    return "[" + ",\n             ".join(rows) + "]"


def derive_text(fn, grad, hess) -> str:
    names = ", ".join(v.name for v in fn.variables)
    return "\n".join([
        f"function:    {fn.expr}",
        f"variables:   {names}",
        f"gradient:    [{', '.join(str(g) for g in grad)}]",
        f"Hessian:     {_matrix_text(hess)}",
    ])


def analysis_text(result) -> str:
    crit = result.critical
    fn = result.function
    out = [derive_text(fn, crit.gradient, crit.hessian), ""]
    if crit.box:
        out.append("box:         " + ", ".join(f"{v}={lo}..{hi}" for v, (lo, hi) in crit.box.items()))
    status = "proven complete" if crit.complete else "NOT proven complete"
    cases = getattr(crit, "cases", ())
    count = f"{len(crit.points)}" + (f" (plus {len(cases)} parametric case(s))" if cases else "")
    out.append(f"critical points: {count} ({status})")
    if crit.points:
        rows = []
        for i, p in enumerate(crit.points, 1):
            c = p.classification
            point = ", ".join(f"{v}={_short(x, 24)}" for v, x in p.point.items())
            approx = ", ".join("?" if a is None else f"{a:.6g}" for a in p.approx.values())
            extremum = c.kind.value in ("minimum", "maximum")
            kind = c.kind.value + (" (non-strict)" if extremum and c.strict is False else "")
            eig = ", ".join(_short(e, 16) for e in c.eigenvalues)
            rows.append([i, point, f"({approx})", _short(c.value, 20), kind, eig, c.test, p.method])
        out.append(_table(rows, ["#", "point", "approx", "f", "kind", "eigenvalues", "test", "method"]))
    for fam in crit.families:
        out.append(f"family: {fam.description} (dimension {fam.dimension}): {fam.kind.value}"
                   + (f" - {fam.reason}" if fam.reason else ""))
    for s in crit.singular:
        out.append("excluded (gradient undefined): " + ", ".join(f"{v}={x}" for v, x in s.items()))
    for case in cases:
        items = []
        for p in case.points:
            c = p.classification
            kind = c.kind.value + (" (non-strict)" if c.strict is False else "")
            items.append(", ".join(f"{v} = {x}" for v, x in p.point.items()) + f": {kind}")
        items += [f"family {fam.description}: {fam.kind.value}" for fam in case.families]
        tail = "" if case.complete else " (not proven complete)"
        cond = "all parameter values" if case.condition is sp.true else case.condition
        empty = "no critical point" if case.complete else "not analysed"
        out.append(f"case {cond}: " + ("; ".join(items) or empty) + tail)
    conv = result.to_dict()["convexity"]
    out.append("")
    out.append(f"convexity: {conv['verdict']}" + (f" - {conv.get('reason')}" if conv.get("reason") else ""))
    if conv.get("witness") and not conv.get("reason"):  # the reason already cites the witness
        out.append(f"  witness: {conv['witness']}")
    conditioning = [p for p in crit.points if p.classification.condition_number is not None]
    if conditioning:
        out.append("")
        out.append("conditioning at the critical points (eq. 4.2):")
        rows = []
        for i, p in enumerate(crit.points, 1):
            c = p.classification
            if c.condition_number is None:
                continue
            rows.append([i, _short(c.condition_number, 14),
                         *("-" if v is None else _short(v, 14)   # step figures: minima only
                           for v in (c.max_stable_step, c.contraction))])
        out.append(_table(rows, ["#", "kappa", "2/lambda_max", "GD contraction"]))
    if crit.method_trail or crit.notes:
        out.append("")
        out.extend(f"how: {t}" for t in crit.method_trail)
        out.extend(f"note: {n}" for n in crit.notes)
    return "\n".join(out)


def minimize_text(result) -> str:
    d = result.to_dict()
    x = d.get("x")
    if isinstance(x, dict):
        xs = ", ".join(f"{k}={v:.10g}" for k, v in x.items())
    else:
        xs = str(x)
    lines = [f"method:      {d.get('method')}",
             f"status:      {d.get('status')} ({d.get('message')})",
             f"x:           {xs}",
             f"f(x):        {d.get('fun')}",
             f"||grad f||:  {d.get('grad_norm')}",
             f"iterations:  {d.get('nit')}   f evaluations: {d.get('nfev')}"]
    diag = d.get("diagnostics") or {}
    labels = [("hessian_eigenvalues_approx", "Hessian eigenvalues at x (approx.)"),
              ("condition_number_approx", "condition number kappa (eq. 4.2, approx.)"),
              ("step_bound_approx", "largest stable GD step 2/lambda_max (approx.)"),
              ("step_stable", "the constant step was stable at x (0 < lr*lambda < 2)"),
              ("step_stable_at_start", "... and at the start")]
    for key, label in labels:
        value = diag.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            value = ", ".join(f"{v:.6g}" for v in value)
        elif isinstance(value, float):
            value = f"{value:.6g}"
        lines.append(f"{label}: {value}")
    lines.extend(f"note: {n}" for n in diag.get("notes") or [])
    return "\n".join(lines)
