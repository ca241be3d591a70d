"""Memory of long searches: what a BayesSearchCV of up to 1,000 candidates keeps.

A ridge regression on the diabetes data (fits of a millisecond) is tuned over
a continuous, an integer and a categorical hyperparameter, with 250, 500 and
1,000 candidates. Python's ``tracemalloc`` (which numpy's allocations report
to) measures, above what was allocated before the search was built:

- ``peak MB``: the most memory in use at any time during ``fit``;
- ``retained MB``: what is still in use after ``fit`` and a garbage
  collection, that is, what the fitted search holds;
- ``optimizer_results_ MB``, ``cv_results_ MB``: what deleting each of these
  two attributes, in this order, frees;
- ``rest MB``: what the search still holds without them (the fitted best
  estimator, the scorer, caches of the libraries).

The claim checked: a search's memory does not grow with the number of
candidates beyond the results it reports: ``rest MB`` stays the same from
250 to 1,000 candidates. The surrogate's state (a Gaussian
process's Cholesky factor and inverse, quadratic in the candidates) lives
only during ``fit``, and only the newest surrogate is kept, for its mean.

    python benchmarks/memory.py                 # 250, 500 and 1000 candidates
    python benchmarks/memory.py --n-iter 100    # one size
    python benchmarks/memory.py --json out.json # also write the rows
"""

import argparse
import gc
import json
import time
import tracemalloc
import warnings

import pandas as pd
from _common import machine
from scipy.stats import loguniform
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from threadpoolctl import threadpool_limits

from sklearn_hp import BayesSearchCV

MB = 1024**2


def _in_use(baseline):
    """Memory in use above ``baseline`` after a garbage collection, in bytes."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - baseline


def measure(n_iter, seed=0):
    X, y = load_diabetes(return_X_y=True)
    space = {
        "ridge__alpha": loguniform(1e-3, 1e3),
        "polynomialfeatures__degree": [1, 2],
        "ridge__solver": ["auto", "svd", "cholesky", "lsqr"],
    }
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    search = BayesSearchCV(
        make_pipeline(PolynomialFeatures(), StandardScaler(), Ridge()),
        space,
        n_iter=n_iter,
        cv=3,
        random_state=seed,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    wall = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - baseline
    candidates = len(search.cv_results_["params"])
    retained = _in_use(baseline)
    del search.optimizer_results_
    without_optimizer = _in_use(baseline)
    del search.cv_results_
    rest = _in_use(baseline)
    tracemalloc.stop()
    return {
        "n_iter": n_iter,
        "candidates": candidates,
        "wall s": wall,
        "peak MB": peak / MB,
        "retained MB": retained / MB,
        "optimizer_results_ MB": (retained - without_optimizer) / MB,
        "cv_results_ MB": (without_optimizer - rest) / MB,
        "rest MB": rest / MB,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, nargs="*", default=[250, 500, 1000])
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    rows = []
    with threadpool_limits(1):
        measure(5)  # modules imported on a first search are not the search's
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
