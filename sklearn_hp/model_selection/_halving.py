"""Multi-fidelity search: successive halving with Bayesian proposals.

Candidates start on a small resource (a fraction of the samples, or a small
value of a hyperparameter such as ``n_estimators``) and the best of each rung
go on to ``factor`` times more, up to the full resource, as scikit-learn's
``HalvingRandomSearchCV`` does. Promotions are asynchronous (a candidate
goes up as soon as it is among the best ``1/factor`` of its rung's results
so far), and new candidates come from the optimizer, whose surrogate takes
the resource as one more input: it learns from every evaluation, on every
rung, and proposes where it expects the best score on the full resource.
"""

import math
import time

import numpy as np
from sklearn.utils import check_random_state
from skopt.space import Real

from ._optimizer import Optimizer, initial_points_for
from ._schedule import _Proposer
from ._space import candidate_key


def rungs(min_resources, max_resources, factor, n_candidates):
    """List the resources of the rungs, the last one the full resource.

    As many rungs as the candidates can fill, leaving ``factor`` of them on
    the last (the full resource tells apart the few best, where a single
    survivor would be whatever the smaller rungs' noise left), and as the
    resources allow (none below ``min_resources``). Each rung has ``factor``
    times the resource of the one before, counted down from the full
    resource, so that the best candidates are evaluated on all of it.
    """
    if min_resources >= max_resources:
        return [int(max_resources)]
    possible = 1 + math.floor(math.log(max_resources / min_resources, factor))
    required = 1
    while n_candidates / factor**required >= factor:
        required += 1
    n_rungs = max(1, min(possible, required))
    resources = [
        max(int(min_resources), math.ceil(max_resources / factor**k))
        for k in reversed(range(n_rungs))
    ]
    resources[-1] = int(max_resources)
    return sorted(set(resources))


class SubsampledSplits:
    """Cross-validation splits with a fraction of each train and test set.

    The same fraction of the same splits, for every candidate of a rung, so
    that they are compared on the same samples.
    """

    def __init__(self, splits, fraction, random_state):
        self.splits = splits
        self.fraction = fraction
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.splits)

    def split(self, X=None, y=None, groups=None, **params):
        rng = np.random.RandomState(self.random_state)
        for train, test in self.splits:
            yield (
                np.sort(rng.choice(train, _fraction(train, self.fraction), False)),
                np.sort(rng.choice(test, _fraction(test, self.fraction), False)),
            )


def _fraction(indices, fraction):
    return max(1, round(len(indices) * fraction))


class HalvingSchedule:
    """Rungs of candidates: which to evaluate next, on how much resource.

    Parameters
    ----------
    subspace : SubSpace
        The (single) space searched.
    n_iter : int
        Candidates started on the first rung.
    n_points : int
        Candidates per batch.
    resources : list of int
        The resource of each rung.
    factor : float
        One candidate in ``factor`` of a rung goes up to the next.
    optimizer_kwargs : dict
    random_state : int, RandomState instance or None
    """

    def __init__(
        self,
        subspace,
        n_iter,
        n_points,
        resources,
        factor,
        optimizer_kwargs,
        random_state,
    ):
        rng = check_random_state(random_state)
        self.subspace = subspace
        self.n_iter = n_iter
        self.n_points = n_points
        self.resources = resources
        self.factor = factor
        self.seed = rng.randint(np.iinfo(np.int32).max)
        kwargs = dict(optimizer_kwargs)
        kwargs.setdefault("n_initial_points", initial_points_for(n_iter))
        kwargs["random_state"] = rng.randint(np.iinfo(np.int32).max)
        # The resource is one more input of the surrogate, on a log scale;
        # every proposal is made at the full resource.
        self._fidelity = len(resources) > 1
        n = len(subspace.dimensions)
        dimensions, fixed = list(subspace.dimensions), None
        if self._fidelity:
            dimensions.append(
                Real(
                    float(resources[0]),
                    float(resources[-1]),
                    prior="log-uniform",
                    name="resource",
                )
            )
            fixed = {n: float(resources[-1])}
        optimizer = Optimizer(
            dimensions,
            fixed=fixed,
            point_key=lambda point: (
                *subspace.point_key(point[:n]),
                *(round(float(value), 9) for value in point[n:]),
            ),
            is_taken=lambda point: self._is_taken(point[:n]),
            **kwargs,
        )
        self._n_dimensions = n
        self.proposer = _Proposer(subspace, n_iter, optimizer)
        self.budget = n_iter
        self.points = []  # each started candidate's point, without the resource
        self.scores = [{} for _ in resources]  # rung -> {candidate: score}
        self.promoted = [set() for _ in resources]
        self._taken = set()
        self._unbilled_time = 0.0

    @property
    def proposers(self):
        return [self.proposer]

    def _is_taken(self, point):
        return candidate_key(self.subspace.decode(point)) in self._taken

    def _capacity(self, rung):
        """Return the most candidates ``rung`` sends up, as halving gives."""
        capacity = self.n_iter
        for _ in range(rung + 1):
            capacity = math.floor(capacity / self.factor)
        return capacity

    def _final_size(self, rung):
        """Return the most results ``rung`` can end with, and if it has them all."""
        size, complete = self.n_iter, len(self.scores[0]) >= self.n_iter
        for below in range(rung):
            if complete:
                results = self.scores[below]
                finite = sum(np.isfinite(score) for score in results.values())
                size = min(
                    math.floor(len(results) / self.factor),
                    self._capacity(below),
                    finite,
                )
                complete = len(self.scores[below + 1]) >= size
            else:
                size = self._capacity(below)
        return size, complete

    def _promotable(self, rung):
        # A candidate goes up as soon as it is sure to be among the best
        # 1/factor of its rung: when the results still to come cannot all
        # rank above it. The rung's final ranking, not the order its
        # results came in, decides (as synchronous halving does), while
        # those sure to go up are evaluated on the next rung, and tell the
        # surrogate about it, before the rung is done.
        results = self.scores[rung]
        size, complete = self._final_size(rung)
        keep = min(math.floor(size / self.factor), self._capacity(rung))
        to_come = 0 if complete else max(0, size - len(results))
        finite = {c: s for c, s in results.items() if np.isfinite(s)}
        best = sorted(finite, key=finite.get, reverse=True)[: max(0, keep - to_come)]
        return [c for c in best if c not in self.promoted[rung]]

    def next_batch(self):
        """Return the next batch, ``[(candidate, rung), ...]`` and propose times.

        Promotions come first, from the highest rung down; new candidates
        only when no candidate can go up. None when nothing is left.
        """
        batch = []
        for rung in reversed(range(len(self.resources) - 1)):
            for candidate in self._promotable(rung):
                if len(batch) < self.n_points:
                    self.promoted[rung].add(candidate)
                    batch.append((candidate, rung + 1))
        if batch:
            return batch, [0.0] * len(batch)
        remaining = self.n_iter - len(self.points)
        if remaining <= 0:
            return None
        start = time.perf_counter()
        points = self.proposer.optimizer.ask(n_points=min(self.n_points, remaining))
        elapsed = time.perf_counter() - start + self._unbilled_time
        self._unbilled_time = 0.0
        if not points:
            self.n_iter = len(self.points)  # the space is used up
            return self.next_batch()
        for point in points:
            point = list(point[: self._n_dimensions])
            self._taken.add(candidate_key(self.subspace.decode(point)))
            self.points.append(point)
            batch.append((len(self.points) - 1, 0))
        return batch, [elapsed / len(batch)] * len(batch)

    def candidate(self, index):
        """Return the hyperparameters of a started candidate."""
        return self.subspace.decode(self.points[index])

    def tell(self, evaluated, scores, fit_times):
        """Record what ``[(candidate, rung), ...]`` scored; tell the optimizer."""
        start = time.perf_counter()
        for (candidate, rung), score in zip(evaluated, scores):
            self.scores[rung][candidate] = float(score)
        points = [
            [*self.points[candidate], float(self.resources[rung])]
            if self._fidelity
            else list(self.points[candidate])
            for candidate, rung in evaluated
        ]
        self.proposer.tell(points, scores, fit_times)
        self._unbilled_time += time.perf_counter() - start

    @property
    def rung_sizes(self):
        """The most candidates each rung evaluates, as halving plans them."""
        return [self.n_iter] + [
            self._capacity(rung) for rung in range(len(self.resources) - 1)
        ]

    @property
    def planned_evaluations(self):
        """Evaluations of candidates planned on every rung together."""
        return sum(self.rung_sizes)

    @property
    def n_candidates(self):
        """Candidates evaluated on each rung."""
        return [len(results) for results in self.scores]
