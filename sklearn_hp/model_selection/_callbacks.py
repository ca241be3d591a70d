"""Callbacks of a search: the stoppers, and the list a search calls.

A callback is called after each batch of a :class:`BayesSearchCV` with a
scikit-optimize ``OptimizeResult`` that also holds ``scores`` (the optimised
metric of every candidate so far, NaN for a failed one), ``elapsed`` and
``batch_time`` (seconds); returning True stops the search. The stoppers keep
no state, so one instance can serve several searches. :class:`Callbacks` is
the search's side: the callbacks of one fit, called and closed.
"""

import numbers

import numpy as np
from scipy.optimize import OptimizeResult


class TimeBudgetStopper:
    """Stop before a time budget runs out.

    The search stops when another batch as long as the last one would end
    after ``total_seconds`` since the search began.

    Parameters
    ----------
    total_seconds : float
        The time the search may take, refit excluded.

    See Also
    --------
    NoImprovementStopper : Stop when the best score stalls.
    TargetScoreStopper : Stop when a score is reached.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hp import BayesSearchCV
    >>> from sklearn_hp.model_selection import TimeBudgetStopper
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 10)},
    ...     n_iter=10,
    ...     callbacks=TimeBudgetStopper(60.0),
    ...     random_state=0,
    ... ).fit(X, y)
    >>> len(search.cv_results_["params"])
    10
    """

    def __init__(self, total_seconds: float) -> None:
        self.total_seconds = total_seconds

    def __call__(self, result: OptimizeResult) -> bool:
        """Whether the next batch would overrun the budget."""
        _check_positive(self.total_seconds, "total_seconds")
        return result.elapsed + result.batch_time > self.total_seconds


class NoImprovementStopper:
    """Stop when the best score has not improved for a number of candidates.

    Parameters
    ----------
    n_iter : int
        Number of candidates without improvement after which to stop.
    tol : float, default=0.0
        An improvement counts only if it exceeds ``tol``.

    See Also
    --------
    TimeBudgetStopper : Stop before a time budget runs out.
    TargetScoreStopper : Stop when a score is reached.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from sklearn_hp.model_selection import NoImprovementStopper
    >>> stopper = NoImprovementStopper(n_iter=3)
    >>> stopper(SimpleNamespace(scores=np.array([0.5, 0.8, 0.7, 0.8])))
    False
    >>> stopper(SimpleNamespace(scores=np.array([0.5, 0.8, 0.7, 0.8, 0.6])))
    True
    """

    def __init__(self, n_iter: int, tol: float = 0.0) -> None:
        self.n_iter = n_iter
        self.tol = tol

    def __call__(self, result: OptimizeResult) -> bool:
        """Whether the last ``n_iter`` candidates brought no improvement."""
        if not isinstance(self.n_iter, numbers.Integral) or self.n_iter < 1:
            raise ValueError(
                f"NoImprovementStopper: n_iter must be an int >= 1, got {self.n_iter!r}"
            )
        scores = np.asarray(result.scores, dtype=float)
        best, last_improvement = -np.inf, -1
        for index, score in enumerate(scores):
            if np.isfinite(score) and score > best + self.tol:
                best, last_improvement = score, index
        return len(scores) - 1 - last_improvement >= self.n_iter


class TargetScoreStopper:
    """Stop as soon as a candidate reaches a score.

    Parameters
    ----------
    score : float
        The mean cross-validated score (of the optimised metric) to reach.

    See Also
    --------
    TimeBudgetStopper : Stop before a time budget runs out.
    NoImprovementStopper : Stop when the best score stalls.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from sklearn_hp.model_selection import TargetScoreStopper
    >>> TargetScoreStopper(0.9)(SimpleNamespace(scores=np.array([0.8, 0.95])))
    True
    """

    def __init__(self, score: float) -> None:
        self.score = score

    def __call__(self, result: OptimizeResult) -> bool:
        """Whether the best score so far reaches ``score``."""
        scores = np.asarray(result.scores, dtype=float)
        finite = scores[np.isfinite(scores)]
        return bool(finite.size) and bool(finite.max() >= self.score)


class Callbacks:
    """The callbacks of one search: checked, called after each batch, closed.

    Parameters
    ----------
    callbacks : callable, list of callables or None
        The search's ``callbacks``.
    """

    def __init__(self, callbacks):
        if callbacks is None:
            callbacks = []
        elif callable(callbacks):
            callbacks = [callbacks]
        for callback in callbacks:
            if not callable(callback):
                raise TypeError(
                    "callbacks must be callables or a list of callables; got "
                    f"{callback!r} of type {type(callback).__name__} in the list"
                )
        self.callbacks = list(callbacks)

    def __bool__(self):
        return bool(self.callbacks)

    def stop(self, result, **details):
        """Call every callback with ``result`` and ``details``; whether one stops.

        Every callback sees every batch, as in scikit-optimize.
        """
        for name, value in details.items():
            setattr(result, name, value)
        return any([bool(callback(result)) for callback in self.callbacks])

    def close(self):
        """Call the ``close`` method of the callbacks that have one."""
        for callback in self.callbacks:
            if callable(getattr(callback, "close", None)):
                callback.close()


def _check_positive(value, name):
    if not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
