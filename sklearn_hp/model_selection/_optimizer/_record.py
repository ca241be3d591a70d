"""What an optimizer saw and was told, kept in columns after a search.

Here: :class:`OptimizerRecord`, behind a search's ``optimizer_results_``: a
few bytes per candidate, from which scikit-optimize's ``OptimizeResult`` is
rebuilt when first read, its surrogates refitted. The optimizer itself, and
the values its own surrogates learn, live in the sibling modules.
"""

import copy
import warnings

import numpy as np
from sklearn.base import clone
from skopt.space import Categorical, Integer
from skopt.utils import create_result

from . import _warping
from ._gaussian_process import GaussianProcess
from ._surrogates import PerSecondModel
from ._warping import compress_far_outliers, failures_as_poor, learnt_rows


class OptimizerRecord:
    """What an optimizer saw and was told, kept in columns; rebuilds its result.

    scikit-optimize's ``OptimizeResult`` holds every point as a list of
    Python objects (a few hundred bytes per candidate, more than the
    candidate's row of ``cv_results_``) and its surrogates fitted on all of
    them. This record keeps a number as 8 bytes, a category as its index in
    the smallest integer type that holds it, the values told (NaN for a
    failure), and each kept surrogate unfitted (a Gaussian process with the
    kernel it learnt) with the number of observations it learnt from.

    Parameters
    ----------
    space : skopt.space.Space
    points : list of list
        The points told.
    values : list of float
        Their values, to minimise; NaN for a failed candidate.
    log_times : list of float or None
        Their log fit times, for a per-second acquisition function.
    surrogates : list of tuple
        ``(objective, time, n_observations)`` for each kept surrogate: an
        unfitted model of the objective, one of the log fit time or None,
        and how many of the first observations they learnt.
    random_state : RandomState instance
    specs : dict
        The optimizer's arguments, as scikit-optimize records them.

    Attributes
    ----------
    columns : list of ndarray
        One per dimension: the values of a numeric dimension (float64 or
        int64), the category indices of a categorical one.
    yi : ndarray of shape (n_observations,)
        The values told.
    """

    def __init__(
        self, *, space, points, values, log_times, surrogates, random_state, specs
    ):
        self.space = space
        self.columns = []
        for index, dimension in enumerate(space.dimensions):
            column = [point[index] for point in points]
            if isinstance(dimension, Categorical):
                positions = {c: i for i, c in enumerate(dimension.categories)}
                dtype = np.min_scalar_type(max(len(positions) - 1, 0))
                self.columns.append(
                    np.fromiter((positions[v] for v in column), dtype, len(column))
                )
            elif isinstance(dimension, Integer):
                self.columns.append(np.asarray(column, dtype=np.int64))
            else:
                self.columns.append(np.asarray(column, dtype=float))
        self.yi = np.asarray(values, dtype=float)
        self.log_times = None if log_times is None else np.asarray(log_times, float)
        self.surrogates = list(surrogates)
        self.rng = copy.deepcopy(random_state)
        self.specs = specs

    def points(self):
        """Return the points told, as lists of values."""
        columns = []
        for dimension, column in zip(self.space.dimensions, self.columns):
            if isinstance(dimension, Categorical):
                categories = dimension.categories
                columns.append([categories[i] for i in column.tolist()])
            else:
                columns.append(column.tolist())
        return [list(point) for point in zip(*columns)]

    def result(self):
        """Return the optimizer's ``OptimizeResult``, surrogates refitted.

        Each kept surrogate is refitted on the observations it had learnt
        (past :data:`._warping.MAX_LEARNT`, the same part of them): a
        Gaussian process with the kernel it had learnt, without the
        Cholesky factor of its covariance (quadratic in the observations;
        computed again for a standard deviation). It learns the values
        themselves, far outliers compressed but not warped, so that plots
        show the score's units; a failed candidate's value is the poor value
        it was learnt as, 0 in ``func_vals`` while no value is finite.

        Returns
        -------
        result : scipy.optimize.OptimizeResult
        """
        points = self.points()
        poor = failures_as_poor(self.yi)
        values = np.zeros(len(self.yi)) if poor is None else poor
        models = []
        for objective, time, n in self.surrogates:
            learnt = failures_as_poor(self.yi[:n])
            rows = learnt_rows(learnt, _warping.MAX_LEARNT)
            X = np.asarray(self.space.transform(points[:n]), dtype=float)[rows]
            model = _refitted(objective, X, compress_far_outliers(learnt[rows]))
            if time is not None:
                times = np.asarray(self.log_times[:n], dtype=float)[rows]
                model = PerSecondModel(model, _refitted(time, X, times))
            models.append(model)
        told = (
            values
            if self.log_times is None
            else np.column_stack([values, self.log_times])
        )
        result = create_result(
            points, told, self.space, copy.deepcopy(self.rng), models=models
        )
        result.specs = self.specs
        return result


def _refitted(template, X, y):
    with warnings.catch_warnings():
        # a regressor's own warnings on few samples: it is fitted all the same
        warnings.simplefilter("ignore")
        model = clone(template).fit(X, y)
    if isinstance(model, GaussianProcess):
        model.drop_covariance()
    return model
