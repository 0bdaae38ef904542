"""Correct answers to notebook 01-tasks, written independently of the reference solution.

Each gets full marks (hidden tests included); the tests plant every one of them.
"""

ASSIGNMENT = "01-tasks"

ALTERNATIVES: dict[str, dict[str, str]] = {}
