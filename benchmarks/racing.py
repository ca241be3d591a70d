"""Fold-level racing: the fit time it saves and the score it reaches.

On the tasks of ``benchmarks/search.py``, ``BayesSearchCV`` runs with and
without ``racing=True`` (same budget, seeds and 5-fold splits). Per task,
means over seeds:

- ``fits``: the folds fitted (candidates x folds without racing);
- ``fit s``: the time of those fits, from ``cv_results_`` (mean fit time of
  the folds that ran, times the number of folds that ran);
- ``best CV`` and ``test``: the best candidate's cross-validated score and the
  held-out score of ``best_estimator_``;
- ``fit time saved``: 1 - (fit s with racing) / (fit s without).

    python benchmarks/racing.py                 # every task, 3 seeds
    python benchmarks/racing.py --seeds 1 --tasks "SVC, breast_cancer"
    python benchmarks/racing.py --json out.json
"""

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from _common import load_benchmark
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV

SEARCH = load_benchmark("search")
DEFAULT_TASKS = (
    "SVC, breast_cancer",
    "LogisticRegression, wine",
    "KNeighbors, digits",
    "HistGradientBoosting, 3000x20",
    "RandomForest, 1500x20 regression",
)


def run(task_names, seeds, n_iter):
    rows = []
    for name in task_names:
        task = SEARCH.TASKS[name]
        for seed in range(seeds):
            X_train, X_test, y_train, y_test = SEARCH._split(task, seed)
            splitter = StratifiedKFold if task.kind == "classification" else KFold
            for racing in (False, True):
                search = BayesSearchCV(
                    task.make(seed),
                    SEARCH.to_scipy(task.space),
                    n_iter=n_iter,
                    cv=splitter(5, shuffle=True, random_state=seed),
                    scoring=task.scoring,
                    random_state=seed,
                    racing=racing,
                )
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    search.fit(X_train, y_train)
                wall = time.perf_counter() - start
                results = search.cv_results_
                folds = results.get(
                    "n_splits_evaluated", np.full(len(results["params"]), 5)
                )
                rows.append(
                    {
                        "task": name,
                        "seed": seed,
                        "racing": racing,
                        "fits": int(folds.sum()),
                        "fit s": float(np.nansum(results["mean_fit_time"] * folds)),
                        "wall s": wall,
                        "best CV": search.best_score_,
                        "test": get_scorer(task.scoring)(
                            search.best_estimator_, X_test, y_test
                        ),
                    }
                )
            print(f"  {name} | seed {seed}", flush=True)
    runs = pd.DataFrame(rows)
    table = (
        runs.groupby(["task", "racing"], sort=False)[
            ["fits", "fit s", "wall s", "best CV", "test"]
        ]
        .mean()
        .unstack("racing")
    )
    table.columns = [
        f"{measure} {'racing' if racing else 'full'}"
        for measure, racing in table.columns
    ]
    table["fit time saved"] = 1 - table["fit s racing"] / table["fit s full"]
    table["best CV diff"] = table["best CV racing"] - table["best CV full"]
    return runs, table.reset_index()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--tasks", help="task names separated by ; (default: 5)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    names = args.tasks.split(";") if args.tasks else list(DEFAULT_TASKS)
    print(f"machine: {SEARCH.machine()}")
    print(
        f"{args.seeds} seeds, {args.n_iter} candidates, 5-fold CV; means over seeds\n"
    )
    with threadpool_limits(1):
        runs, table = run(names, args.seeds, args.n_iter)
    with pd.option_context("display.width", 250):
        print(table.to_string(index=False, float_format="{:.4f}".format))
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"runs": runs.to_dict("records")}, file, indent=2)
    return table


if __name__ == "__main__":
    main()
