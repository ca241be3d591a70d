"""Where to look next: acquisition functions and the points they are judged on.

Here: the acquisition functions (expected and probable improvement, lower
confidence bound, their per-second forms) computed from a surrogate's
predicted mean and standard deviation; ``gp_hedge``'s gains; the pool of
points they are evaluated on (random points and local moves around the best
ones); the choice of the best point of the pool, read best first, those
apart from every point seen before the others, and of the best point of a
small finite space searched exactly; the L-BFGS polish of
``acq_optimizer="lbfgs"``. Which points may be proposed (neither told nor
taken) is the optimizer's to say; coordinates are :mod:`._coordinates`'.
"""

import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import cKDTree
from scipy.special import ndtr
from skopt.space import Categorical, Integer

ACQUISITION_FUNCTIONS = ("gp_hedge", "EI", "PI", "LCB", "EIps", "PIps")
# What gp_hedge chooses among, in scikit-optimize's order.
HEDGED = ("EI", "LCB", "PI")
# Number of points of the pool, and how it shrinks as the cost of the
# surrogate's prediction at each point (linear in the observations learnt)
# grows.
POOL_SIZE = 2000
POOL_BUDGET = 1e5
MIN_POOL_SIZE = 300
LOCAL_FRACTION = 0.5
LOCAL_SCALE = 0.1
N_LOCAL_CENTRES = 5
CATEGORY_SWITCH = 0.2
# How often a local move past a bound stops on it (unless the point moved lies
# on that bound already) instead of being reflected into the range.
BOUND_STOP = 0.5
# Fraction of a transformed coordinate's range within which two points are
# too close for the second to be worth evaluating while others are apart.
RESOLUTION = 0.003
# Pool points decoded, and compared with the points seen, at a time while
# looking for one to propose.
DECODED_AT_ONCE = 8
COMPARED_AT_ONCE = 256
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


def check_acquisition(acq_func, acq_optimizer):
    """Raise a ValueError unless both name an acquisition function and optimizer."""
    if acq_func not in ACQUISITION_FUNCTIONS:
        raise ValueError(
            f"acq_func must be one of {', '.join(ACQUISITION_FUNCTIONS)}; "
            f"got {acq_func!r}"
        )
    if acq_optimizer not in ("sampling", "lbfgs"):
        raise ValueError(
            f"acq_optimizer must be 'sampling' or 'lbfgs', got {acq_optimizer!r}"
        )


def acquisition(
    name, mean, std, y_opt, acq_func_kwargs=None, time_mean=None, time_std=None
):
    """Return an acquisition function's values; lower is better.

    As scikit-optimize's ``gaussian_ei``, ``gaussian_pi`` and
    ``gaussian_lcb`` (negated where they are to maximise), from predictions
    made once for every function evaluated on the same points.

    Parameters
    ----------
    name : {"EI", "PI", "LCB", "EIps", "PIps"}
    mean, std : ndarray of shape (n_points,)
        The surrogate's prediction of the values to minimise.
    y_opt : float
        The best value the surrogate learnt.
    acq_func_kwargs : dict or None, default=None
        ``xi`` (0.01), the improvement sought by EI and PI; ``kappa`` (1.96),
        the weight of the standard deviation in LCB (``"inf"``: only it).
    time_mean, time_std : ndarray of shape (n_points,) or None, default=None
        The prediction of the log fit time, for the per-second functions,
        which divide by its expected exponential.

    Returns
    -------
    values : ndarray of shape (n_points,)
    """
    kwargs = acq_func_kwargs or {}
    if name == "LCB":
        kappa = kwargs.get("kappa", 1.96)
        return -std if kappa == "inf" else mean - kappa * std
    xi = kwargs.get("xi", 0.01)
    values = np.zeros_like(mean)
    positive = std > 0
    improvement = y_opt - xi - mean[positive]
    scaled = improvement / std[positive]
    if name in ("EI", "EIps"):
        density = _INV_SQRT_2PI * np.exp(-0.5 * scaled**2)
        values[positive] = -(improvement * ndtr(scaled) + std[positive] * density)
    elif name in ("PI", "PIps"):
        values[positive] = -ndtr(scaled)
    else:
        raise ValueError(f"unknown acquisition function {name!r}")
    if name.endswith("ps"):
        values *= np.exp(-time_mean + 0.5 * time_std**2)
    return values


class Hedge:
    """``gp_hedge``'s choice among EI, LCB and PI, by their past gains.

    Each proposal is made by one of them, drawn with probabilities
    ``softmax(eta * gains)``; once the next surrogate is fitted, each one's
    gain decreases by the mean that surrogate predicts at the point it
    preferred (Hoffman, Brochu & de Freitas, 2011), as in scikit-optimize.

    Parameters
    ----------
    eta : float, default=1.0

    Attributes
    ----------
    gains : ndarray of shape (3,)
    candidates : list of ndarray or None
        The transformed point each function preferred at the last proposal.
    """

    def __init__(self, eta=1.0):
        self.eta = eta
        self.gains = np.zeros(len(HEDGED))
        self.candidates = None

    def choose(self, random_state):
        """Return the index of the function that makes the next proposal."""
        logits = self.gains - np.max(self.gains)
        probabilities = np.exp(self.eta * logits)
        probabilities /= probabilities.sum()
        return int(np.argmax(random_state.multinomial(1, probabilities)))

    def learn(self, model):
        """Update the gains from a newly fitted surrogate's predictions."""
        if self.candidates is not None:
            self.gains -= np.asarray(model.predict(np.vstack(self.candidates)))


def pool_size(n_observations, n_columns):
    """Return how many points the acquisition function is evaluated on.

    ``min(2000, 300 + 200 * n_columns)``, shrinking as ``1e5 /
    n_observations`` (of those the surrogate learns) as each prediction gets
    dearer, but never below 300: 500 points past 200 observations.
    """
    largest = min(POOL_SIZE, MIN_POOL_SIZE + 200 * n_columns)
    n = max(n_observations, 1)
    return int(min(largest, max(MIN_POOL_SIZE, POOL_BUDGET / n)))


def local_moves(coordinates, centres, n_points, random_state, donors):
    """Return points moved at random from ``centres``, in transformed coordinates.

    Along a numeric dimension a point moves by a Gaussian step of
    :data:`LOCAL_SCALE` of the range. A step past a bound stops on the bound
    with probability :data:`BOUND_STOP` and is reflected into the range
    otherwise: many best values lie on a bound (the largest ``C`` of a
    support vector machine, no minimum impurity decrease for a forest), which
    random points never reach. A centre already on a bound is always
    reflected from it, so that it is explored around and not repeated. On an
    integer dimension a point lands on an integer, the point that would be
    evaluated. A category is switched, with probability
    :data:`CATEGORY_SWITCH`, to that of a random row of ``donors``. The fixed
    dimensions are set.

    Parameters
    ----------
    coordinates : Coordinates
    centres : ndarray of shape (n_centres, n_columns)
    n_points : int
    random_state : RandomState instance
    donors : ndarray of shape (n_donors, n_columns)
        Rows drawn from the prior.

    Returns
    -------
    rows : ndarray of shape (n_points, n_columns)
    """
    rng = random_state
    local = centres[rng.randint(len(centres), size=n_points)].copy()
    bounds = coordinates.bounds
    for dimension, columns in zip(coordinates.space.dimensions, coordinates.columns):
        if isinstance(dimension, Categorical):
            switch = rng.rand(n_points) < CATEGORY_SWITCH
            chosen = rng.randint(len(donors), size=switch.sum())
            local[switch, columns] = donors[chosen, columns]
            continue
        noise = rng.normal(0.0, LOCAL_SCALE, size=n_points)
        low, high = bounds[columns, 0], bounds[columns, 1]
        centre = local[:, columns]
        moved = centre + (noise * (high - low))[:, None]
        stop = (moved < low) | (moved > high)
        stop &= rng.rand(*moved.shape) < BOUND_STOP
        stop &= (centre > low) & (centre < high)
        reflected = high - np.abs(high - (low + np.abs(moved - low)))
        moved = np.clip(np.where(stop, moved, reflected), low, high)
        if isinstance(dimension, Integer):
            values = dimension.inverse_transform(moved[:, 0])
            moved = np.asarray(dimension.transform(values), dtype=float).reshape(
                n_points, -1
            )
        local[:, columns] = moved
    return coordinates.fix(local)


def pool(coordinates, size, random_state, centres=None):
    """Return the pool: random points, and as many moved from ``centres``.

    Parameters
    ----------
    coordinates : Coordinates
    size : int
    random_state : RandomState instance
    centres : ndarray of shape (n_centres, n_columns) or None, default=None
        The best points seen; None or empty for random points only.

    Returns
    -------
    rows : ndarray of shape (size, n_columns)
    """
    n_local = int(size * LOCAL_FRACTION) if centres is not None and len(centres) else 0
    rows = coordinates.sample(size - n_local, random_state)
    if not n_local:
        return rows
    moved = local_moves(coordinates, centres, n_local, random_state, donors=rows)
    return np.vstack([rows, moved])


def best_first(values, first=16):
    """Yield the indices of ``values``, smallest first, in two chunks.

    The ``first`` smallest, sorted; then the rest, sorted: most proposals
    read only the first few, which a partial sort finds.
    """
    if len(values) <= first:
        yield np.argsort(values, kind="stable")
        return
    head = np.argpartition(values, first - 1)[:first]
    yield head[np.argsort(values[head], kind="stable")]
    rest = np.ones(len(values), dtype=bool)
    rest[head] = False
    order = np.argsort(values, kind="stable")
    yield order[rest[order]]


def apart_from(rows, seen, resolution):
    """Whether each row differs from every seen row by a resolution step.

    A cross-validated score barely changes closer than a few thousandths
    of a coordinate's range (the same splits give the same score to nearly
    the same model), so a point that close to one already evaluated teaches
    the surrogate nothing; it is chosen only when no point apart is left.
    The step is :data:`RESOLUTION` of the range; a hundredth, which on a
    log range of four decades (a logistic regression's ``C`` in ``[1e-2,
    1e2]``) keeps candidates a tenth of the value apart, found worse models
    on Bayesmark's problems.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_columns)
    seen : ndarray of shape (n_seen, n_columns)
    resolution : ndarray of shape (n_columns,) or float
        The step along each column.

    Returns
    -------
    apart : ndarray of bool of shape (n_rows,)
    """
    return SeenPoints(seen, resolution).apart(rows)


class SeenPoints:
    """The points seen, indexed to tell which rows are apart from all of them.

    A row is close to a seen point when it differs by less than a resolution
    step along every column: in units of the steps, within a Chebyshev
    distance of 1. A k-d tree of the seen points in those units finds the
    few within that distance in O(log n) per row, where comparing with every
    point seen costs O(n), and a proposal compares a few dozen rows with up
    to thousands of points.

    Parameters
    ----------
    seen : ndarray of shape (n_seen, n_columns)
    resolution : ndarray of shape (n_columns,) or float
        The step along each column.
    """

    def __init__(self, seen, resolution):
        seen = np.asarray(seen, dtype=float)
        self._scale = None
        self._tree = None
        if not len(seen):
            return
        resolution = np.broadcast_to(
            np.asarray(resolution, dtype=float), seen.shape[1:]
        )
        if np.all(resolution > 0):
            # a zero step makes no point close: every row is apart
            self._seen, self._resolution = seen, resolution
            self._scale = 1.0 / resolution
            self._tree = cKDTree(seen * self._scale)

    def apart(self, rows):
        """Whether each of ``rows`` is apart from every point seen.

        Parameters
        ----------
        rows : ndarray of shape (n_rows, n_columns)

        Returns
        -------
        apart : ndarray of bool of shape (n_rows,)
        """
        rows = np.asarray(rows, dtype=float)
        if self._tree is None or not len(rows):
            return np.ones(len(rows), dtype=bool)
        distance, _ = self._tree.query(
            rows * self._scale, k=1, p=np.inf, distance_upper_bound=1.0 + 1e-9
        )
        apart = distance >= 1.0
        # within a rounding of a step, closer or not is decided in the units
        # given, as for every other row
        for index in np.flatnonzero(np.abs(distance - 1.0) <= 1e-9):
            close = np.abs(self._seen - rows[index]) < self._resolution
            apart[index] = not close.all(axis=1).any()
        return apart


def choose(values, pool, decode, acceptable, seen, resolution):
    """Return the best point of the pool that may be proposed, or None.

    The pool's rows are read best first (:func:`best_first`); while rows
    apart from every point seen are left (:func:`apart_from`), closer ones
    are passed over, and the best few of those are tried last.

    Parameters
    ----------
    values : ndarray of shape (n_rows,)
        The acquisition function's values on the pool; lower is better.
    pool : ndarray of shape (n_rows, n_columns)
    decode : callable
        Maps transformed rows to points (``Coordinates.decode``).
    acceptable : callable
        Whether a point may be proposed (neither told nor taken, within the
        space's constraint).
    seen : ndarray of shape (n_seen, n_columns)
        The points told, transformed.
    resolution : ndarray of shape (n_columns,)
        See :func:`apart_from`.

    Returns
    -------
    point : list or None
    """
    near = []
    seen = SeenPoints(seen, resolution)
    for ordered in best_first(values):
        # compared with the points seen a chunk at a time: most proposals are
        # found among the first rows
        for start in range(0, len(ordered), COMPARED_AT_ONCE):
            rows = ordered[start : start + COMPARED_AT_ONCE]
            apart = seen.apart(pool[rows])
            point = _first_acceptable(rows[apart], pool, decode, acceptable)
            if point is not None:
                return point
            near.extend(rows[~apart][: DECODED_AT_ONCE - len(near)])
    return _first_acceptable(np.asarray(near, dtype=int), pool, decode, acceptable)


def _first_acceptable(rows, pool, decode, acceptable):
    """Return the first point of the pool's ``rows`` that may be proposed, or None.

    Rows are decoded a few at a time: most proposals need the first.
    """
    for start in range(0, len(rows), DECODED_AT_ONCE):
        for point in decode(pool[rows[start : start + DECODED_AT_ONCE]]):
            if acceptable(point):
                return point
    return None


def choose_on_grid(values, points, rows, is_taken=None):
    """Return the best point of a finite grid not taken, or None.

    The exact search of a small finite space: the acquisition function was
    evaluated at each of its points not told (``rows`` of ``points``); the
    first, best first, that the search has not taken either is proposed.

    Parameters
    ----------
    values : ndarray of shape (n_rows,)
    points : list of list
        The grid's points.
    rows : ndarray of int of shape (n_rows,)
        The grid's points the values are of.
    is_taken : callable or None, default=None

    Returns
    -------
    point : list or None
    """
    for order in best_first(values):
        for index in order:
            point = points[rows[index]]
            if is_taken is None or not is_taken(point):
                return list(point)
    return None


def polished(evaluate, pool, acquisitions, bounds, n_starts):
    """Return the pool and values with the points L-BFGS-B reaches added.

    What ``acq_optimizer="lbfgs"`` does: each acquisition function is
    minimised by :func:`polish` from its ``n_starts`` best points of the
    pool, and every function is evaluated at the points reached.

    Parameters
    ----------
    evaluate : callable
        Maps rows to the list of each function's values on them.
    pool : ndarray of shape (n_rows, n_columns)
    acquisitions : list of ndarray of shape (n_rows,)
        Each function's values on the pool.
    bounds : ndarray of shape (n_columns, 2)
    n_starts : int

    Returns
    -------
    pool : ndarray of shape (n_rows + n_reached, n_columns)
    acquisitions : list of ndarray of shape (n_rows + n_reached,)
    """
    reached = []
    for position, values in enumerate(acquisitions):
        best = np.argsort(values, kind="stable")[:n_starts]

        def objective(rows, position=position):
            return evaluate(rows)[position]

        reached.append(polish(objective, pool[best], bounds))
    reached = np.vstack(reached)
    more = evaluate(reached)
    return (
        np.vstack([pool, reached]),
        [np.concatenate(pair) for pair in zip(acquisitions, more)],
    )


def polish(objective, starts, bounds, maxiter=20, step=1e-8):
    """Return the points L-BFGS-B reaches from each start, minimising ``objective``.

    The gradient is taken by forward differences of ``step`` (L-BFGS-B's
    own default), all evaluated in one call: the surrogate's predictions are
    all it needs, and one prediction of a few points costs about what one
    of a single point does.

    Parameters
    ----------
    objective : callable
        Maps transformed rows, shape (n_rows, n_columns), to their values.
    starts : ndarray of shape (n_starts, n_columns)
    bounds : ndarray of shape (n_columns, 2)
    maxiter : int, default=20
    step : float, default=1e-8

    Returns
    -------
    rows : ndarray of shape (n_starts, n_columns)
    """

    def value_and_gradient(x):
        # a step into the bounds, backwards on the upper one
        steps = np.where(x + step <= bounds[:, 1], step, -step)
        values = objective(np.vstack([x, x + np.diag(steps)]))
        return values[0], (values[1:] - values[0]) / steps

    reached = []
    for start in starts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimum = minimize(
                value_and_gradient,
                start,
                method="L-BFGS-B",
                jac=True,
                bounds=bounds,
                options={"maxiter": maxiter},
            )
        reached.append(np.clip(optimum.x, bounds[:, 0], bounds[:, 1]))
    return np.asarray(reached, dtype=float).reshape(len(starts), -1)
