"""The asynchronous mode's runner: a worker that finishes a fit gets the next one.

A batch of candidates waits for its slowest fold before the next batch is
proposed, and workers sit idle meanwhile. Here every fold is a task of its
own: the next fold of a candidate being evaluated, or, when none is left,
the first fold of a new candidate, proposed with what is known then (the
candidates still being evaluated are told to the optimizer as lies, see
``Schedule``). Tasks go to joblib one at a time as workers free up
(``return_as="generator_unordered"``). joblib asks for the next task from the
thread that collects results, while the search records them in its own: the
runner's lock keeps the schedule and the evaluator to one of them at a time.
What is not here: fitting a fold (the evaluator's ``calls``), proposing (the
schedule), recording a candidate (the evaluator's ``record``).
"""

import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import joblib
import numpy as np
from joblib import Parallel, delayed, effective_n_jobs


def _keyed(key, function, args, kwargs):
    """Run ``function(*args, **kwargs)`` and return ``key`` with its result."""
    return key, function(*args, **kwargs)


@dataclass
class _Running:
    """A candidate being evaluated: its batch of one, and its folds so far."""

    batch: object
    outs: list
    remaining: int
    started: float = field(default_factory=time.perf_counter)


class AsynchronousRunner:
    """Evaluates a schedule's candidates fold by fold, keeping every worker busy.

    Parameters
    ----------
    evaluator : Evaluator
        Builds the fits (``calls``) and records each candidate once its
        folds are done (``record``), in the order candidates finish.
    schedule : Schedule
        Proposes one candidate at a time and is told its score.
    n_jobs : int or None
        The search's ``n_jobs``: how many folds run at once.
    """

    def __init__(self, evaluator, schedule, n_jobs):
        self.evaluator = evaluator
        self.schedule = schedule
        self.n_jobs = n_jobs
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
        workers = effective_n_jobs(self.n_jobs)
        parallel = Parallel(
            n_jobs=self.n_jobs,
            return_as="generator_unordered",
            pre_dispatch=workers,
            batch_size=1,
        )
        for (key, fold), out in parallel(self._tasks()):
            with self._lock:
                running = self._running[key]
                running.outs[fold] = out
                running.remaining -= 1
                if running.remaining:
                    continue
                del self._running[key]
                batch = running.batch
                results = self.evaluator.record(
                    batch.candidates, running.outs, propose_times=batch.propose_times
                )
                scores, fit_times = results.means()
                self.schedule.tell(batch, scores, fit_times)
                if on_candidate(
                    batch,
                    results,
                    scores,
                    fit_times,
                    time.perf_counter() - running.started,
                ):
                    self._stopped = True

    def _tasks(self):
        """Yield the next fold to fit, proposing a candidate when none is left."""
        splits = self.evaluator.splits
        while True:
            with self._lock:
                if not self._queue:
                    batch = None if self._stopped else self.schedule.next_batch()
                    if batch is None:
                        return
                    key = self._n_started
                    self._n_started += 1
                    self._running[key] = _Running(
                        batch, [None] * len(splits), len(splits)
                    )
                    # the candidate's estimator configured once for its folds
                    (parameters,) = batch.candidates
                    folds = list(enumerate(splits))
                    calls = self.evaluator.calls(
                        [((0, parameters), fold) for fold in folds],
                        [None] * len(folds),
                    )
                    self._queue.extend(
                        ((key, fold), call) for (fold, _), call in zip(folds, calls)
                    )
                key, (function, args, kwargs) = self._queue.popleft()
            yield delayed(_keyed)(key, function, args, kwargs)


def supported():
    """Whether joblib yields results as they finish (joblib >= 1.4)."""
    major, minor = (int(part) for part in re.findall(r"\d+", joblib.__version__)[:2])
    return (major, minor) >= (1, 4)


def check_asynchronous(search):
    """Raise a ValueError for what the asynchronous mode does not do."""
    if not supported():
        raise ValueError(
            "asynchronous=True needs joblib >= 1.4, which yields results as they "
            f"finish; joblib {joblib.__version__} is installed"
        )
    if search._racing_confidence() is not None:
        raise ValueError(
            "racing compares a candidate's folds with the best candidate's as "
            "they finish together in a batch; it is not available with "
            "asynchronous=True"
        )
    if np.ndim(search.n_points) == 0 and search.n_points != "auto":
        raise ValueError(
            "n_points sets the size of a batch; with asynchronous=True each "
            "candidate is proposed alone as a worker frees up: leave n_points "
            f"to 'auto', got {search.n_points!r}"
        )
