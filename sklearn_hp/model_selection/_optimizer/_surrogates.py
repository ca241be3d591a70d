"""The surrogates a search can use, each behind one ``fit`` that returns a model.

Here: what ``base_estimator`` names (the default Gaussian process, built in
:mod:`._gaussian_process`; scikit-optimize's forests and gradient boosting;
a regressor the user gives), :class:`RegressorLearner`, which fits a fresh
clone of a regressor each time, :class:`GBRTSurrogate`, scikit-optimize's
gradient boosting fixed for current libraries, and
:class:`PerSecondModel`, the pair of models of the per-second acquisition
functions. The values they learn are :mod:`._warping`'s.
"""

import warnings

import numpy as np
from sklearn.base import clone, is_regressor
from sklearn.ensemble import GradientBoostingRegressor
from skopt.learning import (
    ExtraTreesRegressor,
    GradientBoostingQuantileRegressor,
    RandomForestRegressor,
)
from skopt.learning import GaussianProcessRegressor as SkoptGaussianProcessRegressor
from skopt.utils import has_gradients

from ._gaussian_process import KERNEL_PRIORS, GaussianProcessLearner, default_kernel

BASE_ESTIMATORS = ("GP", "RF", "ET", "GBRT", "DUMMY")


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
        predicted = super().predict(X, return_quantiles=True)
        low, mean, high = (predicted[:, quantiles.index(q)] for q in (0.16, 0.5, 0.84))
        return mean, (high - low) / 2.0


class RegressorLearner:
    """Fits a fresh clone of a regressor to each set of observations.

    How a surrogate other than the default Gaussian process learns: by its
    own ``fit`` (a Gaussian process the user gives learns its kernel by
    likelihood alone, as scikit-optimize does).

    Parameters
    ----------
    regressor : regressor
        Unfitted; its ``predict`` takes ``return_std``.
    """

    def __init__(self, regressor):
        self.regressor = regressor

    def fit(self, X, y, random_state=None, learn_kernel=True, n_told=None):
        """Return a clone of the regressor fitted to ``X``, ``y``.

        ``random_state``, ``learn_kernel`` and ``n_told`` are the Gaussian
        process learner's; a regressor has its own.
        """
        with warnings.catch_warnings():
            # a user's Gaussian process warns of kernel bounds reached, a
            # forest of few samples: the surrogate is used all the same
            warnings.simplefilter("ignore")
            return clone(self.regressor).fit(X, y)


class PerSecondModel:
    """A surrogate of the objective and of the log fit time, predicting both.

    What the per-second acquisition functions divide by, and what
    scikit-optimize's plots of a per-second search expect: ``predict`` gives
    one column per output.

    Parameters
    ----------
    objective, time : fitted regressor
    """

    def __init__(self, objective, time):
        self.objective = objective
        self.time = time

    def predict(self, X, return_std=False):
        """Predict the objective and the log fit time, as two columns."""
        if not return_std:
            return np.column_stack([self.objective.predict(X), self.time.predict(X)])
        (mean, std), (time_mean, time_std) = (
            self.objective.predict(X, return_std=True),
            self.time.predict(X, return_std=True),
        )
        return np.column_stack([mean, time_mean]), np.column_stack([std, time_std])


def is_default_gp(base_estimator):
    """Whether ``base_estimator`` names the default Gaussian process."""
    return isinstance(base_estimator, str) and base_estimator.upper() == "GP"


def normalises_space(base_estimator):
    """Whether the surrogate learns the space normalised, as scikit-optimize does."""
    return is_default_gp(base_estimator) or isinstance(
        base_estimator, SkoptGaussianProcessRegressor
    )


def check_base_estimator(base_estimator):
    """Raise a ValueError unless ``base_estimator`` names or is a regressor."""
    if isinstance(base_estimator, str):
        if base_estimator.upper() not in BASE_ESTIMATORS:
            raise ValueError(
                "base_estimator must be 'GP', 'RF', 'ET', 'GBRT', 'dummy' or a "
                f"regressor, got {base_estimator!r}"
            )
        return
    if isinstance(base_estimator, type):
        raise ValueError(
            f"base_estimator must be a regressor instance, got the class "
            f"{base_estimator.__name__}: give {base_estimator.__name__}() instead"
        )
    if not (
        _is_regressor(base_estimator)
        or isinstance(base_estimator, GradientBoostingQuantileRegressor)
    ):
        raise ValueError(
            "base_estimator must be 'GP', 'RF', 'ET', 'GBRT', 'dummy' or a "
            f"regressor instance, got {base_estimator!r}"
        )


def _is_regressor(value):
    # scikit-learn's get_tags raises AttributeError for what is no estimator
    # (3, None, an object without tags)
    try:
        return is_regressor(value)
    except AttributeError:
        return False


def learner(base_estimator, space, seed, n_jobs=1):
    """Return how the surrogate ``base_estimator`` names learns; None for "dummy".

    Parameters
    ----------
    base_estimator : str or regressor
    space : skopt.space.Space
        The space as the surrogate sees it (normalised for a Gaussian
        process).
    seed : int
        The random state of a forest or gradient boosting built here.
    n_jobs : int, default=1
        The jobs of a forest built here.

    Returns
    -------
    learner : GaussianProcessLearner, RegressorLearner or None
    """
    if is_default_gp(base_estimator):
        return GaussianProcessLearner(
            default_kernel(space), priors=KERNEL_PRIORS, n_restarts=2
        )
    name = base_estimator.upper() if isinstance(base_estimator, str) else None
    if name == "DUMMY":
        return None
    if name in ("RF", "ET"):
        forest = RandomForestRegressor if name == "RF" else ExtraTreesRegressor
        regressor = forest(
            n_estimators=100, min_samples_leaf=3, n_jobs=n_jobs, random_state=seed
        )
    elif name == "GBRT":
        regressor = GBRTSurrogate(
            base_estimator=GradientBoostingRegressor(n_estimators=30, loss="quantile"),
            random_state=seed,
        )
    elif isinstance(base_estimator, GradientBoostingQuantileRegressor):
        regressor = GBRTSurrogate(**base_estimator.get_params(deep=False))
    else:
        regressor = base_estimator
    return RegressorLearner(regressor)


def proposes_by_gradient(base_estimator, space):
    """Whether the acquisition function may be polished by L-BFGS.

    As scikit-optimize allows ``acq_optimizer="lbfgs"``: not for forests,
    gradient boosting, random search, nor a Gaussian process of a space of
    categories only.
    """
    if is_default_gp(base_estimator):
        return not space.is_categorical
    if isinstance(base_estimator, str):
        return False
    return has_gradients(base_estimator)
