"""The asynchronous mode's runner: a worker that finishes a fit gets the next one.

A batch of candidates waits for its slowest fold before the next batch is
proposed, and workers sit idle meanwhile. Here every fold is a task of its
own: the next fold of a candidate being evaluated, or, when none is left,
the first fold of a new candidate, proposed with what is known then (the
candidates still being evaluated are told to the optimizer as lies, see
``Schedule``). Tasks go out one at a time as workers free up: to joblib
(``return_as="generator_unordered"``) or to a dask cluster's client
(``ClusterRunner.unordered``). joblib asks for the next task from the thread
that collects results, while the search records them in its own: the
runner's lock keeps the schedule and the evaluator to one of them at a time.

With racing, a candidate's first folds go out together and each next one
only once the folds before it are measured and it can still beat the best
candidate (see ``_racing``); the folds it skips are recorded as skipped.
What is not here: fitting a fold (the evaluator's ``calls``), proposing (the
schedule), recording a candidate (the evaluator's ``record``).
"""

import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import joblib
import numpy as np
from joblib import Parallel, delayed, effective_n_jobs

from ..utils._sklearn_compat import _num_samples
from . import _racing
from ._evaluator import _keyed, joblib_yields_unordered

# Fits sent to a dask cluster per worker: one running, one queued.
CLUSTER_QUEUED = 2


@dataclass
class _Running:
    """A candidate being evaluated: its batch of one, its folds so far.

    ``waiting`` holds the fits of the folds not sent yet (racing sends them
    one at a time), ``in_flight`` counts those sent and not returned.
    """

    batch: object
    outs: list
    waiting: deque
    in_flight: int = 0
    checkpoint_key: str | None = None
    started: float = field(default_factory=time.perf_counter)

    @property
    def measured(self):
        """How many folds, from the first, have returned."""
        return next(
            (f for f, out in enumerate(self.outs) if out is None), len(self.outs)
        )


class AsynchronousRunner:
    """Evaluates a schedule's candidates fold by fold, keeping every worker busy.

    Parameters
    ----------
    evaluator : Evaluator
        Builds the fits (``calls``) and records each candidate once its
        folds are done (``record``), in the order candidates finish; says
        whether fits go to a dask cluster (``on_cluster``) and whether
        candidates are raced (``racing``).
    schedule : Schedule
        Proposes one candidate at a time and is told its score.
    n_jobs : int or None
        The search's ``n_jobs``: how many folds run at once.
    callback_ctx : CallbackContext or None, default=None
        The search's callback context (scikit-learn >= 1.9); each fold gets
        a subcontext of it. They are all made before the first fit: pickled
        with their parent for a worker, a context must not be made while
        another is on its way out.
    """

    def __init__(self, evaluator, schedule, n_jobs, callback_ctx=None):
        self.evaluator = evaluator
        self.schedule = schedule
        self.n_jobs = n_jobs
        n_fits = schedule.planned_evaluations * evaluator.n_splits
        self._contexts = iter(evaluator.contexts(callback_ctx, n_fits))
        self._lock = threading.Lock()
        self._queue = deque()
        self._running = {}
        self._stopped = False
        self._n_started = 0

    def run(self, on_candidate):
        """Evaluate until the schedule ends or ``on_candidate`` returns True.

        Parameters
        ----------
        on_candidate : callable
            ``on_candidate(batch, results, scores, fit_times, batch_time)`` after
            each candidate is recorded; True stops proposing new candidates
            (the folds running finish and are recorded).
        """
        with contextlib.closing(self._results()) as results:
            for (key, fold), out in results:
                with self._lock:
                    running = self._running[key]
                    running.outs[fold] = out
                    # saved as it ends: a kill loses only the fits running
                    self.evaluator.save_fold(running.checkpoint_key, fold, out)
                    running.in_flight -= 1
                    if running.in_flight or self._send_next(key, running):
                        continue
                    del self._running[key]
                    self._record(running, on_candidate)

    def _results(self):
        """Run the tasks; yield ``(key, fold), out`` as each finishes."""
        workers = effective_n_jobs(self.n_jobs)
        if self.evaluator.on_cluster:
            # A fit's result goes through the scheduler to this process, and
            # the next fit back to a worker: one fit queued per worker
            # beyond those running hides that round trip (mostly next folds
            # of the candidates under way, rarely new candidates).
            return self.evaluator.cluster.unordered(
                ((tag, call) for tag, *call in self._tasks()),
                in_flight=CLUSTER_QUEUED * workers,
            )
        parallel = Parallel(
            n_jobs=self.n_jobs,
            return_as="generator_unordered",
            pre_dispatch=workers,
            batch_size=1,
        )
        return parallel(delayed(_keyed)(*task) for task in self._tasks())

    def _record(self, running, on_candidate):
        """Record a candidate whose folds are done, tell it, call back."""
        batch = running.batch
        like = next(out for out in running.outs if out is not None)
        outs = [
            out if out is not None else _racing.skipped_fold(like, _num_samples(test))
            for out, (_, test) in zip(running.outs, self.evaluator.splits)
        ]
        results = self.evaluator.record(
            batch.candidates, outs, propose_times=batch.propose_times
        )
        scores, fit_times = results.means()
        self.schedule.tell(batch, scores, fit_times)
        if on_candidate(
            batch, results, scores, fit_times, time.perf_counter() - running.started
        ):
            self._stopped = True

    def _send_next(self, key, running):
        """Queue a raced candidate's next fold; False when it is done.

        Done when every fold is measured, or when the folds measured show it
        cannot beat the best candidate evaluated on every fold.
        """
        if not running.waiting:
            return False
        measured = running.measured
        metric = self.evaluator.raced_metric()
        incumbent = (
            None
            if metric is None
            else _racing.incumbent_scores(
                self.evaluator.outs, self.evaluator.n_splits, metric
            )
        )
        if incumbent is None:
            # nothing to race against yet: every fold left goes out
            sent = list(running.waiting)
            running.waiting.clear()
        elif _racing.cannot_win(
            [_racing.fold_score(out, metric) for out in running.outs[:measured]],
            incumbent[:measured],
            self.evaluator.racing,
        ):
            return False
        else:
            sent = [running.waiting.popleft()]
        # a candidate under way goes before new ones
        self._queue.extendleft((key, task) for task in reversed(sent))
        running.in_flight += len(sent)
        return True

    def _tasks(self):
        """Yield the next fold to fit, proposing a candidate when none is left.

        Each task is ``((key, fold), function, args, kwargs)``.
        """
        while True:
            with self._lock:
                if not self._queue and not self._start():
                    self._send_waiting()
                if not self._queue:
                    return
                key, (fold, (function, args, kwargs)) = self._queue.popleft()
            yield (key, fold), function, args, kwargs

    def _send_waiting(self):
        """Queue every fold not sent yet: no task can be asked for after the last.

        Once no candidate is left to propose, the tasks end when the queue is
        empty; a raced candidate's folds held back would never run. They go
        out now, unraced: racing is given up for the last candidates.
        """
        for key, running in self._running.items():
            self._queue.extend((key, task) for task in running.waiting)
            running.in_flight += len(running.waiting)
            running.waiting.clear()

    def _start(self):
        """Propose a candidate and queue its first folds; False when none is left."""
        batch = None if self._stopped else self.schedule.next_batch()
        if batch is None:
            return False
        key = self._n_started
        self._n_started += 1
        splits = self.evaluator.splits
        (parameters,) = batch.candidates
        folds = list(enumerate(splits))
        # the candidate's estimator configured once for its folds
        calls = self.evaluator.calls(
            [((0, parameters), fold) for fold in folds],
            [next(self._contexts, None) for _ in folds],
        )
        waiting = deque(enumerate(calls))
        # raced candidates start on the first folds, measured together
        first = (
            _racing.MIN_FOLDS
            if self.evaluator.racing is not None and len(splits) > _racing.MIN_FOLDS
            else len(splits)
        )
        (checkpoint_key,) = self.evaluator.announce(
            batch.candidates, batch.propose_times
        )
        running = _Running(
            batch,
            [None] * len(splits),
            waiting,
            in_flight=first,
            checkpoint_key=checkpoint_key,
        )
        self._running[key] = running
        self._queue.extend((key, waiting.popleft()) for _ in range(first))
        return True


def supported():
    """Whether joblib yields results as they finish (joblib >= 1.4)."""
    return joblib_yields_unordered()


def check_asynchronous(search, on_cluster=False):
    """Raise a ValueError for what the asynchronous mode does not do.

    ``on_cluster``: fits go to a dask cluster's client, not through joblib.
    """
    if not on_cluster and not supported():
        raise ValueError(
            "asynchronous=True needs joblib >= 1.4, which yields results as they "
            f"finish; joblib {joblib.__version__} is installed"
        )
    if np.ndim(search.n_points) == 0 and search.n_points != "auto":
        raise ValueError(
            "n_points sets the size of a batch; with asynchronous=True each "
            "candidate is proposed alone as a worker frees up: leave n_points "
            f"to 'auto', got {search.n_points!r}"
        )
