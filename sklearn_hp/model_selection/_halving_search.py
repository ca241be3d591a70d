"""HalvingBayesSearchCV: successive halving whose candidates come from the optimizer.

The class and its arguments, those of scikit-learn's ``HalvingRandomSearchCV``:
how much resource the rungs have, how many candidates start, which rung's
best candidate is the search's. The schedule itself (rungs, promotions,
proposals at the full resource) is in ``_halving``; the shared machinery in
``_base``.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from sklearn.base import BaseEstimator, is_classifier

from ..utils._sklearn_compat import Interval, StrOptions, _num_samples
from ..utils._typing import Callback, CrossValidation, RandomStateLike, Scoring
from ._base import BaseBayesSearchCV
from ._halving import HalvingSchedule


class HalvingBayesSearchCV(BaseBayesSearchCV):
    """Successive halving with Bayesian proposals, a drop-in for HalvingRandomSearchCV.

    Candidates are evaluated first on a small resource (a fraction of the
    samples of each split, or a small value of a hyperparameter that sets
    how much work a fit does, such as ``n_estimators``), and the best
    ``1/factor`` of each rung go on to ``factor`` times more, up to
    ``max_resources``, as in :class:`~sklearn.model_selection.HalvingRandomSearchCV`.
    New candidates are proposed by the optimizer of :class:`BayesSearchCV`,
    whose surrogate takes the resource as one more input: it learns from
    every evaluation, on every rung, and proposes where it expects the best
    score on the full resource. A candidate goes up as soon as it is sure to
    be among the best of its rung, so the surrogate learns from the larger
    rungs before the smaller ones are done; the promotions are those of
    synchronous halving. There are as many rungs as leave ``factor``
    candidates on the last one.

    Parameters
    ----------
    estimator : estimator object
        The object to tune: it must implement ``fit``, and ``score`` unless
        ``scoring`` is given.

    search_spaces : dict, "auto" or None, default=None
        One dict of hyperparameters to search, in any of the forms
        :class:`BayesSearchCV` takes. None or "auto" searches the space
        :func:`suggest_space` gives, without the resource.

    param_grid : dict or None, default=None
        The space under ``GridSearchCV``'s name: the same as
        ``search_spaces``. Give the space under one of the three names only.

    param_distributions : dict or None, default=None
        The space under ``HalvingRandomSearchCV``'s name: the same as
        ``search_spaces``.

    n_candidates : int or "exhaust", default="exhaust"
        The candidates started on the first rung. "exhaust": as many as the
        first rung's resource goes into the full resource
        (``max_resources_ // min_resources_``), as in
        ``HalvingRandomSearchCV``.

    factor : float, default=3
        How many times more resource each rung has, and how many candidates
        of a rung per candidate promoted.

    resource : str, default="n_samples"
        ``"n_samples"``, or the name of a hyperparameter that sets how much
        work a fit does (``n_estimators``, ``max_iter``); the rungs set it.

    max_resources : int or "auto", default="auto"
        The full resource: for ``"n_samples"``, "auto" is the number of
        samples; for a hyperparameter it must be given.

    min_resources : int or "smallest", default="smallest"
        The least resource of a rung. "smallest": for ``"n_samples"``,
        ``2 * n_splits`` samples (times the number of classes for a
        classifier), else 1.

    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``. With several metrics, the optimizer
        maximises the one named by ``refit``, or the first one.

    n_jobs : int, default=None
        Number of jobs run in parallel (candidates x folds of a batch).

    refit : bool, str or callable, default=True
        As in ``GridSearchCV``: refit the best candidate of the last rung
        reached on the whole data.

    cv : int, cross-validation generator or iterable, default=None
        As in ``GridSearchCV``. The splits are drawn once, and each rung's
        samples drawn from them.

    verbose : int, default=0
        As in ``HalvingRandomSearchCV``: its header, then each rung's lines
        when its first candidate starts.

    pre_dispatch : int or str, default="2*n_jobs"
        As in ``GridSearchCV``.

    error_score : "raise" or numeric, default=np.nan
        Score of a fold whose fit fails, as in ``GridSearchCV``.

    return_train_score : bool, default=True
        As in ``HalvingRandomSearchCV``.

    random_state : int, RandomState instance or None, default=None
        Seeds the optimizer and the samples of each rung.

    n_points : int or "auto", default="auto"
        Candidates proposed at once (see :class:`BayesSearchCV`).

    optimizer_kwargs : dict, default=None
        Arguments of the optimizer (see :class:`BayesSearchCV`).

    callbacks : callable or list of callables, default=None
        Called after each batch (see :class:`BayesSearchCV`); ``scores``
        holds the scores on the full resource.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        A row per evaluation, with the keys ``GridSearchCV`` gives and
        ``iter`` (the rung) and ``n_resources``, as
        ``HalvingRandomSearchCV``'s.

    search_info_ : dict of ndarrays
        What the search recorded of each evaluation beyond ``cv_results_``
        (see :class:`BayesSearchCV`): ``propose_time`` (0 for a promotion)
        and ``batch``.

    best_estimator_ : estimator
        The best candidate of the last rung reached, refit on the whole
        data; only with ``refit``.

    best_score_ : float
        Mean cross-validated score of the best candidate.

    best_params_ : dict
        Hyperparameters of the best candidate (the resource included when
        it is a hyperparameter).

    best_index_ : int
        Index of the best candidate in ``cv_results_``.

    scorer_ : function or dict
        The scorer(s) used on held-out data.

    n_splits_ : int
        Number of cross-validation splits.

    refit_time_ : float
        Seconds spent refitting the best candidate; only with ``refit``.

    multimetric_ : bool
        Whether several metrics were scored.

    optimizer_results_ : list of one OptimizeResult
        The optimizer's record (see :class:`BayesSearchCV`), the resource
        its last dimension when there are several rungs.

    n_resources_ : list of int
        The resource of each rung reached.

    n_candidates_ : list of int
        The candidates evaluated on each rung reached.

    n_iterations_ : int
        The number of rungs reached.

    min_resources_ : int
        The least resource a rung may have.

    max_resources_ : int
        The full resource.

    classes_ : ndarray of shape (n_classes,)
        Class labels; only when the estimator is a classifier and refit.

    n_features_in_ : int
        Number of features seen during fit; only with ``refit``.

    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit; only with ``refit`` and when
        ``X`` has feature names that are all strings.

    See Also
    --------
    BayesSearchCV : Every candidate on the full resource, with racing and
        checkpoints.
    sklearn.model_selection.HalvingRandomSearchCV : Successive halving of
        random candidates.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn_hp import HalvingBayesSearchCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = HalvingBayesSearchCV(
    ...     RandomForestClassifier(random_state=0),
    ...     {"max_depth": (2, 12), "max_features": (0.2, 1.0)},
    ...     n_candidates=9,
    ...     resource="n_estimators",
    ...     min_resources=5,
    ...     max_resources=45,
    ...     cv=3,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> search.n_resources_
    [15, 45]
    >>> search.best_params_["n_estimators"]
    45
    """

    _parameter_constraints: dict = {
        **BaseBayesSearchCV._parameter_constraints,
        "n_candidates": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"exhaust"}),
        ],
        "factor": [Interval(numbers.Real, 1, None, closed="neither")],
        "resource": [str],
        "max_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "min_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"smallest"}),
        ],
    }

    def __init__(
        self,
        estimator: BaseEstimator,
        search_spaces: dict[str, Any] | Literal["auto"] | None = None,
        *,
        param_grid: dict[str, Any] | None = None,
        param_distributions: dict[str, Any] | None = None,
        n_candidates: int | Literal["exhaust"] = "exhaust",
        factor: float = 3,
        resource: str = "n_samples",
        max_resources: int | Literal["auto"] = "auto",
        min_resources: int | Literal["smallest"] = "smallest",
        scoring: Scoring | None = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable[..., Any] = True,
        cv: CrossValidation | None = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: Literal["raise"] | float = np.nan,
        return_train_score: bool = True,
        random_state: RandomStateLike = None,
        n_points: int | Literal["auto"] = "auto",
        optimizer_kwargs: dict[str, Any] | None = None,
        callbacks: Callback | list[Callback] | None = None,
    ) -> None:
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.search_spaces = search_spaces
        self.param_grid = param_grid
        self.param_distributions = param_distributions
        self.n_candidates = n_candidates
        self.factor = factor
        self.resource = resource
        self.max_resources = max_resources
        self.min_resources = min_resources
        self.random_state = random_state
        self.n_points = n_points
        self.optimizer_kwargs = optimizer_kwargs
        self.callbacks = callbacks

    def _scheduled_parameters(self):
        return (self.resource,)

    def _check_subspaces(self, argument, subspaces):
        if len(subspaces) != 1:
            raise ValueError(
                f"{argument}: a multi-fidelity search takes one dict of "
                "hyperparameters to search, not a list of sub-spaces"
            )
        subspace = subspaces[0]
        if not subspace.hyperparameters:
            raise ValueError(
                f"{argument}: a multi-fidelity search needs a hyperparameter "
                "with more than one value to search; every entry has one value"
                if subspace.constants
                else f"{argument}: a multi-fidelity search needs a "
                "hyperparameter to search; the space is empty"
            )
        if self.resource != "n_samples" and self.resource in subspace.names:
            raise ValueError(
                f"resource: {self.resource!r} is the resource, so it cannot be "
                f"searched too; take it out of {argument}"
            )

    def _make_schedule(self, subspaces, optimizer_kwargs, X, y, callbacks):
        subspace = subspaces[0]
        self.min_resources_, self.max_resources_ = self._resources(X, y, subspace)
        n_candidates = self.n_candidates
        if n_candidates == "exhaust":
            n_candidates = max(1, self.max_resources_ // self.min_resources_)
        return HalvingSchedule(
            subspace,
            n_candidates=n_candidates,
            n_points=self._resolved_n_points(),
            min_resources=self.min_resources_,
            max_resources=self.max_resources_,
            factor=self.factor,
            resource=self.resource,
            n_splits=self.n_splits_,
            optimizer_kwargs=optimizer_kwargs,
            random_state=self.random_state,
        )

    def _resources(self, X, y, subspace):
        """Return the least and the full resource, as HalvingRandomSearchCV's."""
        if self.resource == "n_samples":
            n_samples = _num_samples(X)
            max_resources = n_samples
            if self.max_resources != "auto":
                max_resources = min(int(self.max_resources), n_samples)
            min_resources = self.min_resources
            if min_resources == "smallest":
                min_resources = 2 * self.n_splits_
                if is_classifier(self.estimator):
                    min_resources *= len(np.unique(y))
        else:
            params = self.estimator.get_params(deep=True)
            if self.resource not in params:
                close = difflib.get_close_matches(self.resource, list(params), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"resource: {self.resource!r} is neither 'n_samples' nor a "
                    f"hyperparameter of {type(self.estimator).__name__}.{hint}"
                )
            if self.max_resources == "auto":
                raise ValueError(
                    "max_resources: give the full value of the resource "
                    f"{self.resource!r} (an int); 'auto' is for 'n_samples'"
                )
            max_resources = int(self.max_resources)
            min_resources = (
                1 if self.min_resources == "smallest" else self.min_resources
            )
        return int(min(min_resources, max_resources)), int(max_resources)

    def _set_schedule_attributes(self, schedule, results):
        reached = sorted(set(int(i) for i in results["iter"]))
        self.n_iterations_ = len(reached)
        self.n_resources_ = [schedule.resources[i] for i in reached]
        self.n_candidates_ = [int(np.sum(results["iter"] == i)) for i in reached]

    def _select_best(self, refit_metric, results):
        """Return the best candidate of the last rung reached.

        As scikit-learn's halving searches do: scores on smaller resources
        are not comparable with those on the full one. A callable ``refit``
        chooses among all rows itself.
        """
        if callable(self.refit):
            return self._select_best_index(self.refit, refit_metric, results)
        last = np.flatnonzero(results["iter"] == np.max(results["iter"]))
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float)[last]
        best = np.argmax(np.where(np.isfinite(scores), scores, -np.inf))
        return int(last[int(best)])
