"""Hand-written numpy objectives for the solver tests (no dependence on codegen)."""

import numpy as np


class Quadratic:
    """f(x) = 1/2 x'Ax - b'x + c, gradient Ax - b, Hessian A."""

    def __init__(self, A, b=None, c=0.0):
        self.A = np.asarray(A, dtype=float)
        self.b = np.zeros(len(self.A)) if b is None else np.asarray(b, dtype=float)
        self.c = float(c)

    def __call__(self, x):
        return 0.5 * x @ self.A @ x - self.b @ x + self.c

    def gradient(self, x):
        return self.A @ x - self.b

    def hessian(self, x):
        return self.A

    def minimizer(self):
        return np.linalg.solve(self.A, self.b)


class LeastSquares(Quadratic):
    """f(x) = 1/2 ||Ax - b||^2 (chapter eq. 4.21): gradient A'Ax - A'b (eq. 4.22)."""

    def __init__(self, A, b):
        A = np.asarray(A, dtype=float)
        b = np.asarray(b, dtype=float)
        super().__init__(A.T @ A, A.T @ b, 0.5 * b @ b)
        self.design, self.target = A, b


class Rosenbrock:
    """Extended Rosenbrock: sum over pairs 100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2."""

    def __call__(self, x):
        a, b = x[0::2], x[1::2]
        return float(np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2))

    def gradient(self, x):
        a, b = x[0::2], x[1::2]
        g = np.empty_like(x)
        g[0::2] = -400.0 * a * (b - a * a) - 2.0 * (1.0 - a)
        g[1::2] = 200.0 * (b - a * a)
        return g

    def hessian(self, x):
        n = len(x)
        h = np.zeros((n, n))
        a, b = x[0::2], x[1::2]
        i = np.arange(0, n, 2)
        h[i, i] = 1200.0 * a * a - 400.0 * b + 2.0
        h[i, i + 1] = h[i + 1, i] = -400.0 * a
        h[i + 1, i + 1] = 200.0
        return h


class Plane:
    """f(x) = c'x: constant gradient c (the lecture's terminal-velocity example)."""

    def __init__(self, c):
        self.c = np.asarray(c, dtype=float)

    def __call__(self, x):
        return float(self.c @ x)

    def gradient(self, x):
        return self.c.copy()

    def hessian(self, x):
        return np.zeros((len(self.c), len(self.c)))
