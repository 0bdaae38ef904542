"""The graded exercises, one module per notebook: check functions and ``q1, q2, ...``."""
