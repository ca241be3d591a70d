"""What the Bayesian searches share: their ``fit``, the search loop, the refit.

:class:`BaseBayesSearchCV` is a scikit-learn ``BaseSearchCV`` whose ``fit``
follows ``BaseSearchCV.fit`` step by step (check the arguments, draw the
splits, evaluate, select the best candidate, refit it), with the machinery in
parts of their own: a schedule says which candidates to evaluate next (one
per algorithm), an :class:`~sklearn_hp.model_selection._evaluator.Evaluator`
fits them and keeps every result. A subclass is one algorithm: it says which
schedule, and what it adds to the evaluator, the best candidate and the
fitted attributes. What does not live here: any one algorithm's arguments.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import numbers
import signal
import threading
import time
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from numpy.typing import ArrayLike
from scipy.optimize import OptimizeResult
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import get_tags, indexable

from ..utils._sklearn_compat import (
    HAS_CALLBACK_CONTEXTS,
    BaseSearchCV,
    Interval,
    StrOptions,
    _check_method_params,
    _fit_context,
    _num_samples,
)
from ..utils._typing import MatrixLike
from . import _asynchronous, _distributed
from ._auto import suggest_space
from ._callbacks import Callbacks
from ._checks import check_fit_params, check_names, check_values
from ._evaluator import Evaluator
from ._optimizer import OPTIMIZER_KWARGS, check_optimizer_kwargs
from ._space import parse_search_spaces

SPACE_NAMES = ("search_spaces", "param_grid", "param_distributions")


class BaseBayesSearchCV(BaseSearchCV):
    """Base class of the Bayesian searches; not to be used directly.

    Subclasses implement :meth:`_make_schedule`, and may extend
    :meth:`_check_subspaces`, :meth:`_evaluator_options`, :meth:`_select_best`,
    :meth:`_set_schedule_attributes` and :meth:`_interrupted_message`.
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list, StrOptions({"auto"}), None],
        "param_grid": [dict, list, None],
        "param_distributions": [dict, list, None],
        "random_state": ["random_state"],
        "n_points": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "optimizer_kwargs": [dict, None],
        "callbacks": [callable, list, None],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The search predicts what its estimator predicts: a multi-output
        # estimator makes a multi-output search (BaseSearchCV leaves it out).
        tags.target_tags.multi_output = get_tags(
            self.estimator
        ).target_tags.multi_output
        return tags

    # -- the arguments ---------------------------------------------------------

    def _resolved_search_spaces(self):
        """Return the name the space was given under, and the space.

        With no space, the space :func:`suggest_space` gives.
        """
        given = {
            name: value
            for name in SPACE_NAMES
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
        for name in self._scheduled_parameters():
            space.pop(name, None)
        if not space:
            raise ValueError(
                "search_spaces: no hyperparameter to search could be derived for "
                f"{type(self.estimator).__name__}; give search_spaces"
            )
        return argument, space

    def _scheduled_parameters(self):
        """Hyperparameters the schedule sets, left out of a suggested space."""
        return ()

    def _parsed_search_spaces(self):
        """Return the name the space was given under, and its sub-spaces."""
        argument, space = self._resolved_search_spaces()
        return argument, parse_search_spaces(space, argument)

    def _checked_optimizer_kwargs(self):
        kwargs = dict(self.optimizer_kwargs or {})
        for name in kwargs:
            if not isinstance(name, str):
                raise TypeError(f"optimizer_kwargs: keys must be strings, got {name!r}")
            if name == "random_state":
                raise ValueError(
                    f"optimizer_kwargs: give random_state to {type(self).__name__} "
                    "itself, which seeds the optimizer of every sub-space"
                )
            if name not in OPTIMIZER_KWARGS:
                close = difflib.get_close_matches(name, OPTIMIZER_KWARGS, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"optimizer_kwargs: unknown argument {name!r}.{hint} Valid "
                    f"arguments are {', '.join(OPTIMIZER_KWARGS)}."
                )
        try:
            check_optimizer_kwargs(kwargs)
        except ValueError as error:
            raise ValueError(f"optimizer_kwargs: {error}") from None
        return kwargs

    def _checked_scorers(self):
        """Return ``_get_scorers()``'s scorers and refit metric, or refuse scoring.

        scikit-learn's messages about a list or dict of scorers (empty,
        duplicated, not strings) do not say they are about scoring; its
        check of refit against the scorers, made there too, names refit.
        """
        try:
            return self._get_scorers()
        except ValueError as error:
            if getattr(error, "about_refit", False):
                raise
            raise type(error)(f"scoring: {error}") from None

    def _check_refit_for_multimetric(self, scores):
        try:
            super()._check_refit_for_multimetric(scores)
        except ValueError as error:
            # told apart from the errors about scoring by _checked_scorers
            error.about_refit = True
            raise

    def _resolved_n_points(self):
        if self.n_points != "auto":
            return int(self.n_points)
        workers = effective_n_jobs(self.n_jobs)
        return max(1, math.ceil(workers / max(self.n_splits_, 1)))

    # -- what an algorithm says ----------------------------------------------------

    def _asynchronous(self):
        """Whether candidates are evaluated fold by fold as workers free up."""
        return False

    def _check_subspaces(self, argument, subspaces):
        """Refuse a space this algorithm cannot search, naming ``argument``.

        ``argument`` is the name the space was given under (``search_spaces``,
        ``param_grid`` or ``param_distributions``).
        """

    def _make_schedule(self, subspaces, optimizer_kwargs, X, y, callbacks):
        """Return the schedule of this algorithm's candidates."""
        raise NotImplementedError

    def _evaluator_options(self, X, y, routed_params, splits, subspaces):
        """Return the evaluator's keyword arguments this algorithm sets."""
        return {}

    def _select_best(self, refit_metric, results):
        """Return the index of the best candidate in ``results``."""
        return self._select_best_index(self.refit, refit_metric, results)

    def _set_schedule_attributes(self, schedule, results):
        """Set the fitted attributes that describe how the schedule ran."""

    def _interrupted_message(self, n_candidates):
        return (
            f"{type(self).__name__} was interrupted after {n_candidates} "
            "candidates; their results are in cv_results_"
        )

    # -- fit -------------------------------------------------------------------------

    @_fit_context(
        # the search's estimator is not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(
        self, X: MatrixLike, y: ArrayLike | None = None, **params: Any
    ) -> BaseBayesSearchCV:
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
        self._check_subspaces(argument, subspaces)
        check_fit_params(self.estimator, params)
        optimizer_kwargs = self._checked_optimizer_kwargs()
        callbacks = Callbacks(self.callbacks)
        scorers, refit_metric = self._checked_scorers()

        if y is not None and _num_samples(X) != _num_samples(y):
            raise ValueError(
                f"X and y have different numbers of samples: {_num_samples(X)} "
                f"and {_num_samples(y)}"
            )
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed_params = self._get_routed_params_for_fit(params)
        metadata = None
        if params.get("sample_weight") is not None:
            metadata = {"sample_weight": params["sample_weight"]}
        root_ctx = None
        if HAS_CALLBACK_CONTEXTS:
            root_ctx = self._init_callback_context(
                max_subtasks=1 + (self.refit is not False)
            ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

        splits = self._fixed_splits(X, y, routed_params.splitter.split)
        schedule = self._make_schedule(subspaces, optimizer_kwargs, X, y, callbacks)
        evaluator = Evaluator(
            self,
            X,
            y,
            splits=splits,
            scorers=scorers,
            routed_params=routed_params,
            n_planned=schedule.planned_evaluations,
            **self._evaluator_options(X, y, routed_params, splits, subspaces),
        )
        with evaluator, _sigterm_as_interrupt():
            try:
                schedule.restore(evaluator.restore())
                self._run_search(
                    evaluator,
                    schedule=schedule,
                    callbacks=callbacks,
                    callback_ctx=root_ctx,
                )
            except BaseException as error:
                # What finished is kept: a fit that raises (error_score="raise")
                # or an interrupt leaves the results so far on the search.
                if evaluator.n_candidates:
                    self.cv_results_ = evaluator.cv_results()
                    self.search_info_ = evaluator.search_info()
                explained = self._explained(error, evaluator.n_candidates)
                if explained is error:
                    raise
                raise explained from (
                    None if isinstance(error, KeyboardInterrupt) else error
                )

        results = evaluator.final_results()
        first_test_score = evaluator.outs[0]["test_scores"]
        self.multimetric_ = isinstance(first_test_score, dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(first_test_score)
            refit_metric = self.refit
        self._set_schedule_attributes(schedule, results)
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best(refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][
                    self.best_index_
                ]
            self.best_params_ = results["params"][self.best_index_]
        if self.refit:
            self._refit_best(X, y, routed_params, root_ctx, metadata)

        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results
        self.search_info_ = evaluator.search_info()
        self._optimizer_records = schedule.records()
        self.__dict__.pop("_optimizer_results", None)
        if root_ctx is not None:
            root_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
        return self

    def _fixed_splits(self, X, y, split_params):
        """Draw the splits once: every candidate is scored on the same ones.

        Even with a shuffling splitter that has no fixed ``random_state``.
        """
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        self._checked_cv_orig = cv
        self.n_splits_ = cv.get_n_splits(X, y, **split_params)
        try:
            splits = list(cv.split(X, y, **split_params))
        except (TypeError, ValueError) as error:
            # an iterable of splits is unpacked by scikit-learn's wrapper,
            # whose error does not say that cv is at fault
            if self.cv is None or isinstance(self.cv, numbers.Integral):
                raise
            if hasattr(self.cv, "split"):
                raise
            raise ValueError(
                f"cv: each split must be a (train, test) pair of index arrays ({error})"
            ) from None
        if len(splits) != self.n_splits_:
            raise ValueError(
                "cv.split and cv.get_n_splits return inconsistent results. "
                f"Expected {self.n_splits_} splits, got {len(splits)}"
            )
        return _checked_splits(splits, _num_samples(X))

    def _explained(self, error, n_candidates):
        """Return the error to raise for ``error``, saying what was kept."""
        if isinstance(error, Terminated):
            return Terminated(
                self._interrupted_message(n_candidates).replace(
                    "was interrupted", "was terminated (SIGTERM)", 1
                )
            )
        if isinstance(error, KeyboardInterrupt):
            return KeyboardInterrupt(self._interrupted_message(n_candidates))
        if isinstance(error, _distributed.ClusterLostFits):
            return _distributed.ClusterLostFits(
                f"The dask cluster lost fits ({error}). "
                + self._interrupted_message(n_candidates)
            )
        return error

    def _run_search(
        self, evaluate_candidates, *, schedule, callbacks, callback_ctx=None
    ):
        """Evaluate the schedule's batches until it ends or a callback stops it.

        Parameters
        ----------
        evaluate_candidates : Evaluator
            Evaluates a batch of candidates and returns the results so far,
            as ``BaseSearchCV``'s ``evaluate_candidates``; its ``restored``
            lists the evaluations a checkpoint held.
        schedule : Schedule or HalvingSchedule
            Says which candidates to evaluate, and learns their scores.
        callbacks : Callbacks
            Called after each batch; one that returns True stops the search.
        callback_ctx : CallbackContext or None, default=None
            scikit-learn's callback context of the search (scikit-learn >= 1.9).
        """
        search_ctx = None
        if callback_ctx is not None:
            # As in GridSearchCV: one search task whose subtasks are the
            # (candidate, fold) evaluations, here of every batch.
            search_ctx = callback_ctx.subcontext(
                task_name="search",
                max_subtasks=(
                    schedule.planned_evaluations * self.n_splits_
                    if schedule.fixed_plan
                    else None
                ),
                sequential_subtasks=False,
            ).call_on_fit_task_begin(estimator=self)
        start = time.perf_counter()
        scores = [score for _, score, _ in evaluate_candidates.restored]
        if self.verbose > 0:
            print("\n".join(schedule.describe()))
        try:
            if self._asynchronous():
                self._run_asynchronously(
                    evaluate_candidates, schedule, callbacks, scores, start, search_ctx
                )
            else:
                while (batch := schedule.next_batch()) is not None:
                    if self.verbose > 0 and batch.announcement:
                        print("\n".join(batch.announcement))
                    batch_start = time.perf_counter()
                    results = evaluate_candidates(
                        batch.candidates,
                        more_results=batch.more_results,
                        callback_ctx=search_ctx,
                        subsample=batch.subsample,
                        propose_times=batch.propose_times,
                    )
                    batch_scores, fit_times = results.means()
                    schedule.tell(batch, batch_scores, fit_times)
                    if batch.final:
                        scores.extend(batch_scores)
                    if callbacks and callbacks.stop(
                        schedule.result_for(batch),
                        cv_results=results,
                        scores=np.asarray(scores, dtype=float),
                        elapsed=time.perf_counter() - start,
                        batch_time=time.perf_counter() - batch_start,
                        budget=schedule.budget,
                    ):
                        break
        finally:
            callbacks.close()
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)

    def _run_asynchronously(
        self, evaluator, schedule, callbacks, scores, start, callback_ctx
    ):
        """Evaluate fold by fold as workers free up (see ``_asynchronous``).

        ``scores`` gathers the candidates' scores for the callbacks, which
        are called after each candidate finishes.
        """
        _asynchronous.check_asynchronous(self, evaluator.on_cluster)

        def on_candidate(batch, results, batch_scores, fit_times, batch_time):
            scores.extend(batch_scores)
            return bool(callbacks) and callbacks.stop(
                schedule.result_for(batch),
                cv_results=results,
                scores=np.asarray(scores, dtype=float),
                elapsed=time.perf_counter() - start,
                batch_time=batch_time,
                budget=schedule.budget,
            )

        runner = _asynchronous.AsynchronousRunner(
            evaluator, schedule, self.n_jobs, callback_ctx
        )
        runner.run(on_candidate)

    # -- after the search ------------------------------------------------------------

    @property
    def optimizer_results_(self) -> list[OptimizeResult | None]:
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

    def _refit_best(self, X, y, routed_params, root_ctx, metadata):
        # The parameters are cloned too: they may be estimators, searched as
        # the steps of a pipeline.
        self.best_estimator_ = clone(self.estimator).set_params(
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


def _checked_splits(splits, n_samples):
    """Return the splits as arrays of indices, or refuse them naming cv.

    GridSearchCV takes what an iterable gives and fails on it later, without
    saying that ``cv`` is at fault: with no split at all ("No fits were
    performed"), or an index out of range or not an integer (an IndexError
    in every fit). A boolean mask of the samples is taken as the indices it
    selects, which the subsampled splits of a multi-fidelity rung draw from.
    """
    if not splits:
        # scikit-learn's words first, which code written for GridSearchCV
        # may look for
        raise ValueError(
            "No fits were performed. Was the CV iterator empty? Were there no "
            "candidates? cv gives no (train, test) split: an iterable of "
            "splits must hold at least one (an iterator is used up once read)"
        )
    checked = []
    for number, split in enumerate(splits):
        pair = []
        for name, indices in zip(("train", "test"), split):
            indices = np.asarray(indices)
            if indices.dtype == bool and indices.shape == (n_samples,):
                indices = np.flatnonzero(indices)
            what = f"cv: the {name} indices of split {number}"
            if indices.ndim != 1 or not len(indices):
                raise ValueError(
                    f"{what} must be a non-empty 1-d array of sample indices, got "
                    f"shape {indices.shape}"
                )
            if indices.dtype == bool or not np.issubdtype(indices.dtype, np.integer):
                raise ValueError(
                    f"{what} must be integers (or a boolean mask of the "
                    f"{n_samples} samples), got {indices.dtype} values such as "
                    f"{indices[0]!r}"
                )
            outside = indices[(indices < 0) | (indices >= n_samples)]
            if len(outside):
                raise ValueError(
                    f"{what} must be in [0, {n_samples}) for {n_samples} samples, "
                    f"got {int(outside[0])}"
                )
            pair.append(indices)
        checked.append(tuple(pair))
    return checked


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM during a search: handled as Ctrl-C.

    Cluster schedulers send SIGTERM before they kill a job. Like Ctrl-C, it
    leaves what finished in ``cv_results_`` and the checkpoint, and the
    message says how to go on; uncaught, it ends the process with a
    non-zero status.
    """


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Raise :class:`Terminated` on SIGTERM while the search runs.

    Only in the main thread (where Python runs signal handlers), and only
    when SIGTERM has its default handler: a handler the program set is its
    own business. The previous handler is restored afterwards.
    """
    if (
        not hasattr(signal, "SIGTERM")
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def terminate(signum, frame):
        raise Terminated("SIGTERM")

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
