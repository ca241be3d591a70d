"""A scikit-optimize search space derived from ``_parameter_constraints``."""

import math
from numbers import Integral, Real

# Hyperparameters that change how an estimator runs, what it stores or which
# methods it offers (SVC's ``probability`` adds ``predict_proba``), not what it
# learns.
_NOT_TUNED = frozenset(
    {
        "probability",
        "n_jobs",
        "verbose",
        "verbose_interval",
        "random_state",
        "copy",
        "copy_X",
        "copy_x",
        "copy_X_train",
        "warm_start",
        "cache_size",
        "memory",
        "pre_dispatch",
        "error_score",
        "verbose_feature_names_out",
        "force_int_remainder_cols",
        "transform_input",
        "precompute",
        "check_inverse",
        "compute_distances",
        "compute_inverse_components",
        "compute_labels",
        "compute_score",
        "store_centers",
        "store_covariance",
        "store_cv_results",
        "store_precision",
        "return_train_score",
        "dense_output",
        "sparse_output",
    }
)
# Options whose meaning depends on what the data is, not on how to fit it.
_SPECIAL_OPTIONS = frozenset({"precomputed", "deprecated", "warn"})
# How far, in factors of ten, an open-ended range reaches around the default:
# C or alpha over 1e-2..1e2 times it, n_estimators or max_iter 0.1..10 times.
_REAL_DECADES = 2
_INTEGER_DECADES = 1


def dimension_for(name, default, constraints):
    """Derive a scikit-optimize dimension for one hyperparameter, or None.

    Parameters
    ----------
    name : str
        Name of the hyperparameter (without its path).
    default : object
        Its default value, which centres open-ended ranges.
    constraints : list
        Its entry in ``_parameter_constraints``.

    Returns
    -------
    dimension : skopt.space.Dimension or None
        ``Categorical`` for options and booleans, ``Real``/``Integer`` for
        bounded intervals, log-uniform over two decades either side of the
        default for open-ended ones; None when the hyperparameter is not worth
        tuning or no range can be derived.
    """
    if (
        name in _NOT_TUNED
        or not isinstance(constraints, list)
        or (isinstance(default, str) and default in _SPECIAL_OPTIONS)
    ):
        return None
    from skopt.space import Categorical

    from ..utils._sklearn_compat import (
        Hidden,
        Interval,
        Options,
        StrOptions,
    )

    visible = [c for c in constraints if not isinstance(c, Hidden)]
    intervals = [c for c in visible if isinstance(c, Interval)]
    options = []
    for constraint in visible:
        if isinstance(constraint, StrOptions):
            options += sorted(
                option
                for option in constraint.options
                if option not in constraint.deprecated
                and option not in _SPECIAL_OPTIONS
            )
        elif isinstance(constraint, Options):
            options += sorted(constraint.options, key=repr)
        elif constraint == "boolean":
            options += [False, True]

    # The default's own kind of value says which constraint to search over.
    numeric_default = isinstance(default, Real) and not isinstance(default, bool)
    for interval in intervals:
        if numeric_default and default in interval:
            return _interval_dimension(interval, default)
    if default is None and None in visible:
        options = [None, *options]
    if len(options) > 1 and (default in options or not intervals):
        return Categorical(options)
    return None


def _interval_dimension(interval, default):
    from skopt.space import Integer
    from skopt.space import Real as RealDimension

    integral = interval.type is Integral
    low, high = interval.left, interval.right
    if low is not None and high is not None:
        if integral:
            low = low if interval.closed in ("left", "both") else low + 1
            high = high if interval.closed in ("right", "both") else high - 1
            return Integer(int(low), int(high)) if low < high else None
        if interval.closed in ("right", "neither"):
            low = math.nextafter(low, math.inf)
        if interval.closed in ("left", "neither"):
            high = math.nextafter(high, -math.inf)
        return RealDimension(float(low), float(high)) if low < high else None

    # Open-ended: log-uniform around the default, inside the interval.
    if default <= 0:
        return None
    decades = _INTEGER_DECADES if integral else _REAL_DECADES
    low_end, high_end = default / 10**decades, default * 10**decades
    if low is not None:
        low_end = max(low_end, low)
    if high is not None:
        high_end = min(high_end, high)
    if integral:
        low_end, high_end = max(1, math.ceil(low_end)), int(high_end)
        if low_end >= high_end:
            return None
        return Integer(low_end, high_end, prior="log-uniform")
    return RealDimension(float(low_end), float(high_end), prior="log-uniform")
