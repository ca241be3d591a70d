"""BayesSearchCV: Bayesian optimisation as a drop-in for GridSearchCV."""

import copy
import difflib
import math
import numbers
import os
import time
import warnings
from collections.abc import Mapping
from itertools import product

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, _fit_context, clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import (
    _fit_and_score,
    _insert_error_scores,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils import get_tags, indexable
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_method_params, _num_samples

from . import _checkpoint, _distributed, _halving, _racing
from ._auto import suggest_space
from ._checks import check_fit_params, check_names, check_values
from ._optimizer import OPTIMIZER_KWARGS
from ._schedule import Schedule
from ._space import parse_search_spaces

# scikit-learn >= 1.9 passes callback contexts to every candidate and fold.
_HAS_CALLBACK_CONTEXTS = hasattr(BaseSearchCV, "_init_callback_context")


class BayesSearchCV(BaseSearchCV):
    """Bayesian search over hyperparameters, a drop-in for GridSearchCV.

    Takes every argument of :class:`~sklearn.model_selection.GridSearchCV`
    with the same meaning, and the same forms of search space as
    ``GridSearchCV`` (lists of values), ``RandomizedSearchCV`` (scipy.stats
    distributions) and scikit-optimize (``Real``, ``Integer``,
    ``Categorical``, ``(low, high, prior)`` tuples), mixed as needed. A
    scikit-optimize optimizer, fitted to the cross-validated scores seen so
    far, proposes the next candidates, so that ``n_iter`` fits find
    hyperparameters as good as a grid many times larger.

    The space may be given under the name of any of the three searches:
    ``search_spaces`` (scikit-optimize's), ``param_grid`` (``GridSearchCV``'s)
    or ``param_distributions`` (``RandomizedSearchCV``'s), so that changing
    the class name is all it takes to swap one for the other.
    ``cv_results_`` has exactly the keys ``GridSearchCV`` gives; what the
    search knows beyond them is in ``search_info_``. When ``n_iter`` covers
    a finite space, every point of it is evaluated once, in
    ``GridSearchCV``'s order.

    Parameters
    ----------
    estimator : estimator object
        The object to tune: it must implement ``fit``, and ``score`` unless
        ``scoring`` is given.

    search_spaces : dict, list, "auto" or None, default=None
        The hyperparameters to tune, by their ``get_params`` names. None or
        "auto" searches the space :func:`suggest_space` gives: a curated
        one for the estimators people tune most (and each step of a
        pipeline), else one derived from the estimator's parameter
        constraints; a hyperparameter named as ``resource`` is left out
        of it. Otherwise each hyperparameter takes one of:

        - a list or 1-d array of values, as in ``GridSearchCV`` (choices;
          numbers are searched by rank, so that neighbours are close);
        - a frozen ``scipy.stats`` distribution, as in
          ``RandomizedSearchCV`` (``uniform`` and ``loguniform`` become
          ranges, ``randint`` an integer range, any other is searched
          through its quantiles, so that it is the prior);
        - a scikit-optimize ``Real``, ``Integer`` or ``Categorical``;
        - a ``(low, high)`` or ``(low, high, "log-uniform")`` tuple: a range
          of integers if both bounds are, else of reals.

        A list of dicts gives alternative sub-spaces, each searched; a list
        of ``(dict, n_iter)`` pairs gives each its own number of candidates.

    param_grid : dict, list or None, default=None
        The space under ``GridSearchCV``'s name: the same as
        ``search_spaces``, for code written for ``GridSearchCV``. Give the
        space under one of the three names only.

    param_distributions : dict, list or None, default=None
        The space under ``RandomizedSearchCV``'s name: the same as
        ``search_spaces``, for code written for ``RandomizedSearchCV``.

    n_iter : int, default=50
        The number of candidates evaluated, shared among the sub-spaces that
        do not bring their own. A finite sub-space smaller than its share is
        evaluated in full, and what it leaves goes to the others.

    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``. With several metrics, the optimizer
        maximises the one named by ``refit``, or the first one when
        ``refit`` is a callable or False.

    n_jobs : int, default=None
        Number of jobs run in parallel (candidates x folds of a batch).
        ``None`` means 1 unless in a :obj:`joblib.parallel_backend` context.

    refit : bool, str or callable, default=True
        As in ``GridSearchCV``: refit the best candidate on the whole data.

    cv : int, cross-validation generator or iterable, default=None
        As in ``GridSearchCV``. The splits are drawn once, so that every
        candidate is scored on the same ones.

    verbose : int, default=0
        As in ``GridSearchCV``: one ``Fitting ... fits`` line for the whole
        search, then a line per fit from 2 on. From 1 on, a line too when a
        finite space has more points than ``n_iter`` lets the search
        evaluate.

    pre_dispatch : int or str, default="2*n_jobs"
        As in ``GridSearchCV``.

    error_score : "raise" or numeric, default=np.nan
        Score of a fold whose fit fails, as in ``GridSearchCV``. A candidate
        that fails is recorded so and the optimizer is told a poor value
        for it; the search goes on. When every fit fails, the search raises
        an error that quotes the failures.

    return_train_score : bool, default=False
        As in ``GridSearchCV``.

    random_state : int, RandomState instance or None, default=None
        Seeds the optimizer. With a fixed ``random_state`` and ``n_points``
        the candidates do not depend on ``n_jobs``.

    n_points : int or "auto", default="auto"
        Candidates proposed at once and evaluated in one parallel batch (by
        scikit-optimize's constant-liar strategy). ``"auto"`` gives enough
        candidates to keep every joblib worker busy with their folds (1 when
        ``n_jobs`` is not above the number of folds).

    optimizer_kwargs : dict, default=None
        Arguments of scikit-optimize's ``Optimizer``: ``base_estimator``
        (``"GP"``, the default, ``"RF"``, ``"ET"``, ``"GBRT"``, ``"dummy"``
        for random search, or a regressor), ``acq_func``,
        ``acq_optimizer``, ``n_initial_points``, ``initial_point_generator``,
        ``acq_func_kwargs``, ``acq_optimizer_kwargs``, ``model_queue_size``,
        ``n_jobs``, ``space_constraint``. Unlike scikit-optimize, the
        acquisition function is minimised over a pool of random points and
        points near the best ones unless ``acq_optimizer="lbfgs"``, only the
        newest surrogate is kept unless ``model_queue_size`` says otherwise,
        and the Gaussian process re-optimises its kernel as the
        observations grow by a fifth, not at every step.

    callbacks : callable or list of callables, default=None
        Called after each batch with a scikit-optimize ``OptimizeResult`` of
        the sub-space the batch came from (so scikit-optimize's own
        callbacks work), which also holds ``cv_results`` (the results so
        far), ``scores`` (the optimised metric of every candidate so far),
        ``elapsed`` (seconds since the search began), ``batch_time`` and
        ``budget`` (the number of candidates planned). A callback that
        returns True stops the search; one with a ``close`` method has it
        called when the search ends. See :class:`TimeBudgetStopper`,
        :class:`NoImprovementStopper`, :class:`TargetScoreStopper` and
        :class:`ProgressBar`.

    checkpoint : str or path-like, default=None
        A JSON file where every finished evaluation is saved, after each
        batch (written to a new file renamed over the old one, so that a
        search killed at any moment leaves a readable checkpoint). When the
        file exists, ``fit`` goes on from it: its evaluations are taken as
        this search's (in ``cv_results_``, counted in ``n_iter``, told to the
        optimizer) and are not fitted again. A checkpoint made on other
        data, splits, estimator or scoring is refused with an error.

    racing : bool or float, default=False
        Fold-level racing: True (a confidence of 0.95) or a confidence level
        in (0.5, 1). A candidate's folds are fitted in rounds; after each,
        its fold scores are compared with those of the best candidate so far
        (evaluated on every fold) by a one-sided paired t-test, and when it
        is worse at that confidence its remaining folds are not fitted. In
        ``cv_results_`` the folds it skipped have NaN scores and times, so
        its mean test score is NaN and it ranks last, and
        ``n_splits_evaluated`` counts the folds measured. The optimizer is
        told the mean of the folds measured. Works with any estimator.

    resource : str, default=None
        Multi-fidelity search: ``"n_samples"`` or the name of a
        hyperparameter that sets how much work a fit does (``n_estimators``,
        ``max_iter``). Candidates are evaluated first on ``min_resources``
        (a fraction of the samples of each split, or that value of the
        hyperparameter), and the best ``1/factor`` of each rung go on to
        ``factor`` times more, up to ``max_resources``, as in
        ``HalvingRandomSearchCV``; ``n_iter`` candidates start on the first
        rung, and there are as many rungs as leave ``factor`` candidates on
        the last. A candidate goes up as soon as it is sure to be among the
        best of its rung. The optimizer's surrogate takes the resource as an
        input, so
        it learns from every rung, and proposes for the full resource.
        ``cv_results_`` has ``iter`` (the rung) and ``n_resources``, and the
        best candidate is the best of the last rung reached.
    factor : float, default=3
        How many times more resource each rung has, and how many candidates
        of a rung per candidate promoted.
    min_resources : int or "smallest", default="smallest"
        The resource of the first rung. "smallest": for ``"n_samples"``,
        ``2 * n_splits`` samples (times the number of classes for a
        classifier), else 1.
    max_resources : int or "auto", default="auto"
        The full resource: for ``"n_samples"``, "auto" is the number of
        samples; for a hyperparameter it must be given.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        The keys ``GridSearchCV`` gives (``params``, ``param_<name>``,
        ``split<k>_test_<metric>``, ``mean_/std_/rank_test_<metric>``, fit and
        score times, train scores if asked), and no other (but for
        ``n_splits_evaluated`` with ``racing``, and ``iter`` and
        ``n_resources`` with ``resource``, as ``HalvingRandomSearchCV`` adds
        them). Import into a pandas DataFrame as is.

    search_info_ : dict of ndarrays
        What the search recorded of each candidate beyond ``cv_results_``, a
        value per candidate in the order of its rows: ``propose_time``, the
        seconds the optimizer spent proposing it (its share of its batch's),
        and ``batch``, the number of the batch it was evaluated in (the
        candidates proposed together and fitted in one parallel call; -1
        for one restored from a checkpoint). ``pandas.DataFrame(search_info_)``
        lines up with ``pandas.DataFrame(cv_results_)``.

    best_estimator_ : estimator
        The best candidate refit on the whole data; only with ``refit``.

    best_score_ : float
        Mean cross-validated score of the best candidate.

    best_params_ : dict
        Hyperparameters of the best candidate.

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

    optimizer_results_ : list of OptimizeResult or None
        One per sub-space: scikit-optimize's record of the points it saw
        (in the optimizer's coordinates: a category's label, a listed
        number's rank) and the values it was told (minus the score; a poor
        value for a failed candidate), and the last surrogate in ``models``
        (for its predicted mean: its posterior covariance, quadratic in the
        number of candidates, is not kept). The surrogate learns the values
        with those far worse than the others compressed (see :ref:`tuning`),
        so its mean there is not the objective's. None for a sub-space with
        nothing to search (only single values) or never reached. Built when
        first read: the search keeps the points in columns (8 bytes per
        number, a category's index) and refits the surrogate then, with the
        kernel its Gaussian process had learnt, so that memory does not grow
        with the number of candidates beyond ``cv_results_`` and a few bytes
        per candidate and hyperparameter.

    n_resources_ : list of int
        With ``resource``: the resource of each rung reached.

    n_candidates_ : list of int
        With ``resource``: the candidates evaluated on each rung reached.

    n_iterations_ : int
        With ``resource``: the number of rungs reached.

    min_resources_ : int
        With ``resource``: the resource of the first rung.

    max_resources_ : int
        With ``resource``: the full resource.

    classes_ : ndarray of shape (n_classes,)
        Class labels; only when the estimator is a classifier and refit.

    n_features_in_ : int
        Number of features seen during fit; only with ``refit``.

    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit; only with ``refit`` and when
        ``X`` has feature names that are all strings.

    See Also
    --------
    sklearn.model_selection.GridSearchCV : Every point of a grid.
    sklearn.model_selection.RandomizedSearchCV : Random points of a space.
    sklearn_hp.ParamInspector.search_space : A search space derived from an
        estimator's parameter constraints.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import BayesSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     SVC(),
    ...     {"C": loguniform(1e-2, 1e2), "kernel": ["linear", "rbf"]},
    ...     n_iter=12,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> len(search.cv_results_["params"])
    12
    >>> sorted(search.best_params_)
    ['C', 'kernel']
    >>> print(search.best_score_ > 0.95)
    True
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list, StrOptions({"auto"}), None],
        "param_grid": [dict, list, None],
        "param_distributions": [dict, list, None],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_points": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "optimizer_kwargs": [dict, None],
        "callbacks": [callable, list, None],
        "checkpoint": [str, os.PathLike, None],
        "racing": ["boolean", Interval(numbers.Real, 0.5, 1, closed="neither")],
        "resource": [str, None],
        "factor": [Interval(numbers.Real, 1, None, closed="neither")],
        "min_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"smallest"}),
        ],
        "max_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
    }

    def __init__(
        self,
        estimator,
        search_spaces=None,
        *,
        param_grid=None,
        param_distributions=None,
        n_iter=50,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        error_score=np.nan,
        return_train_score=False,
        random_state=None,
        n_points="auto",
        optimizer_kwargs=None,
        callbacks=None,
        checkpoint=None,
        racing=False,
        resource=None,
        factor=3,
        min_resources="smallest",
        max_resources="auto",
    ):
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
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_points = n_points
        self.optimizer_kwargs = optimizer_kwargs
        self.callbacks = callbacks
        self.checkpoint = checkpoint
        self.racing = racing
        self.resource = resource
        self.factor = factor
        self.min_resources = min_resources
        self.max_resources = max_resources

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The search predicts what its estimator predicts: a multi-output
        # estimator makes a multi-output search (BaseSearchCV leaves it out).
        tags.target_tags.multi_output = get_tags(
            self.estimator
        ).target_tags.multi_output
        return tags

    # -- checks of what fit is given ------------------------------------------

    def _racing_confidence(self):
        if self.racing is False:
            return None
        return 0.95 if self.racing is True else float(self.racing)

    def _resolved_search_spaces(self):
        given = {
            name: value
            for name in ("search_spaces", "param_grid", "param_distributions")
            if (value := getattr(self, name)) is not None
        }
        if len(given) > 1:
            first, second, *_ = given
            raise ValueError(
                f"{first} and {second} are both given: they are three names of "
                "the same argument (BayesSearchCV's, GridSearchCV's and "
                "RandomizedSearchCV's); give the space under one of them and "
                "leave the others None"
            )
        argument, space = next(iter(given.items()), ("search_spaces", None))
        if space is not None and not (isinstance(space, str) and space == "auto"):
            return argument, space
        space = suggest_space(self.estimator)
        # the resource is set by the schedule, not searched
        space.pop(self.resource, None)
        if not space:
            raise ValueError(
                "search_spaces: no hyperparameter to search could be derived for "
                f"{type(self.estimator).__name__}; give search_spaces"
            )
        return argument, space

    def _parsed_search_spaces(self):
        """Return the name the space was given under, and its sub-spaces."""
        argument, space = self._resolved_search_spaces()
        return argument, parse_search_spaces(space, argument)

    def _checked_optimizer_kwargs(self):
        kwargs = dict(self.optimizer_kwargs or {})
        for name in kwargs:
            if name == "random_state":
                raise ValueError(
                    "optimizer_kwargs: give random_state to BayesSearchCV itself, "
                    "which seeds the optimizer of every sub-space"
                )
            if name not in OPTIMIZER_KWARGS:
                close = difflib.get_close_matches(name, OPTIMIZER_KWARGS, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"optimizer_kwargs: unknown argument {name!r}.{hint} Valid "
                    f"arguments are {', '.join(OPTIMIZER_KWARGS)}."
                )
        return kwargs

    def _checked_callbacks(self):
        callbacks = self.callbacks
        if callbacks is None:
            return []
        if callable(callbacks):
            return [callbacks]
        for callback in callbacks:
            if not callable(callback):
                raise TypeError(
                    "callbacks must be callables or a list of callables; got "
                    f"{callback!r} of type {type(callback).__name__} in the list"
                )
        return list(callbacks)

    def _resolved_n_points(self):
        if self.n_points != "auto":
            return int(self.n_points)
        workers = effective_n_jobs(self.n_jobs)
        return max(1, math.ceil(workers / max(self.n_splits_, 1)))

    # -- search ------------------------------------------------------------------

    def _halving_schedule(self, subspaces, X, y, optimizer_kwargs, splits):
        if len(subspaces) != 1 or not subspaces[0].hyperparameters:
            raise ValueError(
                "resource: a multi-fidelity search takes one dict of "
                "hyperparameters to search, not a list of sub-spaces"
            )
        if self.checkpoint is not None or self._racing_confidence() is not None:
            raise ValueError(
                "resource: a multi-fidelity search cannot use checkpoint or racing"
            )
        subspace = subspaces[0]
        n_samples = _num_samples(X)
        if self.resource == "n_samples":
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
            if self.resource in subspace.names:
                raise ValueError(
                    f"resource: {self.resource!r} is the resource, so it cannot be "
                    "searched too; take it out of search_spaces"
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
        self.min_resources_ = int(min(min_resources, max_resources))
        self.max_resources_ = int(max_resources)
        self._rung_resources = _halving.rungs(
            self.min_resources_, self.max_resources_, self.factor, self.n_iter
        )
        self._splits = splits
        return _halving.HalvingSchedule(
            subspace,
            n_iter=self.n_iter,
            n_points=self._resolved_n_points(),
            resources=self._rung_resources,
            factor=self.factor,
            optimizer_kwargs=optimizer_kwargs,
            random_state=self.random_state,
        )

    def _set_halving_attributes(self, results):
        reached = sorted(set(int(i) for i in results["iter"]))
        self.n_iterations_ = len(reached)
        self.n_resources_ = [self._rung_resources[i] for i in reached]
        self.n_candidates_ = [int(np.sum(results["iter"] == i)) for i in reached]

    def _run_halving(self, evaluate_candidates, search_ctx, start):
        schedule = self._schedule
        resources = self._rung_resources
        if self.verbose > 0:
            # HalvingRandomSearchCV's header
            print(f"n_iterations: {len(resources)}")
            print(f"min_resources_: {self.min_resources_}")
            print(f"max_resources_: {self.max_resources_}")
            print(f"factor: {self.factor}")
        reached = set()
        scores = np.asarray([], dtype=float)
        while (next_batch := schedule.next_batch()) is not None:
            batch, propose_times = next_batch
            batch_start = time.perf_counter()
            for rung in sorted({rung for _, rung in batch}):
                if self.verbose > 0 and rung not in reached:
                    # Rungs overlap: each is announced when its first
                    # candidate starts, with the most it can hold.
                    n_candidates = schedule.rung_sizes[rung]
                    print("----------")
                    print(f"iter: {rung}")
                    print(f"n_candidates: {n_candidates}")
                    print(f"n_resources: {resources[rung]}")
                    self._print_fitting(n_candidates)
                reached.add(rung)
                group = [
                    (index, (candidate, r))
                    for index, (candidate, r) in enumerate(batch)
                    if r == rung
                ]
                evaluated = [pair for _, pair in group]
                candidates = [schedule.candidate(c) for c, _ in evaluated]
                cv = None
                if self.resource == "n_samples":
                    cv = _halving.SubsampledSplits(
                        self._splits,
                        resources[rung] / self.max_resources_,
                        random_state=schedule.seed + rung,
                    )
                else:
                    candidates = [
                        {**c, self.resource: resources[rung]} for c in candidates
                    ]
                    candidates = [{k: c[k] for k in sorted(c)} for c in candidates]
                results = evaluate_candidates(
                    candidates,
                    cv=cv,
                    more_results={
                        "iter": [rung] * len(group),
                        "n_resources": [resources[rung]] * len(group),
                    },
                    callback_ctx=search_ctx,
                    propose_times=[propose_times[i] for i, _ in group],
                )
                _, rung_scores, fit_times = results.batch_means(self.refit)
                schedule.tell(evaluated, rung_scores, fit_times)
                if rung == len(resources) - 1:
                    scores = np.concatenate([scores, rung_scores])
            if self._stop_requested(
                schedule.proposer,
                results,
                scores,
                start,
                time.perf_counter() - batch_start,
            ):
                break

    def _print_fitting(self, n_candidates):
        print(
            f"Fitting {self.n_splits_} folds for each of {n_candidates} "
            f"candidates, totalling {n_candidates * self.n_splits_} fits"
        )

    def _print_plan(self, schedule, n_restored):
        """Print what GridSearchCV prints before its fits, and what n_iter leaves out.

        One line per finite sub-space that ``n_iter`` does not cover, then the
        number of fits to come.
        """
        for index, proposer in enumerate(schedule.proposers):
            size = proposer.subspace.size
            if size != math.inf and proposer.budget < size:
                where = "the grid"
                if len(schedule.proposers) > 1:
                    where = f"sub-space {index} (of {len(schedule.proposers)})"
                print(
                    f"[BayesSearchCV] Searching {proposer.budget} of the {size} "
                    f"points of {where}: n_iter={self.n_iter} caps the search"
                )
        self._print_fitting(max(schedule.budget - n_restored, 0))

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        """Propose batches of candidates and evaluate them until the budget ends.

        Parameters
        ----------
        evaluate_candidates : callable
            Evaluates a list of candidates (dicts of parameters) and returns
            the results so far, formatted as ``cv_results_``.
        callback_ctx : CallbackContext or None, default=None
            scikit-learn's callback context of the search (scikit-learn >= 1.9).
        """
        schedule = self._schedule
        search_ctx = None
        if callback_ctx is not None:
            # As in GridSearchCV: one search task whose subtasks are the
            # (candidate, fold) evaluations, here of every batch.
            search_ctx = callback_ctx.subcontext(
                task_name="search",
                # promotions to larger resources add evaluations to a
                # multi-fidelity search's budget
                max_subtasks=(
                    None
                    if self.resource is not None
                    else schedule.budget * self.n_splits_
                ),
                sequential_subtasks=False,
            ).call_on_fit_task_begin(estimator=self)
        start = time.perf_counter()
        if self.resource is not None:
            self._run_halving(evaluate_candidates, search_ctx, start)
            schedule = None
        scores = np.asarray(self._restored_scores, dtype=float)
        if schedule is not None and self.verbose > 0:
            self._print_plan(schedule, len(scores))
        while schedule is not None and (batch := schedule.next_batch()) is not None:
            proposer, points, candidates, propose_times = batch
            batch_start = time.perf_counter()
            results = evaluate_candidates(
                candidates, callback_ctx=search_ctx, propose_times=propose_times
            )
            _, batch_scores, fit_times = results.batch_means(self.refit)
            scores = np.concatenate([scores, batch_scores])
            schedule.tell(proposer, points, batch_scores, fit_times)
            if self._stop_requested(
                proposer, results, scores, start, time.perf_counter() - batch_start
            ):
                break
        for callback in self._callbacks:
            if callable(getattr(callback, "close", None)):
                callback.close()
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)

    def _stop_requested(self, proposer, results, scores, start, batch_time):
        if not self._callbacks:
            return False
        from scipy.optimize import OptimizeResult

        optimizer = proposer.optimizer
        if optimizer is not None and optimizer.n_told:
            result = optimizer.result()
        else:
            # A sub-space of single values: nothing for an optimizer to record.
            result = OptimizeResult(
                x_iters=[], func_vals=np.array([]), space=None, models=[]
            )
        result.cv_results = results
        result.scores = np.asarray(scores, dtype=float)
        result.elapsed = time.perf_counter() - start
        result.batch_time = batch_time
        result.budget = self._schedule.budget
        # Every callback sees every batch, as in scikit-optimize.
        stops = [bool(callback(result)) for callback in self._callbacks]
        return any(stops)

    @_fit_context(
        # BayesSearchCV.estimator is not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None, **params):
        """Run the search: evaluate candidates, refit the best one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
            Training data; a square kernel or distance matrix for a
            precomputed estimator.

        y : array-like of shape (n_samples, n_output) or (n_samples,), default=None
            Target; None for unsupervised learning.

        **params : dict of str -> object
            Passed to the estimator's ``fit``, the scorer and the splitter,
            as in ``GridSearchCV.fit`` (``groups``, ``sample_weight``, ...).

        Returns
        -------
        self : object
            The fitted search.
        """
        argument, subspaces = self._parsed_search_spaces()
        check_names(self.estimator, subspaces, argument)
        check_values(self.estimator, subspaces, argument)
        check_fit_params(self.estimator, params)
        optimizer_kwargs = self._checked_optimizer_kwargs()
        self._callbacks = self._checked_callbacks()
        scorers, refit_metric = self._get_scorers()

        if y is not None and _num_samples(X) != _num_samples(y):
            raise ValueError(
                f"X and y have different numbers of samples: {_num_samples(X)} "
                f"and {_num_samples(y)}"
            )
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed_params = self._get_routed_params_for_fit(params)
        split_params = routed_params.splitter.split

        metadata = None
        if params.get("sample_weight") is not None:
            metadata = {"sample_weight": params["sample_weight"]}
        root_ctx = None
        if _HAS_CALLBACK_CONTEXTS:
            root_ctx = self._init_callback_context(
                max_subtasks=1 + (self.refit is not False)
            ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        self._checked_cv_orig = cv
        self.n_splits_ = cv.get_n_splits(X, y, **split_params)
        # Drawn once: every candidate is scored on the same splits, even with
        # a shuffling splitter that has no fixed random_state.
        splits = list(cv.split(X, y, **split_params))
        if len(splits) != self.n_splits_:
            raise ValueError(
                "cv.split and cv.get_n_splits return inconsistent results. "
                f"Expected {self.n_splits_} splits, got {len(splits)}"
            )
        if self.resource is not None:
            self._schedule = self._halving_schedule(
                subspaces, X, y, optimizer_kwargs, splits
            )
        else:
            self._schedule = Schedule(
                subspaces,
                n_iter=self.n_iter,
                n_points=self._resolved_n_points(),
                # One batch for a whole grid, as GridSearchCV, unless something
                # looks at the results as they come.
                walk_in_one_batch=not (
                    self._callbacks
                    or self.checkpoint is not None
                    or self._racing_confidence() is not None
                ),
                optimizer_kwargs=optimizer_kwargs,
                random_state=self.random_state,
            )

        base_estimator = clone(self.estimator)
        unfitted = _UnfittedCopies(base_estimator)
        fit_and_score_kwargs = dict(
            scorer=scorers,
            fit_params=routed_params.estimator.fit,
            score_params=routed_params.scorer.score,
            return_train_score=self.return_train_score,
            return_n_test_samples=True,
            return_times=True,
            return_parameters=False,
            error_score=self.error_score,
            verbose=self.verbose,
        )
        all_candidates, all_out, all_more_results = [], [], {}
        # what the search knows of each candidate beyond cv_results_
        all_propose_times, all_batches = [], []

        def search_info():
            return {
                "propose_time": np.asarray(all_propose_times, dtype=float),
                "batch": np.asarray(all_batches, dtype=int),
            }

        evaluated_under = {}

        def format_results():
            if callable(self.scoring):
                _insert_error_scores(all_out, self.error_score)
            results = self._format_results(
                all_candidates, self.n_splits_, all_out, all_more_results
            )
            if self._racing_confidence() is not None:
                results["n_splits_evaluated"] = _splits_evaluated(
                    all_out, self.n_splits_
                )
                # Times are those of the fits that ran.
                for key in ("fit_time", "score_time"):
                    times = np.array(
                        [out[key] for out in all_out], dtype=float
                    ).reshape(-1, self.n_splits_)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        results[f"mean_{key}"] = np.nanmean(times, axis=1)
                        results[f"std_{key}"] = np.nanstd(times, axis=1)
            return results

        def callback_kwargs(context):
            if not _HAS_CALLBACK_CONTEXTS:
                return {}
            return {"caller": self, "callback_ctx": context}

        checkpoint_fingerprint = None
        self._restored_scores = []
        if self.checkpoint is not None:
            checkpoint_fingerprint = _checkpoint.fingerprint(
                X=X,
                y=y,
                fit_params=routed_params.estimator.fit,
                splits=splits,
                estimator=self.estimator,
                scoring=self.scoring,
                return_train_score=self.return_train_score,
            )
            saved = _checkpoint.load(
                self.checkpoint, checkpoint_fingerprint, self.n_splits_, subspaces
            )
            for params, folds, propose_time in saved:
                all_candidates.append(params)
                all_out.extend(folds)
                all_propose_times.append(propose_time)
                all_batches.append(-1)
            if saved:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    restored = format_results()
                metric = _optimised_metric(restored, self.refit)
                self._restored_scores = restored[f"mean_test_{metric}"]
                self._schedule.restore(
                    all_candidates,
                    self._restored_scores,
                    restored["mean_fit_time"],
                )

        cluster = _distributed.cluster_runner(shared=[X, y])
        with Parallel(n_jobs=self.n_jobs, pre_dispatch=self.pre_dispatch) as parallel:

            def fit_pairs(pairs, contexts):
                configured = {}
                # Numbered across the whole search, as GridSearchCV's one batch.
                first = len(all_candidates)
                total = max(self._schedule.planned_evaluations, first + 1)
                return (cluster or parallel)(
                    delayed(_fit_and_score)(
                        unfitted.copy(configured, candidate_index, parameters),
                        X,
                        y,
                        train=train,
                        test=test,
                        # set already; given for the messages of verbose > 1
                        parameters=parameters if self.verbose > 1 else None,
                        split_progress=(split_index, self.n_splits_),
                        candidate_progress=(first + candidate_index, total),
                        **fit_and_score_kwargs,
                        **callback_kwargs(context),
                    )
                    for (
                        ((candidate_index, parameters), (split_index, (train, test))),
                        context,
                    ) in zip(pairs, contexts)
                )

            def race(
                candidate_params, batch_splits, contexts, incumbent, confidence, metric
            ):
                n_candidates, n_splits = len(candidate_params), len(batch_splits)
                outs = [[None] * n_splits for _ in candidate_params]
                active, measured = list(range(n_candidates)), 0
                group = _racing.MIN_FOLDS
                workers = effective_n_jobs(self.n_jobs)
                while active and measured < n_splits:
                    folds = range(measured, min(n_splits, measured + group))
                    tasks = [(c, f) for c in active for f in folds]
                    results = fit_pairs(
                        [
                            ((c, candidate_params[c]), (f, batch_splits[f]))
                            for c, f in tasks
                        ],
                        [contexts[c * n_splits + f] for c, f in tasks],
                    )
                    for (c, f), result in zip(tasks, results):
                        outs[c][f] = result
                    measured = folds[-1] + 1
                    if measured < n_splits:
                        active = [
                            c
                            for c in active
                            if not _racing.cannot_win(
                                [
                                    _racing.fold_score(outs[c][f], metric)
                                    for f in range(measured)
                                ],
                                incumbent[:measured],
                                confidence,
                            )
                        ]
                    group = max(1, math.ceil(workers / max(len(active), 1)))
                like = next(o for row in outs for o in row if o is not None)
                return [
                    outs[c][f]
                    if outs[c][f] is not None
                    else _racing.skipped_fold(like, _num_samples(batch_splits[f][1]))
                    for c in range(n_candidates)
                    for f in range(n_splits)
                ]

            def evaluate_candidates(
                candidate_params,
                cv=None,
                more_results=None,
                callback_ctx=None,
                propose_times=None,
            ):
                candidate_params = list(candidate_params)
                batch_splits = splits
                if cv is not None:
                    batch_splits = list(cv.split(X, y, **split_params))
                n_candidates = len(candidate_params)
                pairs = list(
                    product(enumerate(candidate_params), enumerate(batch_splits))
                )
                contexts = [None] * len(pairs)
                if callback_ctx is not None:
                    # Task ids go on from one batch to the next under one context.
                    first = evaluated_under.get(id(callback_ctx), 0)
                    contexts = [
                        callback_ctx.subcontext(
                            task_name="candidate-split-evaluation", task_id=task_id
                        )
                        for task_id in range(first, first + len(pairs))
                    ]
                    evaluated_under[id(callback_ctx)] = first + len(pairs)
                confidence = self._racing_confidence()
                incumbent = None
                if confidence is not None and len(batch_splits) > _racing.MIN_FOLDS:
                    metric = _racing_metric(all_out, self.refit)
                    if metric is not None:
                        incumbent = _racing.incumbent_scores(
                            all_out, self.n_splits_, metric
                        )
                if incumbent is None:
                    out = fit_pairs(pairs, contexts)
                else:
                    out = race(
                        candidate_params,
                        batch_splits,
                        contexts,
                        incumbent,
                        confidence,
                        metric,
                    )
                if len(out) < 1:
                    raise ValueError(
                        "No fits were performed. Was the CV iterator empty? "
                        "Were there no candidates?"
                    )
                all_candidates.extend(candidate_params)
                all_out.extend(out)
                for key, values in (more_results or {}).items():
                    all_more_results.setdefault(key, []).extend(values)
                all_propose_times.extend(
                    [np.nan] * n_candidates if propose_times is None else propose_times
                )
                batch = all_batches[-1] + 1 if all_batches else 0
                all_batches.extend([batch] * n_candidates)
                if self.checkpoint is not None:
                    _checkpoint.save(
                        self.checkpoint,
                        checkpoint_fingerprint,
                        all_candidates,
                        all_out,
                        self.n_splits_,
                        all_propose_times,
                    )
                return _Results(format_results, out, n_candidates)

            try:
                if _HAS_CALLBACK_CONTEXTS:
                    self._run_search(evaluate_candidates, callback_ctx=root_ctx)
                else:
                    self._run_search(evaluate_candidates)
            except BaseException as error:
                # What finished is kept: a fit that raises (error_score="raise")
                # or an interrupt leaves the results so far on the search.
                if all_out:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        self.cv_results_ = format_results()
                    self.search_info_ = search_info()
                if isinstance(error, KeyboardInterrupt):
                    raise KeyboardInterrupt(
                        self._interrupted_message(len(all_candidates))
                    ) from None
                if isinstance(error, _distributed.ClusterLostFits):
                    raise _distributed.ClusterLostFits(
                        f"The dask cluster lost fits ({error}). "
                        + self._interrupted_message(len(all_candidates))
                    ) from error
                raise

        if not all_out:
            raise ValueError(
                "No fits were performed: the search space has no candidates."
            )
        _warn_or_raise_about_fit_failures(all_out, self.error_score)
        with warnings.catch_warnings():
            if not _unexplained_nan(all_out, self.n_splits_):
                # The NaN means are those of raced candidates, whose skipped
                # folds are no fault to warn about.
                warnings.filterwarnings(
                    "ignore", "One or more of the test scores are non-finite"
                )
            results = format_results()

        first_test_score = all_out[0]["test_scores"]
        self.multimetric_ = isinstance(first_test_score, dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(first_test_score)
            refit_metric = self.refit

        if self.refit or not self.multimetric_:
            if self.resource is not None:
                self._set_halving_attributes(results)
                self.best_index_ = _best_of_last_rung(
                    self.refit, refit_metric, results, self._select_best_index
                )
            else:
                self.best_index_ = self._select_best_index(
                    self.refit, refit_metric, results
                )
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][
                    self.best_index_
                ]
            self.best_params_ = results["params"][self.best_index_]

        if self.refit:
            self._refit_best(base_estimator, X, y, routed_params, root_ctx, metadata)

        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results
        self.search_info_ = search_info()
        self._optimizer_records = [p.result() for p in self._schedule.proposers]
        self.__dict__.pop("_optimizer_results", None)
        del self._schedule, self._callbacks, self._restored_scores
        if root_ctx is not None:
            root_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
        return self

    @property
    def optimizer_results_(self):
        """One scikit-optimize ``OptimizeResult`` per sub-space, or None.

        Built when first read, from a compact record the search keeps (see
        the class's Attributes).
        """
        results = self.__dict__.get("_optimizer_results")
        if results is None:
            records = self.__dict__.get("_optimizer_records")
            if records is None:
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute "
                    "'optimizer_results_': call fit first"
                )
            results = [None if r is None else r.result() for r in records]
            self._optimizer_results = results
        return results

    def _interrupted_message(self, n_candidates):
        message = (
            f"BayesSearchCV was interrupted after {n_candidates} candidates; "
            "their results are in cv_results_"
        )
        if self.checkpoint is None:
            return (
                message + ". Give the search a checkpoint (checkpoint='search.json') "
                "to be able to go on from where an interrupted search stopped."
            )
        return (
            message + f" and saved in {os.fspath(self.checkpoint)!r}: fit again with "
            "the same checkpoint, data and splits to go on from there."
        )

    def _refit_best(self, base_estimator, X, y, routed_params, root_ctx, metadata):
        # The parameters are cloned too: they may be estimators, searched as
        # the steps of a pipeline.
        self.best_estimator_ = clone(base_estimator).set_params(
            **clone(self.best_params_, safe=False)
        )
        fit_params = routed_params.estimator.fit
        if root_ctx is None:
            self._fit_best_estimator(X, y, fit_params)
        else:
            refit_ctx = root_ctx.subcontext(task_name="refit-with-best-params")
            with refit_ctx.propagate_callback_context(self.best_estimator_):
                refit_ctx.call_on_fit_task_begin(
                    estimator=self, X=X, y=y, metadata=metadata
                )
                self._fit_best_estimator(X, y, fit_params)
            refit_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_

    def _fit_best_estimator(self, X, y, fit_params):
        start = time.time()
        if y is not None:
            self.best_estimator_.fit(X, y, **fit_params)
        else:
            self.best_estimator_.fit(X, **fit_params)
        self.refit_time_ = time.time() - start


class _Results(Mapping):
    """The results so far, formatted as ``cv_results_`` when first read.

    Formatting every candidate's results after each batch costs time linear
    in the number of candidates; the search itself needs only the scores of
    the last batch, which ``batch_means`` computes from the fits' outputs.
    """

    def __init__(self, format_results, batch_out, n_candidates):
        self._format_results = format_results
        self._batch_out = batch_out
        self._n_candidates = n_candidates
        self._data = None

    def _formatted(self):
        if self._data is None:
            with warnings.catch_warnings():
                # Non-finite scores are reported once, for the whole search.
                warnings.simplefilter("ignore", UserWarning)
                self._data = self._format_results()
        return self._data

    def __getitem__(self, key):
        return self._formatted()[key]

    def __iter__(self):
        return iter(self._formatted())

    def __len__(self):
        return len(self._formatted())

    def batch_means(self, refit):
        """Return the optimised metric and the batch's mean scores and fit times.

        A failed fold scores ``error_score``, as in ``cv_results_``.
        """
        folds = np.array_split(np.arange(len(self._batch_out)), self._n_candidates)
        dicts = [
            o["test_scores"]
            for o in self._batch_out
            if isinstance(o["test_scores"], dict)
        ]
        metric = "score"
        if dicts:
            names = list(dicts[0])
            metric = refit if isinstance(refit, str) and refit in names else names[0]

        def mean_score(rows):
            # A raced candidate is told the mean of the folds it was measured on.
            measured = [i for i in rows if not self._batch_out[i].get("skipped")]
            return np.mean(
                [_racing.fold_score(self._batch_out[i], metric) for i in measured]
            )

        scores = np.array([mean_score(rows) for rows in folds], dtype=float)
        fit_times = np.array(
            [
                np.nanmean([self._batch_out[i]["fit_time"] for i in rows])
                for rows in folds
            ],
            dtype=float,
        )
        return metric, scores, fit_times


class _UnfittedCopies:
    """Unfitted estimators for a search's fits, each ``clone(base).set_params(...)``.

    ``clone`` lists every nested estimator's parameters through
    ``inspect.signature``, and ``set_params`` on a pipeline lists them again:
    on fits of milliseconds, a few folds of each candidate cost more in these
    than in the search's optimizer. The base estimator is a fresh clone, so a
    deep copy of it is what ``clone`` would give (``clone`` deep-copies every
    parameter that is not an estimator too); each candidate is configured
    once and each of its folds gets a deep copy of it. An estimator with its
    own ``__sklearn_clone__``, or that cannot be deep-copied, is cloned.

    Parameters
    ----------
    base_estimator : estimator
        A fresh clone of the search's estimator; never fitted.
    """

    def __init__(self, base_estimator):
        self.base_estimator = base_estimator
        clone_method = getattr(type(base_estimator), "__sklearn_clone__", None)
        self._copy = clone_method is BaseEstimator.__sklearn_clone__

    def copy(self, configured, candidate, parameters):
        """Return an unfitted estimator with ``parameters`` set.

        ``configured`` maps a candidate to its configured estimator, to copy
        for each of its folds.
        """
        if self._copy and candidate not in configured:
            try:
                fresh = copy.deepcopy(self.base_estimator)
            except Exception:
                # not deep-copyable: cloned for every fit
                self._copy = False
            else:
                configured[candidate] = fresh.set_params(
                    **clone(parameters, safe=False)
                )
        if self._copy:
            return copy.deepcopy(configured[candidate])
        return clone(self.base_estimator).set_params(**clone(parameters, safe=False))


def _best_of_last_rung(refit, refit_metric, results, select):
    """Select the best candidate among those evaluated on the last rung reached.

    As scikit-learn's halving searches do: scores on smaller resources are not
    comparable with those on the full one. A callable ``refit`` chooses among
    all rows itself.
    """
    if callable(refit):
        return select(refit, refit_metric, results)
    last = np.flatnonzero(results["iter"] == np.max(results["iter"]))
    scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float)[last]
    return int(last[int(np.argmax(np.where(np.isfinite(scores), scores, -np.inf)))])


def _racing_metric(outs, refit):
    """Name the metric racing compares (None before any fold was scored)."""
    for out in outs:
        if out.get("skipped") or out["fit_error"] is not None:
            continue
        scores = out["test_scores"]
        if not isinstance(scores, dict):
            return "score"
        return (
            refit if isinstance(refit, str) and refit in scores else next(iter(scores))
        )
    return None


def _splits_evaluated(outs, n_splits):
    return np.array(
        [
            sum(not fold.get("skipped") for fold in outs[start : start + n_splits])
            for start in range(0, len(outs), n_splits)
        ]
    )


def _unexplained_nan(outs, n_splits):
    """Whether a candidate measured on every fold has a non-finite score."""
    for start in range(0, len(outs), n_splits):
        folds = outs[start : start + n_splits]
        if any(fold.get("skipped") for fold in folds):
            continue
        for fold in folds:
            scores = fold["test_scores"]
            values = scores.values() if isinstance(scores, dict) else [scores]
            if not all(np.isfinite(v) for v in values):
                return True
    return False


def _optimised_metric(results, refit):
    """Name the metric the optimizer maximises: ``refit``'s, else the first."""
    if "mean_test_score" in results:
        return "score"
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return refit
    return next(
        key[len("mean_test_") :] for key in results if key.startswith("mean_test_")
    )
