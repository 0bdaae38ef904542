"""The instructor workflow on top of nbgrader: release, validate, grade, report, demo."""
