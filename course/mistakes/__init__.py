"""Typical wrong answers, per assignment: planted by the tests and by the demo class."""

from course.mistakes import cnn_layers

#: assignment -> solution grade_id -> mistake label -> source of the wrong cell.
MISTAKES = {"02-cnn-layers": cnn_layers.MISTAKES}

#: assignment -> the (grade_id, label) pairs the demo class's "mistakes" student submits.
DEMO = {"02-cnn-layers": cnn_layers.DEMO}
