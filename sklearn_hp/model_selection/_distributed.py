"""Fits on a dask.distributed cluster, submitted to the cluster's client.

Under ``joblib.parallel_config(backend="dask")`` a search sends its fits to the
client of joblib's dask backend itself rather than through ``joblib.Parallel``:
joblib's backend scatters arguments from a coroutine whose failure (a worker
dying mid-transfer) leaves the batch unresolved and ``Parallel`` waiting for it
for ever. Submitted directly, a fit lost with its worker is rerun by the
scheduler elsewhere, or fails with dask's error once the scheduler gives up on
it; a fit cancelled because the data's last copy was lost is resubmitted with
the data sent again; a client that closes ends the wait.
"""

import asyncio
from concurrent.futures import CancelledError

import joblib

# How often a wait for fits looks at whether the client is still connected.
_POLL_SECONDS = 0.5


class ClusterLostFits(RuntimeError):
    """The dask cluster could not return the results of some fits."""


def cluster_runner(shared):
    """Return a :class:`ClusterRunner` under ``backend="dask"``, else None."""
    backend, _ = joblib.parallel.get_active_backend()
    if type(backend).__name__ != "DaskDistributedBackend":
        return None
    if getattr(backend, "client", None) is None:
        return None
    return ClusterRunner(backend, shared)


class ClusterRunner:
    """Runs ``joblib.delayed`` calls on the client of joblib's dask backend.

    Parameters
    ----------
    backend : joblib._dask.DaskDistributedBackend
        The active backend; its client receives the fits.
    shared : list
        Large arguments every fit receives (the data). They go to every worker
        once, on first use; arguments the backend was told to scatter are
        reused. Dask's active memory manager (on by default) may drop the
        copies it deems extra, and a worker that dies can take the last one
        with it: dask then cancels the fits that need it. The runner sends the
        data again and resubmits those fits, up to ``max_resends`` times in
        all; past that it raises :class:`ClusterLostFits`.
    max_resends : int, default=3
        How many times the data may be sent again after its last copy on the
        cluster was lost.
    """

    def __init__(self, backend, shared, max_resends=3):
        self.backend = backend
        self.client = backend.client
        self.max_resends = max_resends
        self._shared = [obj for obj in shared if obj is not None]
        self._futures = None
        self._resends = 0  # also the data's version: fits carry the one they used
        self._lost = False

    def _scattered(self):
        """Return the data's futures on the cluster, sending it (again) if missing."""
        if self._futures is None:
            known = getattr(self.backend, "data_futures", {})
            self._futures = self._send(known)
        elif self.client.status == "running" and (
            self._lost or any(f.status != "finished" for f in self._data())
        ):
            if self._resends >= self.max_resends:
                raise ClusterLostFits(
                    "the cluster lost the data's last copy, sent again "
                    f"{self._resends} times already (max_resends={self.max_resends})"
                )
            self._resends += 1
            self._futures, self._lost = self._send({}), False
        return self._futures

    def _send(self, known):
        """Scatter the shared data not in ``known`` to every worker."""
        missing = [obj for obj in self._shared if id(obj) not in known]
        sent = self.client.scatter(missing, broadcast=True, hash=False)
        return {**known, **{id(obj): f for obj, f in zip(missing, sent)}}

    def _data(self):
        """Return the futures of the shared data, in order."""
        return [self._futures[id(obj)] for obj in self._shared]

    def _data_lost(self):
        """Tell whether some of the shared data has no copy left on the cluster."""
        futures = self._data()
        if any(future.status != "finished" for future in futures):
            return True
        # the fits' cancellation can reach the client before the data's
        who_has = self.client.who_has(futures)
        return any(not who_has.get(future.key) for future in futures)

    def _lost_with_data(self, future, version):
        """Tell whether a fit was cancelled with the last copy of its data.

        ``version`` is the data's version the fit was submitted with: the
        fits cancelled together with one copy are seen one after the other,
        and those after the first find the data sent again already.
        """
        if future.status != "cancelled" or self.client.status != "running":
            return False
        if version < self._resends:
            return True
        self._lost = self._data_lost()
        return self._lost

    def _submit(self, call):
        """Submit one ``joblib.delayed`` call, the shared data as futures.

        Returns the fit's future and the version of the data it uses.
        """
        scattered = self._scattered()

        def remote(value):
            return scattered.get(id(value), value)

        function, args, kwargs = call
        future = self.client.submit(
            function,
            *map(remote, args),
            pure=False,
            **{name: remote(value) for name, value in kwargs.items()},
        )
        return future, self._resends

    def __call__(self, calls):
        """Run ``calls`` and return their results in order; raise the first error."""
        calls, pending = list(calls), {}
        try:
            # Inside a dask task (a nested search), the backend secedes from
            # the worker's thread pool while waiting, as joblib does.
            with self.backend.retrieval_context():
                results = dict(
                    self._run_unordered(enumerate(calls), len(calls), pending)
                )
            return [results[index] for index in range(len(calls))]
        except BaseException as error:
            self._raise(error, pending)

    def unordered(self, tasks, in_flight):
        """Run ``tasks``, ``in_flight`` at a time; yield results as they finish.

        Each task is ``(tag, call)``, a ``joblib.delayed`` call and what to
        yield its result with: ``(tag, result)``. The next task is taken
        only when a running one finishes, so what it is can depend on the
        results yielded so far. Raises the first error, the fits still
        running cancelled.
        """
        tasks = iter(tasks)
        pending = {}
        try:
            with self.backend.retrieval_context():
                yield from self._run_unordered(tasks, in_flight, pending)
        except GeneratorExit:
            # the consumer stopped: what is still running is of no use
            self._cancel(pending)
            raise
        except BaseException as error:
            self._raise(error, pending)

    def _run_unordered(self, tasks, in_flight, pending):
        """Yield ``(tag, result)`` as fits finish; ``pending`` holds those running.

        A fit cancelled with the last copy of its data is submitted again.
        """
        exhausted = False
        while True:
            while not exhausted and len(pending) < in_flight:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                else:
                    self._submit_task(task, pending)
            if not pending:
                return
            for future in self._first_done(pending):
                task, version = pending.pop(future)
                if self._lost_with_data(future, version):
                    self._submit_task(task, pending)
                else:
                    yield task[0], future.result()

    def _submit_task(self, task, pending):
        """Submit ``task``'s call; record it in ``pending`` with its data's version."""
        future, version = self._submit(task[1])
        pending[future] = task, version

    def _first_done(self, pending):
        """Wait until at least one of ``pending`` is done; return those done."""
        from distributed import wait

        while True:
            try:
                done, _ = wait(
                    list(pending), timeout=_POLL_SECONDS, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                if self.client.status != "running":
                    raise ClusterLostFits(
                        f"the dask client is {self.client.status}"
                    ) from None
                continue
            except CancelledError:
                # dask's wait raises when a future is cancelled: it is done
                done = {future for future in pending if future.status != "pending"}
                if not done:
                    raise
            return done

    def _cancel(self, futures):
        if futures and self.client.status == "running":
            self.client.cancel(list(futures))

    def _raise(self, error, futures):
        """Cancel ``futures`` and raise ``error``, as lost fits if it is so."""
        running = self.client.status == "running"
        self._cancel(futures)
        # A client closed between two calls of dask's makes the next one
        # raise whatever it raises then (a closed-client error, or "no
        # clients found" from a look-up of the default client).
        if _lost(error) or (not running and isinstance(error, Exception)):
            raise ClusterLostFits(f"{type(error).__name__}: {error}") from error
        raise error


def _lost(error):
    """Tell whether ``error`` is a fit the cluster lost, not a fit that failed."""
    from distributed.scheduler import KilledWorker

    return isinstance(error, KilledWorker | CancelledError | asyncio.CancelledError)
