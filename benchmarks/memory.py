"""Memory of long searches: what a BayesSearchCV of up to 1,000 candidates keeps.

A ridge regression on the diabetes data (fits of a millisecond) is tuned over
a continuous, an integer and a categorical hyperparameter, with 250, 500 and
1,000 candidates. Python's ``tracemalloc`` (which numpy's allocations report
to) measures, above what was allocated before the search was built:

- ``peak MB``: the most memory in use at any time during ``fit``;
- ``retained MB``: what is still in use after ``fit`` and a garbage
  collection, that is, what the fitted search holds;
- ``cv_results_ MB``, ``record MB``: what deleting ``cv_results_``, then
  the optimizer's compact record (the points in columns, the values told),
  frees;
- ``rest MB``: what the search still holds without them (the fitted best
  estimator, the scorer, the optimizer's space and unfitted surrogate,
  caches of the libraries);
- ``record B/cand``: the bytes per candidate of the record's columns (the
  rest of the record is its space, random state and unfitted surrogate,
  which do not grow);
- ``optimizer_results_ MB``: what reading ``optimizer_results_`` adds (it is
  built from the record when first read: scikit-optimize's lists of points
  and the surrogate refitted), then freed before the other measurements;
- ``rest pickled KB``: the size of the pickled search without them, what
  the search object itself still refers to;
- ``RandomizedSearchCV retained MB``: what a fitted ``RandomizedSearchCV`` of
  as many candidates (same pipeline, space, splits) holds, measured the same
  way: its ``cv_results_``, best estimator and scorer, the baseline any
  scikit-learn search keeps; ``beyond it MB``: what ours holds more.

The claim checked: a search's memory does not grow with the number of
candidates beyond ``cv_results_``, up to a few bytes per candidate and
hyperparameter: ``record B/cand`` is 8 bytes per number (the told value
included) and 1 per category, ``rest pickled KB`` stays the same from 250 to
1,000 candidates, and ``beyond it MB`` (over what ``RandomizedSearchCV``
keeps) is the record and a fixed part. ``rest MB`` grows by some tens of
kilobytes, sublinearly: allocations of the libraries' caches, which the search
does not refer to. The surrogate's state (a Gaussian process's Cholesky
factor and inverse, quadratic in the candidates) lives only during ``fit``,
and only the newest surrogate is kept.

    python benchmarks/memory.py                 # 250, 500 and 1000 candidates
    python benchmarks/memory.py --n-iter 100    # one size
    python benchmarks/memory.py --json out.json # also write the rows
"""

import argparse
import gc
import json
import pickle
import time
import tracemalloc
import warnings

import pandas as pd
from _common import machine
from scipy.stats import loguniform
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV

MB = 1024**2


def _in_use(baseline):
    """Memory in use above ``baseline`` after a garbage collection, in bytes."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - baseline


SPACE = {
    "ridge__alpha": loguniform(1e-3, 1e3),
    "polynomialfeatures__degree": [1, 2],
    "ridge__solver": ["auto", "svd", "cholesky", "lsqr"],
}


def _search(search_class, n_iter, seed):
    return search_class(
        make_pipeline(PolynomialFeatures(), StandardScaler(), Ridge()),
        SPACE,
        n_iter=n_iter,
        cv=3,
        random_state=seed,
    )


def _retained_by_random_search(n_iter, seed):
    """What a fitted RandomizedSearchCV of as many candidates holds, in bytes."""
    X, y = load_diabetes(return_X_y=True)
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    search = _search(RandomizedSearchCV, n_iter, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    retained = _in_use(baseline)
    tracemalloc.stop()
    return retained


def measure(n_iter, seed=0):
    X, y = load_diabetes(return_X_y=True)
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    search = _search(BayesSearchCV, n_iter, seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    wall = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - baseline
    candidates = len(search.cv_results_["params"])
    retained = _in_use(baseline)
    built = search.optimizer_results_  # built on first read
    read = _in_use(baseline) - retained
    del built
    del search._optimizer_results
    per_candidate = sum(
        sum(column.nbytes for column in record.columns) + record.yi.nbytes
        for record in search._optimizer_records
        if record is not None
    )
    del search.cv_results_
    without_results = _in_use(baseline)
    del search._optimizer_records
    rest = _in_use(baseline)
    tracemalloc.stop()
    pickled = len(pickle.dumps(search))
    results = retained - without_results
    record = without_results - rest
    random_search = _retained_by_random_search(n_iter, seed)
    return {
        "n_iter": n_iter,
        "candidates": candidates,
        "wall s": wall,
        "peak MB": peak / MB,
        "retained MB": retained / MB,
        "cv_results_ MB": results / MB,
        "record MB": record / MB,
        "rest MB": rest / MB,
        "record B/cand": per_candidate / candidates,
        "rest pickled KB": pickled / 1024,
        "optimizer_results_ MB": read / MB,
        "RandomizedSearchCV retained MB": random_search / MB,
        "beyond it MB": (retained - random_search) / MB,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, nargs="*", default=[250, 500, 1000])
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    rows = []
    with threadpool_limits(1):
        # modules imported and caches filled by a first search (of every
        # step: random starts, surrogate fits, proposals) are not the search's
        measure(20)
        for n_iter in args.n_iter:
            rows.append(measure(n_iter))
            print(f"  {n_iter} candidates measured", flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format="{:.3f}".format))
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"machine": machine(), "rows": rows}, file, indent=2)
    return table


if __name__ == "__main__":
    main()
