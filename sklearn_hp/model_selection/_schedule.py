"""Which candidates to evaluate next: the schedule protocol, and the search's schedule.

A schedule hands the search :class:`Batch` es of candidates and learns what
they scored, through one protocol that every mode of search follows:

- ``next_batch()`` returns the next batch, or None when the budget is spent;
- ``tell(batch, scores, fit_times)`` gives it the batch's mean test scores
  (of the optimised metric; NaN for a failed candidate) and fit times;
- ``restore(evaluations)`` takes evaluations made before (a checkpoint's);
- ``result_for(batch)`` is scikit-optimize's ``OptimizeResult`` of the
  optimizer that proposed a batch, for callbacks; ``records()`` the compact
  records behind ``optimizer_results_``;
- ``describe()`` says, for ``verbose``, what the search will do; ``budget``
  and ``planned_evaluations`` count candidates and evaluations, the latter
  exactly when ``fixed_plan``.

:class:`Schedule` is :class:`BayesSearchCV`'s: a search space is one or more
sub-spaces, each with a share of ``n_iter``; a finite sub-space whose share
covers it is walked in GridSearchCV's order, any other is searched by an
optimizer. Sub-spaces take turns, one batch each, so that a search stopped
early has looked at all of them. The multi-fidelity schedule is in
``_halving``. What does not live here: fitting (the evaluator) and proposing
points (the optimizer).
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import OptimizeResult
from sklearn.utils import check_random_state

from ._optimizer import Optimizer, initial_design
from ._space import TakenCandidates


@dataclass
class Batch:
    """Candidates the search evaluates together, and how.

    Attributes
    ----------
    candidates : list of dict
        The hyperparameters of each candidate.
    propose_times : list of float
        The seconds the optimizer spent proposing each.
    more_results : dict of lists or None
        Columns this mode adds to ``cv_results_`` (a multi-fidelity rung).
    subsample : (float, int) or None
        The fraction of each split's samples to evaluate on, and the seed
        that draws them; None for all of them.
    final : bool
        Whether the scores are on the full resource, and so count as the
        search's own (those of smaller rungs do not).
    announcement : tuple of str
        What ``verbose`` prints before the batch is evaluated.
    origin : object
        What the schedule needs to be told the batch's scores.
    """

    candidates: list
    propose_times: list
    more_results: dict | None = None
    subsample: tuple | None = None
    final: bool = True
    announcement: tuple = ()
    origin: object = field(default=None, repr=False)


def allocate(subspaces, n_iter):
    """Split ``n_iter`` among the sub-spaces that did not bring their own.

    A finite sub-space never gets more than its size; what it cannot use goes
    to the others, and the remainder of an even split to the first ones.
    """
    budgets = [None if s.n_iter is None else min(s.n_iter, s.size) for s in subspaces]
    shared = [i for i, budget in enumerate(budgets) if budget is None]
    remaining = n_iter
    while shared:
        share, extra = divmod(remaining, len(shared))
        small = [i for i in shared if subspaces[i].size <= share]
        if not small:
            for rank, i in enumerate(shared):
                budgets[i] = share + (rank < extra)
            break
        for i in small:
            budgets[i] = int(subspaces[i].size)
            remaining -= budgets[i]
        shared = [i for i in shared if i not in small]
    return budgets


def fitting_line(n_splits, n_candidates):
    """GridSearchCV's line of ``verbose``, before it fits."""
    return (
        f"Fitting {n_splits} folds for each of {n_candidates} candidates, "
        f"totalling {n_candidates * n_splits} fits"
    )


def empty_result():
    """Return the ``OptimizeResult`` of a sub-space with nothing to record."""
    return OptimizeResult(x_iters=[], func_vals=np.array([]), space=None, models=[])


class _Proposer:
    """Proposes the points of one sub-space, within its budget.

    ``pending`` holds the points proposed whose scores are not told yet:
    none between the batches of a search that waits for each, those still
    being evaluated otherwise.
    """

    def __init__(self, subspace, budget, optimizer):
        self.subspace = subspace
        self.budget = budget
        self.optimizer = optimizer
        self.n_proposed = 0
        self.exhausted = False
        self.pending = []

    @property
    def remaining(self):
        return 0 if self.exhausted else self.budget - self.n_proposed

    def tell(self, points, scores, fit_times):
        """Tell the optimizer ``-score``: it minimises."""
        told = [list(point) for point in points]
        self.pending = [point for point in self.pending if list(point) not in told]
        if self.optimizer is not None:
            self.optimizer.tell(points, [-float(s) for s in scores], fit_times)

    def result(self):
        return empty_result() if self.optimizer is None else self.optimizer.result()

    def record(self):
        return None if self.optimizer is None else self.optimizer.record()


class GridWalk(_Proposer):
    """Every point of a finite sub-space, in GridSearchCV's order."""

    def __init__(self, subspace, optimizer, is_taken):
        points = list(subspace.grid())
        super().__init__(subspace, len(points), optimizer)
        self._points = points
        self._is_taken = is_taken

    def propose(self, n_points):
        batch = []
        while len(batch) < n_points and self.n_proposed < len(self._points):
            point = self._points[self.n_proposed]
            self.n_proposed += 1
            if not self._is_taken(point):
                batch.append(point)
        return batch


class BayesianProposer(_Proposer):
    """Points proposed by an optimizer, never twice the same."""

    def propose(self, n_points):
        points = self.optimizer.ask(
            n_points=min(n_points, self.remaining), pending=self.pending
        )
        self.n_proposed += len(points)
        self.pending.extend(points)
        if not points:
            self.exhausted = True
        return points


class Schedule:
    """The candidates of a Bayesian search, batch by batch, across its sub-spaces.

    Parameters
    ----------
    subspaces : list of SubSpace
        The parsed search space.
    n_iter : int
        Candidates shared among the sub-spaces that did not bring a number.
    n_points : int
        Candidates proposed at once by an optimizer.
    n_splits : int
        Folds each candidate is evaluated on, for ``verbose``'s lines.
    walk_in_one_batch : bool
        Whether the points of fully walked sub-spaces may all go in one batch
        (nothing needs to look at results in between).
    optimizer_kwargs : dict
        Passed to :class:`~sklearn_hp.model_selection._optimizer.Optimizer`.
    random_state : int, RandomState instance or None
        Seeds the optimizer of every sub-space.
    """

    def __init__(
        self,
        subspaces,
        n_iter,
        n_points,
        n_splits,
        walk_in_one_batch,
        optimizer_kwargs,
        random_state,
    ):
        rng = check_random_state(random_state)
        self.n_iter = n_iter
        self.n_points = n_points
        self.n_splits = n_splits
        self.walk_in_one_batch = walk_in_one_batch
        self.taken = TakenCandidates()
        self.proposers = []
        for subspace, budget in zip(subspaces, allocate(subspaces, n_iter)):
            self.proposers.append(
                self._proposer(subspace, budget, dict(optimizer_kwargs), rng)
            )
        self.budget = sum(p.budget for p in self.proposers)
        # every candidate is evaluated once, as planned (a callback may stop
        # the search sooner)
        self.planned_evaluations = self.budget
        self.fixed_plan = True
        self._turn = 0
        # Time spent fitting surrogates on the last results: part of what the
        # next candidates cost to propose.
        self._unbilled_time = 0.0

    def _proposer(self, subspace, budget, kwargs, rng):
        kwargs = initial_design(kwargs, budget)
        kwargs["random_state"] = rng.randint(np.iinfo(np.int32).max)
        walk = budget >= subspace.size
        if walk:
            # Records the walk's points for optimizer_results_; never fits
            # a surrogate.
            kwargs.update(
                base_estimator="dummy",
                n_initial_points=0,
                initial_point_generator="random",
                acq_optimizer="sampling",
            )
        optimizer = None
        if subspace.hyperparameters:
            optimizer = Optimizer(
                subspace.dimensions,
                point_key=subspace.point_key,
                is_taken=lambda point: self.taken.has(subspace.decode(point)),
                **kwargs,
            )
        if walk or optimizer is None:
            return GridWalk(
                subspace,
                optimizer,
                lambda point: self.taken.has(subspace.decode(point)),
            )
        return BayesianProposer(subspace, budget, optimizer)

    def describe(self):
        """Lines for ``verbose``: the sub-spaces ``n_iter`` does not cover, the fits."""
        lines = []
        for index, proposer in enumerate(self.proposers):
            size = proposer.subspace.size
            if size != math.inf and proposer.budget < size:
                where = "the grid"
                if len(self.proposers) > 1:
                    where = f"sub-space {index} (of {len(self.proposers)})"
                lines.append(
                    f"[BayesSearchCV] Searching {proposer.budget} of the {size} "
                    f"points of {where}: n_iter={self.n_iter} caps the search"
                )
        restored = len(self.taken)
        lines.append(fitting_line(self.n_splits, max(self.budget - restored, 0)))
        return lines

    def restore(self, evaluations):
        """Take evaluations made before (a checkpoint's) as this search's.

        Each candidate counts against the budget of the first sub-space it
        belongs to, whose optimizer is told its score; a candidate of no
        sub-space (the space changed) is only marked as taken.
        """
        told = {}
        for candidate, score, fit_time in evaluations:
            self.taken.add(candidate)
            for index, proposer in enumerate(self.proposers):
                try:
                    point = proposer.subspace.encode(candidate)
                except ValueError:
                    continue
                told.setdefault(index, []).append((point, score, fit_time))
                break
        for index, rows in told.items():
            proposer = self.proposers[index]
            if isinstance(proposer, BayesianProposer):
                proposer.n_proposed += len(rows)
            proposer.tell(*(list(column) for column in zip(*rows)))

    def next_batch(self):
        """Return the next batch, or None when every sub-space has used its budget."""
        n_proposers = len(self.proposers)
        for _ in range(n_proposers):
            proposer = self.proposers[self._turn % n_proposers]
            self._turn += 1
            if proposer.remaining <= 0:
                continue
            start = time.perf_counter()
            if isinstance(proposer, GridWalk) and self.walk_in_one_batch:
                points = proposer.propose(proposer.remaining)
            else:
                points = proposer.propose(self.n_points)
            elapsed = time.perf_counter() - start + self._unbilled_time
            if not points:
                continue
            self._unbilled_time = 0.0
            candidates = [proposer.subspace.decode(point) for point in points]
            for candidate in candidates:
                self.taken.add(candidate)
            return Batch(
                candidates=candidates,
                propose_times=[elapsed / len(points)] * len(points),
                origin=(proposer, points),
            )
        return None

    def tell(self, batch, scores, fit_times):
        """Tell the batch's proposer what its candidates scored."""
        start = time.perf_counter()
        proposer, points = batch.origin
        proposer.tell(points, scores, fit_times)
        self._unbilled_time += time.perf_counter() - start

    def result_for(self, batch):
        """Return the ``OptimizeResult`` of the sub-space a batch came from."""
        proposer, _ = batch.origin
        return proposer.result()

    def records(self):
        """Return each sub-space's optimizer record (None where nothing was told)."""
        return [proposer.record() for proposer in self.proposers]
