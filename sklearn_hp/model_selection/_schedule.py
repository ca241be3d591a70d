"""Which candidates to evaluate next: budgets, grid walks and Bayesian proposals.

A search space is one or more sub-spaces. Each gets a share of ``n_iter``; a
finite sub-space whose share covers it is walked in GridSearchCV's order, any
other is searched by a scikit-optimize optimizer. Sub-spaces take turns, one
batch each, so that a search stopped early has looked at all of them.
"""

import functools
import time

import numpy as np
from sklearn.utils import check_random_state

from ._optimizer import Optimizer, initial_points_for
from ._space import candidate_key


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


class _Proposer:
    """Proposes the points of one sub-space and records what they scored."""

    def __init__(self, subspace, budget, optimizer):
        self.subspace = subspace
        self.budget = budget
        self.optimizer = optimizer
        self.n_proposed = 0
        self.exhausted = False

    @property
    def remaining(self):
        return 0 if self.exhausted else self.budget - self.n_proposed

    def tell(self, points, scores, fit_times):
        """Tell the optimizer ``-score``; a failed candidate's NaN stays NaN.

        The optimizer learns a failure as worse than every success.
        """
        if self.optimizer is None:
            return
        self.optimizer.tell(points, [-float(s) for s in scores], fit_times)

    def result(self):
        """Return the compact record of this sub-space's optimizer, or None."""
        if self.optimizer is None:
            return None
        return self.optimizer.record()


class GridWalk(_Proposer):
    """Every point of a finite sub-space, in GridSearchCV's order."""

    def __init__(self, subspace, optimizer):
        points = list(subspace.grid())
        super().__init__(subspace, len(points), optimizer)
        self._points = points

    def propose(self, n_points, is_taken):
        batch = []
        while len(batch) < n_points and self.n_proposed < len(self._points):
            point = self._points[self.n_proposed]
            self.n_proposed += 1
            if not is_taken(self.subspace, point):
                batch.append(point)
        return batch


class BayesianProposer(_Proposer):
    """Points proposed by a scikit-optimize optimizer, never twice the same."""

    def propose(self, n_points, is_taken):
        points = self.optimizer.ask(n_points=min(n_points, self.remaining))
        self.n_proposed += len(points)
        if not points:
            self.exhausted = True
        return points


class Schedule:
    """The candidates of a search, batch by batch, across its sub-spaces.

    Parameters
    ----------
    subspaces : list of SubSpace
    n_iter : int
        Candidates shared among the sub-spaces that did not bring a number.
    n_points : int
        Candidates proposed at once by a Bayesian optimizer.
    walk_in_one_batch : bool
        Whether the points of fully walked sub-spaces may all go in one batch
        (nothing needs to look at results in between).
    optimizer_kwargs : dict
        Passed to :class:`~sklearn_hp.model_selection._optimizer.Optimizer`.
    random_state : int, RandomState instance or None
    """

    def __init__(
        self,
        subspaces,
        n_iter,
        n_points,
        walk_in_one_batch,
        optimizer_kwargs,
        random_state,
    ):
        rng = check_random_state(random_state)
        self.n_points = n_points
        self.walk_in_one_batch = walk_in_one_batch
        self.proposers = []
        for subspace, budget in zip(subspaces, allocate(subspaces, n_iter)):
            kwargs = dict(optimizer_kwargs)
            kwargs.setdefault("n_initial_points", initial_points_for(budget))
            kwargs["random_state"] = rng.randint(np.iinfo(np.int32).max)
            walk = budget >= subspace.size
            if walk or not subspace.hyperparameters:
                # Records the walk's points for optimizer_results_; never
                # fits a surrogate.
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
                    is_taken=functools.partial(self.is_taken, subspace),
                    **kwargs,
                )
            if walk or optimizer is None:
                self.proposers.append(GridWalk(subspace, optimizer))
            else:
                self.proposers.append(BayesianProposer(subspace, budget, optimizer))
        self.budget = sum(p.budget for p in self.proposers)
        # every candidate is evaluated once
        self.planned_evaluations = self.budget
        self._taken = set()
        self._turn = 0
        # Time spent fitting surrogates on the last results: part of what the
        # next candidates cost to propose.
        self._unbilled_time = 0.0

    def restore(self, candidates, scores, fit_times):
        """Take evaluations made before (from a checkpoint) as this search's.

        Each candidate counts against the budget of the first sub-space it
        belongs to, whose optimizer is told its score; a candidate of no
        sub-space (the space changed) is only marked as taken.
        """
        told = {}
        for candidate, score, fit_time in zip(candidates, scores, fit_times):
            self._taken.add(candidate_key(candidate))
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

    def tell(self, proposer, points, scores, fit_times):
        """Tell a batch's proposer what its candidates scored."""
        start = time.perf_counter()
        proposer.tell(points, scores, fit_times)
        self._unbilled_time += time.perf_counter() - start

    def is_taken(self, subspace, point):
        return candidate_key(subspace.decode(point)) in self._taken

    def next_batch(self):
        """Return the next batch: ``(proposer, points, candidates, propose_times)``.

        Returns None when every sub-space has used its budget.
        """
        n_proposers = len(self.proposers)
        for _ in range(n_proposers):
            proposer = self.proposers[self._turn % n_proposers]
            self._turn += 1
            if proposer.remaining <= 0:
                continue
            start = time.perf_counter()
            if isinstance(proposer, GridWalk) and self.walk_in_one_batch:
                points = proposer.propose(proposer.remaining, self.is_taken)
            else:
                points = proposer.propose(self.n_points, self.is_taken)
            elapsed = time.perf_counter() - start + self._unbilled_time
            if not points:
                continue
            self._unbilled_time = 0.0
            candidates = [proposer.subspace.decode(point) for point in points]
            for candidate in candidates:
                self._taken.add(candidate_key(candidate))
            return proposer, points, candidates, [elapsed / len(points)] * len(points)
        return None
