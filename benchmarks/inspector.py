"""ParamInspector side by side with scikit-learn's own HTML view of an estimator.

Times, on the same fitted objects and in one run, scikit-learn's
``estimator_html_repr`` (its notebook view, which in 1.9 also lists fitted
attributes) against the inspector's HTML view and its two tables. The
inspector does more: it walks into every fitted sub-estimator (each of a
forest's trees) and counts their learned values.

    python benchmarks/inspector.py [--repeats 7] [--json out.json]
"""

import argparse
import json
import statistics
import time
import warnings

import pandas as pd
from _common import machine
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_selection import SelectKBest, VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    PolynomialFeatures,
    QuantileTransformer,
    StandardScaler,
)
from sklearn.utils import estimator_html_repr

from sklearn_hp import ParamInspector


def estimators():
    """The fitted objects inspected: a 500-tree forest and a 10-step pipeline."""
    X, y = make_classification(n_samples=2000, n_features=20, random_state=0)
    forest = RandomForestClassifier(n_estimators=500, n_jobs=-1, random_state=0)
    pipeline = make_pipeline(
        SimpleImputer(),
        VarianceThreshold(),
        StandardScaler(),
        QuantileTransformer(n_quantiles=100),
        MinMaxScaler(),
        PolynomialFeatures(degree=2),
        SelectKBest(k=50),
        PCA(n_components=20),
        Nystroem(n_components=50, random_state=0),
        LogisticRegression(max_iter=500),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "RandomForestClassifier, 500 trees": forest.fit(X, y),
            "Pipeline, 10 steps": pipeline.fit(X, y),
        }


def _median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def benchmark(repeats):
    rows = []
    for name, estimator in estimators().items():
        theirs = _median_time(lambda e=estimator: estimator_html_repr(e), repeats)
        timings = {
            "ParamInspector._repr_html_": lambda e=estimator: ParamInspector(
                e
            )._repr_html_(),
            "ParamInspector tables": lambda e=estimator: (
                ParamInspector(e).hyperparameters(),
                ParamInspector(e).fitted_parameters(),
            ),
            "ParamInspector.n_learned": lambda e=estimator: ParamInspector(
                e
            ).n_learned(),
        }
        inspector = ParamInspector(estimator)
        for what, function in timings.items():
            ours = _median_time(function, repeats)
            rows.append(
                {
                    "estimator": name,
                    "ours": what,
                    "ours s": ours,
                    "estimator_html_repr s": theirs,
                    "ratio": ours / theirs,
                    "fitted rows": len(inspector.fitted_parameters()),
                    "learned values": inspector.n_learned(),
                }
            )
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timings per row")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"median of {args.repeats} runs; ratio = ours / scikit-learn's\n")
    table = benchmark(args.repeats)
    with pd.option_context(
        "display.width", 200, "display.float_format", "{:.4f}".format
    ):
        print(table.to_string(index=False))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(
                {"machine": machine(), "rows": table.to_dict("records")}, file, indent=2
            )
    return table


if __name__ == "__main__":
    main()
