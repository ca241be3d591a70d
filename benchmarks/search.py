"""Hyperparameter searches side by side: quality, optimizer overhead, parallelism.

Compares, in one run and on the same tasks, budgets and cross-validation
splits:

- ``sklearn_hp.BayesSearchCV`` (ours; Gaussian process, its defaults);
- scikit-optimize's ``skopt.BayesSearchCV`` (Gaussian process, its defaults);
- optuna-integration's ``OptunaSearchCV`` with Optuna's TPE sampler;
- scikit-learn's ``RandomizedSearchCV`` and ``GridSearchCV``.

Each task's search space is written once, in a neutral form (``real``,
``integer``, ``categorical``), and translated into each tool's own: scipy.stats
distributions (``loguniform``, ``uniform``, ``randint``) and lists for ours and
``RandomizedSearchCV``; ``Real``, ``Integer``, ``Categorical`` for
scikit-optimize; ``FloatDistribution``, ``IntDistribution``,
``CategoricalDistribution`` for Optuna; and for ``GridSearchCV`` a grid of at
most ``n_iter`` points, grown one dimension at a time (the one with the fewest
values first) while the product stays within the budget. A grid's numeric
values are the centres of equal cells of the (log-)range; its categorical
values are the first choices listed.

For every seed, the task's data is split into a training part (75%) and a
held-out test part (stratified for classification); every tool gets one and
the same splitter object on the training part (``StratifiedKFold`` or
``KFold``, 3 folds, shuffled with the seed), the seed as ``random_state``, and
an estimator whose ``random_state`` is the seed. BLAS and OpenMP are limited to
one thread, so that ``n_jobs`` alone decides how many cores work. Warnings of
every tool (convergence, experimental features, deprecations) are silenced
during the searches, and Optuna's logging is set to WARNING meanwhile.

Table 1 (quality and overhead, ``n_jobs=1``), per task and tool, means over
seeds:

- ``best CV``: the search's ``best_score_``; ``test``: the task's metric of
  ``best_estimator_`` on the held-out part;
- ``wall s``: time of ``fit``;
- ``fit+score s``: what the candidates' fits and scores cost, from
  ``cv_results_``: the sum over candidates of ``(mean_fit_time +
  mean_score_time) * n_splits``. All five tools report these two keys.
  scikit-learn's searches, ours and scikit-optimize's time each fold in
  scikit-learn's ``_fit_and_score``; ``OptunaSearchCV`` runs
  ``cross_validate`` per trial, which times each fold the same way, and
  copies the means into ``cv_results_`` (from the trials' ``user_attrs``);
- ``overhead s``: ``wall - refit_time_ - (fit+score) / n_jobs``, what the
  search costs beyond fitting and scoring: proposing candidates, cloning,
  dispatching, collecting results. The refit of the best candidate is left
  out, as it is no part of the search (every tool reports ``refit_time_``);
- ``overhead/iter s``: overhead divided by the number of candidates.

The summary gives, per tool, the mean best CV and test scores over tasks and
seeds (metrics differ between tasks: the mean ranks, 1 = best, compare tools
across them), the median overhead per candidate over tasks and seeds, and for
each Bayesian search the number of evaluations it needed to reach
``RandomizedSearchCV``'s final best CV score on the same seed: the first
candidate, in ``cv_results_`` order, whose running best is at least as high,
as a fraction of the budget ("never" if it was not reached). A last table
pairs ours with each other tool on the same task and seed: on how many pairs
ours scored higher, the same, or lower (best CV and test), with the sign
test's two-sided p-value over the pairs that differ, and the mean of the
differences with Student's 95% interval (over tasks and seeds: it is the
difference between the two tools' mean scores of the summary when every run
succeeded), then the same task by task. A difference between mean scores with
a large p-value, or whose interval spans zero, is one the seeds alone could
make; more seeds narrow the interval. ``--first-seed`` starts table 1 at
another seed, so that seed ranges can run side by side (one BLAS thread each:
on 2 cores, two runs), and ``--merge`` builds table 1 from the runs their
``--json`` files hold. ``--baseline CHECKOUT`` adds ours as another checkout
of the repository has it (an earlier commit's worktree), each of its
searches run in a process that imports that checkout's ``sklearn_hp``: the
paired tables then compare today's search with it on the same tasks, seeds
and splits, in one run. ``--tools`` chooses the tools of table 1.

Table 2 (overhead and memory against the number of candidates): ours,
Optuna's TPE and ``RandomizedSearchCV`` at 50, 200, 500, 1,000 and 2,000
candidates, on two tasks whose fits take milliseconds (an elastic net on the
diabetes data, two real hyperparameters; a decision tree on breast_cancer,
three integers, a real and two categories), 3 seeds, ``n_jobs=1``;
scikit-optimize only at 50, as its overhead grows to seconds per candidate;
with ``--baseline``, ours as that checkout has it at every budget. Each search
runs in a process of its own, whose peak resident memory (``ru_maxrss``: the
interpreter, the imports and the search) is reported. ``propose/iter s`` is
ours' own record (``search_info_["propose_time"]``) of the optimizer's part.
The table gives medians over seeds and the mean best CV; the comparison below
it, per task and budget, the ratio of ours' median overhead per candidate to
each other tool's, the difference of peak memories, and the mean difference
of best CV scores on the same seeds with Student's 95% interval. The aim for
ours: an overhead per candidate no more than TPE's at every budget, a peak
memory within 50 MB of ``RandomizedSearchCV``'s, a best CV no worse than
TPE's.

Table 3 (parallelism): our search with ``n_jobs=1`` and ``n_jobs=2`` on a task
whose fits take ~0.2-0.8 s (a random forest on 3000 samples), 24 candidates,
with ``n_points=2`` in both (two candidates per batch, so both workers have
folds to fit), per seed; ``ratio`` = wall(2) / wall(1), the aim being <= 0.6.
The wall times include the refit of the best candidate, which is serial in
both, and a batch lasts as long as its slowest worker. ``same candidates``
checks that the candidates do not depend on ``n_jobs``. The workers are
started before the first timing. The ratio needs two idle cores: when other
processes run on the machine it measures them, not the search, hence the load
averages printed at the start and at the end.

Table 4 (worker utilisation): the share of the workers' time spent fitting
and scoring, ``sum over candidates of (mean_fit_time + mean_score_time) *
n_splits / (workers * wall)``, the wall time without the refit. Our search
on a model whose fit sleeps 0.02 to 0.2 s as its hyperparameters decide (so
that the figure is about scheduling, not CPU, and 8 workers fit on 2
cores), 24 candidates, 5 folds, with 2, 4 and 8 workers, on joblib's
process backend and on dask ``LocalCluster`` s of as many one-thread
workers, processes (each worker and the scheduler a process of its own:
with 8 workers on 2 cores, dask's own work per fit competes with the fits)
and threads of the benchmark's process; and on table 3's random forest with
2 workers. Each in batches of
``n_points="auto"`` (the default: enough candidates for every worker to have
a fold) and of ``n_points`` equal to the workers, and asynchronously
(``asynchronous=True``: a worker that finishes a fold gets the next at
once). A batch lasts as long as its slowest fold, and the next waits for it.
Last on each backend, the ceiling: the asynchronous search's fits replayed
as plain sleeps of the same lengths, all handed to the backend at once
(``joblib.Parallel``), with no search between them: what the backend itself
reaches on this machine.

Table 5 (the asynchronous mode's scores): its best CV and test score against
the default batches', at equal candidates, on table 1's tasks and seeds with
2 process workers, paired by task and seed (mean difference and its 95%
interval).

A tool that raises on a task is recorded as failed, with the error's type and
message, and the run goes on; one that is not installed (optuna,
optuna-integration) is recorded as "not installed".

Budgets: the default (full) run has 6 tasks (4 with fits of milliseconds, 2
of ~0.1-0.4 s), 3 seeds and 30 candidates per search for every tool,
scikit-optimize included. On 2 cores it takes about 15 minutes: most of it
the expensive tasks' fits, then scikit-optimize's own overhead (0.2-0.35 s
per candidate, averaged over 30 or 50 candidates, once its Gaussian process
starts after 10 random ones: about 2.5 minutes in table 1, 17 s in table 2).
``--quick`` runs 2 cheap tasks, 1 seed and 6 candidates (well under a
minute); with only 6 candidates scikit-optimize never leaves its random start.

Known incompatibilities, with scikit-learn 1.9, numpy 2.4, scikit-optimize
0.10.2 and Optuna 5.0:

- scikit-optimize's gradient-boosting surrogate (``base_estimator="GBRT"``) is
  not recognised as a regressor by scikit-learn >= 1.6 and calls
  ``np.in1d``, which numpy 2.4 removed; ``skopt.BayesSearchCV`` is run here
  with its default Gaussian process, which works.
- ``OptunaSearchCV`` is experimental (an ``ExperimentalWarning`` at each
  construction), reports every trial's scores to ``optuna.terminator``, a
  module deprecated since Optuna 4.9 (a ``FutureWarning`` per trial), and its
  ``cv_results_`` lacks ``params``, ``param_*`` and ``rank_test_score``.

    python -m pip install ".[bench]"                   # Optuna and its integration
    python benchmarks/search.py                        # full run (see above)
    python benchmarks/search.py --quick                # small smoke run
    python benchmarks/search.py --tables 2,3 --seeds 1 # only some tables
    python benchmarks/search.py --tables 2 --budgets 500,1000 --baseline ../before
    python benchmarks/search.py --json out.json        # also write every row
    python benchmarks/search.py --tables 1 --seeds 10 --json a.json &
    python benchmarks/search.py --tables 1 --seeds 10 --first-seed 10 --json b.json
    python benchmarks/search.py --merge a.json b.json  # table 1 over 20 seeds
    git worktree add ../before <commit>                # ours before a change...
    python benchmarks/search.py --tables 1 --seeds 10 --tools ours,baseline,random \
        --baseline ../before                           # ...paired with today's
"""

import argparse
import contextlib
import dataclasses
import json
import logging
import math
import os
import platform
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
import scipy
import sklearn
from joblib import Parallel, delayed, parallel_config
from scipy.stats import binomtest, loguniform, randint, ttest_1samp, uniform
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_wine,
    make_classification,
    make_regression,
)
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge
from sklearn.metrics import get_scorer
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

import sklearn_hp

# -- search spaces, written once and translated for each tool ------------------


@dataclass(frozen=True)
class Dimension:
    """One hyperparameter's range, in no tool's format."""

    kind: str  # "real", "integer" or "categorical"
    low: float = 0.0
    high: float = 0.0
    log: bool = False
    choices: tuple = ()

    def n_values(self):
        if self.kind == "categorical":
            return len(self.choices)
        if self.kind == "integer":
            return int(self.high - self.low + 1)
        return math.inf


def real(low, high, log=False):
    return Dimension("real", low, high, log=log)


def integer(low, high):
    return Dimension("integer", low, high)


def categorical(*choices):
    return Dimension("categorical", choices=tuple(choices))


def to_scipy(space):
    """scipy.stats distributions and lists: ours and RandomizedSearchCV."""
    translated = {}
    for name, dim in space.items():
        if dim.kind == "categorical":
            translated[name] = list(dim.choices)
        elif dim.kind == "integer":
            translated[name] = randint(dim.low, dim.high + 1)
        elif dim.log:
            translated[name] = loguniform(dim.low, dim.high)
        else:
            translated[name] = uniform(dim.low, dim.high - dim.low)
    return translated


def to_skopt(space):
    from skopt.space import Categorical, Integer, Real

    translated = {}
    for name, dim in space.items():
        if dim.kind == "categorical":
            translated[name] = Categorical(list(dim.choices))
        elif dim.kind == "integer":
            translated[name] = Integer(dim.low, dim.high)
        else:
            prior = "log-uniform" if dim.log else "uniform"
            translated[name] = Real(dim.low, dim.high, prior=prior)
    return translated


def to_optuna(space):
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    translated = {}
    for name, dim in space.items():
        if dim.kind == "categorical":
            translated[name] = CategoricalDistribution(dim.choices)
        elif dim.kind == "integer":
            translated[name] = IntDistribution(int(dim.low), int(dim.high))
        else:
            translated[name] = FloatDistribution(dim.low, dim.high, log=dim.log)
    return translated


def grid_counts(space, n_iter):
    """Values per dimension, their product at most n_iter and as close as can be."""
    counts = dict.fromkeys(space, 1)
    while True:
        total = math.prod(counts.values())
        growable = [
            name
            for name, count in counts.items()
            if count < space[name].n_values() and total // count * (count + 1) <= n_iter
        ]
        if not growable:
            return counts
        # The dimension with the fewest values grows; ties go to the first listed.
        counts[min(growable, key=counts.get)] += 1


def to_grid(space, n_iter):
    """A GridSearchCV grid of at most n_iter points."""
    grid = {}
    for name, count in grid_counts(space, n_iter).items():
        dim = space[name]
        centres = (np.arange(count) + 0.5) / count
        if dim.kind == "categorical":
            grid[name] = list(dim.choices[:count])
        elif dim.kind == "integer":
            n_values = dim.n_values()
            grid[name] = [int(dim.low + math.floor(c * n_values)) for c in centres]
        elif dim.log:
            low, high = np.log(dim.low), np.log(dim.high)
            grid[name] = np.exp(low + centres * (high - low)).tolist()
        else:
            grid[name] = (dim.low + centres * (dim.high - dim.low)).tolist()
    return grid


# -- tasks ---------------------------------------------------------------------


@dataclass
class Task:
    """An estimator, its search space, its data and how it is scored."""

    kind: str  # "classification" or "regression"
    load: object  # () -> (X, y)
    make: object  # seed -> estimator
    space: dict
    scoring: str
    cost: str = "cheap"


def _classification(n_samples):
    return lambda: make_classification(
        n_samples=n_samples, n_features=20, n_informative=10, random_state=0
    )


TASKS = {
    "SVC, breast_cancer": Task(
        "classification",
        lambda: load_breast_cancer(return_X_y=True),
        lambda seed: make_pipeline(StandardScaler(), SVC(random_state=seed)),
        {
            "svc__C": real(1e-2, 1e3, log=True),
            "svc__gamma": real(1e-5, 1e0, log=True),
            "svc__kernel": categorical("rbf", "sigmoid"),
        },
        "accuracy",
    ),
    "LogisticRegression, wine": Task(
        "classification",
        lambda: load_wine(return_X_y=True),
        lambda seed: make_pipeline(
            StandardScaler(),
            LogisticRegression(solver="saga", max_iter=500, random_state=seed),
        ),
        {
            "logisticregression__C": real(1e-3, 1e2, log=True),
            "logisticregression__l1_ratio": real(0.0, 1.0),
            "logisticregression__class_weight": categorical(None, "balanced"),
        },
        "neg_log_loss",
    ),
    "KNeighbors, digits": Task(
        "classification",
        lambda: load_digits(return_X_y=True),
        lambda seed: KNeighborsClassifier(),
        {
            "n_neighbors": integer(1, 40),
            "weights": categorical("uniform", "distance"),
            "p": integer(1, 2),
        },
        "accuracy",
    ),
    "Ridge, diabetes": Task(
        "regression",
        lambda: load_diabetes(return_X_y=True),
        lambda seed: make_pipeline(PolynomialFeatures(), StandardScaler(), Ridge()),
        {
            "polynomialfeatures__degree": integer(1, 3),
            "polynomialfeatures__interaction_only": categorical(False, True),
            "ridge__alpha": real(1e-3, 1e4, log=True),
        },
        "r2",
    ),
    # table 2's: fits of milliseconds, two real dimensions; six mixed ones
    "ElasticNet, diabetes": Task(
        "regression",
        lambda: load_diabetes(return_X_y=True),
        lambda seed: ElasticNet(max_iter=5000),
        {
            "alpha": real(1e-4, 10.0, log=True),
            "l1_ratio": real(0.0, 1.0),
        },
        "r2",
    ),
    "DecisionTree, breast_cancer": Task(
        "classification",
        lambda: load_breast_cancer(return_X_y=True),
        lambda seed: DecisionTreeClassifier(random_state=seed),
        {
            "max_depth": integer(1, 20),
            "min_samples_split": integer(2, 40),
            "min_samples_leaf": integer(1, 20),
            "max_features": real(0.1, 1.0),
            "criterion": categorical("gini", "entropy", "log_loss"),
            "class_weight": categorical(None, "balanced"),
        },
        "accuracy",
    ),
    "HistGradientBoosting, 3000x20": Task(
        "classification",
        _classification(3000),
        lambda seed: HistGradientBoostingClassifier(
            early_stopping=False, random_state=seed
        ),
        {
            "learning_rate": real(1e-2, 0.5, log=True),
            "max_leaf_nodes": integer(4, 64),
            "min_samples_leaf": integer(2, 100),
            "l2_regularization": real(1e-4, 10.0, log=True),
        },
        "accuracy",
        cost="expensive",
    ),
    "RandomForest, 1500x20 regression": Task(
        "regression",
        lambda: make_regression(
            n_samples=1500, n_features=20, n_informative=10, noise=10.0, random_state=0
        ),
        lambda seed: RandomForestRegressor(random_state=seed),
        {
            "n_estimators": integer(20, 200),
            "max_features": real(0.1, 1.0),
            "min_samples_leaf": integer(1, 20),
            "bootstrap": categorical(True, False),
        },
        "r2",
        cost="expensive",
    ),
    "RandomForest, 3000x20": Task(
        "classification",
        _classification(3000),
        lambda seed: RandomForestClassifier(random_state=seed),
        {
            "n_estimators": integer(50, 200),
            "max_features": real(0.1, 0.5),
            "min_samples_leaf": integer(1, 10),
        },
        "accuracy",
        cost="expensive",
    ),
}


# -- the tools -----------------------------------------------------------------

OURS = "sklearn_hp.BayesSearchCV"
# ours as an earlier checkout has it (--baseline), run beside today's
BASELINE = "sklearn_hp.BayesSearchCV (baseline)"
SKOPT = "skopt.BayesSearchCV"
OPTUNA = "OptunaSearchCV (TPE)"
RANDOM = "RandomizedSearchCV"
GRID = "GridSearchCV"
TOOLS = (OURS, SKOPT, OPTUNA, RANDOM, GRID)
# --tools' names of the tools
SHORT_NAMES = {
    "ours": OURS,
    "baseline": BASELINE,
    "skopt": SKOPT,
    "optuna": OPTUNA,
    "random": RANDOM,
    "grid": GRID,
}
BAYESIAN = (OURS, BASELINE, SKOPT, OPTUNA)
# table 2's tools at every budget
OVERHEAD_TOOLS = (OURS, OPTUNA, RANDOM)


@dataclass
class Config:
    """What a run measures: tasks and budgets of each table."""

    tasks: tuple  # names in TASKS, for table 1
    n_iter: int
    seeds: int
    overhead_tasks: tuple  # names in TASKS, for table 2
    overhead_iterations: tuple
    skopt_overhead_iterations: tuple
    parallel_task: str
    parallel_n_iter: int
    utilisation_workers: tuple = (2, 4, 8)
    utilisation_n_iter: int = 24
    # table 4 on dask LocalClusters too, of worker "processes", of "threads"
    utilisation_dask: tuple = ("processes", "threads")
    tables: tuple = (1, 2, 3, 4, 5)
    first_seed: int = 0
    tools: tuple = TOOLS
    overhead_seeds: int = 3
    # table 2's searches each in a process of its own, for its peak memory
    overhead_processes: bool = True


FULL = Config(
    tasks=(
        "SVC, breast_cancer",
        "LogisticRegression, wine",
        "KNeighbors, digits",
        "Ridge, diabetes",
        "HistGradientBoosting, 3000x20",
        "RandomForest, 1500x20 regression",
    ),
    n_iter=30,
    seeds=3,
    overhead_tasks=("ElasticNet, diabetes", "DecisionTree, breast_cancer"),
    overhead_iterations=(50, 200, 500, 1000, 2000),
    skopt_overhead_iterations=(50,),
    parallel_task="RandomForest, 3000x20",
    parallel_n_iter=24,
)
QUICK = Config(
    tasks=("SVC, breast_cancer", "Ridge, diabetes"),
    n_iter=6,
    seeds=1,
    overhead_tasks=("ElasticNet, diabetes",),
    overhead_iterations=(10, 20),
    skopt_overhead_iterations=(10,),
    overhead_seeds=1,
    parallel_task="RandomForest, 3000x20",
    parallel_n_iter=4,
    utilisation_workers=(2,),
    utilisation_n_iter=4,
)


# -- the tools -----------------------------------------------------------------


def build_search(tool, estimator, space, *, n_iter, cv, scoring, seed, n_jobs=1):
    """The tool's search, unfitted; ImportError if the tool is not installed."""
    common = dict(cv=cv, scoring=scoring, n_jobs=n_jobs)
    if tool == OURS:
        return sklearn_hp.BayesSearchCV(
            estimator, to_scipy(space), n_iter=n_iter, random_state=seed, **common
        )
    if tool == SKOPT:
        from skopt import BayesSearchCV

        return BayesSearchCV(
            estimator, to_skopt(space), n_iter=n_iter, random_state=seed, **common
        )
    if tool == OPTUNA:
        import optuna
        from optuna_integration import OptunaSearchCV

        study = optuna.create_study(
            direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed)
        )
        return OptunaSearchCV(
            estimator, to_optuna(space), n_trials=n_iter, study=study, **common
        )
    if tool == RANDOM:
        return RandomizedSearchCV(
            estimator, to_scipy(space), n_iter=n_iter, random_state=seed, **common
        )
    if tool == GRID:
        return GridSearchCV(estimator, to_grid(space, n_iter), **common)
    raise ValueError(f"unknown tool {tool!r}")


@contextlib.contextmanager
def quiet(tool):
    """Silence the tools' warnings and, for Optuna, its logging of every trial."""
    optuna = None
    if tool == OPTUNA:
        with contextlib.suppress(ImportError):
            import optuna
    previous = optuna.logging.get_verbosity() if optuna else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if optuna:
            optuna.logging.set_verbosity(optuna.logging.WARNING)
        try:
            yield
        finally:
            if optuna:
                optuna.logging.set_verbosity(previous)


def _error(exception):
    message = str(exception).strip().splitlines()
    text = type(exception).__name__ + (f": {message[0]}" if message else "")
    return text if len(text) <= 100 else text[:97] + "..."


def _split(task, seed):
    X, y = task.load()
    return train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=seed,
        stratify=y if task.kind == "classification" else None,
    )


def _cv(task, seed):
    splitter = StratifiedKFold if task.kind == "classification" else KFold
    return splitter(n_splits=3, shuffle=True, random_state=seed)


# The checkout --baseline names: its sklearn_hp is the baseline's.
BASELINE_CHECKOUT = None


def run_in_process(tool, task_name, seed, n_iter, checkout=None):
    """Run one search in a process of its own, measured as :func:`run_search` does.

    The process imports this script, and ``sklearn_hp`` from ``checkout`` when
    given (the baseline's); its row also gives the process's peak resident
    memory (``peak RSS MB``), the search's and the imports' together.
    """
    environment = dict(os.environ)
    if checkout is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            [checkout, *filter(None, [environment.get("PYTHONPATH")])]
        )
    name = BASELINE if checkout is not None else tool
    request = json.dumps(
        {"tool": tool, "task": task_name, "seed": seed, "n_iter": n_iter}
    )
    completed = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--run-one", request],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {
            "tool": name,
            "seed": seed,
            "n_iter": n_iter,
            "n_jobs": 1,
            "status": f"failed: {error[:100]}",
        }
    row = json.loads(completed.stdout.strip().splitlines()[-1])
    return {k: np.nan if v is None else v for k, v in {**row, "tool": name}.items()}


def run_baseline(task_name, seed, n_iter):
    """Run ours as the baseline checkout has it, in a process of its own."""
    return run_in_process(OURS, task_name, seed, n_iter, checkout=BASELINE_CHECKOUT)


def _run_one(request):
    """--run-one: one search, its row (and the peak memory) printed as JSON."""
    request = json.loads(request)
    with threadpool_limits(limits=1):
        row = run_search(
            request.get("tool", OURS),
            TASKS[request["task"]],
            request["seed"],
            request["n_iter"],
        )
    row["sklearn_hp"] = os.path.dirname(os.path.abspath(sklearn_hp.__file__))
    import resource  # Unix only, as the peak memory measured

    # kibibytes on Linux
    row["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(_jsonable(row)))


def run_search(
    tool, task, seed, n_iter, *, n_jobs=1, n_points=None, data=None, settings=None
):
    """Fit one tool's search on one task and seed: a row of measures.

    ``n_points`` and ``settings`` (a dict) are set on the search.
    """
    if tool == BASELINE:
        name = next(name for name, known in TASKS.items() if known is task)
        return run_baseline(name, seed, n_iter)
    row = {"tool": tool, "seed": seed, "n_iter": n_iter, "n_jobs": n_jobs}
    X_train, X_test, y_train, y_test = data or _split(task, seed)
    cv = _cv(task, seed)
    with quiet(tool):
        try:
            search = build_search(
                tool,
                task.make(seed),
                task.space,
                n_iter=n_iter,
                cv=cv,
                scoring=task.scoring,
                seed=seed,
                n_jobs=n_jobs,
            )
        except ImportError:
            return {**row, "status": "not installed"}
        if n_points is not None:
            search.set_params(n_points=n_points)
        search.set_params(**(settings or {}))
        try:
            start = time.perf_counter()
            search.fit(X_train, y_train)
            wall = time.perf_counter() - start
            test = get_scorer(task.scoring)(search.best_estimator_, X_test, y_test)
        except Exception as exception:
            return {**row, "status": f"failed: {_error(exception)}"}
    results = search.cv_results_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    n_splits = cv.get_n_splits()
    fit_score = n_splits * np.nansum(
        np.asarray(results["mean_fit_time"], dtype=float)
        + np.asarray(results["mean_score_time"], dtype=float)
    )
    overhead = wall - search.refit_time_ - fit_score / n_jobs
    propose = getattr(search, "search_info_", {}).get("propose_time")
    return {
        **row,
        "status": "ok",
        "candidates": len(scores),
        "best CV": float(search.best_score_),
        "test": float(test),
        "wall s": wall,
        "fit+score s": fit_score,
        "overhead s": overhead,
        "overhead/iter s": overhead / len(scores),
        "propose/iter s": (
            float(np.sum(propose)) / len(scores) if propose is not None else np.nan
        ),
        "scores": scores.tolist(),
        "params": [dict(p) for p in results.get("params", [])],
    }


def _progress(message):
    sys.stdout.flush()
    print(message, file=sys.stderr, flush=True)


# -- table 1 and its summary ----------------------------------------------------

MEASURES = ("candidates", "best CV", "test", "wall s", "fit+score s", "overhead s")


def quality_runs(config, tools=None):
    tools = tools or config.tools
    runs = []
    for task_name in config.tasks:
        task = TASKS[task_name]
        for seed in range(config.first_seed, config.first_seed + config.seeds):
            data = _split(task, seed)
            for tool in tools:
                run = run_search(tool, task, seed, config.n_iter, data=data)
                runs.append({"task": task_name, "metric": task.scoring, **run})
                _progress(
                    f"  {task_name} | {tool} | seed {seed} | {run['status']}"
                    + (f" | {run['wall s']:.2f} s" if run["status"] == "ok" else "")
                )
    return runs


def _status(group):
    statuses = group["status"].tolist()
    failed = [status for status in statuses if status != "ok"]
    if not failed:
        return "ok"
    if len(failed) == len(statuses):
        return failed[0]
    return f"{failed[0]} ({len(failed)}/{len(statuses)} seeds)"


def quality_table(runs):
    frame = pd.DataFrame(runs)
    rows = []
    for (task_name, tool), group in frame.groupby(["task", "tool"], sort=False):
        ok = group[group["status"] == "ok"]
        row = {
            "task": task_name,
            "metric": group["metric"].iloc[0],
            "tool": tool,
            "status": _status(group),
        }
        for measure in MEASURES:
            row[measure] = ok[measure].mean() if len(ok) else np.nan
        row["overhead/iter s"] = (
            (ok["overhead s"] / ok["candidates"]).mean() if len(ok) else np.nan
        )
        rows.append(row)
    return pd.DataFrame(rows)


def evaluations_to_reach(scores, target, budget):
    """Fraction of the budget spent when the running best first reaches target."""
    running = np.fmax.accumulate(np.asarray(scores, dtype=float))
    reached = np.flatnonzero(running >= target)
    return (reached[0] + 1) / budget if len(reached) else math.inf


def _fractions(runs, tool, task_name, budget):
    """Per seed: the tool's evaluations to reach Random's final best CV."""
    ok = {
        (run["tool"], run["seed"]): run
        for run in runs
        if run["task"] == task_name and run["status"] == "ok"
    }
    return [
        evaluations_to_reach(run["scores"], ok[RANDOM, seed]["best CV"], budget)
        for (name, seed), run in ok.items()
        if name == tool and (RANDOM, seed) in ok
    ]


def _format_fractions(fractions):
    if not fractions:
        return ""
    return " ".join("never" if math.isinf(f) else f"{f:.2f}" for f in fractions)


def reach_table(runs, config, tools=BAYESIAN):
    rows = []
    for task_name in config.tasks:
        row = {"task": task_name}
        random = [
            run["best CV"]
            for run in runs
            if (run["task"], run["tool"], run["status"]) == (task_name, RANDOM, "ok")
        ]
        row["Random best CV"] = np.mean(random) if random else np.nan
        for tool in tools:
            fractions = _fractions(runs, tool, task_name, config.n_iter)
            row[tool] = _format_fractions(fractions)
        rows.append(row)
    return pd.DataFrame(rows)


def summary_table(runs, table, config, tools=TOOLS):
    frame = pd.DataFrame(runs)
    ok = frame[frame["status"] == "ok"]
    ranks = {}
    for measure in ("best CV", "test"):
        ranks[measure] = (
            table[table["status"] == "ok"]
            .groupby("task")[measure]
            .rank(ascending=False)
            .groupby(table["tool"])
            .mean()
        )
    rows = []
    for tool in tools:
        runs_of_tool = ok[ok["tool"] == tool]
        row = {
            "tool": tool,
            "tasks ok": f"{int((table[table['tool'] == tool]['status'] == 'ok').sum())}"
            f"/{len(config.tasks)}",
            "mean best CV": runs_of_tool["best CV"].mean(),
            "mean test": runs_of_tool["test"].mean(),
            "mean rank best CV": ranks["best CV"].get(tool, np.nan),
            "mean rank test": ranks["test"].get(tool, np.nan),
            f"median overhead/iter s at {config.n_iter}": runs_of_tool[
                "overhead/iter s"
            ].median(),
        }
        if tool in BAYESIAN:
            fractions = [
                f
                for task_name in config.tasks
                for f in _fractions(runs, tool, task_name, config.n_iter)
            ]
            reached = sum(not math.isinf(f) for f in fractions)
            median = np.median(fractions) if fractions else np.nan
            row["reached Random's best"] = f"{reached}/{len(fractions)}"
            row["median evals to it"] = (
                "never" if math.isinf(median) else f"{median:.2f}"
            )
        else:
            row["reached Random's best"] = row["median evals to it"] = ""
        rows.append(row)
    return pd.DataFrame(rows)


def paired_table(runs, tools=TOOLS, by_task=False):
    """Ours against each other tool, on the same task and seed.

    The differences between tools' means are often smaller than what changing
    the seeds does to them: counting on how many (task, seed) pairs ours
    scored higher, the same, or lower, and the sign test's two-sided p-value
    (ties left out), says whether a difference in means is more than that.
    ``by_task`` compares the tools on each task apart.
    """
    scores = {
        (run["tool"], run["task"], run["seed"]): run
        for run in runs
        if run["status"] == "ok"
    }
    tasks = dict.fromkeys(task for _, task, _ in scores) if by_task else [None]
    rows = []
    for task_name in tasks:
        for tool in tools:
            if tool == OURS:
                continue
            pairs = [
                (ours, scores[tool, task, seed])
                for (name, task, seed), ours in scores.items()
                if name == OURS
                and (tool, task, seed) in scores
                and task_name in (None, task)
            ]
            row = {"task": task_name} if by_task else {}
            row.update({"ours against": tool, "pairs": len(pairs)})
            for measure in ("best CV", "test"):
                differences = np.array([a[measure] - b[measure] for a, b in pairs])
                higher = int(np.sum(differences > 0))
                lower = int(np.sum(differences < 0))
                row[f"{measure}: higher/same/lower"] = (
                    f"{higher}/{len(differences) - higher - lower}/{lower}"
                )
                row[f"{measure}: sign test p"] = (
                    binomtest(higher, higher + lower).pvalue
                    if higher + lower
                    else np.nan
                )
                row[f"{measure}: mean difference"], row[f"{measure}: 95% CI"] = (
                    _mean_and_interval(differences)
                )
            rows.append(row)
    return pd.DataFrame(rows)


def _mean_and_interval(differences):
    """The mean of paired differences and Student's 95% interval, as text."""
    if len(differences) == 0:
        return np.nan, ""
    mean = float(np.mean(differences))
    if len(differences) < 2 or not np.std(differences) > 0:
        return mean, ""
    interval = ttest_1samp(differences, 0.0).confidence_interval(0.95)
    return mean, f"[{interval.low:.4f}, {interval.high:.4f}]"


# -- table 2: overhead against the number of iterations ------------------------


def overhead_runs(config):
    """Table 2's searches: each tool at each budget, on each task and seed.

    Ours (and the baseline's, with ``--baseline``), Optuna's TPE and
    ``RandomizedSearchCV`` at every budget, scikit-optimize at the smallest
    ones only; each search in a process of its own when
    ``config.overhead_processes``.
    """
    budgets = [(tool, n) for tool in OVERHEAD_TOOLS for n in config.overhead_iterations]
    budgets += [(SKOPT, n) for n in config.skopt_overhead_iterations]
    if BASELINE_CHECKOUT is not None:
        budgets += [(BASELINE, n) for n in config.overhead_iterations]
    runs = []
    for task_name in config.overhead_tasks:
        task = TASKS[task_name]
        for seed in range(config.overhead_seeds):
            for tool, n_iter in budgets:
                if tool == BASELINE:
                    run = run_baseline(task_name, seed, n_iter)
                elif config.overhead_processes:
                    run = run_in_process(tool, task_name, seed, n_iter)
                else:
                    run = run_search(tool, task, seed, n_iter)
                _progress(
                    f"  {task_name} | {tool} | {n_iter} | seed {seed} | {run['status']}"
                )
                kept = {k: v for k, v in run.items() if k not in ("scores", "params")}
                runs.append({"task": task_name, **kept})
    return runs


def overhead_table(runs):
    """Per task, tool and budget: medians over seeds of the overhead and memory."""
    frame = pd.DataFrame(runs)
    if "peak RSS MB" not in frame:
        frame["peak RSS MB"] = np.nan
    rows = []
    for (task_name, tool, n_iter), group in frame.groupby(
        ["task", "tool", "n_iter"], sort=False
    ):
        ok = group[group["status"] == "ok"]
        rows.append(
            {
                "task": task_name,
                "tool": tool,
                "n_iter": n_iter,
                "status": _status(group),
                "seeds": len(ok),
                "median overhead/iter s": ok["overhead/iter s"].median(),
                "median propose/iter s": ok["propose/iter s"].median(),
                "median peak RSS MB": ok["peak RSS MB"].median(),
                "mean best CV": ok["best CV"].mean(),
            }
        )
    return pd.DataFrame(rows)


def overhead_comparison(runs):
    """Per task and budget: ours against each other tool of table 2.

    The ratio of the median overheads per candidate (ours / theirs), the
    difference of the peak memories' medians, and the mean difference of
    best CV scores on the same seeds with Student's 95% interval.
    """
    frame = pd.DataFrame(runs)
    frame = frame[frame["status"] == "ok"]
    if "peak RSS MB" not in frame:
        frame["peak RSS MB"] = np.nan
    rows = []
    for (task_name, n_iter), group in frame.groupby(["task", "n_iter"], sort=False):
        by_tool = {tool: runs.set_index("seed") for tool, runs in group.groupby("tool")}
        ours = by_tool.get(OURS)
        if ours is None:
            continue
        for tool, theirs in by_tool.items():
            if tool == OURS:
                continue
            seeds = ours.index.intersection(theirs.index)
            difference = ours.loc[seeds, "best CV"] - theirs.loc[seeds, "best CV"]
            mean, interval = _mean_and_interval(difference.to_numpy())
            rows.append(
                {
                    "task": task_name,
                    "n_iter": n_iter,
                    "ours against": tool,
                    "seeds": len(seeds),
                    "overhead ratio": ours["overhead/iter s"].median()
                    / theirs["overhead/iter s"].median(),
                    "peak RSS MB, ours - theirs": ours["peak RSS MB"].median()
                    - theirs["peak RSS MB"].median(),
                    "best CV: mean difference": mean,
                    "best CV: 95% interval": interval,
                }
            )
    return pd.DataFrame(rows)


# -- table 3: n_jobs=1 against n_jobs=2 -------------------------------------------


def _start_workers(n_jobs, estimator):
    # Spawning the workers, and their first import of scikit-learn, is no part
    # of what is compared.
    Parallel(n_jobs=n_jobs)(delayed(clone)(estimator) for _ in range(2 * n_jobs))


def parallel_table(config, n_points=2):
    task = TASKS[config.parallel_task]
    _start_workers(2, task.make(0))
    rows = []
    for seed in range(config.seeds):
        data = _split(task, seed)
        one, two = (
            run_search(
                OURS,
                task,
                seed,
                config.parallel_n_iter,
                n_jobs=n_jobs,
                n_points=n_points,
                data=data,
            )
            for n_jobs in (1, 2)
        )
        _progress(f"  {config.parallel_task} | seed {seed} | n_jobs 1 and 2")
        ok = one["status"] == two["status"] == "ok"
        rows.append(
            {
                "task": config.parallel_task,
                "seed": seed,
                "status": "ok" if ok else f"{one['status']} / {two['status']}",
                "n_iter": config.parallel_n_iter,
                "n_points": n_points,
                "fit+score s": one.get("fit+score s", np.nan),
                "wall s n_jobs=1": one.get("wall s", np.nan),
                "wall s n_jobs=2": two.get("wall s", np.nan),
                "ratio": (two["wall s"] / one["wall s"]) if ok else np.nan,
                "same candidates": (
                    ("yes" if one["params"] == two["params"] else "no") if ok else ""
                ),
                "best CV n_jobs=1": one.get("best CV", np.nan),
                "best CV n_jobs=2": two.get("best CV", np.nan),
            }
        )
    return pd.DataFrame(rows)


# -- table 4: worker utilisation ---------------------------------------------------


class SleepingRegressor(RegressorMixin, BaseEstimator):
    """A model whose fit sleeps for a time its hyperparameters decide.

    ``fit`` sleeps ``0.02 * 10**slowness`` seconds (0.02 to 0.2 s: ten times
    across the space) and learns nothing; ``score`` is ``-(slowness - 0.7)**2
    - (shape - 0.4)**2`` on every fold, so that a search has an optimum to
    find. What a search of it costs is scheduling, not CPU: any number of
    workers sleep side by side on two cores.
    """

    def __init__(self, slowness=0.5, shape=0.5):
        self.slowness = slowness
        self.shape = shape

    def fit(self, X, y):
        time.sleep(0.02 * 10**self.slowness)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y, sample_weight=None):
        return -((self.slowness - 0.7) ** 2) - (self.shape - 0.4) ** 2


SLEEPING_SPACE = {"slowness": uniform(0.0, 1.0), "shape": uniform(0.0, 1.0)}


def _utilisation(search, wall, n_workers):
    """Fit and score time of every fold over the workers' time, and the row."""
    results = search.cv_results_
    busy = search.n_splits_ * np.nansum(
        np.asarray(results["mean_fit_time"], dtype=float)
        + np.asarray(results["mean_score_time"], dtype=float)
    )
    searching = wall - search.refit_time_
    return {
        "candidates": len(results["params"]),
        "wall s": searching,
        "fit+score s": busy,
        "utilisation": busy / (n_workers * searching),
        "best CV": float(search.best_score_),
    }


def utilisation_table(config):
    """Our search's worker utilisation, by number of workers and mode.

    On :class:`SleepingRegressor` (5 folds) with 2, 4 and 8 workers, on
    joblib's process backend and on dask ``LocalCluster`` s of as many
    one-thread workers (processes, threads), and on the parallel task (3
    folds) with 2 process
    workers; in batches of ``n_points="auto"`` (enough candidates for every
    worker to have a fold), of ``n_points=workers`` (a fold for every worker
    five times over), and asynchronously.
    """
    rows = []
    X = np.random.RandomState(0).normal(size=(100, 2))
    y = X[:, 0]
    backends = ["loky"] + [f"dask {kind}" for kind in config.utilisation_dask]
    for backend, n_workers in product(backends, config.utilisation_workers):
        with _workers(backend, n_workers):
            for mode, settings in _modes(n_workers):
                search = sklearn_hp.BayesSearchCV(
                    SleepingRegressor(),
                    SLEEPING_SPACE,
                    n_iter=config.utilisation_n_iter,
                    cv=5,
                    n_jobs=n_workers,
                    random_state=0,
                    **settings,
                )
                start = time.perf_counter()
                search.fit(X, y)
                wall = time.perf_counter() - start
                _progress(f"  sleeping | {backend} | {n_workers} workers | {mode}")
                rows.append(
                    {
                        "task": "sleeping, 0.02-0.2 s per fit",
                        "backend": backend,
                        "workers": n_workers,
                        "mode": mode,
                        **_utilisation(search, wall, n_workers),
                    }
                )
            rows.append(
                {
                    "task": "sleeping, 0.02-0.2 s per fit",
                    "backend": backend,
                    "workers": n_workers,
                    "mode": "ceiling: the same fits, all at once",
                    **_ceiling(search, n_workers),
                }
            )
    task = TASKS[config.parallel_task]
    _start_workers(2, task.make(0))
    X_train, _, y_train, _ = _split(task, 0)
    for mode, settings in _modes(2):
        search = build_search(
            OURS,
            task.make(0),
            task.space,
            n_iter=config.parallel_n_iter,
            cv=_cv(task, 0),
            scoring=task.scoring,
            seed=0,
            n_jobs=2,
        ).set_params(**settings)
        with quiet(OURS):
            start = time.perf_counter()
            search.fit(X_train, y_train)
            wall = time.perf_counter() - start
        _progress(f"  {config.parallel_task} | 2 workers | {mode}")
        rows.append(
            {
                "task": config.parallel_task,
                "backend": "loky",
                "workers": 2,
                "mode": mode,
                **_utilisation(search, wall, 2),
            }
        )
    return pd.DataFrame(rows)


def _ceiling(search, n_workers):
    """The utilisation of a search's fits replayed as sleeps, all at once.

    Each candidate's folds sleep its mean fit and score time; they go to the
    active backend in one ``joblib.Parallel`` call, nothing between them.
    """
    results = search.cv_results_
    lengths = np.repeat(
        np.asarray(results["mean_fit_time"], dtype=float)
        + np.asarray(results["mean_score_time"], dtype=float),
        search.n_splits_,
    )
    start = time.perf_counter()
    Parallel(n_jobs=n_workers, pre_dispatch="all")(
        delayed(time.sleep)(length) for length in lengths
    )
    wall = time.perf_counter() - start
    return {
        "candidates": len(results["params"]),
        "wall s": wall,
        "fit+score s": float(lengths.sum()),
        "utilisation": float(lengths.sum()) / (n_workers * wall),
        "best CV": np.nan,
    }


@contextlib.contextmanager
def _workers(backend, n_workers):
    """Start ``n_workers`` of ``backend`` and make it joblib's, for a block.

    ``backend`` is "loky", or "dask processes" or "dask threads": a dask
    ``LocalCluster`` whose workers are processes, or threads of this one.
    """
    if backend == "loky":
        _start_workers(n_workers, SleepingRegressor())
        yield
        return
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=backend == "dask processes",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
        parallel_config(backend="dask", client=client),
    ):
        client.wait_for_workers(n_workers)
        yield


def asynchronous_quality_table(config):
    """Best CV of the asynchronous mode against batches, at equal candidates.

    Table 1's tasks and seeds, ``n_iter`` candidates, 2 process workers:
    batches of ``n_points="auto"`` (the default) against ``asynchronous=True``,
    paired by task and seed.
    """
    rows = []
    seeds = range(config.first_seed, config.first_seed + config.seeds)
    for task_name, seed in product(config.tasks, seeds):
        task = TASKS[task_name]
        _start_workers(2, task.make(seed))
        pair = {}
        for mode, settings in _modes(2)[::2]:
            row = run_search(
                OURS, task, seed, config.n_iter, n_jobs=2, settings=settings
            )
            _progress(f"  {task_name} | seed {seed} | {mode} | {row['status']}")
            pair[mode] = row
        rows.append(
            {
                "task": task_name,
                "seed": seed,
                **{
                    f"{column} {mode.split(',')[0]}": row.get(column, np.nan)
                    for mode, row in pair.items()
                    for column in ("best CV", "test", "wall s")
                },
            }
        )
    return pd.DataFrame(rows)


def _modes(n_workers):
    """Table 4's ways of running a search on ``n_workers``, by name."""
    return [
        ("batches, n_points=auto", {"n_points": "auto"}),
        (f"batches, n_points={n_workers}", {"n_points": n_workers}),
        ("asynchronous", {"asynchronous": True}),
    ]


def asynchronous_quality_summary(table):
    """Per task and over all: the asynchronous minus the batch mode's scores."""
    rows = []
    groups = [(task, group) for task, group in table.groupby("task", sort=False)]
    for task, group in [*groups, ("all tasks", table)]:
        row = {"task": task, "runs": len(group)}
        for column in ("best CV", "test"):
            differences = (
                group[f"{column} asynchronous"] - group[f"{column} batches"]
            ).to_numpy(dtype=float)
            mean, interval = _mean_and_interval(differences)
            row[f"{column}: async - batches"] = mean
            row[f"{column}: 95% interval"] = interval
        row["wall ratio async / batches"] = float(
            np.median(group["wall s asynchronous"] / group["wall s batches"])
        )
        rows.append(row)
    return pd.DataFrame(rows)


# -- output --------------------------------------------------------------------

FORMATS = {
    "candidates": "{:.0f}",
    "best CV": "{:.4f}",
    "test": "{:.4f}",
    "wall s": "{:.2f}",
    "fit+score s": "{:.2f}",
    "overhead s": "{:.3f}",
    "overhead/iter s": "{:.4f}",
    "propose/iter s": "{:.4f}",
    "mean best CV": "{:.4f}",
    "mean test": "{:.4f}",
    "mean rank best CV": "{:.2f}",
    "mean rank test": "{:.2f}",
    "Random best CV": "{:.4f}",
    "wall s n_jobs=1": "{:.2f}",
    "wall s n_jobs=2": "{:.2f}",
    "ratio": "{:.2f}",
    "utilisation": "{:.0%}",
    "best CV: sign test p": "{:.3f}",
    "test: sign test p": "{:.3f}",
    "best CV: mean difference": "{:+.5f}",
    "test: mean difference": "{:+.5f}",
    "best CV n_jobs=1": "{:.4f}",
    "best CV n_jobs=2": "{:.4f}",
}


def _format(table):
    table = table.copy()
    for column in table:
        text = FORMATS.get(column)
        if column.startswith(("median overhead/iter s", "median propose/iter s")):
            text = "{:.4f}"
        if column in ("median peak RSS MB", "peak RSS MB, ours - theirs"):
            text = "{:.0f}"
        if column in ("overhead ratio", "mean best CV"):
            text = "{:.2f}" if column == "overhead ratio" else "{:.4f}"
        if text:
            table[column] = table[column].map(
                lambda value, text=text: "" if pd.isna(value) else text.format(value)
            )
    return table


def _print(title, table):
    print(f"\n{title}")
    with pd.option_context("display.width", 250, "display.max_colwidth", 100):
        print(_format(table).to_string(index=False))


def _version(module):
    try:
        return __import__(module).__version__
    except ImportError:
        return "not installed"


def machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else (np.nan,) * 3
    return {
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpu count": os.cpu_count(),
        "load average 1/5/15 min": [round(value, 2) for value in load],
        "Python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "scikit-optimize": _version("skopt"),
        "optuna": _version("optuna"),
        "optuna-integration": _version("optuna_integration"),
        "sklearn_hp": sklearn_hp.__version__,
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def table_one(runs, config):
    """Table 1 and the tables summarising it, from the searches' runs."""
    quality = quality_table(runs)
    return {
        "quality": quality,
        "summary": summary_table(runs, quality, config, tools=config.tools),
        "evaluations to Random's best": reach_table(
            runs, config, tools=[t for t in BAYESIAN if t in config.tools]
        ),
        "paired": paired_table(runs, tools=config.tools),
        "paired by task": paired_table(runs, tools=config.tools, by_task=True),
    }


def merged_runs(paths, config):
    """Table 1's runs from earlier runs' JSON files, and a config to match.

    Each (tool, task, seed) may come from one file only; the files must have
    used the same number of candidates per search, and seeds that follow on.
    """
    runs, origin, n_iters = [], {}, set()
    for path in paths:
        with open(path) as file:
            document = json.load(file)
        n_iters.add(document["config"]["n_iter"])
        for run in document["runs"]:
            key = (run["tool"], run["task"], run["seed"])
            if key in origin:
                raise ValueError(
                    f"--merge: {key} was run in both {origin[key]} and {path}"
                )
            origin[key] = path
            # JSON has no NaN: _jsonable wrote None for it
            runs.append({k: np.nan if v is None else v for k, v in run.items()})
    if len(n_iters) != 1:
        raise ValueError(
            f"--merge needs runs of one n_iter, got {sorted(n_iters)} in {paths}"
        )
    seeds = sorted({run["seed"] for run in runs})
    if seeds != list(range(seeds[0], seeds[0] + len(seeds))):
        # table 1's config, and its header, describe a range of seeds
        raise ValueError(f"--merge needs runs of consecutive seeds, got {seeds}")
    present = {run["tool"] for run in runs}
    config = dataclasses.replace(
        config,
        tools=tuple(tool for tool in SHORT_NAMES.values() if tool in present),
        tasks=tuple(dict.fromkeys(run["task"] for run in runs)),
        n_iter=n_iters.pop(),
        seeds=len(seeds),
        first_seed=seeds[0],
        tables=(1,),
    )
    return runs, config


def run(config):
    """Every table config asks for, by name."""
    tables, runs, overhead = {}, [], []
    with threadpool_limits(limits=1):
        if 1 in config.tables:
            _progress(f"table 1: {len(config.tasks)} tasks x {config.seeds} seeds")
            runs = quality_runs(config)
            tables.update(table_one(runs, config))
        if 2 in config.tables:
            _progress("table 2: overhead against iterations")
            overhead = overhead_runs(config)
            tables["overhead"] = overhead_table(overhead)
            tables["overhead comparison"] = overhead_comparison(overhead)
        if 3 in config.tables:
            _progress("table 3: n_jobs=1 against n_jobs=2")
            tables["parallel"] = parallel_table(config)
        if 4 in config.tables:
            _progress("table 4: worker utilisation")
            tables["utilisation"] = utilisation_table(config)
        if 5 in config.tables:
            _progress("table 5: the asynchronous mode's best CV against batches")
            quality = asynchronous_quality_table(config)
            tables["asynchronous quality"] = quality
            tables["asynchronous quality summary"] = asynchronous_quality_summary(
                quality
            )
    return tables, runs, overhead


TITLES = {
    "quality": "Table 1: quality and overhead, n_jobs=1, means over seeds",
    "summary": "Summary: per tool, over tasks and seeds (rank 1 = best)",
    "evaluations to Random's best": (
        "Evaluations to reach RandomizedSearchCV's final best CV, "
        "fraction of the budget, per seed"
    ),
    "paired": (
        "Ours against each tool, on the same task and seed: how many pairs ours "
        "scored higher, the same, lower (sign test, two-sided, ties left out)"
    ),
    "paired by task": "Ours against each tool, task by task",
    "overhead": (
        "Table 2: overhead and peak memory against the number of candidates, "
        "medians over seeds"
    ),
    "overhead comparison": (
        "Table 2, ours against each tool: overhead ratio (ours / theirs), peak "
        "memory difference, best CV difference on the same seeds"
    ),
    "parallel": "Table 3: our search, n_jobs=1 against n_jobs=2 (ratio = 2 / 1)",
    "utilisation": (
        "Table 4: worker utilisation (fit and score time / (workers x wall)), "
        "ours by number of workers"
    ),
    "asynchronous quality": (
        "Table 5, best CV and test at equal candidates, 2 workers: batches of "
        "n_points='auto' against asynchronous=True"
    ),
    "asynchronous quality summary": (
        "Table 5, asynchronous minus batches, mean over seeds [95% interval]"
    ),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny budgets, 1 seed, 2 tasks"
    )
    parser.add_argument("--seeds", type=int, help="number of seeds (0, 1, ...)")
    parser.add_argument("--n-iter", type=int, help="candidates per search, table 1")
    parser.add_argument(
        "--budgets",
        help="candidates per search of table 2, comma-separated "
        "(default 50,200,500,1000,2000)",
    )
    parser.add_argument(
        "--tables",
        default="1,2,3,4,5",
        help="tables to run, e.g. 1,3 (default 1,2,3,4,5)",
    )
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="first seed of table 1 (default 0): runs of other seeds, made side "
        "by side, are combined with --merge",
    )
    parser.add_argument(
        "--tools",
        help="tools of table 1, comma-separated among "
        + ", ".join(SHORT_NAMES)
        + " (default: all but baseline, and baseline with --baseline)",
    )
    parser.add_argument(
        "--baseline",
        metavar="CHECKOUT",
        help="also run ours as this checkout has it (a git worktree of an earlier "
        "commit, say), in processes of its own, paired with today's in table 1",
    )
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write every row to this JSON file")
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="JSON",
        help="run no search: build table 1 from the runs in these --json files",
    )
    args = parser.parse_args(argv)
    if args.run_one:
        _run_one(args.run_one)
        return None

    global BASELINE_CHECKOUT
    tools = TOOLS
    if args.baseline:
        BASELINE_CHECKOUT = os.path.abspath(args.baseline)
        tools = (OURS, BASELINE, *TOOLS[1:])
    if args.tools:
        unknown = set(args.tools.split(",")) - set(SHORT_NAMES)
        if unknown:
            parser.error(
                f"--tools: unknown {sorted(unknown)}; known {list(SHORT_NAMES)}"
            )
        tools = tuple(SHORT_NAMES[name] for name in args.tools.split(","))
    if BASELINE in tools and not args.baseline and not args.merge:
        parser.error("--tools baseline needs --baseline CHECKOUT")

    config = QUICK if args.quick else FULL
    config = dataclasses.replace(
        config,
        seeds=args.seeds or config.seeds,
        n_iter=args.n_iter or config.n_iter,
        overhead_iterations=(
            tuple(int(n) for n in args.budgets.split(","))
            if args.budgets
            else config.overhead_iterations
        ),
        tables=tuple(int(table) for table in args.tables.split(",")),
        first_seed=args.first_seed,
        tools=tools,
    )
    description = machine()
    start = time.perf_counter()
    if args.merge:
        runs, config = merged_runs(args.merge, config)
        print("table 1 from the runs of " + ", ".join(args.merge))
    print("machine: " + ", ".join(f"{k} {v}" for k, v in description.items()))
    print(
        f"tasks {len(config.tasks)}, seeds {config.seeds} from {config.first_seed}, "
        f"n_iter {config.n_iter}, "
        f"3-fold CV; times in seconds; BLAS/OpenMP limited to 1 thread"
    )
    overhead = []
    if args.merge:
        tables = table_one(runs, config)
    else:
        tables, runs, overhead = run(config)
    for name, table in tables.items():
        _print(TITLES[name], table)
    if "parallel" in tables:
        print(f"\nmedian ratio: {tables['parallel']['ratio'].median():.2f}")
    elapsed = time.perf_counter() - start
    load = machine()["load average 1/5/15 min"]
    print(f"\ntotal time: {elapsed:.0f} s; load average 1/5/15 min at the end {load}")
    if args.json:
        document = {
            "machine": description,
            "load average at the end": load,
            "total time s": elapsed,
            "config": dataclasses.asdict(config),
            "tables": {
                name: table.to_dict("records") for name, table in tables.items()
            },
            "runs": runs,
            "overhead runs": overhead,
        }
        with open(args.json, "w") as file:
            json.dump(_jsonable(document), file, indent=2)
    return tables


if __name__ == "__main__":
    main()
