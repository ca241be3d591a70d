"""The search space BayesSearchCV derives against a hand-written expert space.

For each task, ``BayesSearchCV(estimator)`` (the space ``suggest_space``
gives) and ``BayesSearchCV(estimator, expert_space)`` run with the same
budget, cross-validation splits and seeds; the table gives their mean best
cross-validated scores and the difference, auto minus expert. The aim: within
0.005 of the expert space on every task.

The expert spaces are what a practitioner would write for each estimator on
these data: its few hyperparameters that matter, over the ranges known to
hold the best values.

    python benchmarks/auto_space.py               # 6 tasks, 3 seeds, 30 candidates
    python benchmarks/auto_space.py --seeds 1 --n-iter 10
    python benchmarks/auto_space.py --json out.json
"""

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from _common import machine
from scipy.stats import loguniform, randint, uniform
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_wine,
    make_classification,
)
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV


def _classification(n_samples):
    return lambda: make_classification(
        n_samples=n_samples, n_features=20, n_informative=10, random_state=0
    )


# name: (kind, data, estimator, expert space, scoring)
TASKS = {
    "SVC, breast_cancer": (
        "classification",
        lambda: load_breast_cancer(return_X_y=True),
        lambda seed: make_pipeline(StandardScaler(), SVC()),
        {"svc__C": loguniform(1e-2, 1e3), "svc__gamma": loguniform(1e-5, 1e0)},
        "accuracy",
    ),
    "LogisticRegression, wine": (
        "classification",
        lambda: load_wine(return_X_y=True),
        lambda seed: make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        {"logisticregression__C": loguniform(1e-3, 1e2)},
        "neg_log_loss",
    ),
    "KNeighbors, digits": (
        "classification",
        lambda: load_digits(return_X_y=True),
        lambda seed: KNeighborsClassifier(),
        {
            "n_neighbors": randint(1, 41),
            "weights": ["uniform", "distance"],
            "p": [1, 2],
        },
        "accuracy",
    ),
    "Ridge, diabetes": (
        "regression",
        lambda: load_diabetes(return_X_y=True),
        lambda seed: make_pipeline(StandardScaler(), Ridge()),
        {"ridge__alpha": loguniform(1e-3, 1e3)},
        "r2",
    ),
    "RandomForest, 1000x20": (
        "classification",
        _classification(1000),
        lambda seed: RandomForestClassifier(random_state=seed),
        {
            "n_estimators": randint(50, 301),
            "max_features": uniform(0.1, 0.9),
            "min_samples_leaf": randint(1, 11),
        },
        "accuracy",
    ),
    "HistGradientBoosting, 2000x20": (
        "classification",
        _classification(2000),
        lambda seed: HistGradientBoostingClassifier(
            early_stopping=False, random_state=seed
        ),
        {
            "learning_rate": loguniform(1e-2, 0.5),
            "max_leaf_nodes": randint(4, 65),
            "min_samples_leaf": randint(2, 101),
            "l2_regularization": loguniform(1e-4, 1e1),
        },
        "accuracy",
    ),
}


def run(task_names, seeds, n_iter):
    rows = []
    for name in task_names:
        kind, load, make, expert, scoring = TASKS[name]
        X, y = load()
        for seed in range(seeds):
            splitter = StratifiedKFold if kind == "classification" else KFold
            cv = splitter(3, shuffle=True, random_state=seed)
            scores = {}
            for label, space in (("auto", None), ("expert", expert)):
                search = BayesSearchCV(
                    make(seed),
                    space,
                    n_iter=n_iter,
                    cv=cv,
                    scoring=scoring,
                    random_state=seed,
                )
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    search.fit(X, y)
                scores[label] = search.best_score_
                scores[f"{label} s"] = time.perf_counter() - start
                scores[f"{label} space"] = sorted(search.best_params_)
            rows.append({"task": name, "seed": seed, **scores})
            print(f"  {name} | seed {seed}", flush=True)
    runs = pd.DataFrame(rows)
    table = (
        runs.groupby("task", sort=False)[["auto", "expert", "auto s", "expert s"]]
        .mean()
        .reset_index()
    )
    table["auto - expert"] = table["auto"] - table["expert"]
    table["within 0.005"] = np.where(table["auto - expert"] >= -0.005, "yes", "no")
    return runs, table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--tasks", help="task names separated by ; (default: all)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    names = args.tasks.split(";") if args.tasks else list(TASKS)
    print(f"machine: {machine()}")
    print(f"{args.seeds} seeds, {args.n_iter} candidates, 3-fold CV; mean best CV\n")
    with threadpool_limits(1):
        runs, table = run(names, args.seeds, args.n_iter)
    print(table.to_string(index=False, float_format="{:.4f}".format))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(
                {"machine": machine(), "runs": runs.to_dict("records")},
                file,
                indent=2,
                default=str,
            )
    return table


if __name__ == "__main__":
    main()
