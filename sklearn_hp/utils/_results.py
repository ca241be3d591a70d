"""Reading a fitted search's ``cv_results_``: which metric a caller means."""

from sklearn.exceptions import NotFittedError


def score_key(search, metric=None, purpose="read"):
    """Return the ``cv_results_`` key of the mean test score a caller means.

    ``metric`` when named; else ``mean_test_score`` of a single-metric
    search, or the metric ``refit`` names among several. Any object with
    ``cv_results_`` will do, fitted scikit-learn search or not.

    Parameters
    ----------
    search : object
        Has ``cv_results_`` once fitted.
    metric : str or None, default=None
        A metric the search scored, as named in its ``scoring``.
    purpose : str, default="read"
        What the caller does with it, for the error messages ("plot").

    Raises
    ------
    NotFittedError
        If ``search`` has no ``cv_results_``.
    ValueError
        If ``metric`` was not scored, or several were and none is named.
    """
    if not hasattr(search, "cv_results_"):
        raise NotFittedError(
            f"This {type(search).__name__} has no cv_results_: fit it before "
            f"asking for a score to {purpose}"
        )
    results = search.cv_results_
    available = [k[len("mean_test_") :] for k in results if k.startswith("mean_test_")]
    if metric is not None:
        if metric not in available:
            raise ValueError(
                f"metric={metric!r} is not a scored metric of "
                f"{type(search).__name__}; its metrics are {available}"
            )
        return f"mean_test_{metric}"
    if "score" in available:
        return "mean_test_score"
    refit = getattr(search, "refit", None)
    if isinstance(refit, str) and refit in available:
        return f"mean_test_{refit}"
    if not available:
        raise ValueError(
            f"{type(search).__name__}.cv_results_ has no mean_test_<metric> entry"
        )
    raise ValueError(
        f"{type(search).__name__} scored several metrics ({available}) and its "
        f"refit does not name one: choose the metric to {purpose} with metric=..."
    )
