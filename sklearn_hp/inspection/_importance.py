"""Which hyperparameters mattered: a functional ANOVA of any fitted search.

What lives here: reading a fitted search's ``cv_results_`` (any
scikit-learn search, or one that gives the same shape), encoding each tuned
hyperparameter as a number (on a log scale when the search's space says so,
or when its values are spread evenly on it; one unit per category), a
random forest fitted to the
candidates' scores, and the functional ANOVA of that forest (Hutter, Hoos
and Leyton-Brown, 2014): for each hyperparameter, the share of the variance
of the predicted score, over the whole space, that its marginal explains;
for a pair, the share its joint marginal explains beyond the two alone.
What does not: plotting (``sklearn_hp.plot_importances``) and searching.

Each tree's prediction is constant on boxes, so the marginals are computed
exactly from the boxes, with no sampling: the marginal of one hyperparameter
is a step function whose steps come from the leaves' bounds.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.utils import check_random_state

from ..utils._results import score_key

# Positive numeric values whose largest is at least this many times the
# smallest are read on a log scale, as a log-uniform search space draws them.
_LOG_RATIO = 100.0
# Sub-spaces with fewer candidates than this are not analysed.
MIN_CANDIDATES = 4


@dataclass
class _Encoding:
    """How one hyperparameter's values become numbers, and their domain.

    A numeric hyperparameter is its value (or its log10), on the interval
    from the smallest to the largest value tried, widened by half a unit at
    each end for integers on a linear scale; a categorical one has one unit
    per category: category ``k`` is 0.5 + k on ``[0, n_categories]``.
    """

    name: str
    categories: list | None
    log: bool
    low: float
    high: float
    integer: bool = False

    @classmethod
    def of(cls, name, values, log=None):
        """Encode ``values``; ``log`` as the search space declares it, or None."""
        if all(_is_number(v) for v in values):
            numbers_ = np.asarray(values, dtype=float)
            low, high = float(numbers_.min()), float(numbers_.max())
            if low <= 0:
                log = False
            elif log is None:
                log = _looks_logarithmic(numbers_)
            if log:
                low, high = math.log10(low), math.log10(high)
            elif high > low and all(isinstance(v, numbers.Integral) for v in values):
                # each integer owns a unit cell, as each category does: the
                # end values weigh as much as the others
                return cls(name, None, False, low - 0.5, high + 0.5, integer=True)
            return cls(name, None, log, low, high)
        categories = []
        for value in values:
            if not any(_same(value, known) for known in categories):
                categories.append(value)
        return cls(name, categories, False, 0.0, float(len(categories)))

    @property
    def n_values(self):
        """Distinct values it takes (numeric: more than one when not constant)."""
        if self.categories is not None:
            return len(self.categories)
        return 1 if self.high <= self.low else 2

    def cells(self, limit):
        """Return how many values own a cell of its range, or None.

        Its categories, or its integers when there are at most ``limit``;
        None for a real, or integers too many to take one by one.
        """
        if self.categories is not None:
            return len(self.categories)
        width = round(self.high - self.low)
        return width if self.integer and width <= limit else None

    def unit_points(self, n_points):
        """Return where in its range, scaled to [0, 1], a marginal is computed.

        The centre of each value's cell (see :meth:`cells`), else of
        ``n_points`` equal cells.
        """
        cells = self.cells(n_points) or n_points
        return (np.arange(cells) + 0.5) / cells

    def points(self, n_points):
        """Return :meth:`unit_points` in encoded units."""
        return self.low + self.unit_points(n_points) * (self.high - self.low)

    def encode(self, values):
        if self.categories is None:
            numbers_ = np.asarray(values, dtype=float)
            return np.log10(numbers_) if self.log else numbers_
        return np.array(
            [
                0.5 + next(k for k, c in enumerate(self.categories) if _same(v, c))
                for v in values
            ]
        )

    def decode(self, number):
        """Return the value a point of the domain stands for."""
        if self.categories is not None:
            return self.categories[min(int(number), len(self.categories) - 1)]
        return 10.0**number if self.log else number


def _looks_logarithmic(values):
    """Whether positive values were spread on a log scale rather than a linear one.

    Values spanning less than two decades are read linearly. Beyond, the
    distinct values are compared with an even spread on either scale (the
    Kolmogorov-Smirnov distance to a uniform distribution): a log-uniform
    draw or a geometric grid is even on the log scale, a uniform draw or an
    arithmetic grid on the linear one.
    """
    distinct = np.unique(values)
    low, high = distinct[0], distinct[-1]
    if high / low < _LOG_RATIO:
        return False
    linear = (distinct - low) / (high - low)
    logarithmic = np.log(distinct / low) / np.log(high / low)
    return bool(_distance_to_even(logarithmic) < _distance_to_even(linear))


def _distance_to_even(unit):
    """Kolmogorov-Smirnov distance of sorted values in [0, 1] to an even spread."""
    n = len(unit)
    if n < 2:
        return 0.0
    # the even spread of n points from 0 to 1 has them at k / (n - 1)
    return float(np.max(np.abs(unit - np.arange(n) / (n - 1))))


def _declared_log(search, name):
    """Whether the search's space declares ``name`` log-scaled; None if unknown.

    Read from the space as the search was given it (``search_spaces``,
    ``param_distributions`` or ``param_grid``): a scikit-optimize dimension's
    ``prior``, a ``(low, high, prior)`` tuple, a scipy distribution's name,
    an Optuna distribution's ``log``. Lists of values declare no scale.
    """
    found = []
    for attribute in ("search_spaces", "param_distributions", "param_grid"):
        space = getattr(search, attribute, None)
        spaces = space if isinstance(space, list | tuple) else [space]
        for entry in spaces:
            if isinstance(entry, tuple) and len(entry) == 2:
                entry = entry[0]  # scikit-optimize's (space, n_iter)
            if isinstance(entry, dict) and name in entry:
                found.append(_scale_of(entry[name]))
    found = [log for log in found if log is not None]
    return any(found) if found else None


def _scale_of(declared):
    prior = getattr(declared, "prior", None)
    if isinstance(prior, str):
        return prior == "log-uniform"
    if isinstance(getattr(declared, "log", None), bool):
        return declared.log
    distribution = getattr(getattr(declared, "dist", None), "name", None)
    if isinstance(distribution, str):
        return distribution in ("loguniform", "reciprocal")
    if isinstance(declared, tuple) and len(declared) >= 2 and _is_number(declared[0]):
        return "log-uniform" in declared[2:]
    return None


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _same(a, b):
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:  # values whose == is not a truth value
        return a is b


def _leaf_boxes(tree, low, high):
    """Return the boxes of a fitted tree's leaves and their values.

    ``low`` and ``high`` bound the domain; a leaf's box is the part of the
    domain whose points reach it.
    """
    structure = tree.tree_
    lows, highs, values = [], [], []
    stack = [(0, low.copy(), high.copy())]
    while stack:
        node, box_low, box_high = stack.pop()
        left = structure.children_left[node]
        if left == -1:
            lows.append(box_low)
            highs.append(box_high)
            values.append(structure.value[node].ravel()[0])
            continue
        feature = structure.feature[node]
        threshold = structure.threshold[node]
        left_high = box_high.copy()
        left_high[feature] = min(box_high[feature], threshold)
        right_low = box_low.copy()
        right_low[feature] = max(box_low[feature], threshold)
        stack.append((left, box_low, left_high))
        stack.append((structure.children_right[node], right_low, box_high))
    return np.array(lows), np.array(highs), np.array(values, dtype=float)


class _TreeAnova:
    """The functional ANOVA of one tree over a box-shaped domain.

    Parameters
    ----------
    tree : DecisionTreeRegressor
        Fitted on points of the domain.
    low, high : ndarray of shape (n_dimensions,)
        The domain's bounds; a dimension of zero width is left out.
    """

    def __init__(self, tree, low, high):
        self.low, self.high = low, high
        self.width = np.where(high > low, high - low, 1.0)
        lows, highs, self.values = _leaf_boxes(tree, low, high)
        self.lows, self.highs = lows, highs
        # the share of each dimension's range a leaf covers, and of the volume
        self.fractions = (highs - lows) / self.width
        keep = np.prod(self.fractions, axis=1) > 0
        self.lows, self.highs = self.lows[keep], self.highs[keep]
        self.values, self.fractions = self.values[keep], self.fractions[keep]
        self.volumes = np.prod(self.fractions, axis=1)
        self.mean = float(self.volumes @ self.values)
        self.variance = float(self.volumes @ (self.values - self.mean) ** 2)

    def marginal(self, dimension):
        """Return the marginal of one dimension as steps: ``(edges, heights)``.

        ``heights[k]`` is the mean prediction over the rest of the domain for
        a value between ``edges[k]`` and ``edges[k + 1]``.
        """
        lows, highs = self.lows[:, dimension], self.highs[:, dimension]
        edges = np.unique(np.concatenate([lows, highs]))
        # each leaf adds its value times the volume it covers across the
        # other dimensions to the steps it spans
        weights = self.values * self.volumes / self.fractions[:, dimension]
        change = np.zeros(len(edges))
        np.add.at(change, np.searchsorted(edges, lows), weights)
        np.add.at(change, np.searchsorted(edges, highs), -weights)
        return edges, np.cumsum(change)[:-1]

    def main_effect(self, dimension):
        """Return the variance of one dimension's marginal over its range."""
        edges, heights = self.marginal(dimension)
        steps = np.diff(edges) / self.width[dimension]
        return float(steps @ (heights - self.mean) ** 2)

    def pair_marginal(self, first, second):
        """Return the joint marginal of two dimensions: ``(edges, edges, heights)``."""
        edges = [
            np.unique(np.concatenate([self.lows[:, d], self.highs[:, d]]))
            for d in (first, second)
        ]
        weights = (
            self.values
            * self.volumes
            / (self.fractions[:, first] * self.fractions[:, second])
        )
        change = np.zeros((len(edges[0]), len(edges[1])))
        corners = [
            [np.searchsorted(e, self.lows[:, d]), np.searchsorted(e, self.highs[:, d])]
            for e, d in zip(edges, (first, second))
        ]
        for i, sign_i in ((0, 1), (1, -1)):
            for j, sign_j in ((0, 1), (1, -1)):
                np.add.at(
                    change,
                    (corners[0][i], corners[1][j]),
                    sign_i * sign_j * weights,
                )
        heights = np.cumsum(np.cumsum(change, axis=0), axis=1)[:-1, :-1]
        return edges[0], edges[1], heights

    def pair_effect(self, first, second):
        """Return the variance of two dimensions' joint marginal beyond their own."""
        edges_a, edges_b, heights = self.pair_marginal(first, second)
        steps = np.outer(
            np.diff(edges_a) / self.width[first], np.diff(edges_b) / self.width[second]
        )
        joint = float(np.sum(steps * (heights - self.mean) ** 2))
        return max(0.0, joint - self.main_effect(first) - self.main_effect(second))


class FunctionalAnova:
    """A random forest fitted to a search's scores, and its functional ANOVA.

    Parameters
    ----------
    encodings : list of _Encoding
        The hyperparameters, in the order of the columns of ``X``.
    X : ndarray of shape (n_candidates, n_hyperparameters)
        The encoded candidates.
    scores : ndarray of shape (n_candidates,)
        Their mean test scores, greater is better.
    n_estimators : int
        Trees in the forest.
    random_state : int, RandomState instance or None
        Seeds the forest.
    """

    def __init__(self, encodings, X, scores, n_estimators, random_state):
        self.encodings = encodings
        self.low = np.array([e.low for e in encodings])
        self.high = np.array([e.high for e in encodings])
        forest = RandomForestRegressor(
            n_estimators=n_estimators,
            # every hyperparameter offered at every split: the shares are
            # about the scores, not about which columns a tree was shown
            max_features=1.0,
            min_samples_leaf=1,
            bootstrap=True,
            random_state=random_state,
        ).fit(X, scores)
        self.trees = [_TreeAnova(t, self.low, self.high) for t in forest.estimators_]

    def _shares(self, effect):
        """Per tree, an effect's share of that tree's variance (0 if none)."""
        return np.array(
            [
                effect(tree) / tree.variance if tree.variance > 0 else 0.0
                for tree in self.trees
            ]
        )

    def summarise(self, shares, confidence, rng):
        """Return the importance (the trees' mean) and its interval."""
        return {
            "importance": float(shares.mean()),
            **_interval(shares, confidence, rng),
        }

    def main_shares(self, dimension):
        """Per tree, the share of the variance one hyperparameter explains."""
        return self._shares(lambda tree: tree.main_effect(dimension))

    def pair_shares(self, first, second):
        """Per tree, the share two explain together beyond each alone."""
        return self._shares(lambda tree: tree.pair_effect(first, second))

    def marginal(self, dimension, n_points=100):
        """Return the forest's marginal of one hyperparameter at points of its range.

        Returns the encoded points (one per category or integer, else
        ``n_points``) and the mean over trees of each tree's marginal there.
        """
        points = self.encodings[dimension].points(n_points)
        heights = []
        for tree in self.trees:
            edges, steps = tree.marginal(dimension)
            heights.append(steps[_cell_of(edges, points, len(steps))])
        return points, np.mean(heights, axis=0)

    def pair_marginal(self, first, second, n_points=40):
        """Return the forest's joint marginal of two hyperparameters, on a grid."""
        grid_a = self.encodings[first].points(n_points)
        grid_b = self.encodings[second].points(n_points)
        heights = np.zeros((len(grid_a), len(grid_b)))
        for tree in self.trees:
            edges_a, edges_b, steps = tree.pair_marginal(first, second)
            rows = _cell_of(edges_a, grid_a, steps.shape[0])
            columns = _cell_of(edges_b, grid_b, steps.shape[1])
            heights += steps[np.ix_(rows, columns)]
        return grid_a, grid_b, heights / len(self.trees)


def _cell_of(edges, points, n_cells):
    """Return the step of a step function (bounds ``edges``) each point is on."""
    return np.clip(np.searchsorted(edges, points, side="right") - 1, 0, n_cells - 1)


class GaussianProcessAnova:
    """A Gaussian process fitted to a search's scores, and its functional ANOVA.

    On the domain scaled to the unit cube, a Gaussian process with a Matern
    kernel of one length scale per hyperparameter and a white-noise term is
    fitted to the standardised scores. A hyperparameter that does not move
    the score gets a long length scale, and so no effect: unlike a tree, a
    smooth model cannot use it as a stand-in for another one that the
    search happened to vary with it. The marginals are averaged over a
    scrambled Sobol' design of the other hyperparameters (each integer and
    category at the centre of its cell). The interval comes from the same
    model refitted, its kernel kept, to bootstrap samples of the candidates.

    Parameters
    ----------
    encodings : list of _Encoding
        The hyperparameters, in the order of the columns of ``X``.
    X : ndarray of shape (n_candidates, n_hyperparameters)
        The encoded candidates.
    scores : ndarray of shape (n_candidates,)
        Their mean test scores, greater is better.
    n_resamples : int
        Bootstrap samples for the interval.
    random_state : int
        Seeds the kernel's restarts, the subsample, the design and the
        bootstrap.
    """

    # At most this many candidates are learnt (a random subset beyond), and
    # the kernel's length scales from at most this many.
    MAX_CANDIDATES = 300
    KERNEL_CANDIDATES = 64
    # Points of the design the marginals are averaged over: 2**7 for the
    # model of every candidate, 2**6 for those of bootstrap samples.
    _DESIGN_LOG2 = 7
    _RESAMPLE_DESIGN_LOG2 = 6
    # Points of a real hyperparameter's range a marginal is computed at.
    _GRID = 24
    _PAIR_GRID = 8
    # Bootstrap models whose pair effects give the pairs' interval.
    _PAIR_RESAMPLES = 4

    def __init__(self, encodings, X, scores, n_resamples, random_state):
        from scipy.stats import qmc
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import (
            ConstantKernel,
            Matern,
            WhiteKernel,
        )

        self.encodings = encodings
        self.low = np.array([e.low for e in encodings])
        self.high = np.array([e.high for e in encodings])
        rng = np.random.RandomState(random_state)
        if len(scores) > self.MAX_CANDIDATES:
            keep = np.sort(rng.choice(len(scores), self.MAX_CANDIDATES, replace=False))
            X, scores = X[keep], scores[keep]
        unit = self._to_unit(X)
        spread = scores.std()
        self._score_mean, self._score_spread = scores.mean(), spread
        targets = (scores - scores.mean()) / spread if spread > 0 else scores * 0.0
        n_dimensions = unit.shape[1]
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
            np.full(n_dimensions, 0.5), (1e-2, 1e2), nu=2.5
        ) + WhiteKernel(1e-2, (1e-6, 1.0))
        with warnings.catch_warnings():
            # a length scale at its bound is the answer for an inert one
            warnings.simplefilter("ignore")
            # the kernel is learnt on a subset: its cost grows as n**3 per step
            learnt = rng.permutation(len(targets))[: self.KERNEL_CANDIDATES]
            kernel = (
                GaussianProcessRegressor(
                    kernel, n_restarts_optimizer=1, random_state=rng.randint(2**31)
                )
                .fit(unit[learnt], targets[learnt])
                .kernel_
            )
            full = GaussianProcessRegressor(kernel, optimizer=None).fit(unit, targets)
            self.models = [full]
            for _ in range(n_resamples):
                picks = rng.randint(len(targets), size=len(targets))
                self.models.append(
                    GaussianProcessRegressor(kernel, optimizer=None).fit(
                        unit[picks], targets[picks]
                    )
                )
        sobol = qmc.Sobol(n_dimensions, seed=rng.randint(2**31))
        self.design = self._snap(sobol.random_base2(self._DESIGN_LOG2))
        self.small_design = self.design[: 2**self._RESAMPLE_DESIGN_LOG2]
        self._main_effects = {}
        # The variance over the design, and at least the main effects' sum:
        # both are estimates, and a share above one would mean nothing.
        self._variances = [
            max(
                model.predict(self._design_for(i)).var(),
                sum(self._main_effect(i, d) for d in range(n_dimensions)),
            )
            for i, model in enumerate(self.models)
        ]

    def _to_unit(self, X):
        return (X - self.low) / np.where(self.high > self.low, self.high - self.low, 1)

    def _snap(self, unit):
        """Put each integer and category at the centre of its cell."""
        unit = unit.copy()
        for column, encoding in enumerate(self.encodings):
            cells = encoding.cells(self._GRID)
            if cells is not None:
                unit[:, column] = (np.floor(unit[:, column] * cells) + 0.5) / cells
        return unit

    def _unit_points(self, dimension, n_points):
        return self.encodings[dimension].unit_points(n_points)

    def _design_for(self, index):
        return self.design if index == 0 else self.small_design

    def _marginal_of(self, index, dimension, grid):
        model, design = self.models[index], self._design_for(index)
        points = np.repeat(design[None], len(grid), axis=0)
        points[:, :, dimension] = grid[:, None]
        predictions = model.predict(points.reshape(-1, design.shape[1]))
        return predictions.reshape(len(grid), len(design)).mean(axis=1)

    def _main_effect(self, index, dimension):
        key = (index, dimension)
        if key not in self._main_effects:
            grid = self._unit_points(dimension, self._GRID)
            self._main_effects[key] = float(
                np.var(self._marginal_of(index, dimension, grid))
            )
        return self._main_effects[key]

    def _pair_marginal_of(self, index, first, second, n_points):
        model, design = self.models[index], self._design_for(index)
        grid_a = self._unit_points(first, n_points)
        grid_b = self._unit_points(second, n_points)
        points = np.repeat(design[None], len(grid_a) * len(grid_b), axis=0)
        a, b = np.meshgrid(grid_a, grid_b, indexing="ij")
        points[:, :, first] = a.reshape(-1, 1)
        points[:, :, second] = b.reshape(-1, 1)
        predictions = model.predict(points.reshape(-1, design.shape[1]))
        means = predictions.reshape(len(grid_a), len(grid_b), len(design)).mean(axis=2)
        return grid_a, grid_b, means

    def _shares(self, effect, models):
        return np.array(
            [
                effect(i) / self._variances[i] if self._variances[i] > 0 else 0.0
                for i in models
            ]
        )

    def summarise(self, shares, confidence, rng):
        """Return the importance (the full model's) and its bootstrap interval."""
        tail = (1 - confidence) / 2
        point = float(shares[0])
        resampled = shares[1:] if len(shares) > 1 else shares
        # a percentile interval can miss a point estimate near 0: widened to it
        return {
            "importance": point,
            "importance_low": min(point, float(np.quantile(resampled, tail))),
            "importance_high": max(point, float(np.quantile(resampled, 1 - tail))),
        }

    def main_shares(self, dimension):
        """Return the share of the variance one hyperparameter explains.

        The full model's first, then each bootstrap model's.
        """
        return self._shares(
            lambda i: self._main_effect(i, dimension), range(len(self.models))
        )

    def pair_shares(self, first, second):
        """Return the share two explain together beyond each alone.

        The full model's first, then a few bootstrap models'.
        """

        def effect(i):
            *_, means = self._pair_marginal_of(i, first, second, self._PAIR_GRID)
            return max(
                0.0,
                float(np.var(means))
                - self._main_effect(i, first)
                - self._main_effect(i, second),
            )

        return self._shares(
            effect, range(min(len(self.models), 1 + self._PAIR_RESAMPLES))
        )

    def _to_encoded(self, dimension, unit):
        return self.low[dimension] + unit * (self.high[dimension] - self.low[dimension])

    def marginal(self, dimension, n_points=100):
        """Return the model's marginal of one hyperparameter at points of its range.

        Encoded points, and the mean prediction there over the design, in
        the scores' units.
        """
        grid = self._unit_points(dimension, n_points)
        means = self._marginal_of(0, dimension, grid)
        return self._to_encoded(dimension, grid), self._in_score_units(means)

    def pair_marginal(self, first, second, n_points=40):
        """Return the model's joint marginal of two hyperparameters, on a grid."""
        grid_a, grid_b, means = self._pair_marginal_of(0, first, second, n_points)
        return (
            self._to_encoded(first, grid_a),
            self._to_encoded(second, grid_b),
            self._in_score_units(means),
        )

    def _in_score_units(self, values):
        return values * self._score_spread + self._score_mean


@dataclass
class _Group:
    """The candidates of one sub-space: those that set the same hyperparameters."""

    names: tuple
    rows: np.ndarray


def _candidates(search, key):
    """Return every candidate's hyperparameters and its score under ``key``.

    From ``cv_results_["params"]``; else from its ``param_<name>`` columns;
    else, for Optuna's ``OptunaSearchCV`` (whose ``cv_results_`` has
    neither), from its study's finished trials, scored as the search scored
    them.
    """
    results = search.cv_results_
    scores = np.asarray(np.ma.filled(np.ma.asarray(results[key], dtype=float), np.nan))
    if "params" in results:
        return list(results["params"]), scores
    columns = [name for name in results if name.startswith("param_")]
    if columns:
        masked = {
            name[len("param_") :]: np.ma.asarray(results[name], dtype=object)
            for name in columns
        }
        params = [
            {
                name: column.data[i]
                for name, column in masked.items()
                if not np.ma.getmaskarray(column)[i]
            }
            for i in range(len(scores))
        ]
        return params, scores
    trials = getattr(getattr(search, "study_", None), "trials", None)
    if trials is not None:
        finished = [t for t in trials if getattr(t.state, "name", "") == "COMPLETE"]
        if len(finished) == len(scores):
            return [dict(t.params) for t in finished], scores
    raise ValueError(
        f"{type(search).__name__}.cv_results_ says which scores the candidates "
        "got but not which hyperparameters they had (no 'params' and no "
        "'param_<name>' entries)"
    )


def _largest_resource(params, resources):
    """Each candidate's row at the largest resource it reached (halving searches).

    A successive-halving search scores a candidate once per rung it reaches;
    scores on small resources are lower and noisier, and one candidate
    counted several times would weigh more than the others.
    """
    best = {}
    for index, (candidate, resource) in enumerate(zip(params, resources)):
        identity = repr(sorted(candidate.items()))
        if identity not in best or resource > resources[best[identity]]:
            best[identity] = index
    return np.array(sorted(best.values()), dtype=int)


def _groups(params):
    """Split the candidates by the hyperparameters they set, first seen first."""
    order, rows = [], {}
    for index, candidate in enumerate(params):
        names = tuple(sorted(candidate))
        if names not in rows:
            order.append(names)
            rows[names] = []
        rows[names].append(index)
    return [_Group(names, np.array(rows[names])) for names in order]


def _varies(params, rows, names):
    """Whether some hyperparameter takes several values among ``rows``."""
    return len(rows) > 1 and any(
        _Encoding.of(name, [params[i][name] for i in rows]).n_values > 1
        for name in names
    )


# Bootstrap samples of the candidates behind the Gaussian process' interval.
_GP_RESAMPLES = 16
METHODS = ("gp", "forest")


def _analyse(search, params, scores, group, method, n_estimators, random_state):
    """Return the fitted ANOVA of one group, or None if nothing varies."""
    encodings = [
        _Encoding.of(
            name, [params[i][name] for i in group.rows], _declared_log(search, name)
        )
        for name in group.names
    ]
    encodings = [e for e in encodings if e.n_values > 1]
    if not encodings:
        return None
    X = np.column_stack(
        [e.encode([params[i][e.name] for i in group.rows]) for e in encodings]
    )
    if method == "gp":
        return GaussianProcessAnova(
            encodings, X, scores[group.rows], _GP_RESAMPLES, random_state
        )
    return FunctionalAnova(encodings, X, scores[group.rows], n_estimators, random_state)


def fitted_anovas(search, *, metric=None, method="gp", n_estimators=64, random_state=0):
    """Return, per sub-space of a fitted search, its fitted ANOVA.

    A list of ``(names, rows, anova)``: the hyperparameters the sub-space's
    candidates set, the indices of those candidates in ``cv_results_`` that
    scored, and the analysis (None when no tuned hyperparameter varies or
    too few candidates scored).
    """
    key = score_key(search, metric, purpose="explain")
    results = search.cv_results_
    params, scores = _candidates(search, key)
    if "n_resources" in results:
        kept = _largest_resource(params, results["n_resources"])
        params, scores = [params[i] for i in kept], scores[kept]
    finite = np.isfinite(scores)
    rng = check_random_state(random_state)
    seed = rng.randint(np.iinfo(np.int32).max)
    analysed = []
    for group in _groups(params):
        group = _Group(group.names, group.rows[finite[group.rows]])
        anova = None
        if len(group.rows) >= MIN_CANDIDATES:
            anova = _analyse(search, params, scores, group, method, n_estimators, seed)
        analysed.append((group.names, group.rows, anova))
    return key, params, scores, analysed


def hyperparameter_importances(
    search: Any,
    *,
    metric: str | None = None,
    method: str = "gp",
    n_estimators: int = 64,
    confidence: float = 0.9,
    random_state: int | np.random.RandomState | None = 0,
) -> pd.DataFrame:
    """Which hyperparameters mattered in a fitted search, and how much.

    A model is fitted to the candidates' mean test scores, and its
    functional ANOVA says, for each hyperparameter, what share of the
    variance of the predicted score over the searched space its marginal
    explains: how much the score moves with it, averaged over the values of
    the others. Shares sum to at most 1; the rest is explained by
    interactions (see :attr:`pandas.DataFrame.attrs`).

    The model is by default a Gaussian process with one length scale per
    hyperparameter: a hyperparameter that does not move the score gets a
    long one and no share, even when the search happened to vary it with
    one that matters (a Bayesian search's candidates are not spread evenly).
    ``method="forest"`` fits a random forest instead, whose functional ANOVA
    (fANOVA, as Optuna computes by default) is exact from the trees' boxes
    and faster, but whose trees split on such stand-ins: measured in
    ``benchmarks/importance.py``, it leaves an inert hyperparameter above
    5% after a third of the Bayesian searches of its synthetic objective,
    and its shares are off by 0.11 on average there, against 0.03 for the
    Gaussian process.

    Works with any fitted search that has scikit-learn's ``cv_results_``:
    :class:`~sklearn.model_selection.GridSearchCV`,
    :class:`~sklearn.model_selection.RandomizedSearchCV`, the halving
    searches, :class:`~sklearn_hp.BayesSearchCV`, scikit-optimize's and
    Optuna's. Numeric hyperparameters are read on a log scale when the
    search's space declares them so (a ``"log-uniform"`` prior, a scipy
    ``loguniform``, an Optuna distribution with ``log=True``) or, for lists
    of values and searches whose space is not known, when their positive
    values span two decades or more and are spread more evenly on a log
    scale than on a linear one (a geometric grid); integers are numbers,
    anything else is categories. A search
    space given as a list of dicts has sub-spaces: the candidates that set
    the same hyperparameters are analysed together, and a hyperparameter
    absent from a sub-space gets no row for it (it is not "unimportant"
    there). Candidates whose score is not finite (failed fits) are left out.
    Hyperparameters that take a single value are not tuned and not listed.
    A successive-halving search's candidates are each read at the largest
    resource they reached.

    Parameters
    ----------
    search : fitted search estimator
        A search with ``cv_results_`` (``params`` and ``mean_test_<metric>``).
    metric : str or None, default=None
        The metric of a multi-metric search to explain; by default the one
        ``refit`` names (an error asks for one when ``refit`` names none).
    method : {"gp", "forest"}, default="gp"
        The model of the scores: a Gaussian process (its kernel learnt on at
        most 64 candidates, conditioned on at most 300, a random subset
        beyond), or a random forest.
    n_estimators : int, default=64
        Trees in the forest (``method="forest"``).
    confidence : float, default=0.9
        The confidence of the interval ``importance_low`` to
        ``importance_high``. With ``"gp"``, the percentiles of the shares
        of the model refitted (its kernel kept) to 16 bootstrap samples of
        the candidates; with ``"forest"``, a bootstrap over the trees (each
        fitted to a bootstrap sample) of the mean of their shares. Either
        says how much the answer depends on which candidates were drawn,
        not how far it is from the truth: a model can be confidently wrong
        about a region the search never visited.
    random_state : int, RandomState instance or None, default=0
        Seeds the model: the same search gives the same importances.

    Returns
    -------
    importances : pandas.DataFrame
        One row per tuned hyperparameter and sub-space, the most important
        first, with columns:

        - ``hyperparameter``: its name;
        - ``importance``: the mean over trees of the share of the variance
          of the score its marginal explains (0 to 1);
        - ``importance_low``, ``importance_high``: its interval at
          ``confidence``;
        - ``best_value``: its value in the best candidate of the sub-space;
        - ``score_range``: how far the score moves across its values, as the
          difference between the highest and lowest points of its marginal
          (in the metric's units);
        - ``n_candidates``: the candidates of the sub-space that scored;
        - ``subspace``: which sub-space (0, 1, ... in the order candidates
          first set each set of hyperparameters).

        ``attrs`` holds ``metric`` (the ``cv_results_`` key explained),
        ``interactions`` (per sub-space, the share of the variance left to
        interactions), ``pairs`` (a DataFrame: for pairs of the five most
        important hyperparameters of each sub-space, ``first``, ``second``,
        the share their joint marginal explains beyond each alone as
        ``importance`` with its interval, and ``subspace``) and
        ``n_failed`` (candidates left out).

    See Also
    --------
    sklearn_hp.plot_importances : Draw the importances and the marginals.
    sklearn_hp.ParamInspector : Hyperparameters and fitted parameters of an
        estimator, with their importance when given a fitted search.

    References
    ----------
    F. Hutter, H. Hoos and K. Leyton-Brown, "An efficient approach for
    assessing hyperparameter importance", ICML 2014.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import hyperparameter_importances
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = {"C": [0.01, 0.1, 1, 10, 100], "shrinking": [True, False]}
    >>> search = GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    >>> table = hyperparameter_importances(search)
    >>> list(table["hyperparameter"])
    ['C', 'shrinking']
    >>> table["importance"].round(2).tolist()  # shrinking changes nothing here
    [1.0, 0.0]
    """
    return analyse(
        search,
        metric=metric,
        method=method,
        n_estimators=n_estimators,
        confidence=confidence,
        random_state=random_state,
    ).table


# Pairs are looked at among this many most important hyperparameters.
_PAIRS_AMONG = 5


@dataclass
class Analysis:
    """A fitted search's importances, and the forests they come from.

    ``table`` is what :func:`hyperparameter_importances` returns;
    ``anovas[subspace]`` the sub-space's :class:`FunctionalAnova` (None if
    not analysed); ``params`` and ``scores`` the candidates and their scores.
    """

    table: pd.DataFrame
    anovas: list
    params: list
    scores: np.ndarray
    rows: list


def analyse(
    search,
    *,
    metric=None,
    method="gp",
    n_estimators=64,
    confidence=0.9,
    random_state=0,
):
    """Return the :class:`Analysis` of a fitted search (see the public function)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    if not (isinstance(n_estimators, numbers.Integral) and n_estimators >= 1):
        raise ValueError(f"n_estimators must be an integer >= 1, got {n_estimators!r}")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ValueError(f"confidence must be a number in (0, 1), got {confidence!r}")
    key, params, scores, analysed = fitted_anovas(
        search,
        metric=metric,
        method=method,
        n_estimators=n_estimators,
        random_state=random_state,
    )
    resampler = np.random.RandomState(0)
    rows, pairs, interactions, skipped = [], [], {}, []
    for subspace, (names, group_rows, anova) in enumerate(analysed):
        if anova is None:
            if len(group_rows) < MIN_CANDIDATES and _varies(params, group_rows, names):
                skipped.append((names, len(group_rows)))
            continue
        best = group_rows[np.argmax(scores[group_rows])]
        means = []
        for dimension, encoding in enumerate(anova.encodings):
            summary = anova.summarise(
                anova.main_shares(dimension), confidence, resampler
            )
            _, marginal = anova.marginal(dimension)
            means.append(summary["importance"])
            rows.append(
                {
                    "hyperparameter": encoding.name,
                    **summary,
                    "best_value": params[best][encoding.name],
                    "score_range": float(marginal.max() - marginal.min()),
                    "n_candidates": len(group_rows),
                    "subspace": subspace,
                }
            )
        interactions[subspace] = max(0.0, 1.0 - sum(means))
        top = np.argsort(means, kind="stable")[::-1][:_PAIRS_AMONG]
        for a, b in combinations(sorted(top), 2):
            pairs.append(
                {
                    "first": anova.encodings[a].name,
                    "second": anova.encodings[b].name,
                    **anova.summarise(anova.pair_shares(a, b), confidence, resampler),
                    "subspace": subspace,
                }
            )
    if skipped:
        warnings.warn(
            "sub-spaces with fewer than "
            f"{MIN_CANDIDATES} scored candidates are not analysed: "
            + "; ".join(f"{list(names)} ({n})" for names, n in skipped),
            UserWarning,
            stacklevel=3,
        )
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table = table.sort_values(
        ["subspace", "importance"], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)
    pair_table = pd.DataFrame(pairs, columns=_PAIR_COLUMNS)
    pair_table = pair_table.sort_values(
        ["subspace", "importance"], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)
    table.attrs.update(
        metric=key,
        interactions=interactions,
        pairs=pair_table,
        n_failed=int(np.sum(~np.isfinite(scores))),
    )
    return Analysis(
        table,
        [anova for _, _, anova in analysed],
        params,
        scores,
        [group_rows for _, group_rows, _ in analysed],
    )


# Resamples of the trees for the interval of their mean.
_RESAMPLES = 1000


def _interval(shares, confidence, rng):
    """Return the bootstrap interval, over trees, of the mean of their shares."""
    tail = (1 - confidence) / 2
    picks = rng.randint(len(shares), size=(_RESAMPLES, len(shares)))
    means = shares[picks].mean(axis=1)
    return {
        "importance_low": float(np.quantile(means, tail)),
        "importance_high": float(np.quantile(means, 1 - tail)),
    }


_COLUMNS = [
    "hyperparameter",
    "importance",
    "importance_low",
    "importance_high",
    "best_value",
    "score_range",
    "n_candidates",
    "subspace",
]
_PAIR_COLUMNS = [
    "first",
    "second",
    "importance",
    "importance_low",
    "importance_high",
    "subspace",
]
