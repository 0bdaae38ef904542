"""nbgrader configuration of the course.

Run the standard commands from this folder (`cd autograder`):

    nbgrader generate_assignment 02-cnn-layers --force   # solutions/ -> notebooks/
    nbgrader autograde 02-cnn-layers                      # submitted/ -> autograded/
    nbgrader generate_feedback 02-cnn-layers
    nbgrader export

The instructor notebooks in ../solutions are the source, the student notebooks
in ../notebooks the release. A class's runtime folders (submitted/, autograded/,
feedback/, gradebook.db) are created here and kept out of git. The `course`
command (`course --help`) wraps these steps and fails loudly where nbgrader
only logs.
"""

import os

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "cv-course"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = os.path.join(repo, "solutions")
c.CourseDirectory.release_directory = os.path.join(repo, "notebooks")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# nbgrader's default: 30 s per cell. Every course cell runs in well under that on 2 cores.
c.Execute.timeout = 30
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding: a cell that kills the kernel is skipped instead of losing the whole notebook;
# when the course's grader runs it (course grade), every test cell must also prove it ran to
# its end (see course/grading/integrity.py).
_restore = [
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
]
_score = [
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
if os.environ.get("COURSE_INTEGRITY_TOKENS_DIR"):
    # `course grade` merging notebooks already executed in per-student sandboxes:
    # keep their outputs, run nothing, verify and record the scores.
    c.Autograde.sanitize_preprocessors = [*_restore, "nbgrader.preprocessors.CheckCellMetadata"]
    c.Autograde.autograde_preprocessors = ["course.grading.integrity.VerifyIntegrity", *_score]
else:
    c.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        *_restore,
        "course.grading.integrity.InjectIntegrityChecks",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.Autograde.autograde_preprocessors = ["course.grading.executor.ResilientExecute", *_score]

# Feedback never shows hidden tests (nbgrader #917) nor tracebacks that quote them, and runs
# nothing a submission output or wrote: no scripts, on* handlers or javascript: URLs (issue #11).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.grading.feedback.HideHiddenTests",
    "course.grading.feedback.SanitizeFeedback",
]
c.GenerateFeedback.exporter_class = "course.grading.feedback.FeedbackHTMLExporter"
c.HTMLExporter.sanitize_html = True
