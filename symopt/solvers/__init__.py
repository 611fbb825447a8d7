"""Floor 3: iterative solvers: small (init, step) objects run by one loop."""
