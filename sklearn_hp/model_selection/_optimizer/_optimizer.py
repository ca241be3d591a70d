"""The optimizer of a sub-space: ``ask`` for candidates, ``tell`` their values.

Here: :class:`Optimizer` (the initial points, the surrogate fitted at each
``tell``, the choice of the point to propose among those not taken, batches
by the kriging believer or a constant liar, ``gp_hedge``'s bookkeeping, failed
candidates, BLAS on one thread), and :func:`initial_points_for`. What a
surrogate is, how it learns, and how the acquisition function is evaluated
live in the sibling modules; the compact record kept after a search, in
:mod:`._record`.
"""

import copy
import functools
import inspect
import math
import numbers

import numpy as np
from scipy.optimize import OptimizeResult
from sklearn.base import clone
from sklearn.utils import check_random_state
from skopt.sampler import InitialPointGenerator
from skopt.space import Space
from skopt.utils import create_result, normalize_dimensions
from threadpoolctl import ThreadpoolController

from . import _acquisition, _surrogates, _warping
from ._coordinates import Coordinates, FiniteGrid, initial_points
from ._record import OptimizerRecord
from ._told import LIES, Observations
from ._warping import failures_as_poor, learnt_rows, surrogate_targets

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
# The initial_point_generator names scikit-optimize takes, in any case.
INITIAL_POINT_GENERATORS = ("random", "sobol", "halton", "hammersly", "lhs", "grid")
# Random points tried before a space_constraint is taken as met by none
# (scikit-optimize's Space.rvs gives up after as many).
_CONSTRAINT_TRIES = 10000
# The shortest fit time learnt: its logarithm is learnt.
_MIN_FIT_TIME = 1e-6
# Every (patience + 1)-th candidate in a row that does not improve on the best
# value by a thousandth of the values' range explores instead of exploiting.
STAGNATION_PATIENCE = 3
IMPROVEMENT = 1e-3
# Points, each the best point with one dimension redrawn from the prior, the
# best of which by a lower confidence bound that weighs the uncertainty thrice
# an exploring proposal takes.
EXPLORATION_POOL = 64
EXPLORATION_KAPPA = 3.0
# The strategy by which a batch's points are told the value the surrogate
# expects of them (see Optimizer.ask).
BELIEVER = "believer"
# On a plateau, each value since the last improvement that ties one told
# before it doubles the spacing kept from the points seen, up to 16-fold.
PLATEAU_WIDENING = 2.0
PLATEAU_STEPS = 4


class Optimizer:
    """Proposes the points of a space to evaluate next, from those evaluated.

    scikit-optimize's ``Optimizer`` ask-and-tell loop, made to cost little
    on searches whose fits take milliseconds: the surrogate's kernel is
    learnt again only as observations grow, the acquisition function is
    evaluated on a pool of random and local points in one prediction, a
    batch is proposed point by point, each told the value the surrogate
    expects of it, without copying the optimizer, and a point taken is never
    proposed again.

    Parameters
    ----------
    dimensions : list of skopt.space.Dimension
        The space; normalised in place for a Gaussian process, as
        scikit-optimize does.
    base_estimator : {"GP", "RF", "ET", "GBRT", "dummy"} or regressor, default="GP"
        The surrogate: the default Gaussian process (scikit-optimize's kernel
        with a learnt noise term, hyperparameters under Gamma priors),
        scikit-optimize's random forest, extra trees or gradient boosting,
        random search (``"dummy"``), or a regressor whose ``predict`` takes
        ``return_std``, cloned and fitted by its own ``fit``.
    n_initial_points : int, default=10
        Points proposed before the surrogate is used.
    initial_point_generator : str or InitialPointGenerator, default="random"
        ``"random"``, ``"sobol"``, ``"halton"``, ``"hammersly"``, ``"lhs"``
        or ``"grid"``, as scikit-optimize takes it.
    acq_func : {"gp_hedge", "EI", "PI", "LCB", "EIps", "PIps"}, default="gp_hedge"
        The acquisition function; the per-second ones divide by the fit time
        a second surrogate expects.
    acq_optimizer : {"sampling", "lbfgs"}, default="sampling"
        ``"sampling"`` minimises the acquisition function over the pool;
        ``"lbfgs"`` over ``n_points`` random points, polished by L-BFGS-B
        from the ``n_restarts_optimizer`` best.
    acq_func_kwargs : dict or None, default=None
        ``xi``, ``kappa`` (see :func:`._acquisition.acquisition`), ``eta``
        (``gp_hedge``'s).
    acq_optimizer_kwargs : dict or None, default=None
        ``n_points`` (10000) and ``n_restarts_optimizer`` (5), for
        ``acq_optimizer="lbfgs"``.
    model_queue_size : int or None, default=None
        Surrogates kept for the record; None keeps the newest only.
    n_jobs : int, default=1
        The jobs of a forest named by ``base_estimator``.
    space_constraint : callable or None, default=None
        ``space_constraint(point)`` is true of every point proposed.
    random_state : int, RandomState instance or None, default=None
    fixed : dict or None, default=None
        Dimension index to the value every proposed point has there; points
        told may have others (the resource of a multi-fidelity search).
    point_key : callable or None, default=None
        A point's hashable identity; ``tuple`` by default.
    is_taken : callable or None, default=None
        Whether the search has already taken a point (perhaps in another
        sub-space): such a point is never proposed.

    Attributes
    ----------
    space : skopt.space.Space
        The space searched.
    n_told : int
        The observations told.
    """

    def __init__(
        self,
        dimensions,
        *,
        base_estimator="GP",
        n_initial_points=10,
        initial_point_generator="random",
        acq_func="gp_hedge",
        acq_optimizer="sampling",
        acq_func_kwargs=None,
        acq_optimizer_kwargs=None,
        model_queue_size=None,
        n_jobs=1,
        space_constraint=None,
        random_state=None,
        fixed=None,
        point_key=None,
        is_taken=None,
    ):
        arguments = dict(locals())
        _check_arguments(arguments)
        # the optimizer's arguments as scikit-optimize records them; the
        # search's own callables are not part of them
        for name in ("self", "point_key", "is_taken"):
            del arguments[name]
        self.specs = {"args": arguments, "function": "Optimizer"}
        self.rng = check_random_state(random_state)
        self.acq_func = acq_func
        self.acq_func_kwargs = dict(acq_func_kwargs or {})
        acq_optimizer_kwargs = dict(acq_optimizer_kwargs or {})
        self.n_points = acq_optimizer_kwargs.get("n_points", 10000)
        self.n_restarts_optimizer = acq_optimizer_kwargs.get("n_restarts_optimizer", 5)
        self.n_initial_points = n_initial_points
        self.model_queue_size = model_queue_size or 1
        self.point_key = point_key if point_key is not None else tuple
        self.is_taken = is_taken

        if _surrogates.normalises_space(base_estimator):
            dimensions = normalize_dimensions(dimensions).dimensions
        self.space = Space(dimensions, constraint=space_constraint)
        seed = self.rng.randint(0, np.iinfo(np.int32).max)
        self._learner = _surrogates.learner(base_estimator, self.space, seed, n_jobs)
        self._per_second = acq_func.endswith("ps")
        self._time_learner = (
            copy.deepcopy(self._learner)
            if self._per_second and self._learner is not None
            else None
        )
        if space_constraint is not None:
            acq_optimizer = "sampling"
        if acq_optimizer == "lbfgs" and not _surrogates.proposes_by_gradient(
            base_estimator, self.space
        ):
            raise ValueError(
                f"base_estimator {base_estimator!r} has no gradient to polish the "
                "acquisition function with: use acq_optimizer='sampling'"
            )
        self.acq_optimizer = acq_optimizer
        self._initial_samples = initial_points(
            self.space, initial_point_generator, n_initial_points, self.rng
        )

        self._coordinates = Coordinates(self.space, fixed)
        self.fixed = self._coordinates.fixed
        bounds = self._coordinates.bounds
        self._resolution = _acquisition.RESOLUTION * (bounds[:, 1] - bounds[:, 0])
        self._grid = FiniteGrid.of(self._coordinates, self._satisfies_constraint)
        if space_constraint is not None:
            self._check_constraint_satisfiable()
        self._hedge = (
            _acquisition.Hedge(self.acq_func_kwargs.get("eta", 1.0))
            if acq_func == "gp_hedge"
            else None
        )
        self._acquisition_names = (
            _acquisition.HEDGED if self._hedge is not None else (acq_func,)
        )
        self._told = Observations(self._coordinates, self.point_key, self._grid)
        # each kept surrogate, with the number of observations it learnt
        self._models = []
        # the values the newest surrogate learnt, and its targets made of them
        self._learnt = None

    # -- the contract ----------------------------------------------------------

    @property
    def n_told(self):
        """The number of observations told."""
        return len(self._told)

    def ask(self, n_points=1, strategy="believer", pending=()):
        """Propose up to ``n_points`` points not taken, distinct.

        Several points are proposed one after the other, each told to the
        surrogate as a value before the next is chosen; those values are
        forgotten afterwards. With ``"believer"`` (the kriging believer) the
        value is the one the surrogate expects at the point: the batch's
        points stay apart (the surrogate is sure of the value where it was
        told one), and a point expected to be good makes its neighbourhood
        no less promising. The constant liars of scikit-optimize tell every
        point the same value: the mean of the values told (``"cl_mean"``),
        their smallest (``"cl_min"``, which crowds a batch around the best
        point) or their largest (``"cl_max"``). Before the surrogate is fitted,
        the believer tells the mean.

        Points proposed before whose values are not known yet (``pending``:
        candidates still being evaluated) are told the same way first, so
        that the new points keep away from them as from each other.

        Parameters
        ----------
        n_points : int, default=1
        strategy : {"believer", "cl_min", "cl_mean", "cl_max"}, default="believer"
        pending : sequence of list, default=()
            Points proposed and not told yet; never proposed again.

        Returns
        -------
        points : list of list
            Fewer than ``n_points`` (perhaps none) when the space has no more
            points not taken.
        """
        if not (isinstance(n_points, numbers.Integral) and n_points > 0):
            raise ValueError(f"n_points must be a positive integer, got {n_points!r}")
        if strategy != BELIEVER and strategy not in LIES:
            raise ValueError(
                "strategy must be 'believer', 'cl_min', 'cl_mean' or 'cl_max', "
                f"got {strategy!r}"
            )
        with _single_blas_thread():
            return self._ask_batch(n_points, strategy, [list(p) for p in pending])

    def tell(self, points, values, fit_times=None):
        """Record observations, and fit the surrogate to every one told.

        Parameters
        ----------
        points : list of list
        values : list of float
            The values to minimise; NaN marks a failed candidate, learnt as
            worse than every success (:func:`._warping.failures_as_poor`).
        fit_times : list of float or None, default=None
            The seconds each candidate's fit took, which the per-second
            acquisition functions need.
        """
        values = [float(value) for value in values]
        if not len(points) and not len(values):
            return
        if len(points) != len(values):
            raise ValueError(f"{len(points)} points were told {len(values)} values")
        if self._per_second:
            if fit_times is None or len(fit_times) != len(values):
                raise ValueError(
                    f"acq_func={self.acq_func!r} needs a fit time per point"
                )
            log_times = [math.log(max(float(t), _MIN_FIT_TIME)) for t in fit_times]
        else:
            log_times = None
        with _single_blas_thread():
            self._told.add(points, values, log_times)
            self._fit()

    def result(self):
        """Return scikit-optimize's ``OptimizeResult`` of what was told.

        As ``skopt.utils.create_result`` builds it, with the surrogates kept
        (learnt on the warped values); a failed candidate's value is the poor
        value it is learnt as, 0 while no value is finite.
        """
        told = self._told
        models = [model for model, _ in self._models]
        if not len(told):
            result = OptimizeResult(
                x=None, fun=None, func_vals=np.array([]), x_iters=[], models=models
            )
            result.update(space=self.space, random_state=copy.deepcopy(self.rng))
        else:
            values = told.shown_values()
            if self._per_second:
                values = np.column_stack([values, told.log_times])
            result = create_result(
                [list(point) for point in told.points],
                values,
                self.space,
                copy.deepcopy(self.rng),
                models=models,
            )
        result.specs = self.specs
        return result

    def record(self):
        """Return the compact record of what was told, None if nothing was.

        Returns
        -------
        record : OptimizerRecord or None
        """
        told = self._told
        if not len(told):
            return None
        return OptimizerRecord(
            space=self.space,
            points=told.points,
            values=told.values,
            log_times=told.log_times if self._per_second else None,
            surrogates=[
                # unfitted copies: a Gaussian process keeps the kernel it learnt
                (
                    clone(model.objective if self._per_second else model),
                    clone(model.time) if self._per_second else None,
                    n,
                )
                for model, n in self._models
            ],
            random_state=copy.deepcopy(self.rng),
            specs=self.specs,
        )

    # -- surrogates ----------------------------------------------------------------

    def _fit(self, learn_kernel=True, pending=0):
        """Fit the surrogate to the observations, once the initial ones are told.

        Every observation up to :data:`._warping.MAX_LEARNT`, then that many of them
        (:func:`._warping.learnt_rows`), among which the ``pending`` last:
        the lies of a batch's points proposed before.
        """
        if self._learner is None or self.n_told < self.n_initial_points:
            return
        values = failures_as_poor(self._told.values)
        if values is None:
            return
        rows = learnt_rows(values, _warping.MAX_LEARNT, recent=pending)
        values = values[rows]
        targets = surrogate_targets(values)
        X = self._told.array()[rows]
        model = self._learner.fit(X, targets, self.rng, learn_kernel, self.n_told)
        if self._per_second:
            times = np.asarray(self._told.log_times, dtype=float)[rows]
            time_model = self._time_learner.fit(
                X, times, self.rng, learn_kernel, self.n_told
            )
            model = _surrogates.PerSecondModel(model, time_model)
        if self._hedge is not None:
            self._hedge.learn(model)
        self._models = [*self._models, (model, self.n_told)][-self.model_queue_size :]
        self._learnt = values, targets

    # -- proposals --------------------------------------------------------------

    def _propose(self, pending=0):
        """Return the next point to evaluate, or None when none is left.

        ``pending`` counts the points of the batch proposed before, told to
        the surrogate as lies.
        """
        if not self._models or self.n_told - pending < self.n_initial_points:
            # the initial points of a first batch are all the generator's:
            # a surrogate of their lies alone knows nothing
            return self._initial_point()
        model = self._models[-1][0]
        values = self._told.shown_values()
        # the values known: those of the batch's earlier points are lies
        told = values[: len(values) - pending]
        spacing = self._spacing(told)
        if self._stagnating(told, pending):
            point = self._explore(model, told, spacing)
            if point is not None:
                return point
        grid_rows = None
        if self._grid is not None:
            grid_rows = np.flatnonzero(self._grid.free)
            if not len(grid_rows):
                return None
            if len(grid_rows) > _acquisition.POOL_SIZE:
                grid_rows = self.rng.choice(
                    grid_rows, _acquisition.POOL_SIZE, replace=False
                )
            pool = self._grid.rows[grid_rows]
        elif self.acq_optimizer == "lbfgs":
            pool = self._coordinates.sample(self.n_points, self.rng)
        else:
            size = _acquisition.pool_size(
                min(self.n_told, _warping.MAX_LEARNT), self._coordinates.n_columns
            )
            best = np.argsort(self._told.shown_values())[: _acquisition.N_LOCAL_CENTRES]
            centres = self._told.array()[best]
            pool = _acquisition.pool(self._coordinates, size, self.rng, centres)
        acquisitions = self._acquisitions(model, pool)
        if self.acq_optimizer == "lbfgs" and grid_rows is None:
            pool, acquisitions = _acquisition.polished(
                lambda rows: self._acquisitions(model, self._coordinates.fix(rows)),
                pool,
                acquisitions,
                self._coordinates.bounds,
                self.n_restarts_optimizer,
            )
        return self._choose(acquisitions, pool, grid_rows, spacing)

    def _spacing(self, told):
        """Return how far apart from the points seen a proposal is kept.

        :data:`._acquisition.RESOLUTION` of each coordinate's range (see
        :func:`._acquisition.apart_from`), doubled by each value ``told``
        since the last improvement that ties one told before it, up to
        :data:`PLATEAU_STEPS` times: scores that repeat exactly (the accuracy
        of a decision tree over a region of its hyperparameters) say the
        search walks a plateau, on which nearby points are worth no more than
        the ones seen. The lies told of a batch's earlier points are not
        among ``told``.
        """
        ties = plateau_ties(told, IMPROVEMENT)
        return self._resolution * PLATEAU_WIDENING ** min(ties, PLATEAU_STEPS)

    def _stagnating(self, told, pending=0):
        """Whether this proposal is one that explores, the search having stalled.

        The search has stalled when :data:`STAGNATION_PATIENCE` values
        ``told`` in a row did not improve on the best; then every
        (patience + 1)-th candidate explores, the ``pending`` points of the
        batch proposed before counted as not improving (their values are not
        known yet).
        """
        since = since_improvement(told, IMPROVEMENT)
        if since < STAGNATION_PATIENCE:
            return False
        return (since + pending) % (STAGNATION_PATIENCE + 1) == STAGNATION_PATIENCE

    def _explore(self, model, told, spacing):
        """Return a point away from where the search has stalled, or None.

        First the best point with one category changed, among those not told
        (the best by the acquisition function): a category judged on a few
        unlucky points is tried again where the others are best. Else the
        best of points that are the best point with one dimension redrawn
        from the prior, by a lower confidence bound that weighs the
        uncertainty heavily: away from the points seen, along one axis, where
        the surrogate does not already know the values are poor (on a
        plateau, the better region is often one hyperparameter away:
        a tree's ``max_features`` halved, the others as they are). Only
        points ``spacing`` apart from every point seen are explored (see
        :meth:`_spacing`). The best point is the best of the values ``told``,
        never a batch's lie.
        """
        incumbent = self._told.points[int(np.argmin(told))]
        seen = _acquisition.SeenPoints(self._told.array(), spacing)
        neighbours = [
            point
            for point in self._coordinates.category_neighbours(incumbent)
            if self._acceptable(point)
        ]
        if neighbours:
            rows = self._coordinates.transform(neighbours)
            apart = seen.apart(rows)
            if apart.any():
                values = self._acquisitions(model, rows[apart])[0]
                return [n for n, a in zip(neighbours, apart) if a][
                    int(np.argmin(values))
                ]
        rows = self._coordinates.one_redrawn(incumbent, EXPLORATION_POOL, self.rng)
        rows = rows[seen.apart(rows)]
        if not len(rows):
            return None
        mean, std = model.predict(rows, return_std=True)
        if self._per_second:
            mean, std = np.asarray(mean)[:, 0], np.asarray(std)[:, 0]
        bound = np.asarray(mean, dtype=float) - EXPLORATION_KAPPA * np.asarray(
            std, dtype=float
        )
        for index in np.argsort(bound, kind="stable"):
            point = self._coordinates.decode(rows[index : index + 1])[0]
            if self._acceptable(point):
                return point
        return None

    def _acquisitions(self, model, pool):
        """Return each candidate acquisition function's values on the pool."""
        y_opt = float(np.min(self._learnt[1]))
        if self._per_second:
            (mean, time_mean), (std, time_std) = (
                prediction.T for prediction in model.predict(pool, return_std=True)
            )
        else:
            mean, std = model.predict(pool, return_std=True)
            time_mean = time_std = None
        return [
            _acquisition.acquisition(
                name, mean, std, y_opt, self.acq_func_kwargs, time_mean, time_std
            )
            for name in self._acquisition_names
        ]

    def _choose(self, acquisitions, pool, grid_rows=None, spacing=None):
        """Return the best point that may be proposed, by the chosen function.

        ``grid_rows`` maps the pool's rows to the points of the finite grid;
        otherwise the pool's rows are decoded, those ``spacing`` apart from
        the points seen first (:meth:`_spacing`). None when none is left.
        """
        chosen = self._hedge.choose(self.rng) if self._hedge is not None else 0
        if self._hedge is not None:
            self._hedge.candidates = [pool[np.argmin(v)] for v in acquisitions]
        values = acquisitions[chosen]
        if grid_rows is not None:
            point = _acquisition.choose_on_grid(
                values, self._grid.points, grid_rows, self.is_taken
            )
            sampled = len(grid_rows) < self._grid.free.sum()
            return point if point is not None or not sampled else self._random_untaken()
        point = _acquisition.choose(
            values,
            pool,
            self._coordinates.decode,
            self._acceptable,
            seen=self._told.array(),
            resolution=self._resolution if spacing is None else spacing,
        )
        return point if point is not None else self._random_untaken()

    def _initial_point(self):
        """Return an initial point (the generator's, else random) not taken."""
        if self._initial_samples is not None and self.n_told < len(
            self._initial_samples
        ):
            point = self._initial_samples[self.n_told]
        else:
            point = self.space.rvs(n_samples=1, random_state=self.rng)[0]
        point = self._coordinates.with_fixed(point)
        return point if self._acceptable(point) else self._random_untaken()

    def _random_untaken(self, n_tries=200):
        """Return a random point that may be proposed, or None when none is left."""
        for _ in range(n_tries):
            point = self.space.rvs(n_samples=1, random_state=self.rng)[0]
            point = self._coordinates.with_fixed(point)
            if self._acceptable(point):
                return point
        remaining = self._coordinates.enumerated(self._acceptable)
        if not remaining:
            return None
        return remaining[self.rng.randint(len(remaining))]

    def _acceptable(self, point):
        """Whether ``point`` is neither told nor taken, and meets the constraint."""
        if self.point_key(point) in self._told.keys:
            return False
        if self.is_taken is not None and self.is_taken(point):
            return False
        return self._satisfies_constraint(point)

    def _check_constraint_satisfiable(self):
        """Refuse a constraint that no point of the space meets, before any fit.

        Every point of a finite space is tried; else random points, as many
        as scikit-optimize's ``Space.rvs`` tries before it gives up, drawn
        from a copy of the random state: the proposals do not depend on the
        check.
        """
        if self._grid is not None:
            if len(self._grid.points):
                return
            tried = "every point of the space"
        else:
            rng = copy.deepcopy(self.rng)
            for n_points in (100, _CONSTRAINT_TRIES):
                rows = self._coordinates.sample(n_points, rng)
                if any(map(self._satisfies_constraint, self._coordinates.decode(rows))):
                    return
            tried = f"{100 + _CONSTRAINT_TRIES} random points of the space"
        raise ValueError(
            f"space_constraint is false at {tried}: no candidate can be "
            "proposed; check that it accepts points of the search space"
        )

    def _satisfies_constraint(self, point):
        constraint = self.space.constraint
        return constraint is None or bool(constraint(point))

    # -- batches ------------------------------------------------------------------

    def _belief(self, point):
        """Return the value the newest surrogate expects at ``point``.

        The surrogate learns warped values (:func:`._warping.surrogate_targets`,
        monotone): its prediction is mapped back to the values' scale by
        interpolating between the targets learnt and the values told, within
        their range.
        """
        model = self._models[-1][0]
        prediction = np.asarray(model.predict(self._coordinates.transform([point])))
        predicted = float(prediction.ravel()[0])
        values, targets = self._learnt
        order = np.argsort(targets, kind="stable")
        return float(np.interp(predicted, targets[order], values[order]))

    def _ask_batch(self, n_points, strategy, pending=()):
        if not pending:
            point = self._propose()
            if point is None or n_points == 1:
                return [] if point is None else [point]
            points = [point]
        else:
            points = []
        # What the lies change is forgotten afterwards; gp_hedge's gains
        # learn from the points preferred for the first proposal, a real one.
        mark = self._told.mark()
        saved = (
            list(self._models),
            self._learnt,
            copy.copy(self._learner),
            copy.copy(self._time_learner),
            copy.deepcopy(self._hedge),
        )
        try:
            for lies, point in enumerate([*pending, *points], start=1):
                self._lie(point, strategy, lies)
            while len(points) < n_points:
                point = self._propose(pending=len(pending) + len(points))
                if point is None:
                    break
                points.append(point)
                if len(points) < n_points:
                    self._lie(point, strategy, len(pending) + len(points))
        finally:
            self._told.forget_since(mark)
            (
                self._models,
                self._learnt,
                self._learner,
                self._time_learner,
                self._hedge,
            ) = saved
        return points

    def _lie(self, point, strategy, n_lies):
        """Tell ``point``, not evaluated yet, the value ``strategy`` gives it.

        ``n_lies`` counts the lies told so far, this one included: the
        surrogate is refitted with every one of them, its kernel kept.
        """
        value, log_time = self._told.lie(
            "cl_mean" if strategy == BELIEVER else strategy
        )
        if strategy == BELIEVER and self._models:
            value = self._belief(point)
        log_times = [log_time] if self._per_second else None
        self._told.add([point], [value], log_times)
        self._fit(learn_kernel=False, pending=n_lies)


def check_optimizer_kwargs(kwargs):
    """Raise a ValueError for an argument of the optimizer out of its range.

    As :class:`Optimizer` would, whatever the space: a search refuses its
    ``optimizer_kwargs`` even where it makes no optimizer (a grid it walks).

    Parameters
    ----------
    kwargs : dict
        Arguments of :class:`Optimizer`, the others taking their defaults.
    """
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(Optimizer).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    _check_arguments({**defaults, **kwargs})


def _check_arguments(arguments):
    """Raise a ValueError for an argument of the optimizer out of its range.

    Every argument is checked here, before the search fits anything: one that
    is used only once the surrogate proposes (``xi``, ``n_points``...) would
    otherwise end a search after its first fits, its checkpoint written.
    """
    _surrogates.check_base_estimator(arguments["base_estimator"])
    _acquisition.check_acquisition(arguments["acq_func"], arguments["acq_optimizer"])
    n_initial_points = arguments["n_initial_points"]
    if not (isinstance(n_initial_points, numbers.Integral) and n_initial_points >= 0):
        raise ValueError(
            f"n_initial_points must be a non-negative integer, got {n_initial_points!r}"
        )
    _check_initial_point_generator(arguments["initial_point_generator"])
    _check_acq_func_kwargs(arguments["acq_func_kwargs"])
    _check_acq_optimizer_kwargs(arguments["acq_optimizer_kwargs"])
    queue = arguments["model_queue_size"]
    if queue is not None and not (isinstance(queue, numbers.Integral) and queue > 0):
        raise ValueError(
            f"model_queue_size must be a positive integer or None, got {queue!r}"
        )
    n_jobs = arguments["n_jobs"]
    if n_jobs is not None and not (_is_integer(n_jobs) and n_jobs != 0):
        raise ValueError(
            f"n_jobs must be a non-zero integer (-1 for every processor) or None, "
            f"got {n_jobs!r}"
        )
    constraint = arguments["space_constraint"]
    if constraint is not None and not callable(constraint):
        raise ValueError(
            f"space_constraint must be callable or None, got {constraint!r}"
        )


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(
        value, bool | np.bool_
    )


def _is_real(value):
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool | np.bool_)
        and math.isfinite(value)
    )


def _is_string(value, text):
    return isinstance(value, str) and value == text


def _check_initial_point_generator(generator):
    # as skopt.utils.cook_initial_point_generator takes it, whose own
    # messages do not say which argument they are about
    if generator is None or isinstance(generator, InitialPointGenerator):
        return
    if not (
        isinstance(generator, str) and generator.lower() in INITIAL_POINT_GENERATORS
    ):
        raise ValueError(
            "initial_point_generator must be one of "
            f"{', '.join(map(repr, INITIAL_POINT_GENERATORS))} or a "
            f"skopt.sampler.InitialPointGenerator, got {generator!r}"
        )


def _check_acq_func_kwargs(kwargs):
    if kwargs is None:
        return
    if not isinstance(kwargs, dict):
        raise ValueError(
            "acq_func_kwargs must be a dict (of xi, kappa, eta) or None, "
            f"got {kwargs!r}"
        )
    for name, value in kwargs.items():
        if name in ("xi", "eta") and not _is_real(value):
            raise ValueError(
                f"acq_func_kwargs[{name!r}] must be a finite real number, got {value!r}"
            )
        if name == "kappa" and not (_is_real(value) or _is_string(value, "inf")):
            raise ValueError(
                "acq_func_kwargs['kappa'] must be a finite real number or 'inf', "
                f"got {value!r}"
            )


def _check_acq_optimizer_kwargs(kwargs):
    if kwargs is None:
        return
    if not isinstance(kwargs, dict):
        raise ValueError(
            "acq_optimizer_kwargs must be a dict (of n_points, "
            f"n_restarts_optimizer) or None, got {kwargs!r}"
        )
    for name in ("n_points", "n_restarts_optimizer"):
        value = kwargs.get(name, 1)
        if not (_is_integer(value) and value >= 1):
            raise ValueError(
                f"acq_optimizer_kwargs[{name!r}] must be a positive integer, "
                f"got {value!r}"
            )


@functools.cache
def _threadpools():
    return ThreadpoolController()


def _single_blas_thread():
    """Return a context in which BLAS libraries use one thread.

    The surrogate's matrices have a few dozen to a few hundred rows, on
    which waking a multi-threaded BLAS's threads costs milliseconds per call,
    more than the work; the caller's setting is restored on leaving.
    """
    return _threadpools().limit(limits=1, user_api="blas")


def since_improvement(values, fraction):
    """Return how many values came after the last that improved on the best.

    An improvement lowers the best value by more than ``fraction`` of the
    range of the values; the first value improves on nothing.
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if not len(finite):
        return len(values)
    step = fraction * (finite.max() - finite.min())
    # An improvement is below the best less the step, which every value since
    # the best is above: it is a new smallest value, and only those are read.
    smallest_before = np.fmin.accumulate(np.r_[np.inf, values[:-1]])
    best, last = np.inf, 0
    for index in np.flatnonzero(values < smallest_before):
        if values[index] < best - step:
            best, last = values[index], index
    return len(values) - 1 - int(last)


def plateau_ties(values, fraction):
    """Return how many values since the last improvement tie one before them.

    Improvements are :func:`since_improvement`'s; a tie equals an earlier
    value to a relative 1e-9 (the same mean of the same folds' scores).
    Failed candidates (NaN) tie nothing. Equal values are found by sorting,
    in O(n log n).
    """
    values = np.asarray(values, dtype=float)
    since = since_improvement(values, fraction)
    if not since:
        return 0
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(
        np.r_[True, ~np.isclose(ordered[1:], ordered[:-1], rtol=1e-9, atol=0)]
    )
    # the first told of each group of equal values; the others tie it
    first = np.minimum.reduceat(order, starts)
    group = np.cumsum(np.isin(np.arange(len(values)), starts)) - 1
    ties = np.empty(len(values), dtype=bool)
    ties[order] = order > first[group]
    return int(ties[len(values) - since :].sum())


def initial_design(optimizer_kwargs, budget):
    """Return ``optimizer_kwargs`` with a search's initial design filled in.

    Unless they say otherwise, :func:`initial_points_for` ``budget`` points
    before the surrogate is used, a maximin Latin hypercube (``"lhs"``, see
    :func:`._coordinates.maximin_latin_hypercube`): each dimension's range
    covered evenly by the first few candidates, where independent random
    points leave whole regions untried by chance (and with them the
    surrogate's first view of the space).

    Parameters
    ----------
    optimizer_kwargs : dict
        Not modified.
    budget : int
        The candidates the optimizer will propose.

    Returns
    -------
    kwargs : dict
    """
    kwargs = dict(optimizer_kwargs)
    kwargs.setdefault("n_initial_points", initial_points_for(budget))
    kwargs.setdefault("initial_point_generator", "lhs")
    return kwargs


def initial_points_for(budget):
    """Random points before the surrogate is used, for a budget of candidates.

    A fifth of the budget, at least 5 (or the whole of a smaller budget) and
    at most 10, scikit-optimize's default.
    """
    return max(min(budget, 5), min(10, math.ceil(budget / 5)))
