"""Each sklearn_hp estimator side by side with its scikit-learn counterpart.

For every data set and pair of estimators, both are fitted at their default
settings on standardised features (and, for regression, a standardised
target) over several seeds; the table gives the median test score, median fit
and predict times, and the ratios ours / theirs. For k-NN it also says whether
the predictions are identical.

    python benchmarks/estimators.py                 # full run (several minutes)
    python benchmarks/estimators.py --quick         # small smoke run
    python benchmarks/estimators.py --json out.json # also write the rows
"""

import argparse
import json
import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from _common import machine
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    make_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier, SGDRegressor
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from sklearn_hp import (
    GradientDescentClassifier,
    GradientDescentRegressor,
    KNearestNeighborsClassifier,
    NeuralNetworkClassifier,
    NeuralNetworkRegressor,
)


@dataclass
class Pair:
    """One of our estimators and a scikit-learn counterpart."""

    ours: type
    theirs: type
    task: str  # "regression" or "classification"

    def make(self, cls, seed):
        params = cls().get_params()
        return cls(random_state=seed) if "random_state" in params else cls()


PAIRS = [
    Pair(GradientDescentRegressor, SGDRegressor, "regression"),
    Pair(GradientDescentRegressor, Ridge, "regression"),
    Pair(NeuralNetworkRegressor, MLPRegressor, "regression"),
    Pair(GradientDescentClassifier, LogisticRegression, "classification"),
    Pair(GradientDescentClassifier, SGDClassifier, "classification"),
    Pair(NeuralNetworkClassifier, MLPClassifier, "classification"),
    Pair(KNearestNeighborsClassifier, KNeighborsClassifier, "classification"),
]


def datasets(quick):
    """Name -> (task, X, y) for the shipped data sets and a large generated one."""
    n_large = 5_000 if quick else 50_000
    sets = {
        "diabetes": ("regression", *load_diabetes(return_X_y=True)),
        "breast_cancer": ("classification", *load_breast_cancer(return_X_y=True)),
        "digits": ("classification", *load_digits(return_X_y=True)),
        f"regression {n_large}x40": (
            "regression",
            *make_regression(
                n_samples=n_large,
                n_features=40,
                n_informative=20,
                noise=10.0,
                random_state=0,
            ),
        ),
        f"classification {n_large}x40": (
            "classification",
            *make_classification(
                n_samples=n_large,
                n_features=40,
                n_informative=20,
                n_classes=3,
                random_state=0,
            ),
        ),
    }
    return sets


def _split(task, X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=seed,
        stratify=y if task == "classification" else None,
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    if task == "regression":
        mean, std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / std, (y_test - mean) / std
    return X_train, X_test, y_train, y_test


def _run(estimator, X_train, X_test, y_train, y_test):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        estimator.fit(X_train, y_train)
        fit_time = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = estimator.predict(X_test)
    predict_time = time.perf_counter() - start
    return estimator.score(X_test, y_test), fit_time, predict_time, y_pred


def benchmark(repeats, quick):
    rows = []
    for data_name, (task, X, y) in datasets(quick).items():
        for pair in PAIRS:
            if pair.task != task:
                continue
            results = {"ours": [], "theirs": []}
            identical = True
            for seed in range(repeats):
                split = _split(task, X, y, seed)
                ours = _run(pair.make(pair.ours, seed), *split)
                theirs = _run(pair.make(pair.theirs, seed), *split)
                results["ours"].append(ours[:3])
                results["theirs"].append(theirs[:3])
                identical &= bool(np.array_equal(ours[3], theirs[3]))
            ours = np.median(results["ours"], axis=0)
            theirs = np.median(results["theirs"], axis=0)
            rows.append(
                {
                    "data": data_name,
                    "ours": pair.ours.__name__,
                    "theirs": pair.theirs.__name__,
                    "score ours": ours[0],
                    "score theirs": theirs[0],
                    "score diff": ours[0] - theirs[0],
                    "fit s ours": ours[1],
                    "fit s theirs": theirs[1],
                    "fit ratio": ours[1] / theirs[1],
                    "predict ratio": ours[2] / theirs[2],
                    "same predictions": (
                        ("yes" if identical else "no")
                        if pair.ours is KNearestNeighborsClassifier
                        else ""
                    ),
                }
            )
            print(_format(pd.DataFrame(rows[-1:])).to_string(header=len(rows) == 1))
    return pd.DataFrame(rows)


def _format(table):
    table = table.copy()
    for column in ("score ours", "score theirs", "score diff"):
        table[column] = table[column].map(
            "{:+.4f}".format if "diff" in column else "{:.4f}".format
        )
    for column in ("fit s ours", "fit s theirs"):
        table[column] = table[column].map("{:.4f}".format)
    for column in ("fit ratio", "predict ratio"):
        table[column] = table[column].map("{:.2f}".format)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="seeds per row (median)")
    parser.add_argument(
        "--quick", action="store_true", help="small data, for a smoke run"
    )
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    print(f"machine: {machine()}")
    print(f"median of {args.repeats} seeds; times in seconds; ratio = ours / theirs\n")
    table = benchmark(args.repeats, args.quick)
    print("\nsummary")
    print(_format(table).to_string(index=False))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(
                {
                    "machine": machine(),
                    "repeats": args.repeats,
                    "rows": table.to_dict("records"),
                },
                file,
                indent=2,
            )
    return table


if __name__ == "__main__":
    main()
