"""The resource limits of one student's grading: per cell, per process, per file."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass


def usable_cpus() -> int:
    """The CPUs this process may run on (``taskset``, a container's or a batch job's set), not
    the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cpus_per_worker_thread() -> int:
    """The CPUs one grading task may use where it runs: on a Dask worker, this machine's CPUs
    shared among every worker thread the cluster runs on this host (two one-thread workers on
    two cores: one each, as ``--jobs 2`` gives); elsewhere all of ``usable_cpus()``."""
    cpus = usable_cpus()
    try:
        from distributed import get_client, get_worker
        from distributed.comm import get_address_host

        worker = get_worker()
    except (ImportError, ValueError):  # no Dask, or not in a Dask task
        return cpus
    try:
        here = get_address_host(worker.address)
        workers = get_client().scheduler_info()["workers"]
        threads = sum(
            info.get("nthreads", 1)
            for address, info in workers.items()
            if get_address_host(address) == here
        )
    except Exception:  # the scheduler did not answer: this worker's threads alone
        threads = worker.state.nthreads
    return max(1, cpus // max(1, threads))


@dataclass(frozen=True)
class Limits:
    """Resource limits for one student's grading (nbgrader and the kernel it starts)."""

    cell_timeout: int = 30  # seconds per cell (nbgrader's default)
    memory_bytes: int = 8 * 1024**3  # address space per process
    cpu_seconds: int = 900  # CPU time per process
    file_bytes: int = 512 * 1024**2  # largest file a process may write
    open_files: int = 1024

    def apply(self) -> None:  # pragma: no cover - runs in the child process
        """Set the limits on the current process (called just before exec)."""
        os.setsid()  # its own process group, so a wall-clock timeout can stop it all
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_bytes, self.file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))
