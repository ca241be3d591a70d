"""Hyperparameter importances against a known truth, and against Optuna's.

``sklearn_hp.hyperparameter_importances`` (a functional ANOVA of a random
forest fitted to a search's scores) on searches whose answer is known, side by
side in one run with Optuna's two evaluators on the same trials. Every search
runs with BLAS and OpenMP limited to one thread, ``n_jobs=1`` and
``refit=False``; ours is computed with ``random_state`` set to the run's seed.

Synthetic truth ("synthetic truth" and "synthetic" tables). An objective on
five hyperparameters: ``learning_rate`` (a real read on a log10 scale),
``max_depth`` (an integer), ``loss`` (three categories), ``l1_ratio`` (a
plain real on [0, 1]) and ``unused`` (a real the objective ignores). The
objective is a sum of one effect per hyperparameter, so each one's true
share of the variance is that of its effect. The shares are computed, not
written in, under the uniform measure on the encoded space (log10 of
``learning_rate``; one unit per category; every integer of a range equally
likely, as each owns a unit cell of the forest's domain): the variance of the
objective over 131,072 points spread uniformly over the space (scrambled
Sobol'), and for each hyperparameter the variance, across 400 values spread
over its range (each category once), of the objective's mean over 2,048
such points of the others. A candidate's score is
the objective plus Gaussian noise of a tenth of its standard deviation (1% of
its variance), drawn from a generator seeded by the candidate's values and
the run's seed, so that a search sees a fixed noisy function. The candidates
come from three searches, each scoring a model that learns nothing and whose
``score`` is that noisy objective, on one split of two rows:

- ``grid``: ``GridSearchCV`` over every category and, for each number,
  values spread from one end of its range to the other (2 each at least:
  the grid may exceed the budget, see ``candidates``), the one with the
  fewest values growing while the grid stays within the budget;
- ``random``: ``RandomizedSearchCV`` (scipy.stats distributions);
- ``Bayesian``: ``sklearn_hp.BayesSearchCV`` (its defaults).

At 30, 100 and 200 candidates and 5 seeds, per search and budget:
``true order`` (share of runs ranking the relevant hyperparameters in their
true order), ``relevant above inert`` (every relevant one above every inert
one), ``inert < 5%`` (every inert one's importance under 0.05), ``max
inert`` (the largest importance of an inert one over the runs), ``share MAE``
(mean absolute error of the importances against the true shares), ``truth
in interval`` (the share of the hyperparameters, over the runs, whose true
share lies between ``importance_low`` and ``importance_high``), the median
width of that interval for the truly most important hyperparameter, and the
median time of ours. The "synthetic truth"
table gives each true share beside the mean importance each search found at
the largest budget.

Real estimators ("real tasks" and "real" tables). Searches of scikit-learn
models on data scikit-learn ships, with hyperparameters that provably do
nothing: ``SVC(kernel="rbf")`` with ``degree`` and ``coef0`` (read by the
poly and sigmoid kernels only) beside ``C`` and ``gamma``;
``HistGradientBoostingClassifier(early_stopping=False, max_iter=50)`` with
``validation_fraction`` and ``n_iter_no_change`` (read by early stopping
only) beside ``learning_rate`` and ``max_leaf_nodes``; a decision tree on
half of the digits with ``max_depth`` from 30 to 100, beyond the depth that
any tree grows on these data (computed, and shown in "real tasks"). The same
three searches at 30 and 100 candidates, 3-fold stratified CV shuffled with
the seed, 5 seeds. Per task, search and budget: the largest importance of an
inert hyperparameter over the runs, the share of runs whose inert ones are
all under 5%, the share whose first-ranked one is relevant, and the one
ranked first most often.

Agreement with Optuna ("optuna" table). On the trials of every search above
(their ``params`` and ``mean_test_score``), an Optuna study is built
(``create_trial`` with the distributions matching the space), and
``optuna.importance.get_param_importances`` computed with
``FanovaImportanceEvaluator(seed=seed)`` and ``PedAnovaImportanceEvaluator()``
(defaults: importance of reaching the top 10% of scores). Optuna normalises
its importances to sum to 1, ours are unnormalised shares, so the rank
correlations (Spearman, over the hyperparameters of the space) are compared:
medians over the runs of each task and search, ours against each and fANOVA
against PED-ANOVA, with the median times to compute each (ours: the whole
call, reading ``cv_results_`` included; Optuna's: ``get_param_importances``
on the built study). Without Optuna (the ``bench`` extra), these columns say
"not installed" and the rest runs.

Stability ("stability" table). Every run's importances computed twice with
the same ``random_state`` (tables, pairs included, the same rows and numbers
within 1e-9: count of runs), and the median interval width of one
hyperparameter at each budget: the truly most important (synthetic), or the
relevant one ranked first most often (real tasks); ``shrinks`` says whether
it is narrower at the largest budget than at the smallest.

Methods ("methods" table). The same runs scored against the truth by each
method: ours by default (the functional ANOVA of a Gaussian process fitted
to the scores), ours with ``method="forest"`` (of a random forest, exactly
from its trees), and Optuna's fANOVA and PED-ANOVA (normalised by Optuna to
sum to one), with each one's median time: per method and search, over every budget
and seed, the synthetic objective's ``true order``, ``relevant above
inert``, ``inert < 5%`` and ``share MAE``, and on the real tasks whether a
relevant hyperparameter ranks first and every inert one is under 5%.

The full run should take about 10 minutes on 2 cores (estimated from its
parts), half of it the gradient boosting searches (~0.14 s per candidate).
``--quick`` runs 1 seed, budgets of 20 and 40 (20 for the real task) and the
SVC task on 150 rows, in well under a minute.

    python benchmarks/importance.py                 # full run (see above)
    python benchmarks/importance.py --quick         # small smoke run
    python benchmarks/importance.py --seeds 10      # more seeds
    python benchmarks/importance.py --json out.json # also write every row
"""

import argparse
import dataclasses
import json
import math
import time
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from _common import load_benchmark
from scipy.stats import qmc, spearmanr
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV, hyperparameter_importances

SEARCH = load_benchmark("search")
real, integer, categorical = SEARCH.real, SEARCH.integer, SEARCH.categorical
SEARCHES = ("grid", "random", "Bayesian")
EVALUATORS = ("fANOVA", "PED-ANOVA")
NOT_INSTALLED = "not installed"
# an importance under this is "inert enough"
INERT_LIMIT = 0.05

# -- the synthetic objective: an additive function with known shares ----------

SYNTHETIC_SPACE = {
    "learning_rate": real(1e-4, 1.0, log=True),
    "max_depth": integer(1, 10),
    "loss": categorical("squared_error", "absolute_error", "huber"),
    "l1_ratio": real(0.0, 1.0),
    "unused": real(0.0, 1.0),
}
LOSS_EFFECT = {"squared_error": 0.0, "absolute_error": 0.8, "huber": 0.3}
EFFECTS = {
    "learning_rate": lambda value: -0.3 * (np.log10(value) + 1.5) ** 2,
    "max_depth": lambda value: 1.5 * (1 - np.exp(-(value - 1) / 3)),
    "loss": np.vectorize(LOSS_EFFECT.get, otypes=[float]),
    "l1_ratio": lambda value: 1.0 * value,
    "unused": lambda value: np.zeros(np.shape(value)),
}
# the noise's standard deviation, as a fraction of the objective's
NOISE = 0.1


def synthetic_objective(values):
    """The objective of hyperparameter values (numbers or arrays of them)."""
    return sum(EFFECTS[name](np.asarray(values[name])) for name in EFFECTS)


def _candidate_noise(values, seed):
    """A standard normal draw that only the values and the seed decide."""
    key = zlib.crc32(repr([(name, str(values[name])) for name in values]).encode())
    return np.random.default_rng([seed, key]).standard_normal()


class SyntheticModel(RegressorMixin, BaseEstimator):
    """A model that learns nothing, scored by the noisy synthetic objective."""

    def __init__(
        self,
        learning_rate=0.1,
        max_depth=3,
        loss="squared_error",
        l1_ratio=0.5,
        unused=0.5,
        noise=0.0,
        random_state=0,
    ):
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.loss = loss
        self.l1_ratio = l1_ratio
        self.unused = unused
        self.noise = noise
        self.random_state = random_state

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None, sample_weight=None):
        values = {name: getattr(self, name) for name in SYNTHETIC_SPACE}
        noise = self.noise * _candidate_noise(values, self.random_state)
        return float(synthetic_objective(values)) + noise


# -- the truth -----------------------------------------------------------------


def _from_unit(dimension, unit):
    """Values at points of [0, 1) mapped uniformly onto a dimension's encoded range."""
    if dimension.kind == "categorical":
        choices = np.array(dimension.choices, dtype=object)
        return choices[np.minimum(len(choices) - 1, (unit * len(choices)).astype(int))]
    if dimension.log:
        low, high = np.log10(dimension.low), np.log10(dimension.high)
        return 10 ** (low + unit * (high - low))
    if dimension.kind == "integer":
        # every integer of the range equally likely, as in the forest's domain
        steps = np.floor(unit * (dimension.high - dimension.low + 1))
        return dimension.low + np.minimum(steps, dimension.high - dimension.low)
    return dimension.low + unit * (dimension.high - dimension.low)


def _uniform_points(space, log2_n):
    """2**log2_n points spread uniformly over the space (scrambled Sobol')."""
    unit = qmc.Sobol(len(space), seed=0).random_base2(log2_n)
    return {
        name: _from_unit(dimension, unit[:, column])
        for column, (name, dimension) in enumerate(space.items())
    }


def true_shares(objective, space, *, log2_draws=17, log2_others=11, n_points=400):
    """Each hyperparameter's share of the objective's variance over the space.

    The variance, across ``n_points`` values at the centres of equal cells of
    its range (each category once), of the mean of the objective over
    ``2**log2_others`` points of the others (its main effect), divided by the
    objective's variance over ``2**log2_draws`` points of the space. Also
    returns that variance.
    """
    total = float(np.var(objective(_uniform_points(space, log2_draws))))
    others = _uniform_points(space, log2_others)
    cells = (np.arange(n_points) + 0.5) / n_points
    shares = {}
    for name, dimension in space.items():
        values = (
            dimension.choices
            if dimension.kind == "categorical"
            else _from_unit(dimension, cells)
        )
        means = [
            objective({**others, name: np.full(len(others[name]), value)}).mean()
            for value in values
        ]
        shares[name] = float(np.var(means)) / total
    return shares, total


def _ranked(shares):
    return sorted(shares, key=shares.get, reverse=True)


def _inert(shares):
    return [name for name, share in shares.items() if share < 1e-9]


# -- searches ------------------------------------------------------------------


def endpoint_grid(space, budget):
    """A grid over the whole space: every category, numbers end to end.

    Unlike ``search.py``'s grid (centres of cells, the first categories),
    it spans every range, so that it searches the space the truth is about.
    Every number gets 2 values at least; the one with the fewest grows while
    the grid stays within the budget.
    """
    counts = {
        name: len(dim.choices) if dim.kind == "categorical" else 2
        for name, dim in space.items()
    }
    while True:
        total = math.prod(counts.values())
        growable = [
            name
            for name, dim in space.items()
            if dim.kind != "categorical"
            and counts[name] < dim.n_values()
            and total // counts[name] * (counts[name] + 1) <= budget
        ]
        if not growable:
            break
        counts[min(growable, key=counts.get)] += 1
    return {name: _end_to_end(space[name], count) for name, count in counts.items()}


def _end_to_end(dimension, count):
    if dimension.kind == "categorical":
        return list(dimension.choices)
    if dimension.kind == "integer":
        values = np.rint(np.linspace(dimension.low, dimension.high, count))
        return sorted({int(value) for value in values})
    if dimension.log:
        return np.geomspace(dimension.low, dimension.high, count).tolist()
    return np.linspace(dimension.low, dimension.high, count).tolist()


def build_search(kind, estimator, space, budget, *, cv, seed):
    common = dict(cv=cv, refit=False, n_jobs=1)
    if kind == "grid":
        return GridSearchCV(estimator, endpoint_grid(space, budget), **common)
    distributions = SEARCH.to_scipy(space)
    if kind == "random":
        return RandomizedSearchCV(
            estimator, distributions, n_iter=budget, random_state=seed, **common
        )
    return BayesSearchCV(
        estimator, distributions, n_iter=budget, random_state=seed, **common
    )


def fit_search(search, X, y):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    return time.perf_counter() - start


# -- measuring a fitted search ---------------------------------------------------


def ours(search, seed):
    """Our importances of a fitted search, their time, and whether they come
    out the same (pairs included) when computed again with the same seed.
    """
    start = time.perf_counter()
    table = hyperparameter_importances(search, random_state=seed)
    seconds = time.perf_counter() - start
    again = hyperparameter_importances(search, random_state=seed)
    same = _same_table(table, again) and _same_table(
        table.attrs["pairs"], again.attrs["pairs"]
    )
    return table, seconds, bool(same)


def _same_table(first, second):
    """Whether two importance tables agree: the same rows, numbers to 1e-9.

    Not bit for bit: BLAS may round differently from one call to the next
    (its kernels depend on how the arrays are aligned in memory), and the
    Gaussian process' kernel is fitted by an optimiser that carries such
    differences along.
    """
    if list(first.columns) != list(second.columns) or len(first) != len(second):
        return False
    for column in first.columns:
        a, b = first[column].to_numpy(), second[column].to_numpy()
        if a.dtype.kind == "f":
            if not np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True):
                return False
        elif list(a) != list(b):
            return False
    return True


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def optuna_study(results, space):
    """An Optuna study of a search's trials: params, distributions, scores."""
    import optuna

    distributions = SEARCH.to_optuna(space)
    study = optuna.create_study(direction="maximize")
    for params, score in zip(results["params"], results["mean_test_score"]):
        if not np.isfinite(score):
            continue
        study.add_trial(
            optuna.trial.create_trial(
                params={name: _plain(value) for name, value in params.items()},
                distributions={name: distributions[name] for name in params},
                value=float(score),
            )
        )
    return study


def theirs(search, space, seed):
    """Optuna's importances of a search's trials, by evaluator, and their times.

    None for each when Optuna is not installed.
    """
    with SEARCH.quiet(SEARCH.OPTUNA):
        try:
            import optuna
        except ImportError:
            return dict.fromkeys(EVALUATORS), dict.fromkeys(EVALUATORS)
        from optuna.importance import (
            FanovaImportanceEvaluator,
            PedAnovaImportanceEvaluator,
        )

        study = optuna_study(search.cv_results_, space)
        evaluators = {
            "fANOVA": FanovaImportanceEvaluator(seed=seed),
            "PED-ANOVA": PedAnovaImportanceEvaluator(),
        }
        importances, seconds = {}, {}
        for name, evaluator in evaluators.items():
            start = time.perf_counter()
            found = optuna.importance.get_param_importances(study, evaluator=evaluator)
            seconds[name] = time.perf_counter() - start
            importances[name] = {key: float(value) for key, value in found.items()}
    return importances, seconds


def measure(search, space, seed, row):
    """A run's row: the search's, ours and Optuna's importances, the times."""
    table, seconds, same = ours(search, seed)
    start = time.perf_counter()
    forest = hyperparameter_importances(search, method="forest", random_state=seed)
    forest_seconds = time.perf_counter() - start
    optuna_importances, optuna_seconds = theirs(search, space, seed)
    return {
        **row,
        "candidates": len(search.cv_results_["params"]),
        "ours s": seconds,
        "same twice": same,
        "importance": dict(zip(table["hyperparameter"], table["importance"])),
        "low": dict(zip(table["hyperparameter"], table["importance_low"])),
        "high": dict(zip(table["hyperparameter"], table["importance_high"])),
        "width": dict(
            zip(
                table["hyperparameter"],
                table["importance_high"] - table["importance_low"],
            )
        ),
        "forest": dict(zip(forest["hyperparameter"], forest["importance"])),
        "forest s": forest_seconds,
        "optuna": optuna_importances,
        "optuna s": optuna_seconds,
    }


# -- runs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    seeds: int
    budgets: tuple  # synthetic searches
    real_budgets: tuple
    real_tasks: tuple  # names in REAL_TASKS
    real_samples: int | None = None  # rows of each real task's data at most


FULL = Config(
    seeds=5,
    budgets=(30, 100, 200),
    real_budgets=(30, 100),
    real_tasks=(
        "SVC rbf, breast_cancer",
        "HistGradientBoosting, breast_cancer",
        "DecisionTree, digits",
    ),
)
QUICK = Config(
    seeds=1,
    budgets=(20, 40),
    real_budgets=(20,),
    real_tasks=("SVC rbf, breast_cancer",),
    real_samples=150,
)

# one split of two rows: the synthetic model's score needs no data
SYNTHETIC_X, SYNTHETIC_Y = np.zeros((2, 1)), np.zeros(2)
ONE_SPLIT = [(np.array([0]), np.array([1]))]


def synthetic_runs(config, noise):
    runs = []
    for kind in SEARCHES:
        for budget in config.budgets:
            for seed in range(config.seeds):
                estimator = SyntheticModel(noise=noise, random_state=seed)
                search = build_search(
                    kind, estimator, SYNTHETIC_SPACE, budget, cv=ONE_SPLIT, seed=seed
                )
                wall = fit_search(search, SYNTHETIC_X, SYNTHETIC_Y)
                row = {
                    "task": "synthetic",
                    "search": kind,
                    "budget": budget,
                    "seed": seed,
                    "search s": wall,
                }
                runs.append(measure(search, SYNTHETIC_SPACE, seed, row))
            SEARCH._progress(f"  synthetic | {kind} | {budget} | {config.seeds} seeds")
    return runs


@dataclass(frozen=True)
class KnownTask:
    """A real estimator's search whose inert hyperparameters are known."""

    load: object  # () -> (X, y)
    make: object  # seed -> estimator
    space: dict
    inert: tuple  # names in space
    why_inert: object  # (X, y) -> why they do nothing, in words
    n_samples: int | None = None  # rows kept, evenly spaced


def _deepest_tree(X, y):
    """The depth of the deepest fully grown tree on these data, over a few fits."""
    return max(
        DecisionTreeClassifier(max_features=max_features, random_state=seed)
        .fit(X, y)
        .get_depth()
        for max_features in (0.1, 0.5, 1.0)
        for seed in range(5)
    )


REAL_TASKS = {
    "SVC rbf, breast_cancer": KnownTask(
        lambda: load_breast_cancer(return_X_y=True),
        lambda seed: make_pipeline(StandardScaler(), SVC(kernel="rbf")),
        {
            "svc__C": real(1e-2, 1e3, log=True),
            "svc__gamma": real(1e-5, 1.0, log=True),
            "svc__degree": integer(2, 5),
            "svc__coef0": real(0.0, 1.0),
        },
        ("svc__degree", "svc__coef0"),
        lambda X, y: "degree: poly kernel only; coef0: poly and sigmoid only",
    ),
    "HistGradientBoosting, breast_cancer": KnownTask(
        lambda: load_breast_cancer(return_X_y=True),
        lambda seed: HistGradientBoostingClassifier(
            early_stopping=False, max_iter=50, random_state=seed
        ),
        {
            "learning_rate": real(1e-3, 1.0, log=True),
            "max_leaf_nodes": integer(2, 64),
            "validation_fraction": real(0.05, 0.5),
            "n_iter_no_change": integer(2, 30),
        },
        ("validation_fraction", "n_iter_no_change"),
        lambda X, y: "read by early stopping only, and early_stopping=False",
    ),
    "DecisionTree, digits": KnownTask(
        lambda: load_digits(return_X_y=True),
        lambda seed: DecisionTreeClassifier(random_state=seed),
        {
            "min_samples_leaf": integer(1, 50),
            "max_features": real(0.1, 1.0),
            "criterion": categorical("gini", "entropy"),
            "max_depth": integer(30, 100),
        },
        ("max_depth",),
        lambda X, y: (
            f"max_depth >= 30; trees fully grown on all {len(y)} rows stop at "
            f"depth {_deepest_tree(X, y)} or less"
        ),
        n_samples=900,
    ),
}


def _data(task, config):
    X, y = task.load()
    limits = [n for n in (task.n_samples, config.real_samples) if n is not None]
    if limits:
        step = math.ceil(len(y) / min(limits))
        X, y = X[::step], y[::step]
    return X, y


def real_runs(config):
    runs = []
    for name in config.real_tasks:
        task = REAL_TASKS[name]
        X, y = _data(task, config)
        for kind in SEARCHES:
            for budget in config.real_budgets:
                for seed in range(config.seeds):
                    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
                    search = build_search(
                        kind, task.make(seed), task.space, budget, cv=cv, seed=seed
                    )
                    wall = fit_search(search, X, y)
                    row = {
                        "task": name,
                        "search": kind,
                        "budget": budget,
                        "seed": seed,
                        "search s": wall,
                    }
                    runs.append(measure(search, task.space, seed, row))
                SEARCH._progress(f"  {name} | {kind} | {budget} | {config.seeds} seeds")
    return runs


# -- tables --------------------------------------------------------------------


def truth_table(truth, runs):
    """Each true share, and the mean importance each search found for it at
    the largest budget.
    """
    frame = pd.DataFrame(runs)
    largest = frame[frame["budget"] == frame["budget"].max()]
    rows = []
    for name in _ranked(truth):
        row = {"hyperparameter": name, "true share": truth[name]}
        for kind, group in largest.groupby("search", sort=False):
            row[f"{kind} @{largest['budget'].iloc[0]}"] = np.mean(
                [importance.get(name, 0.0) for importance in group["importance"]]
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _synthetic_scores(run, truth):
    """How one run's importances compare with the truth."""
    found = {name: run["importance"].get(name, 0.0) for name in truth}
    low = {name: run["low"].get(name, 0.0) for name in truth}
    high = {name: run["high"].get(name, 0.0) for name in truth}
    inert = _inert(truth)
    relevant = [name for name in _ranked(truth) if name not in inert]
    max_inert = max(found[name] for name in inert)
    return {
        "true order": sorted(relevant, key=found.get, reverse=True) == relevant,
        "relevant above inert": min(found[name] for name in relevant) > max_inert,
        "inert < 5%": max_inert < INERT_LIMIT,
        "max inert": max_inert,
        "share MAE": float(np.mean([abs(found[n] - truth[n]) for n in truth])),
        "truth in interval": float(
            np.mean([low[n] - 1e-9 <= truth[n] <= high[n] + 1e-9 for n in truth])
        ),
    }


def synthetic_table(runs, truth):
    top = _ranked(truth)[0]
    rows = []
    for (kind, budget), group in pd.DataFrame(runs).groupby(
        ["search", "budget"], sort=False
    ):
        scores = pd.DataFrame(
            [_synthetic_scores(run, truth) for run in group.to_dict("records")]
        )
        rows.append(
            {
                "search": kind,
                "budget": budget,
                "runs": len(group),
                "candidates": int(group["candidates"].median()),
                "true order": scores["true order"].mean(),
                "relevant above inert": scores["relevant above inert"].mean(),
                "inert < 5%": scores["inert < 5%"].mean(),
                "max inert": scores["max inert"].max(),
                "share MAE": scores["share MAE"].mean(),
                "truth in interval": scores["truth in interval"].mean(),
                f"width {top}": group["width"].map(lambda w: w.get(top, 0.0)).median(),
                "ours s": group["ours s"].median(),
            }
        )
    return pd.DataFrame(rows)


def real_tasks_table(config):
    rows = []
    for name in config.real_tasks:
        task = REAL_TASKS[name]
        X, y = _data(task, config)
        rows.append(
            {
                "task": name,
                "rows": len(y),
                "relevant": ", ".join(n for n in task.space if n not in task.inert),
                "inert": ", ".join(task.inert),
                "why inert": task.why_inert(X, y),
            }
        )
    return pd.DataFrame(rows)


def _first(importance):
    return max(importance, key=importance.get)


def real_table(runs):
    rows = []
    for (name, kind, budget), group in pd.DataFrame(runs).groupby(
        ["task", "search", "budget"], sort=False
    ):
        inert = REAL_TASKS[name].inert
        max_inert = group["importance"].map(
            lambda importance, inert=inert: max(importance.get(n, 0.0) for n in inert)
        )
        firsts = group["importance"].map(_first)
        rows.append(
            {
                "task": name,
                "search": kind,
                "budget": budget,
                "runs": len(group),
                "candidates": int(group["candidates"].median()),
                "max inert": max_inert.max(),
                "inert < 5%": (max_inert < INERT_LIMIT).mean(),
                "relevant first": (~firsts.isin(inert)).mean(),
                "most often first": Counter(firsts).most_common(1)[0][0],
                "search s": group["search s"].mean(),
            }
        )
    return pd.DataFrame(rows)


def _rank_correlation(first, second):
    """Spearman's correlation over the hyperparameters of ``first``."""
    names = list(first)
    with warnings.catch_warnings():
        # constant importances (all zero) have no rank correlation: NaN
        warnings.simplefilter("ignore")
        return spearmanr(
            [first[name] for name in names],
            [second.get(name, 0.0) for name in names],
        ).statistic


def _space(task):
    return SYNTHETIC_SPACE if task == "synthetic" else REAL_TASKS[task].space


def optuna_table(runs):
    rows = []
    for (name, kind), group in pd.DataFrame(runs).groupby(
        ["task", "search"], sort=False
    ):
        space = _space(name)
        # ours lists tuned hyperparameters only: the rest are 0, as in Optuna
        ours = [
            {n: importance.get(n, 0.0) for n in space}
            for importance in group["importance"]
        ]
        theirs = list(group["optuna"])
        row = {"task": name, "search": kind, "runs": len(group)}
        installed = all(importances["fANOVA"] is not None for importances in theirs)
        pairs = {
            "ours ~ fANOVA": lambda a, b: (a, b["fANOVA"]),
            "ours ~ PED-ANOVA": lambda a, b: (a, b["PED-ANOVA"]),
            "fANOVA ~ PED-ANOVA": lambda a, b: (b["fANOVA"], b["PED-ANOVA"]),
        }
        for column, pick in pairs.items():
            row[f"rho {column}"] = (
                float(
                    np.nanmedian(
                        [_rank_correlation(*pick(a, b)) for a, b in zip(ours, theirs)]
                    )
                )
                if installed
                else NOT_INSTALLED
            )
        row["ours s"] = group["ours s"].median()
        for evaluator in EVALUATORS:
            row[f"{evaluator} s"] = (
                float(np.median([s[evaluator] for s in group["optuna s"]]))
                if installed
                else NOT_INSTALLED
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _by_method(run, names):
    """A run's importances by method, each over ``names`` (0 where absent).

    Ours by its default method (a Gaussian process), ours with
    ``method="forest"``, and Optuna's evaluators when installed.
    """
    methods = {
        "ours, GP": {n: run["importance"].get(n, 0.0) for n in names},
        "ours, forest": {n: run["forest"].get(n, 0.0) for n in names},
    }
    for evaluator in EVALUATORS:
        found = run["optuna"][evaluator]
        if found is not None:
            methods[f"Optuna {evaluator}"] = {n: found.get(n, 0.0) for n in names}
    return methods


def _seconds(run, method):
    """The time a run's importances took by one method."""
    if method == "ours, GP":
        return run["ours s"]
    if method == "ours, forest":
        return run["forest s"]
    return run["optuna s"][method.removeprefix("Optuna ")]


def methods_table(synthetic, estimators, truth):
    """Each method against the known truth, on the same searches.

    Per method and search, over every budget and seed: the synthetic
    objective's ``true order``, ``relevant above inert``, ``inert < 5%`` and
    ``share MAE``; the real tasks' ``relevant above inert`` and ``inert <
    5%``.
    """
    inert = _inert(truth)
    relevant = [n for n in _ranked(truth) if n not in inert]
    scores = {}
    for run in synthetic:
        for method, found in _by_method(run, list(truth)).items():
            max_inert = max(found[n] for n in inert)
            scores.setdefault((method, run["search"]), []).append(
                {
                    "synthetic: true order": sorted(
                        relevant, key=found.get, reverse=True
                    )
                    == relevant,
                    "synthetic: relevant above inert": min(found[n] for n in relevant)
                    > max_inert,
                    "synthetic: inert < 5%": max_inert < INERT_LIMIT,
                    "synthetic: share MAE": float(
                        np.mean([abs(found[n] - truth[n]) for n in truth])
                    ),
                }
            )
    for run in estimators:
        task = REAL_TASKS[run["task"]]
        names = list(task.space)
        for method, found in _by_method(run, names).items():
            max_inert = max(found[n] for n in task.inert)
            useful = [n for n in names if n not in task.inert]
            scores.setdefault((method, run["search"]), []).append(
                {
                    "real: relevant first": max(useful, key=found.get)
                    == max(names, key=found.get),
                    "real: inert < 5%": max_inert < INERT_LIMIT,
                }
            )
    seconds = {}
    for run in synthetic + estimators:
        names = list(truth) if run["task"] == "synthetic" else []
        for method in _by_method(run, names):
            seconds.setdefault((method, run["search"]), []).append(
                _seconds(run, method)
            )
    rows = []
    for (method, kind), measures in scores.items():
        frame = pd.DataFrame(measures)
        rows.append(
            {
                "method": method,
                "search": kind,
                **frame.mean(numeric_only=False),
                "median s": float(np.median(seconds[(method, kind)])),
            }
        )
    return pd.DataFrame(rows)


def _reference(name, group, truth):
    """The hyperparameter whose interval is followed across budgets."""
    if name == "synthetic":
        return _ranked(truth)[0]
    inert = REAL_TASKS[name].inert
    firsts = [f for f in group["importance"].map(_first) if f not in inert]
    return Counter(firsts).most_common(1)[0][0] if firsts else None


def _width(group, reference):
    """The median width of a hyperparameter's interval over a group's runs."""
    if not len(group) or reference is None:
        return np.nan
    return group["width"].map(lambda width: width.get(reference, 0.0)).median()


def stability_table(runs, truth):
    frame = pd.DataFrame(runs)
    budgets = sorted(frame["budget"].unique())
    rows = []
    for (name, kind), group in frame.groupby(["task", "search"], sort=False):
        reference = _reference(name, group, truth)
        row = {
            "task": name,
            "search": kind,
            "same twice": f"{int(group['same twice'].sum())}/{len(group)}",
            "width of": reference or "(a relevant one never ranked first)",
        }
        widths = []
        for budget in budgets:
            width = _width(group[group["budget"] == budget], reference)
            row[f"width @{budget}"] = width
            if not np.isnan(width):
                widths.append(width)
        row["shrinks"] = (
            "n/a" if len(widths) < 2 else "yes" if widths[-1] < widths[0] else "no"
        )
        rows.append(row)
    return pd.DataFrame(rows)


# -- output --------------------------------------------------------------------

TITLES = {
    "synthetic truth": (
        "Synthetic: true shares (computed) and the mean importance found at the "
        "largest budget"
    ),
    "synthetic": (
        "Table 1, synthetic ground truth: share of runs ranking right, inert "
        "under 5%, error of the shares, interval width of the top one"
    ),
    "real tasks": "Real estimators: the hyperparameters that provably do nothing",
    "real": (
        "Table 2, real estimators: inert hyperparameters' importance, "
        "whether a relevant one ranks first (3-fold CV)"
    ),
    "optuna": (
        "Table 3, agreement with optuna.importance on the same trials: median "
        "Spearman rho, median seconds to compute"
    ),
    "stability": (
        "Table 4, stability: the same answer twice for a fixed random_state; "
        "median interval width as candidates grow"
    ),
    "methods": (
        "Table 5, each method against the truth on the same searches (every "
        "budget and seed): share of runs right, mean error of the shares"
    ),
}


def _print(title, table):
    print(f"\n{title}")
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print(table.to_string(index=False, float_format="{:.3f}".format))


def run(config):
    """Every table, by name, and the runs they come from."""
    truth, variance = true_shares(synthetic_objective, SYNTHETIC_SPACE)
    noise = NOISE * math.sqrt(variance)
    with threadpool_limits(limits=1):
        SEARCH._progress("synthetic objective")
        synthetic = synthetic_runs(config, noise)
        SEARCH._progress("real estimators")
        estimators = real_runs(config)
    runs = synthetic + estimators
    tables = {
        "synthetic truth": truth_table(truth, synthetic),
        "synthetic": synthetic_table(synthetic, truth),
        "real tasks": real_tasks_table(config),
        "real": real_table(estimators),
        "optuna": optuna_table(runs),
        "methods": methods_table(synthetic, estimators, truth),
        "stability": stability_table(runs, truth),
    }
    return tables, runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny budgets, 1 seed, 1 real task"
    )
    parser.add_argument("--seeds", type=int, help="number of seeds (default 5)")
    parser.add_argument("--json", help="also write every table and run to this file")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    config = dataclasses.replace(config, seeds=args.seeds or config.seeds)
    description = SEARCH.machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in description.items()))
    print(
        f"seeds {config.seeds}, synthetic budgets {config.budgets}, real budgets "
        f"{config.real_budgets}; times in seconds; BLAS/OpenMP limited to 1 thread"
    )
    start = time.perf_counter()
    tables, runs = run(config)
    for name, table in tables.items():
        _print(TITLES[name], table)
    elapsed = time.perf_counter() - start
    print(f"\ntotal time: {elapsed:.0f} s")
    if args.json:
        document = {
            "machine": description,
            "total time s": elapsed,
            "config": dataclasses.asdict(config),
            "tables": {
                name: table.to_dict("records") for name, table in tables.items()
            },
            "runs": runs,
        }
        with open(args.json, "w") as file:
            json.dump(SEARCH._jsonable(document), file, indent=2)
    return tables


if __name__ == "__main__":
    main()
