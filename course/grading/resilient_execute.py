"""nbgrader's Execute, made to survive a kernel that dies.

With plain nbgrader, a cell that kills the kernel (``os._exit``, a segfault, the
out-of-memory killer) aborts the whole notebook: nothing is graded. Here the cell
that killed it gets an error output, a fresh kernel runs the notebook again
without that cell, and every other answer is still graded.
"""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

MAX_RESTARTS = 3


def _dead_kernel_output() -> NotebookNode:
    return NotebookNode(
        output_type="error",
        ename="DeadKernelError",
        evalue="the kernel died while running this cell (os._exit, a crash, or out of memory); "
        "it was skipped and the notebook run again without it",
        traceback=[],
    )


class ResilientExecute(Execute):
    """Execute every cell; skip (with an error output) any cell that kills the kernel."""

    def preprocess(self, nb, resources=None, km=None):
        self._killers: set[int] = set()
        self._running: int | None = None
        for _ in range(MAX_RESTARTS + 1):
            try:
                return super().preprocess(nb, resources, km)
            except DeadKernelError:
                if self._running is None or self._running in self._killers:
                    raise
                self._killers.add(self._running)
                self.log.warning("Kernel died in cell %s: running again without it", self._running)
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        cell.outputs = []
                        cell.execution_count = None
                self.km = None
                self.kc = None
        raise DeadKernelError(f"the kernel died {MAX_RESTARTS + 1} times")

    def preprocess_cell(self, cell, resources, index):
        if index in self._killers:
            cell.outputs = [_dead_kernel_output()]
            return cell, resources
        self._running = index
        return super().preprocess_cell(cell, resources, index)
