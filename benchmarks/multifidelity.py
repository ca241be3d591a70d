"""Multi-fidelity search against full-fidelity search and HalvingRandomSearchCV.

On tasks whose fits are expensive, three searches run with the same seeds
and 3-fold splits:

- ``full``: ``BayesSearchCV`` with every candidate on the full resource
  (``n_iter`` candidates);
- ``multi-fidelity``: ``HalvingBayesSearchCV(resource=...)``, ``n_iter`` candidates
  started on a small resource, the best promoted up to the full one;
- ``HalvingRandomSearchCV``: scikit-learn's successive halving with random
  candidates, the same number started, on the same rungs (its
  ``min_resources`` is the full resource over ``factor`` to the power of
  the multi-fidelity search's rungs less one, so that its last rung is on
  at least 99% of the full resource).

Per task, means over seeds: the best cross-validated score on the full
resource, the fit time (the sum over every evaluation of its folds' fit
and score times, from ``cv_results_``), and ``fit time / full``. ``reaches
full`` says on how many seeds the search's best score is at least the full
search's best minus 0.002; the aim is to reach it in at most 40% of its fit
time. ``to reach / full`` is the fit time spent, in the order of
evaluation, until the search first held such a score on the full resource
(mean over the seeds that reached it), over the full search's fit time.
A fit's cost depends on the hyperparameters as well as on the resource
(deeper trees, weaker regularisation), so a search that favours costly
candidates spends more than the rungs' resources alone say.

    python benchmarks/multifidelity.py               # 4 tasks, 3 seeds
    python benchmarks/multifidelity.py --seeds 1 --n-iter 9
"""

import argparse
import json
import math
import time
import warnings

import numpy as np
import pandas as pd
from _common import machine
from scipy.stats import loguniform, randint, uniform
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestRegressor,
)
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV, KFold, StratifiedKFold
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV, HalvingBayesSearchCV

TOLERANCE = 0.002
FULL_SLACK = 0.01

# name: (kind, data, estimator, space, resource, min, max)
TASKS = {
    "SVC, 4000x20 (samples)": (
        "classification",
        lambda: make_classification(
            n_samples=4000, n_features=20, n_informative=10, random_state=0
        ),
        lambda seed: SVC(),
        {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-4, 1e0)},
        "n_samples",
        "smallest",
        "auto",
    ),
    "RandomForest, 2000x20 regression (trees)": (
        "regression",
        lambda: make_regression(
            n_samples=2000, n_features=20, n_informative=10, noise=10.0, random_state=0
        ),
        lambda seed: RandomForestRegressor(random_state=seed),
        {
            "max_features": uniform(0.1, 0.9),
            "min_samples_leaf": randint(1, 21),
            "max_depth": randint(3, 25),
        },
        "n_estimators",
        10,
        270,
    ),
    "GradientBoosting, 1500x20 (trees)": (
        "classification",
        lambda: make_classification(
            n_samples=1500, n_features=20, n_informative=10, random_state=0
        ),
        lambda seed: GradientBoostingClassifier(random_state=seed),
        {
            "learning_rate": loguniform(1e-2, 1.0),
            "max_depth": randint(2, 7),
            "subsample": uniform(0.5, 0.5),
            "max_features": uniform(0.2, 0.8),
        },
        "n_estimators",
        10,
        270,
    ),
    "HistGradientBoosting, 3000x20 (iterations)": (
        "classification",
        lambda: make_classification(
            n_samples=3000, n_features=20, n_informative=10, random_state=0
        ),
        lambda seed: HistGradientBoostingClassifier(
            early_stopping=False, random_state=seed
        ),
        {
            "learning_rate": loguniform(1e-2, 0.5),
            "max_leaf_nodes": randint(4, 65),
            "min_samples_leaf": randint(2, 101),
            "l2_regularization": loguniform(1e-4, 1e1),
        },
        "max_iter",
        10,
        270,
    ),
}


def _fit_time(search):
    results = search.cv_results_
    return float(
        np.nansum(results["mean_fit_time"] + results["mean_score_time"])
        * search.n_splits_
    )


def _on_full(results, full):
    """Mask of the evaluations on the full resource.

    HalvingRandomSearchCV multiplies its first resource by ``factor``, so
    its last rung may fall a few samples short of the full resource.
    """
    resources = np.asarray(results["n_resources"])
    return resources >= full * (1 - FULL_SLACK)


def _trace(search, full):
    """Cumulative fit time and score on the full resource, per evaluation."""
    results = search.cv_results_
    cost = (results["mean_fit_time"] + results["mean_score_time"]) * search.n_splits_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    if "n_resources" in results:
        scores = np.where(_on_full(results, full), scores, np.nan)
    return np.nancumsum(cost).tolist(), scores.tolist()


def _full_resource_best(search, full):
    results = search.cv_results_
    if "n_resources" not in results:
        return search.best_score_
    on_full = _on_full(results, full)
    scores = np.asarray(results["mean_test_score"], dtype=float)[on_full]
    return float(np.nanmax(scores)) if on_full.any() else np.nan


def run(task_names, seeds, n_iter, factor=3):
    rows = []
    for name in task_names:
        kind, load, make, space, resource, low, high = TASKS[name]
        X, y = load()
        full_resource = X.shape[0] if high == "auto" else high
        for seed in range(seeds):
            splitter = StratifiedKFold if kind == "classification" else KFold
            cv = splitter(3, shuffle=True, random_state=seed)
            estimator = make(seed)
            if resource != "n_samples":
                estimator.set_params(**{resource: full_resource})
            searches = {
                "full": BayesSearchCV(
                    estimator, space, n_iter=n_iter, cv=cv, random_state=seed
                ),
                "multi-fidelity": HalvingBayesSearchCV(
                    make(seed),
                    space,
                    n_candidates=n_iter,
                    cv=cv,
                    random_state=seed,
                    return_train_score=False,
                    resource=resource,
                    factor=factor,
                    min_resources=low,
                    max_resources=high,
                ),
            }
            for label in ("full", "multi-fidelity", "HalvingRandomSearchCV"):
                if label == "HalvingRandomSearchCV":
                    # on the same rungs as the multi-fidelity search
                    search = HalvingRandomSearchCV(
                        make(seed),
                        space,
                        n_candidates=n_iter,
                        cv=cv,
                        random_state=seed,
                        resource=resource,
                        factor=factor,
                        min_resources=_first_rung(
                            searches["multi-fidelity"], full_resource, factor
                        ),
                        max_resources=full_resource,
                        return_train_score=False,
                    )
                else:
                    search = searches[label]
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    search.fit(X, y)
                rows.append(
                    {
                        "task": name,
                        "seed": seed,
                        "search": label,
                        "best CV": _full_resource_best(search, full_resource),
                        "fit s": _fit_time(search),
                        "wall s": time.perf_counter() - start,
                        "trace": _trace(search, full_resource),
                    }
                )
            print(f"  {name} | seed {seed}", flush=True)
    runs = pd.DataFrame(rows)
    full = runs[runs["search"] == "full"].set_index(["task", "seed"])
    runs["fit time / full"] = [
        row["fit s"] / full.loc[(row["task"], row["seed"]), "fit s"]
        for _, row in runs.iterrows()
    ]
    runs["reaches full"] = [
        row["best CV"] >= full.loc[(row["task"], row["seed"]), "best CV"] - TOLERANCE
        for _, row in runs.iterrows()
    ]
    runs["to reach / full"] = [
        _time_to_reach(
            row["trace"], full.loc[(row["task"], row["seed"]), "best CV"] - TOLERANCE
        )
        / full.loc[(row["task"], row["seed"]), "fit s"]
        for _, row in runs.iterrows()
    ]
    table = (
        runs.groupby(["task", "search"], sort=False)
        .agg(
            best_cv=("best CV", "mean"),
            fit_s=("fit s", "mean"),
            fit_ratio=("fit time / full", "mean"),
            reaches=("reaches full", "sum"),
            to_reach=("to reach / full", "mean"),
            wall_s=("wall s", "mean"),
        )
        .reset_index()
        .rename(
            columns={
                "best_cv": "best CV",
                "fit_s": "fit s",
                "fit_ratio": "fit time / full",
                "reaches": f"reaches full (of {seeds})",
                "to_reach": "to reach / full",
                "wall_s": "wall s",
            }
        )
    )
    return runs, table


def _first_rung(search, full, factor):
    # the first resource from which HalvingRandomSearchCV's rungs, each
    # ``factor`` times the one before, climb to the full resource
    return math.floor(full / factor ** (len(search.n_resources_) - 1))


def _time_to_reach(trace, target):
    cumulative, scores = trace
    reached = [t for t, s in zip(cumulative, scores) if s >= target]
    return reached[0] if reached else np.nan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=27)
    parser.add_argument("--tasks", help="task names separated by ; (default: all)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    names = args.tasks.split(";") if args.tasks else list(TASKS)
    print(f"machine: {machine()}")
    print(f"{args.seeds} seeds, {args.n_iter} candidates, factor 3, 3-fold CV\n")
    with threadpool_limits(1):
        runs, table = run(names, args.seeds, args.n_iter)
    with pd.option_context("display.width", 200):
        print(table.to_string(index=False, float_format="{:.4f}".format))
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"runs": runs.to_dict("records")}, file, indent=2, default=str)
    return table


if __name__ == "__main__":
    main()
