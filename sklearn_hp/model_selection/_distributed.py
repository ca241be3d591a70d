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
        once, on first use, so a worker that dies does not take the only copy
        with it; arguments the backend was told to scatter are reused.
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

    def __call__(self, calls):
        """Run ``calls`` and return their results in order; raise the first error."""
        futures = []
        try:
            scattered = self._scattered()

            def remote(value):
                return scattered.get(id(value), value)

            futures = [
                self.client.submit(
                    function,
                    *map(remote, args),
                    pure=False,
                    **{name: remote(value) for name, value in kwargs.items()},
                )
                for function, args, kwargs in calls
            ]
            # Inside a dask task (a nested search), the backend secedes from
            # the worker's thread pool while waiting, as joblib does.
            with self.backend.retrieval_context():
                failed = self._wait(futures)
            if failed is not None:
                failed.result()
            return [future.result() for future in futures]
        except BaseException as error:
            running = self.client.status == "running"
            if running:
                self.client.cancel(futures)
            # A client closed between two calls of dask's makes the next one
            # raise whatever it raises then (a closed-client error, or "no
            # clients found" from a look-up of the default client).
            if _lost(error) or (not running and isinstance(error, Exception)):
                raise ClusterLostFits(f"{type(error).__name__}: {error}") from error
            raise

    def _wait(self, futures):
        """Wait until every future is done or one failed; return the failed one."""
        from distributed import wait

        pending = futures
        while pending:
            try:
                done, pending = wait(
                    pending, timeout=_POLL_SECONDS, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                if self.client.status != "running":
                    raise ClusterLostFits(
                        f"the dask client is {self.client.status}"
                    ) from None
                continue
            for future in done:
                if future.status != "finished":
                    return future
        return None


def _lost(error):
    """Tell whether ``error`` is a fit the cluster lost, not a fit that failed."""
    from distributed.scheduler import KilledWorker

    return isinstance(error, KilledWorker | CancelledError | asyncio.CancelledError)
