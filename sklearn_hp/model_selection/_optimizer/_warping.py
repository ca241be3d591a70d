"""The values a surrogate learns, made from the values told to the optimizer.

Here: the value a failed candidate is learnt as (:func:`failures_as_poor`),
which observations a surrogate learns once they are many
(:func:`learnt_rows`), the compression of far outliers, the Yeo-Johnson warp
of the most likely power, and the two together (:func:`surrogate_targets`).
The surrogates that learn them live in :mod:`._gaussian_process` and
:mod:`._surrogates`.
"""

import numpy as np

# Powers of the Yeo-Johnson transformation tried, a tenth apart: none is
# exactly 0 or 2, where the transformation is a logarithm instead.
YEO_JOHNSON_POWERS = np.arange(-2.95, 5.0, 0.1)


def failures_as_poor(values):
    """Return the values told, each failed candidate's replaced by a poor value.

    A failure (a value that is not finite: NaN marks a candidate whose fits
    failed) is learnt as worse than every finite value by half their spread,
    ``worst + max(0.5 * (worst - best), 1e-3 * max(1, |worst|))``, so that the
    surrogate learns to avoid its region without a NaN breaking its fit.
    Derived from the values each time, it stays worse than every success as
    values come.

    Parameters
    ----------
    values : array-like of shape (n_observations,)
        The values told, to minimise.

    Returns
    -------
    values : ndarray of shape (n_observations,) or None
        None when no value is finite: there is nothing to compare a failure
        with.
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if finite.all():
        return values
    if not finite.any():
        return None
    worst, best = values[finite].max(), values[finite].min()
    poor = worst + max(0.5 * (worst - best), 1e-3 * max(1.0, abs(worst)))
    return np.where(finite, values, poor)


# The most observations a surrogate learns: past them, the best half and an
# even spread of the others (see learnt_rows), so that a proposal costs as
# much at 2,000 candidates as at this many.
MAX_LEARNT = 64


def learnt_rows(values, limit, recent=0):
    """Return which observations a surrogate learns, in the order told.

    Every one while there are at most ``limit``. Past it, ``limit`` of them:
    the ``recent`` last (the lies of a batch's points proposed before, which
    keep the batch apart), the best half of ``limit`` (where the search
    looks, learnt in detail), and the others spread evenly in the order told
    (the rest of the space, as the search saw it). A Gaussian process then
    costs the same to fit and to predict with at 2,000 observations as at
    ``limit``, instead of growing as their cube and square.

    Parameters
    ----------
    values : ndarray of shape (n_observations,)
        The values told (failures as their poor value), to minimise.
    limit : int
        The most observations learnt.
    recent : int, default=0
        The last observations learnt in any case.

    Returns
    -------
    rows : ndarray of int of shape (min(n_observations, limit),)
        Indices of ``values``, increasing.
    """
    n = len(values)
    if n <= limit:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[n - min(recent, limit) :] = True
    best = np.argsort(values, kind="stable")
    keep[best[~keep[best]][: min(limit // 2, limit - int(keep.sum()))]] = True
    rest = np.flatnonzero(~keep)
    room = limit - int(keep.sum())
    if room > 0:
        keep[rest[np.linspace(0, len(rest) - 1, room).round().astype(int)]] = True
    return np.flatnonzero(keep)


def surrogate_targets(y):
    """Return the values the surrogate learns, in the order of those told.

    Far outliers are compressed (:func:`compress_far_outliers`), the values
    standardised, then warped by the Yeo-Johnson transformation whose power
    makes them most likely normal, and standardised again. The values of a
    search are far from normal: most candidates score near the best, a few
    much worse, and a Gaussian process fitted to them spends its amplitude on
    the bad ones while the good ones look alike to it. The warp is monotone,
    so the best value stays the best, and the standardisation makes it the
    same for any units and offset of the score.

    Parameters
    ----------
    y : array-like of shape (n_observations,)
        Finite values, to minimise.

    Returns
    -------
    targets : ndarray of shape (n_observations,)
        Unchanged when there are fewer than 3 values or all are equal (after
        the compression).
    """
    y = compress_far_outliers(y)
    if len(y) < 3 or not np.ptp(y) > 0:
        return y
    return yeo_johnson((y - y.mean()) / y.std())


def yeo_johnson(z):
    """Return ``z`` Yeo-Johnson transformed by its most likely power, standardised.

    The power is the maximum-likelihood one (as ``scipy.stats.yeojohnson``
    finds by Brent's method) among :data:`YEO_JOHNSON_POWERS`, all evaluated
    in one array operation: a few hundredths of a millisecond for a search's
    values, against milliseconds for scipy's or scikit-learn's fit.

    Parameters
    ----------
    z : ndarray of shape (n_observations,)
        Standardised values, not all equal.

    Returns
    -------
    warped : ndarray of shape (n_observations,)
    """
    magnitude = np.log1p(np.abs(z))
    positive = z >= 0
    powers = YEO_JOHNSON_POWERS[:, None]
    power = np.where(positive, powers, 2.0 - powers)
    warped = np.expm1(power * magnitude) / power
    warped = np.where(positive, warped, -warped)
    variance = warped.var(axis=1)
    likelihood = -0.5 * len(z) * np.log(variance) + (YEO_JOHNSON_POWERS - 1.0) * np.sum(
        np.sign(z) * magnitude
    )
    best = warped[np.argmax(likelihood)]
    return (best - best.mean()) / best.std()


def compress_far_outliers(y):
    """Return the values, those far worse than the others compressed.

    Values beyond Tukey's far-out fence (the third quartile plus three
    interquartile ranges) are brought back towards it on a logarithmic scale,
    in the same order. A few disastrous candidates (a diverging fit, a
    degenerate model) then no longer set the scale the surrogate learns,
    which would make every good candidate look alike; the values within the
    fence, the whole of a well-behaved objective, are kept as they are.

    Parameters
    ----------
    y : array-like of shape (n_observations,)
        Finite values, to minimise.

    Returns
    -------
    compressed : ndarray of shape (n_observations,)
        A new array; ``y`` itself when nothing is compressed.
    """
    y = np.asarray(y, dtype=float)
    if len(y) < 4:
        return y
    first, third = np.percentile(y, [25, 75])
    spread = third - first
    fence = third + 3 * spread
    far = y > fence
    if not spread > 0 or not far.any():
        return y
    compressed = y.copy()
    compressed[far] = fence + spread * np.log1p((y[far] - fence) / spread)
    return compressed
