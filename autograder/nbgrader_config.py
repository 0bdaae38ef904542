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
# The exchange `course lab` creates (nbgrader's default, /srv/nbgrader/exchange, needs root).
c.Exchange.root = os.path.join(repo, "build", "lab", "exchange")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# nbgrader's default: 30 s per cell. Every course cell runs in well under that on 2 cores.
c.Execute.timeout = 30
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding. `course grade` decides every grade outside the student's kernel (course/judge:
# the kernel runs in a bubblewrap sandbox, the grade cells in a trusted judge) and then asks
# nbgrader only to record the judged notebooks: keep their outputs, run nothing. Plain
# `nbgrader autograde` runs the tests inside the student's kernel, as nbgrader always does (a
# determined student can forge that: use `course grade` for credit); a cell that kills the
# kernel is skipped there instead of losing the whole notebook.
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
if os.environ.get("COURSE_JUDGED_MERGE"):
    c.Autograde.sanitize_preprocessors = [*_restore, "nbgrader.preprocessors.CheckCellMetadata"]
    c.Autograde.autograde_preprocessors = _score
else:
    c.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        *_restore,
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.Autograde.autograde_preprocessors = [
        "course.grading.resilient_execute.ResilientExecute",
        *_score,
    ]

# Feedback never shows hidden tests (nbgrader #917) nor tracebacks that quote them, and runs
# nothing a submission output or wrote: no scripts, on* handlers or javascript: URLs (issue #11).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.grading.hide_hidden_tests.HideHiddenTests",
    "course.grading.sanitize_feedback.SanitizeFeedback",
]
c.GenerateFeedback.exporter_class = "course.grading.feedback_html_exporter.FeedbackHTMLExporter"
c.HTMLExporter.sanitize_html = True
