"""Fits on a dask.distributed cluster, submitted to the cluster's client.

Under ``joblib.parallel_config(backend="dask")`` a search sends its fits to the
client of joblib's dask backend itself rather than through ``joblib.Parallel``:
joblib's backend scatters arguments from a coroutine whose failure (a worker
dying mid-transfer) leaves the batch unresolved and ``Parallel`` waiting for it
for ever. Submitted directly, a fit lost with its worker is rerun by the
scheduler elsewhere, or fails with dask's error once the scheduler gives up on
it, and a client that closes ends the wait.
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
        copies it deems extra: when a worker that dies held the last one, the
        fits that need it are cancelled and the search stops with
        :class:`ClusterLostFits`.
    """

    def __init__(self, backend, shared):
        self.backend = backend
        self.client = backend.client
        self._shared = [obj for obj in shared if obj is not None]
        self._futures = None

    def _scattered(self):
        if self._futures is None:
            known = getattr(self.backend, "data_futures", {})
            missing = [obj for obj in self._shared if id(obj) not in known]
            sent = self.client.scatter(missing, broadcast=True, hash=False)
            self._futures = {**known, **{id(o): f for o, f in zip(missing, sent)}}
        return self._futures

    def _submit(self, call):
        """Submit one ``joblib.delayed`` call, the shared data as futures."""
        scattered = self._scattered()

        def remote(value):
            return scattered.get(id(value), value)

        function, args, kwargs = call
        return self.client.submit(
            function,
            *map(remote, args),
            pure=False,
            **{name: remote(value) for name, value in kwargs.items()},
        )

    def __call__(self, calls):
        """Run ``calls`` and return their results in order; raise the first error."""
        futures = []
        try:
            futures = [self._submit(call) for call in calls]
            pending = set(futures)
            # Inside a dask task (a nested search), the backend secedes from
            # the worker's thread pool while waiting, as joblib does.
            with self.backend.retrieval_context():
                while pending:
                    for future in self._first_done(pending):
                        pending.discard(future)
                        if future.status != "finished":
                            future.result()
            return [future.result() for future in futures]
        except BaseException as error:
            self._raise(error, futures)

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
        exhausted = False
        while True:
            while not exhausted and len(pending) < in_flight:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                else:
                    tag, call = task
                    pending[self._submit(call)] = tag
            if not pending:
                return
            for future in self._first_done(pending):
                yield pending.pop(future), future.result()

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
