"""The evaluator: candidates fitted and scored on fixed splits, every result kept.

What lives here: the splits, drawn once so that every candidate is scored on
the same ones; the fan-out of candidates x folds to joblib or to a Dask
cluster; fold-level racing; the checkpoint, a record appended as each fit
ends (and the fits it holds taken from it rather than run again); the
raw result of every fit, what the search records of each candidate beyond
it (``search_info_``), and their formatting as ``cv_results_``. What does not:
which candidates to evaluate (the schedule), and what the results mean for
the search (its ``fit``: the best candidate, the refit).
"""

import copy
import math
import re
import warnings
from collections.abc import Mapping
from itertools import product

import joblib
import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, clone

from ..utils._sklearn_compat import (
    _fit_and_score,
    _insert_error_scores,
    _num_samples,
    _warn_or_raise_about_fit_failures,
    fit_and_score_callback_kwargs,
)
from . import _distributed, _racing


def joblib_yields_unordered():
    """Whether joblib yields results as they finish (joblib >= 1.4)."""
    major, minor = (int(part) for part in re.findall(r"\d+", joblib.__version__)[:2])
    return (major, minor) >= (1, 4)


# Each fit's result is saved to the checkpoint once joblib yields it: as soon
# as it ends with joblib >= 1.4, else once the fits before it have ended.
_RETURN_AS = "generator_unordered" if joblib_yields_unordered() else "generator"


def _keyed(key, function, args, kwargs):
    """Run ``function(*args, **kwargs)`` and return ``key`` with its result."""
    return key, function(*args, **kwargs)


def optimised_metric(refit, test_scores):
    """Name the metric the search optimises, from one fold's test scores.

    The one named by ``refit`` among several; else the first; ``"score"`` for
    a single one.
    """
    if not isinstance(test_scores, Mapping):
        return "score"
    return (
        refit
        if isinstance(refit, str) and refit in test_scores
        else next(iter(test_scores))
    )


class Evaluator:
    """Fits and scores candidates on one set of splits, and keeps the results.

    Called as scikit-learn's ``evaluate_candidates`` is, with a list of
    candidates (dicts of hyperparameters); returns the results so far.

    Parameters
    ----------
    search : BaseSearchCV
        The search whose settings apply (``n_jobs``, ``pre_dispatch``,
        ``error_score``, ``return_train_score``, ``verbose``, ``scoring``,
        ``refit``) and whose ``_format_results`` formats ``cv_results_``.
    X, y : indexable
        The data.
    splits : list of (train, test)
        The splits every candidate is scored on.
    scorers : callable or dict
        The search's scorers.
    routed_params : Bunch
        The search's routed metadata (``estimator.fit``, ``scorer.score``,
        ``splitter.split``).
    n_planned : int
        Evaluations the search plans, to number the fits of ``verbose``.
    racing : float or None, default=None
        Confidence of fold-level racing, None for none (see ``_racing``).
    checkpoint : Checkpoint or None, default=None
        Where each fit is saved as it ends, and read back from: opened (and
        locked) while the evaluator is entered.
    """

    def __init__(
        self,
        search,
        X,
        y,
        *,
        splits,
        scorers,
        routed_params,
        n_planned,
        racing=None,
        checkpoint=None,
    ):
        self.search = search
        self.X, self.y = X, y
        self.splits = splits
        self.n_splits = len(splits)
        self.split_params = routed_params.splitter.split
        self.n_planned = n_planned
        self.racing = racing
        self.checkpoint = checkpoint
        self._unfitted = _UnfittedCopies(clone(search.estimator))
        self._fit_and_score_kwargs = dict(
            scorer=scorers,
            fit_params=routed_params.estimator.fit,
            score_params=routed_params.scorer.score,
            return_train_score=search.return_train_score,
            return_n_test_samples=True,
            return_times=True,
            return_parameters=False,
            error_score=search.error_score,
            verbose=search.verbose,
        )
        self.candidates, self.outs, self.more_results = [], [], {}
        self.propose_times, self.batches = [], []
        self._task_ids = {}
        self._parallel = None
        self._cluster = None
        self.restored = []

    # -- what was evaluated -----------------------------------------------------

    def restore(self):
        """Take a checkpoint's evaluations as this search's; call once entered.

        A search that replays its checkpoint (see ``_checkpoint``) takes
        nothing now: the fits saved are taken from it as they are asked for.
        Otherwise the candidates saved with every fold are this search's
        first ones, and those saved with some of their folds are evaluated
        first, on the folds missing.

        Returns
        -------
        restored : list of (dict, float, float)
            The restored candidates, their optimised metric's mean test score
            and mean fit time, for the schedule; also kept as ``restored``.
        """
        if self.checkpoint is None:
            return []
        complete, partial = self.checkpoint.restored()
        for params, folds, propose_time in complete:
            self.candidates.append(params)
            self.outs.extend(folds)
            self.propose_times.append(propose_time)
            self.batches.append(-1)
            scores, fit_times = _means(folds, self.search.refit)
            self.restored.append((params, scores, fit_times))
        if partial:
            params = [candidate for candidate, _ in partial]
            results = self(params, propose_times=[time for _, time in partial])
            self.batches[-len(params) :] = [-1] * len(params)
            scores, fit_times = results.means()
            self.restored.extend(zip(params, scores, fit_times))
        return self.restored

    @property
    def cluster(self):
        """The ``ClusterRunner`` fits go to under joblib's dask backend, else None."""
        return self._cluster

    @property
    def on_cluster(self):
        """Whether fits go to a dask cluster's client (joblib's dask backend)."""
        return self._cluster is not None

    @property
    def n_candidates(self):
        """Candidates evaluated so far, restored ones included."""
        return len(self.candidates)

    def cv_results(self):
        """Return the results so far as ``cv_results_``."""
        if callable(self.search.scoring):
            _insert_error_scores(self.outs, self.search.error_score)
        results = self.search._format_results(
            self.candidates, self.n_splits, self.outs, self.more_results
        )
        if self.racing is not None:
            results["n_splits_evaluated"] = _racing.splits_evaluated(
                self.outs, self.n_splits
            )
            # Times are those of the fits that ran.
            for key in ("fit_time", "score_time"):
                times = np.array([o[key] for o in self.outs], dtype=float).reshape(
                    -1, self.n_splits
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    results[f"mean_{key}"] = np.nanmean(times, axis=1)
                    results[f"std_{key}"] = np.nanstd(times, axis=1)
        return results

    def final_results(self):
        """Return ``cv_results_`` of a finished search, warning as GridSearchCV does.

        Raises when every fit failed, quoting the failures; warns about
        non-finite scores, but for those racing left unmeasured.
        """
        if not self.outs:
            raise ValueError(
                "No fits were performed: the search space has no candidates."
            )
        _warn_or_raise_about_fit_failures(self.outs, self.search.error_score)
        if self.checkpoint is not None and self.checkpoint.replay:
            unused = self.checkpoint.n_unused()
            if unused:
                warnings.warn(
                    f"checkpoint: {unused} candidates saved in "
                    f"{self.checkpoint.path!r} were not proposed again by this "
                    "search, so their fits were not reused: its proposals "
                    "differ from those of the search that saved them",
                    UserWarning,
                    stacklevel=2,
                )
        with warnings.catch_warnings():
            if not _racing.unexplained_nan(self.outs, self.n_splits):
                # The NaN means are those of raced candidates, whose skipped
                # folds are no fault to warn about.
                warnings.filterwarnings(
                    "ignore", "One or more of the test scores are non-finite"
                )
            return self.cv_results()

    def search_info(self):
        """Return what was recorded of each candidate beyond ``cv_results_``."""
        return {
            "propose_time": np.asarray(self.propose_times, dtype=float),
            "batch": np.asarray(self.batches, dtype=int),
        }

    # -- evaluating ---------------------------------------------------------------

    def __enter__(self):
        if self.checkpoint is not None:
            self.checkpoint.open()
        self._cluster = _distributed.cluster_runner(shared=[self.X, self.y])
        settings = {
            "n_jobs": self.search.n_jobs,
            "pre_dispatch": self.search.pre_dispatch,
        }
        try:
            parallel = Parallel(return_as=_RETURN_AS, **settings)
        except ValueError:
            # a backend that returns results only all together (joblib < 1.4's
            # dask backend): each batch's fits are saved once it ends
            parallel = Parallel(**settings)
        self._parallel = parallel.__enter__()
        return self

    def __exit__(self, *exc_info):
        self._parallel.__exit__(*exc_info)
        self._parallel = None
        if self.checkpoint is not None:
            self.checkpoint.close()
        return False

    # -- the checkpoint -------------------------------------------------------------

    def announce(self, candidate_params, propose_times=None):
        """Record candidates about to be evaluated; return their checkpoint keys.

        None for each when there is no checkpoint.
        """
        if self.checkpoint is None:
            return [None] * len(candidate_params)
        propose_times = propose_times or [np.nan] * len(candidate_params)
        return [
            self.checkpoint.candidate(params, propose_time)
            for params, propose_time in zip(candidate_params, propose_times)
        ]

    def save_fold(self, key, fold, out):
        """Append one fit's result to the checkpoint, as soon as it ends."""
        if key is not None:
            self.checkpoint.fold(key, fold, out)

    def __call__(
        self,
        candidate_params,
        cv=None,
        more_results=None,
        callback_ctx=None,
        *,
        subsample=None,
        propose_times=None,
    ):
        """Evaluate one batch of candidates on every split.

        Parameters
        ----------
        candidate_params : list of dict
            The candidates.
        cv : cross-validation generator or None, default=None
            Splits to use instead of the search's, as in scikit-learn's
            ``evaluate_candidates``.
        more_results : dict of lists or None, default=None
            Columns added to ``cv_results_``, a value per candidate.
        callback_ctx : CallbackContext or None, default=None
            scikit-learn's callback context of the search (>= 1.9).
        subsample : (float, int) or None, default=None
            The fraction of each split's samples to use and the seed that
            draws them (the same for every candidate of a multi-fidelity rung).
        propose_times : list of float or None, default=None
            The seconds the optimizer spent proposing each candidate.

        Returns
        -------
        results : BatchResults
            The results so far, and the batch's.
        """
        candidate_params = list(candidate_params)
        splits = self.splits
        keys = [None] * len(candidate_params)
        if cv is not None:
            splits = list(cv.split(self.X, self.y, **self.split_params))
        elif subsample is not None:
            splits = list(SubsampledSplits(self.splits, *subsample).split())
        else:
            keys = self.announce(candidate_params, propose_times)
        pairs = list(product(enumerate(candidate_params), enumerate(splits)))
        contexts = self.contexts(callback_ctx, len(pairs))
        metric = self.raced_metric(len(splits))
        if metric is None:
            out = self._fit(pairs, contexts, keys)
        else:
            out = self._race(candidate_params, splits, contexts, metric, keys)
        if len(out) < 1:
            raise ValueError(
                "No fits were performed. Was the CV iterator empty? "
                "Were there no candidates?"
            )
        return self.record(candidate_params, out, more_results, propose_times)

    def record(self, candidate_params, out, more_results=None, propose_times=None):
        """Keep evaluated candidates as one batch, and save them to the checkpoint.

        Parameters
        ----------
        candidate_params : list of dict
        out : list of dict
            ``_fit_and_score``'s output for every fold of every candidate,
            candidate by candidate.
        more_results : dict of lists or None, default=None
        propose_times : list of float or None, default=None

        Returns
        -------
        results : BatchResults
        """
        self.candidates.extend(candidate_params)
        self.outs.extend(out)
        for key, values in (more_results or {}).items():
            self.more_results.setdefault(key, []).extend(values)
        n_candidates = len(candidate_params)
        self.propose_times.extend(propose_times or [np.nan] * n_candidates)
        batch = self.batches[-1] + 1 if self.batches else 0
        self.batches.extend([batch] * n_candidates)
        if self.checkpoint is not None and len(out) == n_candidates * self.n_splits:
            # the folds not saved as they ended: those racing skipped
            keys = self.announce(candidate_params, propose_times)
            for index, key in enumerate(keys):
                for fold in range(self.n_splits):
                    self.save_fold(key, fold, out[index * self.n_splits + fold])
        return BatchResults(self, out, n_candidates)

    def contexts(self, callback_ctx, n_pairs):
        """Return the callback contexts of the next ``n_pairs`` fits (or Nones)."""
        if callback_ctx is None:
            return [None] * n_pairs
        # Task ids go on from one batch to the next under one context. The
        # contexts are made before the fits run: made in the parallel loop,
        # they would be pickled while being modified.
        first = self._task_ids.get(id(callback_ctx), 0)
        self._task_ids[id(callback_ctx)] = first + n_pairs
        return [
            callback_ctx.subcontext(
                task_name="candidate-split-evaluation", task_id=task_id
            )
            for task_id in range(first, first + n_pairs)
        ]

    def _fit(self, pairs, contexts, keys):
        """Fit and score ``((index, candidate), (fold, split))`` pairs, in order.

        ``keys`` are the candidates' checkpoint keys (or Nones): a fit the
        checkpoint holds is taken from it, and each fit run is saved to it as
        it ends.
        """
        outs = [None] * len(pairs)
        todo = []
        for position, ((index, _), (fold, _)) in enumerate(pairs):
            key = keys[index]
            cached = None if key is None else self.checkpoint.cached(key, fold)
            if cached is None:
                todo.append(position)
            else:
                outs[position] = cached
        if not todo:
            return outs
        calls = self.calls([pairs[p] for p in todo], [contexts[p] for p in todo])
        if self._cluster is not None:
            results = self._cluster.unordered(zip(todo, calls), in_flight=len(todo))
        else:
            results = self._parallel(
                delayed(_keyed)(position, *call) for position, call in zip(todo, calls)
            )
        for position, out in results:
            outs[position] = out
            (index, _), (fold, _) = pairs[position]
            self.save_fold(keys[index], fold, out)
        return outs

    def calls(self, pairs, contexts):
        """Return the fits of ``((index, candidate), (fold, split))`` pairs, to run.

        ``joblib.delayed`` calls of ``_fit_and_score``, candidates numbered
        from the next one this evaluator records, in the order of ``pairs``.
        """
        configured = {}
        verbose = self.search.verbose
        # Numbered across the whole search, as GridSearchCV's one batch.
        first = len(self.candidates)
        total = max(self.n_planned, first + 1)
        return (
            delayed(_fit_and_score)(
                self._unfitted.copy(configured, index, parameters),
                self.X,
                self.y,
                train=train,
                test=test,
                # set already; given for the messages of verbose > 1
                parameters=parameters if verbose > 1 else None,
                split_progress=(fold, self.n_splits),
                candidate_progress=(first + index, total),
                **self._fit_and_score_kwargs,
                **fit_and_score_callback_kwargs(self.search, context),
            )
            for ((index, parameters), (fold, (train, test))), context in zip(
                pairs, contexts
            )
        )

    def raced_metric(self, n_splits=None):
        """Return the metric racing compares, or None when fits are not raced.

        Not raced: no racing, ``n_splits`` (the search's by default) too few,
        or no fit measured yet.
        """
        n_splits = self.n_splits if n_splits is None else n_splits
        if self.racing is None or n_splits <= _racing.MIN_FOLDS:
            return None
        for out in self.outs:
            if not out.get("skipped") and out["fit_error"] is None:
                return optimised_metric(self.search.refit, out["test_scores"])
        return None

    def _race(self, candidate_params, splits, contexts, metric, keys):
        """Fit folds in rounds, dropping the candidates that cannot win."""
        incumbent = _racing.incumbent_scores(self.outs, self.n_splits, metric)
        if incumbent is None:
            pairs = list(product(enumerate(candidate_params), enumerate(splits)))
            return self._fit(pairs, contexts, keys)
        n_candidates, n_splits = len(candidate_params), len(splits)
        outs = [[None] * n_splits for _ in candidate_params]
        active, measured = list(range(n_candidates)), 0
        group = _racing.MIN_FOLDS
        workers = effective_n_jobs(self.search.n_jobs)
        while active and measured < n_splits:
            folds = range(measured, min(n_splits, measured + group))
            tasks = [(c, f) for c in active for f in folds]
            results = self._fit(
                [((c, candidate_params[c]), (f, splits[f])) for c, f in tasks],
                [contexts[c * n_splits + f] for c, f in tasks],
                keys,
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
                        self.racing,
                    )
                ]
            group = max(1, math.ceil(workers / max(len(active), 1)))
        like = next(o for row in outs for o in row if o is not None)
        return [
            outs[c][f]
            if outs[c][f] is not None
            else _racing.skipped_fold(like, _num_samples(splits[f][1]))
            for c in range(n_candidates)
            for f in range(n_splits)
        ]


class BatchResults(Mapping):
    """The results so far, formatted as ``cv_results_`` when first read.

    Formatting every candidate's results after each batch costs time linear
    in the number of candidates; the search itself needs only the scores of
    the last batch, which :meth:`means` computes from the fits' outputs.
    """

    def __init__(self, evaluator, batch_out, n_candidates):
        self._evaluator = evaluator
        self._batch_out = batch_out
        self._n_candidates = n_candidates
        self._data = None

    def _formatted(self):
        if self._data is None:
            with warnings.catch_warnings():
                # Non-finite scores are reported once, for the whole search.
                warnings.simplefilter("ignore", UserWarning)
                self._data = self._evaluator.cv_results()
        return self._data

    def __getitem__(self, key):
        return self._formatted()[key]

    def __iter__(self):
        return iter(self._formatted())

    def __len__(self):
        return len(self._formatted())

    def means(self):
        """Return the batch's mean test scores of the optimised metric, and fit times.

        A failed fold scores ``error_score``, as in ``cv_results_``; a raced
        candidate gets the mean of the folds it was measured on.
        """
        rows = np.array_split(np.arange(len(self._batch_out)), self._n_candidates)
        refit = self._evaluator.search.refit
        means = [_means([self._batch_out[i] for i in row], refit) for row in rows]
        scores, fit_times = zip(*means)
        return np.array(scores, dtype=float), np.array(fit_times, dtype=float)


def _means(folds, refit):
    """Return one candidate's mean test score of the optimised metric and fit time."""
    measured = [fold for fold in folds if not fold.get("skipped")]
    dicts = [f["test_scores"] for f in folds if isinstance(f["test_scores"], Mapping)]
    metric = optimised_metric(refit, dicts[0] if dicts else None)
    score = np.mean([_racing.fold_score(fold, metric) for fold in measured])
    fit_time = np.nanmean([fold["fit_time"] for fold in folds])
    return float(score), float(fit_time)


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


class SubsampledSplits:
    """Cross-validation splits with a fraction of each train and test set.

    The same fraction of the same splits, for every candidate of a rung, so
    that they are compared on the same samples.

    Parameters
    ----------
    splits : list of (train, test)
        The splits to subsample.
    fraction : float
        The fraction of each train and test set kept (at least one sample).
    random_state : int
        Seeds the choice of samples.
    """

    def __init__(self, splits, fraction, random_state):
        self.splits = splits
        self.fraction = fraction
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of splits."""
        return len(self.splits)

    def split(self, X=None, y=None, groups=None, **params):
        """Yield the subsampled ``(train, test)`` of each split."""
        rng = np.random.RandomState(self.random_state)
        for train, test in self.splits:
            yield (
                np.sort(rng.choice(train, _fraction(train, self.fraction), False)),
                np.sort(rng.choice(test, _fraction(test, self.fraction), False)),
            )


def _fraction(indices, fraction):
    return max(1, round(len(indices) * fraction))
