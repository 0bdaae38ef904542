"""How many CPUs a grading task's kernel may use where it runs."""

from __future__ import annotations

from course.judge.limits import cpus_per_worker_thread, usable_cpus


def test_outside_dask_a_task_has_every_usable_cpu():
    assert cpus_per_worker_thread() == usable_cpus()


def test_dask_workers_on_one_host_share_its_cpus():
    """Two one-thread workers on this machine: does a task on either get half its CPUs (as
    ``--jobs 2`` gives each sandbox), not all of them twice over?"""
    from distributed import Client

    from course.grading.dispatch import local_cluster

    for workers in (1, 2):
        cluster = local_cluster(n_workers=workers, threads_per_worker=1)
        with cluster, Client(cluster) as client:
            futures = [client.submit(cpus_per_worker_thread, pure=False) for _ in range(2)]
            got = client.gather(futures)
        assert got == [max(1, usable_cpus() // workers)] * 2, (workers, got)
