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
