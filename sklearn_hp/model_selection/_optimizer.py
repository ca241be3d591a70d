"""scikit-optimize's ``Optimizer``, configured and wrapped to cost little.

The search proposes candidates with scikit-optimize's own machinery: its
``Space`` samples and transforms points, its surrogates (a Gaussian process by
default, random forests, extra trees, gradient boosting) model the objective,
its acquisition functions choose where to look next. What makes its defaults
slow on searches whose fits take milliseconds is changed here:

- the Gaussian process re-optimises its kernel's hyperparameters only when
  the number of observations has grown by half since the last time,
  starting from the kernel it learnt then, a few L-BFGS-B steps on the
  log-marginal likelihood (the kernel's own values and gradient) without
  the input validation of ``fit`` (from several random starts only when the
  observations have quadrupled); in between it is refit with the kernel it
  learnt last, which costs one Cholesky factorisation;
- the default Gaussian process learns its kernel's hyperparameters as the
  most probable under Gamma priors (length scales near half the range of
  a transformed coordinate, an amplitude of a few standard deviations of
  the values, little noise) rather than by likelihood alone, which on a
  search's first points often settles on a kernel that calls everything
  noise;
- points are transformed to the surrogate's coordinates once, when told,
  and the acquisition pool is sampled dimension by dimension in those
  coordinates, instead of point by point;
- the acquisition function is minimised over a pool of random points plus
  points near the best ones seen, evaluated in one vectorised prediction
  (``gp_hedge`` predicts once for its three acquisition functions), instead
  of L-BFGS from several starts; ``acq_optimizer="lbfgs"`` restores that;
- a batch of ``n_points`` is proposed with the constant-liar strategy
  without copying the optimizer (scikit-optimize's ``ask(n_points)`` refits
  the surrogate from scratch on a copy);
- only the newest surrogate is kept (``model_queue_size=1``), so memory does
  not grow with the number of iterations;
- proposing and learning run BLAS on one thread: the surrogate's matrices
  have a few dozen to a few hundred rows, on which waking a multi-threaded
  BLAS's threads costs milliseconds per call, more than the work;
- a point already evaluated (or proposed in the same batch) is never proposed
  again: the best point of the pool not yet taken is used instead, and a
  finite space is enumerated when few of its points are left; while the pool
  has points a hundredth of a coordinate's range away from every point seen,
  none closer is proposed;
- the surrogate learns the values told with those beyond Tukey's far-out
  fence compressed on a logarithmic scale, so that a few disastrous
  candidates do not set its scale, then standardised and warped by the
  Yeo-Johnson transformation of the most likely power: a search's values,
  most near the best and a tail of bad ones, become close to normal, as a
  Gaussian process assumes, and the acquisition functions' margin ``xi``
  (0.01 in the units of what they are given) means the same whatever the
  units of the score. The surrogates of ``OptimizerRecord.result`` learn the
  values themselves, for plots in the score's units.
"""

import copy
import functools
import itertools
import math
import warnings

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import fmin_l_bfgs_b
from sklearn.base import clone
from skopt import Optimizer as _SkoptOptimizer
from skopt.acquisition import _gaussian_acquisition, gaussian_acquisition_1D
from skopt.learning import GaussianProcessRegressor, GradientBoostingQuantileRegressor
from skopt.learning.gaussian_process.gpr import _param_for_white_kernel_in_Sum
from skopt.learning.gaussian_process.kernels import WhiteKernel
from skopt.space import Categorical, Integer, Real
from skopt.utils import create_result
from threadpoolctl import ThreadpoolController

# optimizer_kwargs accepted, with the meaning scikit-optimize's Optimizer gives
# them; ``dimensions`` and ``random_state`` come from the search itself.
OPTIMIZER_KWARGS = (
    "base_estimator",
    "n_initial_points",
    "initial_point_generator",
    "acq_func",
    "acq_optimizer",
    "acq_func_kwargs",
    "acq_optimizer_kwargs",
    "model_queue_size",
    "n_jobs",
    "space_constraint",
)
# Number of points of the acquisition pool, and how it shrinks as the
# Gaussian process's prediction cost (quadratic in observations) grows.
_POOL_SIZE = 2000
_POOL_BUDGET = 1e8
_MIN_POOL_SIZE = 300
# Growth of the number of observations that makes the kernel's
# hyperparameters worth optimising again, from the last optimum, and from
# several random starts.
_KERNEL_REFIT_GROWTH = 1.5
_KERNEL_RESTART_GROWTH = 4.0
_REFINE_STEPS = 8
# The first optimisation, from the default kernel on the initial points only,
# is refined as observations come: run to convergence, it took 50 to 70
# evaluations of the likelihood, mostly to move hyperparameters that the few
# points hardly determine.
_FIRST_FIT_STEPS = 20
# A finite space up to this size is searched exactly: the acquisition function
# is evaluated at every point not yet taken.
_MAX_EXACT = 5000
_LOCAL_FRACTION = 0.5
# Fraction of a transformed coordinate's range within which two points are
# too close for the second to be worth evaluating while others are apart.
_RESOLUTION = 0.01
# Pool points decoded at a time while looking for one to propose.
_DECODED_AT_ONCE = 8
_LOCAL_SCALE = 0.1
_N_LOCAL_CENTRES = 5
_MAX_ENUMERATED = 100_000
# Priors of the default Gaussian process's kernel hyperparameters: the shape
# and rate of a Gamma distribution over each value (BoTorch's long-standing
# defaults for inputs scaled to [0, 1] and standardised outputs). Learnt by
# maximum likelihood alone from the few points of a search's start, the
# kernel often explains every value as noise, or sets a length scale on a
# bound, and the surrogate then predicts nothing.
_KERNEL_PRIORS = {
    "length_scale": (3.0, 6.0),
    "constant_value": (2.0, 0.15),
    "noise_level": (1.1, 0.05),
}


class GBRTSurrogate(GradientBoostingQuantileRegressor):
    """scikit-optimize's gradient-boosting surrogate, fixed for current libraries.

    scikit-optimize 0.10.2's ``GradientBoostingQuantileRegressor`` is not
    recognised as a regressor by scikit-learn >= 1.6 (its tags are
    BaseEstimator's) and calls ``np.in1d``, which numpy 2.4 removed.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        return tags

    def predict(self, X, return_std=False, return_quantiles=False):
        """Predict the median, and optionally the spread of the quantiles."""
        if not return_std or return_quantiles:
            return super().predict(X, return_quantiles=return_quantiles)
        quantiles = list(self.quantiles)
        if not all(q in quantiles for q in (0.16, 0.5, 0.84)):
            raise ValueError(
                "return_std works only if the quantiles include 0.16, 0.5 and 0.84"
            )
        low, mean, high = (
            self.regressors_[quantiles.index(q)].predict(X) for q in (0.16, 0.5, 0.84)
        )
        return mean, (high - low) / 2.0


def _gbrt_surrogate(base_estimator, random_state):
    from sklearn.ensemble import GradientBoostingRegressor

    if isinstance(base_estimator, GradientBoostingQuantileRegressor):
        return GBRTSurrogate(**base_estimator.get_params(deep=False))
    return GBRTSurrogate(
        base_estimator=GradientBoostingRegressor(n_estimators=30, loss="quantile"),
        random_state=random_state,
    )


class _CachedPrediction:
    """A surrogate whose predictions on one pool are computed once.

    ``gp_hedge`` evaluates three acquisition functions on the same points; each
    asks the model for the same mean and standard deviation.
    """

    def __init__(self, model, X):
        self.model = model
        self.X = X
        self.mean, self.std = _gp_mean_and_std(model, X)

    def predict(self, X, return_std=False, **kwargs):
        if X is self.X and not kwargs:
            return (self.mean, self.std) if return_std else self.mean
        return self.model.predict(X, return_std=return_std, **kwargs)


def _predict_mean(model, X):
    """Predict the mean, without the input checks of ``predict`` for a GP."""
    if isinstance(model, GaussianProcessRegressor):
        K_trans = model.kernel_(X, model.X_train_)
        return K_trans.dot(model.alpha_) * model.y_train_std_ + model.y_train_mean_
    return model.predict(X)


def _gp_mean_and_std(model, X):
    """Compute the mean and standard deviation a fitted skopt GP predicts.

    As ``model.predict(X, return_std=True)``, whose variance term is a
    three-operand ``einsum`` (quadratic in the observations for every point,
    outside BLAS); here it is one matrix product and a row-wise sum.
    """
    K_trans = model.kernel_(X, model.X_train_)
    mean = K_trans.dot(model.alpha_) * model.y_train_std_ + model.y_train_mean_
    variance = model.kernel_.diag(X) - np.einsum(
        "ij,ij->i", K_trans @ model.K_inv_, K_trans
    )
    # Rounding can make a variance slightly negative; it is zero.
    variance = np.maximum(variance, 0.0) * model.y_train_std_**2
    return mean, np.sqrt(variance)


class Optimizer(_SkoptOptimizer):
    """scikit-optimize's ``Optimizer`` with cheap refits and batch proposals.

    Takes scikit-optimize's arguments, and ``fixed``: dimension indices to
    the value every proposed point has there (a fidelity the surrogate
    learns from but that proposals are made at). ``point_key`` maps a point
    to a hashable identity, ``is_taken`` says whether a point was already
    evaluated by the search (possibly in another sub-space); both are set by
    the search.
    """

    def __init__(self, dimensions, fixed=None, point_key=None, is_taken=None, **kwargs):
        kwargs.setdefault("model_queue_size", 1)
        self._fast_acquisition = kwargs.get("acq_optimizer", "sampling") == "sampling"
        kwargs.setdefault("acq_optimizer", "sampling")
        base_estimator = kwargs.get("base_estimator", "GP")
        random_state = kwargs.get("random_state")
        if (
            isinstance(base_estimator, str) and base_estimator.upper() == "GBRT"
        ) or isinstance(base_estimator, GradientBoostingQuantileRegressor):
            kwargs["base_estimator"] = _gbrt_surrogate(base_estimator, random_state)
        # scikit-optimize's "dummy" (random search) asks scikit-learn >= 1.6
        # whether None is a regressor, which raises: build with a placeholder.
        dummy = isinstance(base_estimator, str) and base_estimator.upper() == "DUMMY"
        if dummy:
            kwargs["base_estimator"] = "ET"
        with warnings.catch_warnings():
            # scikit-optimize warns about its own defaults on construction
            warnings.simplefilter("ignore")
            super().__init__(dimensions, **kwargs)
        if dummy:
            self.base_estimator_ = None
        self.fixed = dict(fixed or {})
        # the surrogate built here learns its kernel under priors; one given
        # by the user by likelihood alone, as scikit-optimize's fit does
        self._kernel_priors = (
            _KERNEL_PRIORS
            if isinstance(base_estimator, str) and base_estimator.upper() == "GP"
            else None
        )
        self.point_key = point_key or tuple
        self.is_taken = is_taken
        # every value told, NaN for a failed candidate, and those told before
        # any finite one, to tell once there is something to compare with
        self._values = []
        self._pending = []
        self._taken = set()
        # the kernel learnt last, and how to refit the surrogate with it
        self._posterior = None
        self._n_at_kernel_fit = 0
        self._n_at_restarts = 0
        self._reuse_kernel_only = False
        self._Xt = []
        self._modelled = []
        self._grid_points, self._grid_X, self._grid_index = _enumerate(self.space)
        self._grid_free = (
            None if self._grid_points is None else np.ones(len(self._grid_points), bool)
        )
        self._categorical_rows = {
            index: np.asarray(
                dimension.transform(list(dimension.categories)), dtype=float
            ).reshape(len(dimension.categories), -1)
            for index, dimension in enumerate(self.space.dimensions)
            if isinstance(dimension, Categorical)
        }
        self._category_positions = {
            index: {category: row for row, category in enumerate(dimension.categories)}
            for index, dimension in enumerate(self.space.dimensions)
            if isinstance(dimension, Categorical)
        }
        self._column_slices = self._dimension_columns()
        bounds = np.asarray(self.space.transformed_bounds, dtype=float)
        self._resolution = _RESOLUTION * (bounds[:, 1] - bounds[:, 0])
        self._fixed_columns = [
            (
                self._column_slices[index],
                np.asarray(
                    self.space.dimensions[index].transform([value]), dtype=float
                ).ravel(),
            )
            for index, value in self.fixed.items()
        ]

    # -- points ---------------------------------------------------------------

    def _dimension_columns(self):
        slices, start = [], 0
        for dimension in self.space.dimensions:
            size = dimension.transformed_size
            slices.append(slice(start, start + size))
            start += size
        return slices

    def _is_taken(self, point):
        key = self.point_key(point)
        if key in self._taken:
            return True
        return self.is_taken is not None and self.is_taken(point)

    def _with_fixed(self, point):
        """Return a point with its fixed dimensions set."""
        if point is None or not self.fixed:
            return point
        point = list(point)
        for index, value in self.fixed.items():
            point[index] = value
        return point

    def _fix_columns(self, rows):
        for columns, value in self._fixed_columns:
            rows[:, columns] = value
        return rows

    def _random_untaken(self, n_tries=200):
        """Return a random point not yet taken, or None when none is left."""
        for _ in range(n_tries):
            point = self._with_fixed(
                self.space.rvs(n_samples=1, random_state=self.rng)[0]
            )
            if not self._is_taken(point):
                return point
        remaining = self._untaken_grid()
        if not remaining:
            return None
        return remaining[self.rng.randint(len(remaining))]

    def _untaken_grid(self):
        """Every point not yet taken of a small finite space, else []."""
        size = 1
        for dimension in self.space.dimensions:
            if not isinstance(dimension, Categorical | Integer):
                return []
            size *= len(_dimension_values(dimension))
            if size > _MAX_ENUMERATED:
                return []
        grids = [_dimension_values(d) for d in self.space.dimensions]
        points = (list(p) for p in itertools.product(*grids))
        return [p for p in points if not self._is_taken(p)]

    # -- surrogate --------------------------------------------------------------

    def _fit_surrogate(self, y):
        """Fit the surrogate to the points told and ``y``, their targets."""
        X = np.asarray(self._Xt, dtype=float)
        model = self.base_estimator_
        if not isinstance(model, GaussianProcessRegressor):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return clone(model).fit(X, y)
        n = len(y)
        posterior = self._posterior
        if posterior is not None and (
            self._reuse_kernel_only or n < _KERNEL_REFIT_GROWTH * self._n_at_kernel_fit
        ):
            return posterior.fit(X, y)
        priors = self._kernel_priors
        if posterior is None and model.kernel is not None:
            # The first optimisation starts from the default kernel only; the
            # random restarts come when the observations have grown.
            kernel = _optimised_kernel(
                model,
                _with_noise_term(model),
                X,
                y,
                maxiter=_FIRST_FIT_STEPS,
                priors=priors,
            )
            self._n_at_restarts = n
        elif posterior is not None and n < _KERNEL_RESTART_GROWTH * self._n_at_restarts:
            kernel = _optimised_kernel(
                model, posterior.kernel, X, y, maxiter=_REFINE_STEPS, priors=priors
            )
        elif priors is not None and posterior is not None:
            # What fit does, from the last kernel and random starts, with priors
            bounds = posterior.kernel.bounds
            starts = self.rng.uniform(
                bounds[:, 0],
                bounds[:, 1],
                size=(model.n_restarts_optimizer, len(bounds)),
            )
            kernel = _optimised_kernel(
                model,
                posterior.kernel,
                X,
                y,
                maxiter=None,
                priors=priors,
                starts=starts,
            )
            self._n_at_restarts = n
        else:
            restarted = clone(model).set_params(
                kernel=None if posterior is None else posterior.kernel
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                restarted.fit(X, y)
            kernel = _kernel_with_noise(restarted)
            self._n_at_restarts = n
        self._posterior = _KernelPosterior(model, kernel)
        self._n_at_kernel_fit = n
        return self._posterior.fit(X, y)

    def _transform(self, points):
        """Transform points dimension by dimension; categories by table lookup.

        scikit-optimize's ``Space.transform`` encodes categories through
        scikit-learn's validated ``LabelEncoder``, which costs milliseconds
        even for one point.
        """
        columns = []
        for index, dimension in enumerate(self.space.dimensions):
            values = [point[index] for point in points]
            rows = self._categorical_rows.get(index)
            if rows is not None:
                position = self._category_positions[index]
                columns.append(rows[[position[value] for value in values]])
            else:
                columns.append(
                    np.asarray(dimension.transform(values), dtype=float).reshape(
                        len(values), -1
                    )
                )
        return np.hstack(columns)

    def _sample_transformed(self, n_samples):
        """Draw points from the space's prior, in transformed coordinates."""
        columns = []
        for index, dimension in enumerate(self.space.dimensions):
            rows = self._categorical_rows.get(index)
            if rows is not None:
                prior = dimension.prior
                if prior is not None:
                    prior = np.asarray(prior, dtype=float) / np.sum(prior)
                choice = self.rng.choice(len(rows), size=n_samples, p=prior)
                columns.append(rows[choice])
            elif _uniform_when_normalised(dimension):
                # What sampling the prior and normalising gives, drawn directly.
                if isinstance(dimension, Integer):
                    span = dimension.high - dimension.low
                    steps = self.rng.randint(span + 1, size=n_samples)
                    column = steps / span if span else np.zeros(n_samples)
                else:
                    column = self.rng.uniform(0.0, 1.0, size=n_samples)
                columns.append(column[:, None])
            else:
                values = dimension.rvs(n_samples=n_samples, random_state=self.rng)
                columns.append(
                    np.asarray(dimension.transform(values), dtype=float).reshape(
                        n_samples, -1
                    )
                )
        return self._fix_columns(np.hstack(columns))

    def _pool(self, model):
        """Random points, and points near the best ones, in transformed space."""
        n_obs = max(len(self.yi), 1)
        largest = min(_POOL_SIZE, _MIN_POOL_SIZE + 200 * self.space.transformed_n_dims)
        size = int(min(largest, max(_MIN_POOL_SIZE, _POOL_BUDGET / n_obs**2)))
        if not self._fast_acquisition:
            size = self.n_points
        n_local = int(size * _LOCAL_FRACTION) if self._fast_acquisition else 0
        pool = self._sample_transformed(size - n_local)
        if n_local == 0 or not self.Xi:
            return pool
        best = np.argsort(self.yi)[:_N_LOCAL_CENTRES]
        centres = np.asarray(self._Xt, dtype=float)[best]
        local = centres[self.rng.randint(len(centres), size=n_local)].copy()
        bounds = np.asarray(self.space.transformed_bounds, dtype=float)
        for dimension, columns in zip(self.space.dimensions, self._column_slices):
            # Move along numeric dimensions; switch categories now and then.
            if isinstance(dimension, Categorical):
                switch = self.rng.rand(n_local) < 0.2
                donors = self.rng.randint(len(pool), size=switch.sum())
                local[switch, columns] = pool[donors, columns]
            else:
                noise = self.rng.normal(0.0, _LOCAL_SCALE, size=n_local)
                low, high = bounds[columns, 0], bounds[columns, 1]
                moved = local[:, columns] + (noise * (high - low))[:, None]
                # Reflected, not clipped, at the bounds: clipping would put
                # many points of a centre on a bound on the centre itself.
                moved = high - np.abs(high - (low + np.abs(moved - low)))
                moved = np.clip(moved, low, high)
                if isinstance(dimension, Integer):
                    # onto the integers: the points that would be evaluated
                    values = dimension.inverse_transform(moved[:, 0])
                    moved = np.asarray(
                        dimension.transform(values), dtype=float
                    ).reshape(n_local, -1)
                local[:, columns] = moved
        return np.vstack([pool, self._fix_columns(local)])

    def _acquisition_values(self, model, pool, y_opt):
        """Each acquisition function's values on the pool; lower is better.

        ``y_opt`` is the best target the surrogate learnt.
        """
        cached = (
            _CachedPrediction(model, pool)
            if isinstance(model, GaussianProcessRegressor)
            else model
        )
        acquisitions = []
        for acq_func in self.cand_acq_funcs_:
            values = _gaussian_acquisition(
                X=pool,
                model=cached,
                y_opt=y_opt,
                acq_func=acq_func,
                acq_func_kwargs=self.acq_func_kwargs,
            )
            if self.acq_optimizer == "lbfgs":
                self._polish(model, pool, values, acq_func, y_opt)
            acquisitions.append(values)
        return acquisitions

    def _polish(self, model, pool, values, acq_func, y_opt):
        """Run L-BFGS from the best points of the pool, in place."""
        starts = np.argsort(values, kind="stable")[: self.n_restarts_optimizer]
        bounds = self.space.transformed_bounds
        for start in starts:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x, value, _ = fmin_l_bfgs_b(
                    gaussian_acquisition_1D,
                    pool[start],
                    args=(model, y_opt, acq_func, self.acq_func_kwargs),
                    bounds=bounds,
                    approx_grad=False,
                    maxiter=20,
                )
            pool[start] = x
            values[start] = value

    def _choose(self, acquisitions, pool, grid_rows=None):
        """Return the best point not yet taken by the chosen acquisition function.

        ``grid_rows`` maps the pool's rows to the points of an enumerated
        finite space; otherwise the pool's rows are decoded, best first.
        """
        if self.acq_func == "gp_hedge" and hasattr(self, "gains_"):
            logits = np.array(self.gains_) - np.max(self.gains_)
            probs = np.exp(self.eta * logits)
            probs /= probs.sum()
            chosen = int(np.argmax(self.rng.multinomial(1, probs)))
        else:
            chosen = 0
        self.next_xs_ = [pool[np.argmin(values)] for values in acquisitions]
        near = []
        for rows in _best_first(acquisitions[chosen]):
            if grid_rows is not None:
                for index in rows:
                    point = self._grid_points[grid_rows[index]]
                    if self.is_taken is None or not self.is_taken(point):
                        return point
                continue
            apart = self._apart_from_seen(pool[rows])
            point = self._first_untaken(rows[apart], pool)
            if point is not None:
                return point
            near.extend(rows[~apart][: _DECODED_AT_ONCE - len(near)])
        if grid_rows is not None:
            return None
        point = self._first_untaken(np.asarray(near, dtype=int), pool)
        return point if point is not None else self._random_untaken()

    def _first_untaken(self, rows, pool):
        """Return the first point of the pool's ``rows`` not yet taken, or None.

        Rows are decoded a few at a time: most proposals need the first.
        """
        for start in range(0, len(rows), _DECODED_AT_ONCE):
            chunk = rows[start : start + _DECODED_AT_ONCE]
            for point in self._decode(pool[chunk]):
                if not self._is_taken(point):
                    return point
        return None

    def _apart_from_seen(self, rows):
        """Whether each row differs from every point seen by a resolution step.

        The step is a hundredth of each transformed coordinate's range. A
        cross-validated score barely changes closer than that (the same
        splits give the same score to the same model), so a point that close
        to one already evaluated teaches the surrogate nothing; it is chosen
        only when no point apart is left in the pool.
        """
        if not self._Xt:
            return np.ones(len(rows), dtype=bool)
        seen = np.asarray(self._Xt, dtype=float)
        close = np.abs(rows[:, None, :] - seen[None, :, :]) < self._resolution
        return ~close.all(axis=2).any(axis=1)

    def _decode(self, rows):
        """Return the points of transformed rows, as ``Space.inverse_transform``.

        A category is looked up in the table of its transformed rows when the
        row is one of them (always, in the random pool), instead of decoded
        through scikit-learn's validated encoders.
        """
        columns = []
        for index, (dimension, block) in enumerate(
            zip(self.space.dimensions, self._column_slices)
        ):
            values = rows[:, block]
            if values.shape[1] == 1:
                values = values[:, 0]
            table = self._categorical_rows.get(index)
            if table is None:
                columns.append(dimension.inverse_transform(values))
                continue
            distances = ((values.reshape(len(rows), -1)[:, None] - table) ** 2).sum(2)
            nearest = distances.argmin(axis=1)
            if distances[np.arange(len(rows)), nearest].any():
                positions = self._category_positions[index]
                nearest = [positions[v] for v in dimension.inverse_transform(values)]
            categories = dimension.categories
            # the categories themselves, not numpy's copies of them
            columns.append([categories[i] for i in nearest])
        return [list(point) for point in zip(*columns)]

    # -- the search's interface ---------------------------------------------------

    @property
    def n_told(self):
        """Number of points told."""
        return len(self._values)

    def tell(self, points, values, fit_times=None):
        """Tell the values (to minimise) of ``points``; NaN for a failed one.

        A failed candidate is learnt as a value worse than anything seen, by
        half the spread of what was seen, so that the surrogate learns to
        avoid the region without a NaN breaking its fit; brought up to date
        at every call, so that a failure stays worse than every success.
        """
        values = [float(v) for v in values]
        if fit_times is None:
            fit_times = [np.nan] * len(values)
        self._values.extend(values)
        finite = [v for v in self._values if not np.isnan(v)]
        batch = self._pending + list(zip(points, values, fit_times))
        if not finite:
            # Nothing to compare a failure with yet: keep it for later.
            self._pending = batch
            return
        self._pending = []
        worst, best = max(finite), min(finite)
        poor = worst + max(0.5 * (worst - best), 1e-3 * max(1.0, abs(worst)))
        per_second = "ps" in self.acq_func
        told = self._values[: len(self.yi)]
        for index, value in enumerate(told):
            if np.isnan(value):
                if per_second:
                    self.yi[index][0] = poor
                else:
                    self.yi[index] = poor
        points = [p for p, _, _ in batch]
        targets = [
            [poor if np.isnan(v) else v, max(t, 1e-6) if np.isfinite(t) else 1e-6]
            if per_second
            else (poor if np.isnan(v) else v)
            for _, v, t in batch
        ]
        fit = self.base_estimator_ is not None
        if per_second:
            # scikit-optimize's tell takes the log of the times
            super().tell(points, targets, fit=fit)
        else:
            # The points come from the optimizer's own space: no need for
            # scikit-optimize's checks of them.
            self._tell(points, targets, fit=fit)

    def _told(self):
        """Tell what is pending, with the value 0 when nothing finite was told."""
        if self._pending:
            points = [p for p, _, _ in self._pending]
            values = [0.0] * len(points)
            if "ps" in self.acq_func:
                values = [[0.0, 1e-6] for _ in points]
            super().tell(points, values, fit=False)
            self._pending = []

    def result(self):
        """Return scikit-optimize's ``OptimizeResult`` of what was told."""
        self._told()
        return create_result(self.Xi, self.yi, self.space, models=self.models)

    def record(self):
        """Return a compact record of the optimizer, None if nothing was told."""
        self._told()
        if not self.Xi:
            return None
        return OptimizerRecord(self)

    # -- scikit-optimize's hooks --------------------------------------------------

    def _tell(self, x, y, fit=True):
        latest = self.models[-1] if self.models else None
        with _single_blas_thread():
            outcome = self._record(x, y, fit)
        if self.models and self.models[-1] is not latest:
            # how many observations each kept surrogate learnt from
            self._modelled = [*self._modelled, len(self.yi)][-len(self.models) :]
        return outcome

    def _record(self, x, y, fit):
        if "ps" in self.acq_func:
            return super()._tell(x, y, fit=fit)
        points, values = (x, list(y)) if np.ndim(y) == 1 else ([x], [y])
        for point in points:
            key = self.point_key(point)
            self._taken.add(key)
            if self._grid_free is not None:
                self._grid_free[self._grid_index[_grid_key(point)]] = False
        self._Xt.extend(self._transform(points))
        self.Xi.extend(points)
        self.yi.extend(values)
        self._n_initial_points -= len(values)
        self.cache_ = {}
        if fit and self._n_initial_points <= 0 and self.base_estimator_ is not None:
            targets = _surrogate_targets(self.yi)
            model = self._fit_surrogate(targets)
            self.models = [*self.models, model][-(self.max_model_queue_size or 1) :]
            with warnings.catch_warnings():
                # scikit-optimize's Gaussian process warns when rounding makes
                # a predicted variance negative; it sets it to 0 itself.
                warnings.simplefilter("ignore", UserWarning)
                if hasattr(self, "next_xs_") and self.acq_func == "gp_hedge":
                    self.gains_ -= _predict_mean(model, np.vstack(self.next_xs_))
                grid_rows = None
                if self._grid_free is not None:
                    grid_rows = np.flatnonzero(self._grid_free)
                    if len(grid_rows) > _POOL_SIZE:
                        grid_rows = self.rng.choice(
                            grid_rows, _POOL_SIZE, replace=False
                        )
                    pool = self._grid_X[grid_rows]
                else:
                    pool = self._pool(model)
                if len(pool) == 0:
                    self._next_x = None
                    return None
                acquisitions = self._acquisition_values(
                    model, pool, y_opt=float(np.min(targets))
                )
                self._next_x = self._choose(acquisitions, pool, grid_rows)
        return None

    def _ask(self):
        if self._n_initial_points > 0 or self.base_estimator_ is None:
            point = self._with_fixed(super()._ask())
            return point if not self._is_taken(point) else self._random_untaken()
        if not self.models:
            raise RuntimeError("no surrogate has been fitted yet")
        point = self._with_fixed(self._next_x)
        if point is None or not self._is_taken(point):
            return point
        return self._random_untaken()

    def ask(self, n_points=None, strategy="cl_min"):
        """Propose one point, or ``n_points`` by the constant-liar strategy.

        Fewer points (possibly none) are returned when the space has no more
        points that were not taken.
        """
        if strategy not in ("cl_min", "cl_mean", "cl_max"):
            raise ValueError(
                f"strategy must be 'cl_min', 'cl_mean' or 'cl_max', got {strategy!r}"
            )
        # The next point was chosen when the last results were told.
        if n_points is None:
            return self._ask()
        if n_points == 1:
            point = self._ask()
            return [] if point is None else [point]
        with _single_blas_thread():
            return self._ask_batch(n_points, strategy)

    def _ask_batch(self, n_points, strategy):
        snapshot = self._snapshot()
        self._reuse_kernel_only = True
        points = []
        try:
            for index in range(n_points):
                point = self._ask()
                if point is None:
                    break
                points.append(point)
                if index == n_points - 1:
                    break
                lie = (
                    {"cl_min": np.min, "cl_mean": np.mean, "cl_max": np.max}[strategy](
                        self.yi
                    )
                    if self.yi
                    else 0.0
                )
                self._tell(point, float(lie))
        finally:
            self._restore(snapshot)
        return points

    def _snapshot(self):
        state = {
            name: getattr(self, name)
            for name in (
                "_n_initial_points",
                "cache_",
                "_posterior",
                "_n_at_kernel_fit",
                "_n_at_restarts",
            )
        }
        state["n_observed"] = len(self.yi)
        state["models"] = list(self.models)
        state["_modelled"] = list(self._modelled)
        state["taken"] = set(self._taken)
        if self._grid_free is not None:
            state["_grid_free"] = self._grid_free.copy()
        for name in ("_next_x", "next_xs_", "gains_"):
            if hasattr(self, name):
                value = getattr(self, name)
                state[name] = value.copy() if hasattr(value, "copy") else value
        return state

    def _restore(self, state):
        n = state.pop("n_observed")
        del self.Xi[n:]
        del self.yi[n:]
        del self._Xt[n:]
        self.models = state.pop("models")
        self._taken = state.pop("taken")
        self._reuse_kernel_only = False
        for name, value in state.items():
            setattr(self, name, value)


class OptimizerRecord:
    """What an optimizer saw and was told, kept in columns; rebuilds its result.

    scikit-optimize's ``OptimizeResult`` holds every point as a list of
    Python objects (a few hundred bytes per candidate, more than the
    candidate's row of ``cv_results_``) and its surrogates fitted on all of
    them. This record keeps a number as 8 bytes, a category as its index,
    the values told, and each kept surrogate unfitted (with the kernel it
    learnt, for a Gaussian process) with the number of observations it
    learnt from. :meth:`result` builds the ``OptimizeResult``
    ``Optimizer.get_result`` gives, refitting the surrogates on the same
    observations: a Gaussian process with the kernel it had learnt, so that
    its predictions are those it made.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer, with at least one observation.
    """

    def __init__(self, optimizer):
        self.space = optimizer.space
        self.columns = []
        for index, dimension in enumerate(self.space.dimensions):
            values = [point[index] for point in optimizer.Xi]
            if isinstance(dimension, Categorical):
                positions = optimizer._category_positions[index]
                dtype = np.min_scalar_type(max(len(positions) - 1, 0))
                column = np.fromiter((positions[v] for v in values), dtype, len(values))
            elif isinstance(dimension, Integer):
                column = np.asarray(values, dtype=np.int64)
            else:
                column = np.asarray(values, dtype=float)
            self.columns.append(column)
        self.yi = np.asarray(optimizer.yi, dtype=float)
        self.rng = copy.deepcopy(optimizer.rng)
        self.specs = optimizer.specs
        self.models = [
            (clone(model), _kernel_with_noise(model) if _is_gp(model) else None, n)
            for model, n in zip(optimizer.models, optimizer._modelled)
        ]

    def _points(self):
        columns = []
        for dimension, column in zip(self.space.dimensions, self.columns):
            if isinstance(dimension, Categorical):
                categories = dimension.categories
                columns.append([categories[i] for i in column.tolist()])
            else:
                columns.append(column.tolist())
        return [list(point) for point in zip(*columns)]

    def result(self):
        """Return the optimizer's ``OptimizeResult``, surrogates refitted."""
        points = self._points()
        values = self.yi.tolist()
        models = []
        for template, kernel, n in self.models:
            X = np.asarray(self.space.transform(points[:n]), dtype=float)
            y = _far_outliers_compressed(self.yi[:n])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if kernel is not None:
                    model = _fit_with_kernel(clone(template), kernel, X, y)
                else:
                    model = clone(template).fit(X, y)
            if _is_gp(model):
                # Kept for its mean (partial-dependence plots); its
                # posterior's factors are quadratic in the observations.
                for name in ("L_", "K_inv_"):
                    model.__dict__.pop(name, None)
            models.append(model)
        result = create_result(
            points, values, self.space, copy.deepcopy(self.rng), models=models
        )
        result.specs = self.specs
        return result


def _is_gp(model):
    return isinstance(model, GaussianProcessRegressor)


@functools.cache
def _threadpools():
    return ThreadpoolController()


def _single_blas_thread():
    """Return a context in which BLAS libraries use one thread."""
    return _threadpools().limit(limits=1, user_api="blas")


def _normalised(model, y):
    """Return ``(mean, std, (y - mean) / std)`` as a Gaussian process's fit does."""
    mean, std = (np.mean(y), np.std(y)) if model.normalize_y else (0.0, 1.0)
    std = std if std > 0 else 1.0
    return np.float64(mean), np.float64(std), (y - mean) / std


def _set_training_data(model, X, y):
    """Store the (normalised) observations as a fitted Gaussian process does."""
    model._y_train_mean, model._y_train_std, model.y_train_ = _normalised(model, y)
    model.X_train_ = X
    model.n_features_in_ = X.shape[1]


class _KernelPosterior:
    """Fits a skopt Gaussian process with one fixed kernel, again and again.

    Each :meth:`fit` gives the fitted attributes ``fit`` would give with
    ``optimizer=None`` (scikit-learn's posterior: ``L_``, ``alpha_``;
    scikit-optimize's: ``noise_``, ``K_inv_``, ``y_train_mean_``,
    ``y_train_std_``) but skips the input validation and the
    log-marginal-likelihood that ``fit`` computes even when it optimises
    nothing, which dominate its cost on the few dozen points of a search.
    What does not depend on the observations (the unfitted model, the
    noise-free kernel it predicts with, the noise level) is built once, so
    that refitting as observations come costs the kernel matrix and its
    factorisation.

    Parameters
    ----------
    model : skopt.learning.GaussianProcessRegressor
        The surrogate to fit; not modified.
    kernel : Kernel
        The kernel, with its white-noise term if it has one.
    """

    def __init__(self, model, kernel):
        template = clone(model).set_params(kernel=kernel, optimizer=None)
        template.kernel_ = copy.deepcopy(kernel)
        template.noise_ = None
        present, parameter = _param_for_white_kernel_in_Sum(template.kernel_)
        if template.noise and present:
            # skopt predicts noise-free values: the noise enters K(X, X) only
            template.noise_ = template.kernel_.get_params()[parameter].noise_level
            template.kernel_.set_params(**{parameter: WhiteKernel(noise_level=0.0)})
        self.kernel = kernel
        self._template = template

    def fit(self, X, y):
        """Return a new fitted model of observations ``X``, ``y``."""
        model = copy.copy(self._template)
        _set_training_data(model, X, y)
        K = self.kernel(X)
        K[np.diag_indices_from(K)] += model.alpha
        model.L_ = cholesky(K, lower=True, check_finite=False)
        model.alpha_ = cho_solve((model.L_, True), model.y_train_, check_finite=False)
        L_inv = solve_triangular(model.L_.T, np.eye(len(X)), check_finite=False)
        model.K_inv_ = L_inv.dot(L_inv.T)
        model.y_train_mean_ = model._y_train_mean
        model.y_train_std_ = model._y_train_std
        return model


def _fit_with_kernel(model, kernel, X, y):
    """Fit a skopt Gaussian process whose kernel is fixed, without its overheads."""
    return _KernelPosterior(model, kernel).fit(X, y)


def _optimised_kernel(model, kernel, X, y, maxiter, priors=None, starts=()):
    """Return ``kernel`` with the hyperparameters a skopt Gaussian process learns.

    What ``fit`` does: L-BFGS-B on the log-marginal likelihood of the
    kernel's hyperparameters, with its gradient, over their bounds, from
    ``kernel``'s and from each of ``starts`` (log-scale hyperparameters),
    keeping the best; without ``fit``'s input validation and copies, which
    cost milliseconds on the few dozen points of a search. ``maxiter`` steps
    from the last optimum, learnt on most of the same observations, come
    close to the new one; None runs L-BFGS-B to convergence, as ``fit``
    does. ``priors`` (see :class:`_NegativeLogMarginalLikelihood`) make it
    the most probable hyperparameters instead of the most likely.
    """
    objective = _NegativeLogMarginalLikelihood(
        kernel, X, _normalised(model, y)[2], model.alpha, priors=priors
    )
    options = {} if maxiter is None else {"maxiter": maxiter}
    best_theta, best_value = kernel.theta, np.inf
    for start in [kernel.theta, *starts]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theta, value, _ = fmin_l_bfgs_b(
                objective, start, bounds=kernel.bounds, **options
            )
        if value < best_value:
            best_theta, best_value = theta, value
    return kernel.clone_with_theta(best_theta)


class _NegativeLogMarginalLikelihood:
    """Minus the log-marginal likelihood of kernel hyperparameters, and its gradient.

    As ``-GaussianProcessRegressor.log_marginal_likelihood(theta,
    eval_gradient=True)`` (Rasmussen & Williams, Algorithm 2.1 and Eq. 5.9),
    with the kernel's own values and gradient. The hyperparameters are set on
    the kernels that hold them directly: ``Kernel.theta`` lists them anew, with
    ``dir`` and ``inspect.signature``, on every call, which costs more than the
    algebra on a search's few dozen points.

    ``priors`` maps the name of a kind of hyperparameter (the last part of
    its name, ``"length_scale"``) to the shape and rate of a Gamma prior on
    its value; minus the log of their densities, up to a constant, is added,
    so that minimising gives the hyperparameters' posterior mode.
    """

    def __init__(self, kernel, X, y, alpha, priors=None):
        self.kernel = copy.deepcopy(kernel)
        self.X, self.y, self.alpha = X, y, alpha
        self._setters = _theta_setters(self.kernel)
        self._priors = _prior_terms(self.kernel, priors or {})

    def __call__(self, theta):
        if self._setters is None:
            self.kernel.theta = theta
        else:
            _assign(self._setters, theta)
        K, K_gradient = self.kernel(self.X, eval_gradient=True)
        K[np.diag_indices_from(K)] += self.alpha
        try:
            L = cholesky(K, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            return np.inf, np.zeros_like(theta)
        weights = cho_solve((L, True), self.y, check_finite=False)
        n = len(self.y)
        value = (
            0.5 * self.y @ weights
            + np.log(np.diag(L)).sum()
            + 0.5 * n * np.log(2 * np.pi)
        )
        inner = np.outer(weights, weights) - cho_solve(
            (L, True), np.eye(n), check_finite=False
        )
        gradient = -0.5 * np.einsum("ij,jik->k", inner, K_gradient)
        for columns, shape, rate in self._priors:
            # a Gamma density of exp(theta), on the log scale theta lives on
            scaled = rate * np.exp(theta[columns])
            value += np.sum(scaled) - shape * np.sum(theta[columns])
            gradient[columns] += scaled - shape
        return value, gradient


def _free_hyperparameters(kernel):
    """Yield each free hyperparameter of ``kernel`` and its columns of ``theta``."""
    start = 0
    for hyperparameter in kernel.hyperparameters:
        if not hyperparameter.fixed:
            size = hyperparameter.n_elements
            yield hyperparameter, slice(start, start + size)
            start += size


def _prior_terms(kernel, priors):
    """``(columns of theta, shape, rate)`` of each free hyperparameter with a prior."""
    return [
        (columns, *priors[kind])
        for hyperparameter, columns in _free_hyperparameters(kernel)
        if (kind := hyperparameter.name.rsplit("__", 1)[-1]) in priors
    ]


def _theta_setters(kernel):
    """Where each free hyperparameter of ``kernel`` lives, in ``theta``'s order.

    ``(kernel, attribute, columns of theta, whether an array)`` for each; None
    when setting them so does not give the kernel the ``theta`` it was given
    (a kernel that stores its hyperparameters otherwise).
    """
    setters = []
    for hyperparameter, columns in _free_hyperparameters(kernel):
        *path, name = hyperparameter.name.split("__")
        owner = functools.reduce(getattr, path, kernel)
        setters.append((owner, name, columns, hyperparameter.n_elements > 1))
    theta = kernel.theta
    moved = theta + 0.125
    _assign(setters, moved)
    works = np.allclose(kernel.theta, moved)
    kernel.theta = theta
    return setters if works else None


def _assign(setters, theta):
    """Set log-scale hyperparameters ``theta`` where ``setters`` say they live."""
    for owner, name, columns, is_array in setters:
        value = np.exp(theta[columns])
        setattr(owner, name, value if is_array else value[0])


def _with_noise_term(model):
    """Return the kernel a skopt Gaussian process's ``fit`` starts from.

    Its ``kernel``, plus a white-noise term whose level is learnt
    (``noise="gaussian"``) or fixed (a number), as ``fit`` adds.
    """
    kernel = model.kernel
    if model.noise and not _param_for_white_kernel_in_Sum(kernel)[0]:
        if model.noise == "gaussian":
            return kernel + WhiteKernel()
        return kernel + WhiteKernel(noise_level=model.noise, noise_level_bounds="fixed")
    return kernel


def _kernel_with_noise(model):
    """Return the kernel a fitted skopt Gaussian process learnt, with its noise.

    scikit-optimize zeroes the white-noise part of ``kernel_`` after fitting, so
    that predictions are noise-free; refitting with the learnt kernel needs the
    noise level back, with the bounds it was learnt within (``"fixed"`` for a
    noise level given as a number).
    """
    kernel = copy.deepcopy(model.kernel_)
    if model.noise_ is not None:
        present, parameter = _param_for_white_kernel_in_Sum(kernel)
        if present:
            # the term the fit started from: its bounds, not the zeroed term's
            start = _with_noise_term(model).get_params()[parameter]
            bounds = start.noise_level_bounds
            kernel.set_params(
                **{
                    parameter: WhiteKernel(
                        noise_level=model.noise_, noise_level_bounds=bounds
                    )
                }
            )
    return kernel


def _surrogate_targets(y):
    """Return the values the surrogate learns, in the order of those told.

    Far outliers are compressed (``_far_outliers_compressed``), the values
    standardised, then warped by the Yeo-Johnson transformation whose power
    makes them most likely normal, and standardised again. The values of a
    search are far from normal: most candidates score near the best, a few
    much worse, and a Gaussian process fitted to them spends its amplitude on
    the bad ones while the good ones look alike to it. The warp is monotone,
    so the best value stays the best, and the standardisation makes it the
    same for any units and offset of the score.
    """
    y = _far_outliers_compressed(y)
    if len(y) < 3 or not np.ptp(y) > 0:
        return y
    return _yeo_johnson((y - y.mean()) / y.std())


# Powers of the Yeo-Johnson transformation tried, a tenth apart: none is
# exactly 0 or 2, where the transformation is a logarithm instead.
_YEO_JOHNSON_POWERS = np.arange(-2.95, 5.0, 0.1)


def _yeo_johnson(z):
    """Return ``z`` Yeo-Johnson transformed by its most likely power, standardised.

    The power is the maximum-likelihood one (as ``scipy.stats.yeojohnson``
    finds by Brent's method) among ``_YEO_JOHNSON_POWERS``, all evaluated in
    one array operation: a few hundredths of a millisecond for a search's
    values, against milliseconds for scipy's or scikit-learn's fit.
    """
    magnitude = np.log1p(np.abs(z))
    positive = z >= 0
    powers = _YEO_JOHNSON_POWERS[:, None]
    power = np.where(positive, powers, 2.0 - powers)
    warped = np.expm1(power * magnitude) / power
    warped = np.where(positive, warped, -warped)
    variance = warped.var(axis=1)
    likelihood = -0.5 * len(z) * np.log(variance) + (
        _YEO_JOHNSON_POWERS - 1.0
    ) * np.sum(np.sign(z) * magnitude)
    best = warped[np.argmax(likelihood)]
    return (best - best.mean()) / best.std()


def _far_outliers_compressed(y):
    """Return the values told, those far worse than the others compressed.

    Values beyond Tukey's far-out fence (the third quartile plus three
    interquartile ranges) are brought back towards it on a logarithmic scale,
    in the same order. A few disastrous candidates (a diverging fit, a
    degenerate model) then no longer set the scale the surrogate learns,
    which would make every good candidate look alike; the values within the
    fence, the whole of a well-behaved objective, are kept as they are.
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


def _uniform_when_normalised(dimension):
    """Whether a dimension's prior is uniform on [0, 1] once transformed.

    So for a normalised real dimension of either prior (a log-uniform prior
    is uniform in the logarithm that is normalised), and for the integers of
    a normalised uniform integer dimension, spread evenly on [0, 1].
    """
    if getattr(dimension, "transform_", None) != "normalize":
        return False
    if isinstance(dimension, Integer):
        return dimension.prior == "uniform"
    return isinstance(dimension, Real) and np.dtype(dimension.dtype) == np.float64


def _best_first(values, first=16):
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


def _grid_key(point):
    return tuple(v if isinstance(v, str) else float(v) for v in point)


def _enumerate(space):
    """Every point of a small finite space, transformed, and their index.

    Returns ``(None, None, None)`` for a space with a continuous dimension or
    more than ``_MAX_EXACT`` points.
    """
    size = 1
    for dimension in space.dimensions:
        if not isinstance(dimension, Categorical | Integer):
            return None, None, None
        size *= len(_dimension_values(dimension))
        if size > _MAX_EXACT:
            return None, None, None
    values = [_dimension_values(d) for d in space.dimensions]
    points = [list(p) for p in itertools.product(*values)]
    columns = []
    for index, dimension in enumerate(space.dimensions):
        column = [point[index] for point in points]
        columns.append(
            np.asarray(dimension.transform(column), dtype=float).reshape(
                len(points), -1
            )
        )
    index = {_grid_key(point): row for row, point in enumerate(points)}
    return points, np.hstack(columns), index


def _dimension_values(dimension):
    if isinstance(dimension, Categorical):
        return list(dimension.categories)
    return list(range(int(dimension.low), int(dimension.high) + 1))


def initial_points_for(budget):
    """Random points before the surrogate is used, for a budget of candidates.

    A fifth of the budget, at least 5 (or the whole of a smaller budget) and
    at most 10, scikit-optimize's default.
    """
    return max(min(budget, 5), min(10, math.ceil(budget / 5)))
