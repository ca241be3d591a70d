"""BayesSearchCV: Bayesian optimisation as a drop-in for GridSearchCV.

The class and its arguments: what it adds to the shared machinery of
``_base`` is its schedule (sub-spaces walked or searched by an optimizer),
fold-level racing and checkpoints. The multi-fidelity search is
:class:`HalvingBayesSearchCV`, in ``_halving_search``.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable
from typing import Any, Literal

import joblib
import numpy as np
from sklearn.base import BaseEstimator

from ..utils._sklearn_compat import Interval
from ..utils._typing import (
    Callback,
    CrossValidation,
    RandomStateLike,
    Scoring,
    SearchSpaces,
)
from ._base import BaseBayesSearchCV
from ._checkpoint import Checkpoint, fingerprint
from ._schedule import Schedule


class BayesSearchCV(BaseBayesSearchCV):
    """Bayesian search over hyperparameters, a drop-in for GridSearchCV.

    Takes every argument of :class:`~sklearn.model_selection.GridSearchCV`
    with the same meaning, and the same forms of search space as
    ``GridSearchCV`` (lists of values), ``RandomizedSearchCV`` (scipy.stats
    distributions) and scikit-optimize (``Real``, ``Integer``,
    ``Categorical``, ``(low, high, prior)`` tuples), mixed as needed. A
    Bayesian optimizer, whose surrogate model learns the cross-validated
    scores seen so far, proposes the next candidates, so that ``n_iter``
    fits find hyperparameters as good as a grid many times larger.

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
        constraints. Otherwise each hyperparameter takes one of:

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
        Candidates proposed at once and evaluated in one parallel batch (each
        told to the surrogate as the score it expects before the next is
        chosen: the kriging believer). ``"auto"`` gives enough
        candidates to keep every joblib worker busy with their folds (1 when
        ``n_jobs`` is not above the number of folds).

    optimizer_kwargs : dict, default=None
        Arguments of the optimizer, with the meaning scikit-optimize's
        ``Optimizer`` gives them: ``base_estimator`` (``"GP"``, the default,
        ``"RF"``, ``"ET"``, ``"GBRT"``, ``"dummy"`` for random search, or a
        regressor with ``predict(X, return_std=True)``), ``acq_func``
        (``"gp_hedge"``, ``"EI"``, ``"PI"``, ``"LCB"``, ``"EIps"``,
        ``"PIps"``), ``acq_optimizer``, ``n_initial_points``,
        ``initial_point_generator``, ``acq_func_kwargs``,
        ``acq_optimizer_kwargs``, ``model_queue_size``, ``n_jobs``,
        ``space_constraint``. The first candidates of each sub-space (a
        fifth of its budget, at least 5 and at most 10, unless
        ``n_initial_points`` says otherwise) form a maximin Latin hypercube
        (``initial_point_generator="lhs"``; scikit-optimize's default is
        ``"random"``). Unlike scikit-optimize, the acquisition
        function is minimised over a pool of random points and points near
        the best ones (then polished by L-BFGS with
        ``acq_optimizer="lbfgs"``), only the newest surrogate is kept unless
        ``model_queue_size`` says otherwise, and the default Gaussian
        process re-optimises its kernel as the observations grow by half,
        not at every step; a regressor given as ``base_estimator`` is
        refitted by its own ``fit`` at every step.

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
        A file (JSON Lines, never a pickle) to which each fit is appended as
        it ends, so that a search killed at any moment, even by ``SIGKILL``,
        loses only the fits that were running. When the file exists, ``fit``
        goes on from it. With the same arguments and an int ``random_state``
        the search is replayed: the fits saved are taken from the file
        rather than run again, and ``cv_results_`` ends as that of a search
        never interrupted. Otherwise the candidates saved are taken as this
        search's first ones (in ``cv_results_``, counted in ``n_iter``, told
        to the optimizer). A checkpoint made on other data, splits,
        estimator or scoring is refused with an error, as is one another
        running search is writing (the file is locked).

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

    asynchronous : bool, default=False
        Whether a worker that finishes a fit gets the next one at once: the
        next fold of a candidate being evaluated, else the first of a new
        candidate, proposed with what is known then (the candidates still
        being evaluated told to the optimizer as the scores it expects).
        Batches (``n_points``) wait for their slowest fold, and workers sit
        idle meanwhile; with expensive fits of varying length on several
        workers this keeps them busy. ``cv_results_`` lists candidates in
        the order they finish, each saved to the checkpoint as it finishes,
        and the candidates depend on how long the fits take, so a search is
        not reproducible from its ``random_state``. With ``racing``, a
        candidate's first two folds go out together and each next one once
        it can still beat the best (the last candidates, proposed when none
        is left to propose, are not raced). On joblib's process and thread
        backends with joblib >= 1.4, and under the dask backend (each fit
        submitted to the cluster's client as a worker frees up). Not with a
        set ``n_points``.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        The keys ``GridSearchCV`` gives (``params``, ``param_<name>``,
        ``split<k>_test_<metric>``, ``mean_/std_/rank_test_<metric>``, fit and
        score times, train scores if asked), and no other but
        ``n_splits_evaluated`` with ``racing``. Import into a pandas DataFrame
        as is.

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
    HalvingBayesSearchCV : Bayesian proposals, evaluated by successive
        halving on growing resources.
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
        **BaseBayesSearchCV._parameter_constraints,
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "checkpoint": [str, os.PathLike, None],
        "racing": ["boolean", Interval(numbers.Real, 0.5, 1, closed="neither")],
        "asynchronous": ["boolean"],
    }

    def __init__(
        self,
        estimator: BaseEstimator,
        search_spaces: SearchSpaces | Literal["auto"] | None = None,
        *,
        param_grid: SearchSpaces | None = None,
        param_distributions: SearchSpaces | None = None,
        n_iter: int = 50,
        scoring: Scoring | None = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable[..., Any] = True,
        cv: CrossValidation | None = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: Literal["raise"] | float = np.nan,
        return_train_score: bool = False,
        random_state: RandomStateLike = None,
        n_points: int | Literal["auto"] = "auto",
        optimizer_kwargs: dict[str, Any] | None = None,
        callbacks: Callback | list[Callback] | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        racing: bool | float = False,
        asynchronous: bool = False,
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
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_points = n_points
        self.optimizer_kwargs = optimizer_kwargs
        self.callbacks = callbacks
        self.checkpoint = checkpoint
        self.racing = racing
        self.asynchronous = asynchronous

    def _asynchronous(self):
        return self.asynchronous

    def _racing_confidence(self):
        if self.racing is False:
            return None
        return 0.95 if self.racing is True else float(self.racing)

    def _make_schedule(self, subspaces, optimizer_kwargs, X, y, callbacks):
        return Schedule(
            subspaces,
            n_iter=self.n_iter,
            n_points=1 if self.asynchronous else self._resolved_n_points(),
            n_splits=self.n_splits_,
            # One batch for a whole grid, as GridSearchCV, unless something
            # looks at the results as they come.
            walk_in_one_batch=not (
                callbacks
                or self.checkpoint is not None
                or self._racing_confidence() is not None
                or self.asynchronous
            ),
            optimizer_kwargs=optimizer_kwargs,
            random_state=self.random_state,
        )

    def _evaluator_options(self, X, y, routed_params, splits, subspaces):
        checkpoint = None
        if self.checkpoint is not None:
            checkpoint = Checkpoint(
                self.checkpoint,
                fingerprint(
                    X=X,
                    y=y,
                    fit_params=routed_params.estimator.fit,
                    splits=splits,
                    estimator=self.estimator,
                    scoring=self.scoring,
                    return_train_score=self.return_train_score,
                ),
                plan=self._plan(subspaces),
                n_splits=len(splits),
                subspaces=subspaces,
                replayable=isinstance(self.random_state, numbers.Integral)
                and not self.asynchronous,
            )
        return {"racing": self._racing_confidence(), "checkpoint": checkpoint}

    def _plan(self, subspaces):
        """Hash what decides which candidates are proposed, beside the scores.

        A search with the same plan and a fixed ``random_state`` proposes the
        same candidates, given the same scores: it can replay a checkpoint.
        """
        return joblib.hash(
            {
                "space": [subspace.key() for subspace in subspaces],
                "n_iter": self.n_iter,
                "n_points": 1 if self.asynchronous else self._resolved_n_points(),
                "optimizer_kwargs": self.optimizer_kwargs,
                "random_state": self.random_state,
                "racing": self._racing_confidence(),
                "refit": self.refit if isinstance(self.refit, str | bool) else None,
                "error_score": self.error_score,
                "asynchronous": self.asynchronous,
            }
        )

    def _interrupted_message(self, n_candidates):
        message = super()._interrupted_message(n_candidates)
        if self.checkpoint is None:
            return (
                message + ". Give the search a checkpoint (checkpoint='search.json') "
                "to be able to go on from where an interrupted search stopped."
            )
        return (
            message + f" and saved in {os.fspath(self.checkpoint)!r}: fit again with "
            "the same checkpoint, data and splits to go on from there."
        )
