"""The multi-fidelity schedule: successive halving with Bayesian proposals.

Candidates start on a small resource (a fraction of the samples, or a small
value of a hyperparameter such as ``n_estimators``) and the best of each rung
go on to ``factor`` times more, up to the full resource, as scikit-learn's
``HalvingRandomSearchCV`` does. Promotions are asynchronous (a candidate
goes up as soon as it is sure to be among the best ``1/factor`` of its rung),
and new candidates come from the optimizer, whose surrogate takes the
resource as one more input: it learns from every evaluation, on every rung,
and proposes where it expects the best score on the full resource. The
schedule follows the protocol of ``_schedule``; :class:`HalvingBayesSearchCV`
uses it. What does not live here: subsampling the splits (the evaluator does,
as a batch asks).
"""

import math
import time

import numpy as np
from sklearn.utils import check_random_state
from skopt.space import Real

from ._optimizer import Optimizer, initial_design
from ._schedule import Batch, fitting_line
from ._space import TakenCandidates


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


class HalvingSchedule:
    """Rungs of candidates: which to evaluate next, on how much resource.

    Parameters
    ----------
    subspace : SubSpace
        The (single) space searched.
    n_candidates : int
        Candidates started on the first rung.
    n_points : int
        Candidates per batch.
    min_resources, max_resources : int
        The least resource a rung may have, and the full resource: the
        rungs are :func:`rungs` of these.
    factor : float
        One candidate in ``factor`` of a rung goes up to the next.
    resource : str
        ``"n_samples"``, or the hyperparameter the rung's resource is set on.
    n_splits : int
        Folds each candidate is evaluated on, for ``verbose``'s lines.
    optimizer_kwargs : dict
        Passed to :class:`~sklearn_hp.model_selection._optimizer.Optimizer`.
    random_state : int, RandomState instance or None
        Seeds the optimizer and the samples of each rung.
    """

    def __init__(
        self,
        subspace,
        n_candidates,
        n_points,
        min_resources,
        max_resources,
        factor,
        resource,
        n_splits,
        optimizer_kwargs,
        random_state,
    ):
        rng = check_random_state(random_state)
        self.subspace = subspace
        self.n_splits = n_splits
        self.n_candidates = n_candidates
        self.n_points = n_points
        self.min_resources = min_resources
        self.resources = resources = rungs(
            min_resources, max_resources, factor, n_candidates
        )
        self.factor = factor
        self.resource = resource
        self._seed = rng.randint(np.iinfo(np.int32).max)
        kwargs = initial_design(optimizer_kwargs, n_candidates)
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
        self._n_dimensions = n
        self.taken = TakenCandidates()
        self.optimizer = Optimizer(
            dimensions,
            fixed=fixed,
            point_key=lambda point: (
                *subspace.point_key(point[:n]),
                *(round(float(value), 9) for value in point[n:]),
            ),
            is_taken=lambda point: self.taken.has(subspace.decode(point[:n])),
            **kwargs,
        )
        self.budget = n_candidates
        # promotions depend on the scores: the evaluations are at most planned
        self.fixed_plan = False
        self.points = []  # each started candidate's point, without the resource
        self.scores = [{} for _ in resources]  # rung -> {candidate: score}
        self.promoted = [set() for _ in resources]
        self._queue = []
        self._announced = set()
        self._unbilled_time = 0.0

    @property
    def rung_sizes(self):
        """The most candidates each rung evaluates, as halving plans them."""
        return [self.n_candidates] + [
            self._capacity(rung) for rung in range(len(self.resources) - 1)
        ]

    @property
    def planned_evaluations(self):
        """Evaluations of candidates planned on every rung together."""
        return sum(self.rung_sizes)

    def describe(self):
        """Lines for ``verbose``: HalvingRandomSearchCV's header."""
        return [
            f"n_iterations: {len(self.resources)}",
            f"min_resources_: {self.min_resources}",
            f"max_resources_: {self.resources[-1]}",
            f"factor: {self.factor}",
        ]

    def restore(self, evaluations):
        """Refuse evaluations made before: a multi-fidelity search has no checkpoint."""
        if evaluations:
            raise ValueError("a multi-fidelity search cannot restore evaluations")

    def _capacity(self, rung):
        """Return the most candidates ``rung`` sends up, as halving gives."""
        capacity = self.n_candidates
        for _ in range(rung + 1):
            capacity = math.floor(capacity / self.factor)
        return capacity

    def _final_size(self, rung):
        """Return the most results ``rung`` can end with, and if it has them all."""
        size, complete = self.n_candidates, len(self.scores[0]) >= self.n_candidates
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
        """Return the next batch: the candidates of one rung.

        Promotions come first, from the highest rung down; new candidates
        only when no candidate can go up. None when nothing is left.
        """
        if not self._queue:
            self._queue = self._next_groups()
        if not self._queue:
            return None
        return self._batch(*self._queue.pop(0))

    def _next_groups(self):
        """Return ``[(rung, evaluated, propose_times), ...]``, one rung each."""
        promotions = []
        for rung in reversed(range(len(self.resources) - 1)):
            for candidate in self._promotable(rung):
                if len(promotions) < self.n_points:
                    self.promoted[rung].add(candidate)
                    promotions.append((candidate, rung + 1))
        if promotions:
            rungs = sorted({rung for _, rung in promotions})
            return [
                (r, [c for c, rung in promotions if rung == r], None) for r in rungs
            ]
        remaining = self.n_candidates - len(self.points)
        if remaining <= 0:
            return []
        start = time.perf_counter()
        points = self.optimizer.ask(n_points=min(self.n_points, remaining))
        elapsed = time.perf_counter() - start + self._unbilled_time
        self._unbilled_time = 0.0
        if not points:
            self.n_candidates = len(self.points)  # the space is used up
            return self._next_groups()
        started = []
        for point in points:
            point = list(point[: self._n_dimensions])
            self.taken.add(self.subspace.decode(point))
            self.points.append(point)
            started.append(len(self.points) - 1)
        return [(0, started, [elapsed / len(started)] * len(started))]

    def _batch(self, rung, started, propose_times):
        candidates = [self.subspace.decode(self.points[c]) for c in started]
        subsample = None
        if self.resource == "n_samples":
            subsample = (self.resources[rung] / self.resources[-1], self._seed + rung)
        else:
            candidates = [
                dict(sorted({**c, self.resource: self.resources[rung]}.items()))
                for c in candidates
            ]
        announcement = ()
        if rung not in self._announced:
            # Rungs overlap: each is announced when its first candidate
            # starts, with the most it can hold.
            self._announced.add(rung)
            size = self.rung_sizes[rung]
            announcement = (
                "----------",
                f"iter: {rung}",
                f"n_candidates: {size}",
                f"n_resources: {self.resources[rung]}",
                fitting_line(self.n_splits, size),
            )
        return Batch(
            candidates=candidates,
            propose_times=propose_times or [0.0] * len(started),
            more_results={
                "iter": [rung] * len(started),
                "n_resources": [self.resources[rung]] * len(started),
            },
            subsample=subsample,
            final=rung == len(self.resources) - 1,
            announcement=announcement,
            origin=[(c, rung) for c in started],
        )

    def tell(self, batch, scores, fit_times):
        """Record what the batch's candidates scored on its rung; tell the optimizer."""
        start = time.perf_counter()
        evaluated = batch.origin
        for (candidate, rung), score in zip(evaluated, scores):
            self.scores[rung][candidate] = float(score)
        points = [
            [*self.points[candidate], float(self.resources[rung])]
            if self._fidelity
            else list(self.points[candidate])
            for candidate, rung in evaluated
        ]
        self.optimizer.tell(points, [-float(s) for s in scores], fit_times)
        self._unbilled_time += time.perf_counter() - start

    def result_for(self, batch):
        """Return the optimizer's ``OptimizeResult``."""
        return self.optimizer.result()

    def records(self):
        """Return the optimizer's record, in a list of one."""
        return [self.optimizer.record()]

    @property
    def n_candidates_per_rung(self):
        """Candidates evaluated on each rung."""
        return [len(results) for results in self.scores]
