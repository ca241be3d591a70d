"""Bayesmark's problems with every tool side by side, scored as Bayesmark does.

Runs the problems of Bayesmark (uber/bayesmark, the public benchmark of
hyperparameter tuners on scikit-learn models), in one run and on the same
problems, seeds, splits and budgets, with:

- ``sklearn_hp.BayesSearchCV`` one candidate at a time (``n_points=1``):
  "ours, sequential", the tool every other one is paired with;
- ``sklearn_hp.BayesSearchCV`` in batches of 8 (``n_points=8``), Bayesmark's
  challenge setting;
- optuna-integration's ``OptunaSearchCV`` with Optuna's ``TPESampler`` and,
  apart, with its ``GPSampler`` (which needs torch), each seeded;
- scikit-optimize's ``skopt.BayesSearchCV`` (its defaults, Gaussian process);
- scikit-learn's ``RandomizedSearchCV``, the reference of the normalisation.

Problems. The 7 models of Bayesmark's ``sklearn_funcs.py`` (kNN, SVM, DT, RF,
MLP-adam, lasso, linear), with their search spaces, on scikit-learn's own data
sets: breast (``load_breast_cancer``), digits, iris and wine, classification,
each scored by accuracy (``acc``) and log-loss (``nll``), and diabetes,
regression, scored by mean squared (``mse``) and absolute (``mae``) error:
7 x (4 x 2 + 2) = 70 problems, named as Bayesmark names them
(model-dataset-metric, e.g. ``DT-wine-acc``). The data is split 80/20 as
Bayesmark splits it, ``train_test_split(..., test_size=0.2,
random_state=shuffle_seed, shuffle=True)``, with Bayesmark's shuffle seed, 0
(its runs all use it): one and the same test part for every seed and tool.
The tools see the cross-validated score on the first part; the second gives
the test ("generalization") score of each search's ``best_estimator_``,
refit on the whole first part.

Budget and splits: 32 candidates per search (``--n-iter``), scored by 3-fold
cross-validation on the training part (``StratifiedKFold`` for
classification, ``KFold`` for regression, shuffled with the seed); every tool
gets one and the same splitter. The seed also seeds each tool and the
``random_state`` of each estimator that has one (the trees and forests, the
MLPs, LogisticRegression, Lasso, Ridge, and SVC with scikit-learn < 1.9).
BLAS and OpenMP are limited to one thread, every search runs with
``n_jobs=1``, and the tools' warnings (convergence, experimental features,
deprecations, the candidates that fail) are silenced during the searches,
Optuna's logging set to WARNING meanwhile.

Where this departs from Bayesmark: Bayesmark cross-validates with 5 unshuffled
folds, gives its estimators no ``random_state`` and runs 16 rounds of 8
suggestions; here 3 folds shuffled with the seed, seeded estimators and 32
candidates. Bayesmark's random search reference is a pooled estimate of its
expected minimum (over all its trials and batches), and its mean scores clip
each loss at random search's median after one evaluation and each run's
normalised score from below; here random search's plain mean over the
seeds, and plain means beside clipped ones (see "Normalised score"): a tool
far worse than random search on a problem where random search is close to
the best can score hundreds below 0, which the plain mean shows and the
median and the clipped mean do not. As the folds (and the trees' and MLPs'
randomness) follow the seed, the CV loss of one and the same candidate
differs from seed to seed, while Bayesmark's repetitions all optimise one
objective; the test part, and so the test loss of a given model, is the same
for every seed.

Warping. Bayesmark has every optimizer search the warped space uniformly:
``log`` dimensions on the log scale, ``logit`` dimensions on the logit scale
(u uniform on [logit(low), logit(high)], the value expit(u)), integers
rounded. Every tool here gets that same warped space, in its own form:

- a ``linear`` real or integer: ``uniform`` or ``randint`` (ours and
  ``RandomizedSearchCV``), ``Real`` or ``Integer`` (scikit-optimize),
  ``FloatDistribution`` or ``IntDistribution`` (Optuna);
- a ``log`` real: ``loguniform``, ``Real(prior="log-uniform")``,
  ``FloatDistribution(log=True)``; a ``log`` integer (the regressions'
  ``max_iter``): ``Integer(prior="log-uniform")`` for ours and
  scikit-optimize, ``IntDistribution(log=True)`` for Optuna, and for
  ``RandomizedSearchCV``, which has no such distribution in scipy.stats,
  :class:`LogUniformInteger` (a ``loguniform`` draw rounded to the nearest
  integer, as scikit-optimize samples its log-uniform integers);
- a ``logit`` real: the uniform range of u, under the name
  ``logit_<name>``, in each tool's uniform form;
- a ``bool``: the choices ``False`` and ``True`` (a list, ``Categorical``,
  ``CategoricalDistribution``).

The tools search a meta-estimator of this benchmark (not of the package),
:class:`WarpedClassifier` or :class:`WarpedRegressor`, whose hyperparameters
are exactly the warped coordinates: its ``fit`` unwarps them (``expit`` of
each ``logit_<name>``, ``int`` and ``bool`` for the others) and fits the
model with those values and the model's fixed arguments. Its class is made
per model, kind of problem and seed (:func:`warped_estimator_class`), with an
``__init__`` whose explicit ``__signature__`` lists the coordinates, so that
scikit-learn's ``BaseEstimator`` gives ``get_params``/``set_params`` over
exactly them and ``clone`` works; the seed, a fixed argument, lives on the
class. All tools, ours included, thus see exactly the same space. One
difference remains, of the tools and not of the benchmark: ``randint`` and
Optuna draw a linear integer uniformly over its values, while Bayesmark
rounds a uniform real, which gives the two end values half the weight.

Adaptations to scikit-learn 1.9 (the spaces are Bayesmark's, to the digit,
otherwise):

- ``normalize`` was removed from ``Lasso`` and ``Ridge`` (scikit-learn 1.2):
  that dimension of lasso-diabetes and linear-diabetes is dropped, leaving 5
  and 4 dimensions;
- ``multi_class`` of ``LogisticRegression``, deprecated in 1.5, is gone, and
  ``liblinear`` refuses three classes or more: the classifiers lasso
  and linear are ``OneVsRestClassifier(LogisticRegression(...,
  solver="liblinear"))``, which is what ``multi_class="ovr"`` did (one binary
  model per class, probabilities normalised to sum to one; a single model on
  two classes);
- ``penalty`` of ``LogisticRegression`` is deprecated since 1.8 (removed in
  1.10) in favour of ``l1_ratio``: ``l1_ratio=1.0`` is written for
  ``penalty="l1"`` (lasso) and ``l1_ratio=0.0`` for ``penalty="l2"``
  (linear), ``penalty`` left at its default; with scikit-learn < 1.8, which
  reads ``l1_ratio`` only with ``penalty="elasticnet"``, ``penalty`` as
  Bayesmark gives it;
- ``probability`` of ``SVC`` is deprecated since 1.9 (removed in 1.11) in
  favour of ``CalibratedClassifierCV(SVC(), ensemble=False)``, which the SVM
  classifier is, with scikit-learn >= 1.9, instead of ``SVC(kernel="rbf",
  probability=True)``. Both fit the SVC on the data and calibrate its scores
  by sigmoids fitted on 5 internal folds, but the calibration differs with
  three classes or more (one sigmoid per class, one against the rest, then
  normalised, where libsvm couples the pairwise ones), the folds are not
  shuffled (so the SVC has no ``random_state`` left to take), and the
  predicted class is the most probable one, where ``SVC.predict`` took the
  largest decision value: the acc as well as the nll problems of SVM differ
  a little from Bayesmark's;
- ``hidden_layer_sizes`` of the MLPs is searched as an int, as in Bayesmark,
  which scikit-learn reads as one hidden layer of that size;
- nothing else warns or fails: the other estimators take Bayesmark's
  arguments as they are. What still warns, as it did in Bayesmark, is the
  search's own doing: a ``batch_size`` above the number of samples, which
  the MLPs clip, and convergence warnings (liblinear, Lasso with few
  iterations, the MLPs), all silenced.

Losses. Bayesmark's loss is minus the score (``get_scorer``'s sign): minus
the accuracy, the log-loss, the mean squared or absolute error. Recorded per
run (tool, problem, seed):

- ``CV loss``: minus the search's ``best_score_``;
- ``test loss``: minus the metric of ``best_estimator_`` on the test part;
- ``CV loss at k``: the running best CV loss after the first k candidates,
  in ``cv_results_`` order (k = 8, 16, 32; "anytime");
- ``wall s``: time of ``fit``;
- ``optimizer s/candidate``: the optimizer's own time per candidate. Ours:
  the sum of ``search_info_["propose_time"]`` over candidates, divided by
  their number (NaN when the attribute does not exist). Others, as
  ``benchmarks/search.py`` computes overhead: ``wall - refit_time_ -
  fit+score``, where ``fit+score`` is the sum over candidates of
  ``(mean_fit_time + mean_score_time) * n_splits`` from ``cv_results_``,
  divided by the number of candidates: proposing, but also cloning and
  collecting, which ours' own record leaves out.

Normalised score, as Bayesmark computes it, per problem: ``100 * (random -
loss) / (random - best)``, where ``random`` is ``RandomizedSearchCV``'s mean
loss over the seeds at the same number of candidates and ``best`` the lowest
loss of any tool on any seed of that problem: 100 is the best seen, 0 random
search's mean, below 0 worse than random search. Losses are compared to 12
significant digits: a mean of the same fold scores summed in another order
(``0.9500000000000001`` against ``0.9499999999999998``) is the same loss. The
test loss is normalised the same way with its own ``random`` (random search's
mean test loss) and ``best`` (the lowest test loss seen). A problem where
random search already finds the best (``random == best``, to a relative 1e-9:
e.g. every seed of random search reached the best accuracy seen), or where
random search did not run, has no normalised score and is left out of the
means; the table "left out" says which, for the CV and the test scores apart.
As the CV objective follows the seed (see above), ``best`` is often reached on
the seed with the easiest folds, and a run's normalised CV score mixes the
tool's quality with its seed's folds; every tool has the same seeds, so the
means over seeds compare the tools (the normalisation is one linear map per
problem), and the paired table compares them seed by seed. The *clipped*
scores count each run at ``CLIP`` (-100) at worst, as far below random
search's mean as the best seen is above it: where a few samples decide a
loss (a test set of 30 iris flowers, one sample up to 1,000 points on this
scale) or a refitted model diverges on the test data, one run would
otherwise move the mean over 70 problems by more than ten points, as Bayesmark's
clipping prevents.

Table 1 (per problem and tool, means over seeds): ``norm CV`` and ``norm
test``, the mean normalised CV and test scores; ``CV loss`` and ``test
loss``, the mean losses; ``wall s``.

Table 2 (summary per tool, over problems, each problem counting once with its
mean over seeds): ``problems``, those with a normalised CV score; ``mean norm
CV`` and ``median norm CV``; ``mean norm test``; ``mean clipped CV`` and
``mean clipped test``, the means of the clipped scores; ``below random``, the
problems whose mean normalised CV is below 0; ``surely below random``,
those where the tool's normalised CV minus random search's, seed by seed,
has a Student 95% interval wholly below 0 (below random search by more than
the seeds alone would make it: on a problem whose scores come in a few
steps, one unlucky seed puts a mean below 0); ``median optimizer
s/candidate`` over runs; ``norm CV at k``, the anytime mean normalised CV
after k = 8, 16 and 32 candidates, each normalised with random search's mean
at that same k (and the problem's best seen), over the problems of ``mean
norm CV``.

Table 3 (paired): "ours, sequential" against each other tool on the same
problem and seed: ``CV: won/tied/lost``, the pairs where ours' normalised CV
score is higher, the same, lower; ``CV: sign test p``, the sign test's
two-sided p-value over the pairs that differ (ties left out); ``CV: mean
difference`` (ours minus the other) with Student's 95% interval
(``scipy.stats.ttest_1samp(...).confidence_interval``); then the same for the
test score; then the mean differences of the clipped CV and test scores,
with their intervals. A mean difference whose interval spans zero, or with a
large p, is one the seeds alone could make.

Table 4: the problems where ours (sequential) is below random search (mean
normalised CV below 0), with every tool's mean normalised CV there, the
seeds ours and random search both ran, and the upper end of the 95%
interval of ours minus random search, seed by seed (below 0: surely below).

A tool that is not installed (optuna, optuna-integration, torch for the GP
sampler) is recorded "not installed"; one that raises on a problem "failed:
<error>", and the run goes on. ``--first-seed`` and ``--problems`` split a run
into parts that can run side by side (one BLAS thread each: on 2 cores, two
parts), and ``--merge`` builds the tables from their ``--json`` files without
running a search; it refuses files of different ``--n-iter`` and a (tool,
problem, seed) found twice. With ``--merge``, ``--problems``, ``--tools``,
``--seeds`` and ``--first-seed`` select among the files' runs, scored as a
run of those alone would be (``--seeds 3 --first-seed 0``: the first three
seeds of a 10-seed run, normalised among themselves).

Cost, measured on a 2-core x86_64 machine (scikit-learn 1.9, one thread per
run): the full run (70 problems, 3 seeds, 6 tools, 32 candidates) takes about
2.5-3 hours of one core. About half is the tools' own time: scikit-optimize
spends ~0.5 s and the GP sampler ~0.2 s per candidate once their Gaussian
processes start (after 10 random candidates), about 17 s and 7 s per search,
whatever the problem; ours, TPE and random search a few milliseconds. The
other half is fitting: 3 random candidates per (model, data set) cost from
milliseconds (the trees, most problems on iris and wine) to ~0.3-0.8 s each
(kNN, lasso, SVM and MLP on digits, lasso on breast). The choices of the
Bayesian tools (wider MLPs, smaller learning rates, more iterations) can make
the fits dearer than random ones. Optuna's GPSampler logs that without the
``greenlet`` package it optimises its acquisition function sequentially,
"slower suggestions": its time is that of the path installed.

A full run in two parts of about equal cost (~25-30 minutes per seed each),
side by side on the 2 cores, a seed at a time (a session each if need be),
then merged:

    python benchmarks/bayesmark.py --problems "kNN-*,lasso-*,DT-*" \
        --seeds 1 --first-seed 0 --json a0.json > a0.txt 2>&1 &
    python benchmarks/bayesmark.py --problems "MLP-adam-*,SVM-*,linear-*,RF-*" \
        --seeds 1 --first-seed 0 --json b0.json > b0.txt 2>&1 &
    wait                                   # then --first-seed 1, then 2
    python benchmarks/bayesmark.py --merge a0.json b0.json a1.json b1.json \
        a2.json b2.json

Other uses:

    python -m pip install ".[bench]"          # Optuna, its integration, torch
    python benchmarks/bayesmark.py --quick    # 3 cheap problems, 1 seed, 8
    python benchmarks/bayesmark.py            # the full run (see above)
    python benchmarks/bayesmark.py --problems "DT-*,*-iris-*" --seeds 1
    python benchmarks/bayesmark.py --tools ours,random --json out.json

``benchmarks/runs/`` keeps recorded runs of every tool (its README says which
problems and seeds): a new run of this package's search alone, merged with
them, is compared with the other tools without running those again::

    python benchmarks/bayesmark.py --tools ours --seeds 10 --json mine.json
    python benchmarks/bayesmark.py --merge benchmarks/runs/bayesmark-others-*.json.gz \
        mine.json
"""

import argparse
import dataclasses
import fnmatch
import functools
import gzip
import inspect
import json
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from _common import load_benchmark
from scipy.special import expit, logit
from scipy.stats import binomtest, loguniform, ttest_1samp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.metrics import get_scorer
from sklearn.model_selection import (
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.validation import check_is_fitted
from skopt.space import Integer
from threadpoolctl import threadpool_limits

import sklearn_hp

# the neutral space, its translations, the quiet context, the paired interval
SEARCH = load_benchmark("search")

# -- Bayesmark's spaces ----------------------------------------------------------
# name: (type, space, low, high), as Bayesmark's sklearn_funcs.py has them;
# a bool has neither space nor range.

KNN = {"n_neighbors": ("int", "linear", 1, 25), "p": ("int", "linear", 1, 4)}
SVM = {
    "C": ("real", "log", 1.0, 1e3),
    "gamma": ("real", "log", 1e-4, 1e-3),
    "tol": ("real", "log", 1e-5, 1e-1),
}
TREE = {
    "max_depth": ("int", "linear", 1, 15),
    "min_samples_split": ("real", "logit", 0.01, 0.99),
    "min_samples_leaf": ("real", "logit", 0.01, 0.49),
    "min_weight_fraction_leaf": ("real", "logit", 0.01, 0.49),
    "max_features": ("real", "logit", 0.01, 0.99),
    "min_impurity_decrease": ("real", "linear", 0.0, 0.5),
}
MLP_ADAM = {
    "hidden_layer_sizes": ("int", "linear", 50, 200),
    "alpha": ("real", "log", 1e-5, 1e1),
    "batch_size": ("int", "linear", 10, 250),
    "learning_rate_init": ("real", "log", 1e-5, 1e-1),
    "tol": ("real", "log", 1e-5, 1e-1),
    "validation_fraction": ("real", "logit", 0.1, 0.9),
    "beta_1": ("real", "logit", 0.5, 0.99),
    "beta_2": ("real", "logit", 0.9, 1.0 - 1e-6),
    "epsilon": ("real", "log", 1e-9, 1e-6),
}
LOGISTIC = {
    "C": ("real", "log", 1e-2, 1e2),
    "intercept_scaling": ("real", "log", 1e-2, 1e2),
}
BOOL = ("bool", None, False, True)
# Bayesmark's "normalize" (bool) is gone from Lasso and Ridge
LASSO_REGRESSION = {
    "alpha": ("real", "log", 1e-2, 1e2),
    "fit_intercept": BOOL,
    "max_iter": ("int", "log", 10, 5000),
    "tol": ("real", "log", 1e-5, 1e-1),
    "positive": BOOL,
}
RIDGE_REGRESSION = {
    "alpha": ("real", "log", 1e-2, 1e2),
    "fit_intercept": BOOL,
    "max_iter": ("int", "log", 10, 5000),
    "tol": ("real", "log", 1e-4, 1e-1),
}


# scikit-learn 1.8 deprecated penalty (its default is then "deprecated") for
# l1_ratio, which scikit-learn < 1.8 reads with penalty="elasticnet" only
_L1_RATIO_REPLACES_PENALTY = (
    inspect.signature(LogisticRegression).parameters["penalty"].default == "deprecated"
)


def _logistic(penalty):
    # multi_class="ovr" is gone, and liblinear fits two classes only
    if _L1_RATIO_REPLACES_PENALTY:
        regularisation = {"l1_ratio": {"l1": 1.0, "l2": 0.0}[penalty]}
    else:
        regularisation = {"penalty": penalty}
    return lambda params, seed: OneVsRestClassifier(
        LogisticRegression(
            **regularisation,
            fit_intercept=True,
            solver="liblinear",
            random_state=seed,
            **params,
        )
    )


# scikit-learn 1.9 deprecated SVC's probability (default "deprecated") for
# CalibratedClassifierCV(SVC(), ensemble=False)
_CALIBRATION_REPLACES_PROBABILITY = (
    inspect.signature(SVC).parameters["probability"].default == "deprecated"
)


def _svc(params, seed):
    if _CALIBRATION_REPLACES_PROBABILITY:
        return CalibratedClassifierCV(SVC(kernel="rbf", **params), ensemble=False)
    return SVC(kernel="rbf", probability=True, random_state=seed, **params)


@dataclass(frozen=True)
class Model:
    """A Bayesmark model: per kind of problem, its space and how it is built."""

    spaces: dict  # kind -> {name: (type, space, low, high)}
    builders: dict  # kind -> (unwarped params, seed) -> estimator


CLASSIFICATION, REGRESSION = "classification", "regression"

MODELS = {
    "kNN": Model(
        {CLASSIFICATION: KNN, REGRESSION: KNN},
        {
            CLASSIFICATION: lambda params, seed: KNeighborsClassifier(**params),
            REGRESSION: lambda params, seed: KNeighborsRegressor(**params),
        },
    ),
    "SVM": Model(
        {CLASSIFICATION: SVM, REGRESSION: SVM},
        {
            CLASSIFICATION: _svc,
            REGRESSION: lambda params, seed: SVR(kernel="rbf", **params),
        },
    ),
    "DT": Model(
        {CLASSIFICATION: TREE, REGRESSION: TREE},
        {
            CLASSIFICATION: lambda params, seed: DecisionTreeClassifier(
                max_leaf_nodes=None, random_state=seed, **params
            ),
            REGRESSION: lambda params, seed: DecisionTreeRegressor(
                max_leaf_nodes=None, random_state=seed, **params
            ),
        },
    ),
    "RF": Model(
        {CLASSIFICATION: TREE, REGRESSION: TREE},
        {
            CLASSIFICATION: lambda params, seed: RandomForestClassifier(
                n_estimators=10, max_leaf_nodes=None, random_state=seed, **params
            ),
            REGRESSION: lambda params, seed: RandomForestRegressor(
                n_estimators=10, max_leaf_nodes=None, random_state=seed, **params
            ),
        },
    ),
    "MLP-adam": Model(
        {CLASSIFICATION: MLP_ADAM, REGRESSION: MLP_ADAM},
        {
            CLASSIFICATION: lambda params, seed: MLPClassifier(
                solver="adam", early_stopping=True, random_state=seed, **params
            ),
            REGRESSION: lambda params, seed: MLPRegressor(
                solver="adam", early_stopping=True, random_state=seed, **params
            ),
        },
    ),
    "lasso": Model(
        {CLASSIFICATION: LOGISTIC, REGRESSION: LASSO_REGRESSION},
        {
            CLASSIFICATION: _logistic("l1"),
            REGRESSION: lambda params, seed: Lasso(random_state=seed, **params),
        },
    ),
    "linear": Model(
        {CLASSIFICATION: LOGISTIC, REGRESSION: RIDGE_REGRESSION},
        {
            CLASSIFICATION: _logistic("l2"),
            REGRESSION: lambda params, seed: Ridge(
                solver="auto", random_state=seed, **params
            ),
        },
    ),
}

DATASETS = {
    "breast": (load_breast_cancer, CLASSIFICATION),
    "digits": (load_digits, CLASSIFICATION),
    "iris": (load_iris, CLASSIFICATION),
    "wine": (load_wine, CLASSIFICATION),
    "diabetes": (load_diabetes, REGRESSION),
}
METRICS = {
    CLASSIFICATION: {"acc": "accuracy", "nll": "neg_log_loss"},
    REGRESSION: {"mse": "neg_mean_squared_error", "mae": "neg_mean_absolute_error"},
}


# -- warping ---------------------------------------------------------------------


def warped_name(name, spec):
    return f"logit_{name}" if spec[1] == "logit" else name


def warped_space(specs):
    """The space every tool searches, in search.py's neutral form."""
    space = {}
    for name, (kind, scale, low, high) in specs.items():
        if kind == "bool":
            dimension = SEARCH.categorical(False, True)
        elif kind == "int":
            dimension = SEARCH.Dimension("integer", low, high, log=scale == "log")
        elif scale == "logit":
            dimension = SEARCH.real(float(logit(low)), float(logit(high)))
        else:
            dimension = SEARCH.real(low, high, log=scale == "log")
        space[warped_name(name, (kind, scale))] = dimension
    return space


def unwarp(specs, coordinates):
    """The model's hyperparameters from the warped coordinates."""
    params = {}
    for name, (kind, scale, _, _) in specs.items():
        value = coordinates[warped_name(name, (kind, scale))]
        if scale == "logit":
            value = float(expit(value))
        elif kind == "int":
            value = int(value)
        elif kind == "bool":
            value = bool(value)
        else:
            value = float(value)
        params[name] = value
    return params


def _centre(dimension):
    # a default for the coordinate, within its range
    if dimension.kind == "categorical":
        return dimension.choices[0]
    if dimension.log:
        middle = math.sqrt(dimension.low * dimension.high)
    else:
        middle = (dimension.low + dimension.high) / 2
    return round(middle) if dimension.kind == "integer" else middle


class _Warped(BaseEstimator):
    """A Bayesmark model whose hyperparameters are the warped coordinates.

    The subclasses :func:`warped_estimator_class` makes say which model, kind
    of problem and seed (class attributes) and which coordinates (their
    ``__init__``'s signature).
    """

    _model_name = None
    _kind = None
    _seed = None

    def unwarped_params(self):
        specs = MODELS[self._model_name].spaces[self._kind]
        return unwarp(specs, self.get_params())

    def fit(self, X, y):
        build = MODELS[self._model_name].builders[self._kind]
        self.model_ = build(self.unwarped_params(), self._seed)
        self.model_.fit(X, y)
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.model_.predict(X)


class WarpedClassifier(ClassifierMixin, _Warped):
    """A Bayesmark classifier searched in the warped space."""

    def fit(self, X, y):
        super().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.model_.predict_proba(X)


class WarpedRegressor(RegressorMixin, _Warped):
    """A Bayesmark regressor searched in the warped space."""


@functools.cache
def warped_estimator_class(model_name, kind, seed):
    """The meta-estimator class of a model, kind of problem and seed."""
    space = warped_space(MODELS[model_name].spaces[kind])
    defaults = {name: _centre(dimension) for name, dimension in space.items()}

    def __init__(self, **coordinates):
        unknown = set(coordinates) - set(defaults)
        if unknown:
            raise TypeError(f"unknown coordinates {sorted(unknown)}")
        for name, default in defaults.items():
            setattr(self, name, coordinates.get(name, default))

    # scikit-learn's get_params reads the coordinates from this signature
    __init__.__signature__ = inspect.Signature(
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *(
                inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=value)
                for name, value in defaults.items()
            ),
        ]
    )
    base = WarpedClassifier if kind == CLASSIFICATION else WarpedRegressor
    name = "Warped" + "".join(
        part[0].upper() + part[1:] for part in model_name.split("-")
    )
    return type(
        name + base.__name__.removeprefix("Warped"),
        (base,),
        {
            "__init__": __init__,
            "__module__": __name__,
            "_model_name": model_name,
            "_kind": kind,
            "_seed": seed,
        },
    )


@dataclass(frozen=True)
class LogUniformInteger:
    """Integers whose logarithm is uniform, for RandomizedSearchCV.

    scipy.stats has no such distribution: a ``loguniform`` draw rounded to the
    nearest integer, as scikit-optimize samples ``Integer(prior="log-uniform")``.
    """

    low: int
    high: int

    def rvs(self, size=None, random_state=None):
        draws = loguniform(self.low, self.high).rvs(
            size=size, random_state=random_state
        )
        values = np.rint(draws).astype(int)
        return int(values) if size is None else values


def translate(space, tool):
    """The warped space in the tool's own form."""
    forms = {
        OURS: SEARCH.to_scipy,
        OURS_BATCH: SEARCH.to_scipy,
        RANDOM: SEARCH.to_scipy,
        SKOPT: SEARCH.to_skopt,
        TPE: SEARCH.to_optuna,
        GP: SEARCH.to_optuna,
    }
    # search.py's translations have no log integers
    log_integers = {
        name for name, dimension in space.items() if dimension.kind == "integer"
    }
    log_integers = {name for name in log_integers if space[name].log}
    translated = forms[tool](
        {name: space[name] for name in space if name not in log_integers}
    )
    for name in log_integers:
        low, high = int(space[name].low), int(space[name].high)
        if tool in (TPE, GP):
            from optuna.distributions import IntDistribution

            translated[name] = IntDistribution(low, high, log=True)
        elif tool == RANDOM:
            translated[name] = LogUniformInteger(low, high)
        else:
            translated[name] = Integer(low, high, prior="log-uniform")
    return {name: translated[name] for name in space}


# -- problems --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A Bayesmark problem: a model and its space, a data set, a metric."""

    model: str
    dataset: str
    metric: str

    @property
    def name(self):
        return f"{self.model}-{self.dataset}-{self.metric}"

    @property
    def kind(self):
        return DATASETS[self.dataset][1]

    @property
    def scoring(self):
        return METRICS[self.kind][self.metric]

    @property
    def space(self):
        return warped_space(MODELS[self.model].spaces[self.kind])

    def load(self):
        return DATASETS[self.dataset][0](return_X_y=True)

    def make(self, seed):
        return warped_estimator_class(self.model, self.kind, seed)()


PROBLEMS = {
    problem.name: problem
    for problem in (
        Problem(model, dataset, metric)
        for model in MODELS
        for dataset, (_, kind) in DATASETS.items()
        for metric in METRICS[kind]
    )
}


def select_problems(patterns):
    """Problem names matching comma-separated names or glob patterns, in order."""
    wanted = [pattern.strip() for pattern in patterns.split(",") if pattern.strip()]
    unmatched = [p for p in wanted if not fnmatch.filter(PROBLEMS, p)]
    if unmatched:
        raise ValueError(f"--problems: no problem matches {unmatched}")
    return tuple(
        name for name in PROBLEMS if any(fnmatch.fnmatchcase(name, p) for p in wanted)
    )


# Significant digits of a loss compared with another (see rounded)
LOSS_DIGITS = 12
# Bayesmark's shuffle seed: its runs all use this one
SHUFFLE_SEED = 0


def split(problem):
    """Bayesmark's split: 80/20, shuffled by its shuffle seed, not stratified."""
    X, y = problem.load()
    return train_test_split(
        X, y, test_size=0.2, random_state=SHUFFLE_SEED, shuffle=True
    )


def _cv(problem, seed):
    splitter = StratifiedKFold if problem.kind == CLASSIFICATION else KFold
    return splitter(n_splits=3, shuffle=True, random_state=seed)


# -- the tools -------------------------------------------------------------------

OURS = "ours, sequential"
OURS_BATCH = "ours, batches of 8"
TPE = "OptunaSearchCV (TPE)"
GP = "OptunaSearchCV (GP)"
SKOPT = "skopt.BayesSearchCV"
RANDOM = "RandomizedSearchCV"
TOOLS = (OURS, OURS_BATCH, TPE, GP, SKOPT, RANDOM)
SHORT_NAMES = {
    "ours": OURS,
    "ours-batch": OURS_BATCH,
    "tpe": TPE,
    "gp": GP,
    "skopt": SKOPT,
    "random": RANDOM,
}
BATCH = 8
ANYTIME = (8, 16, 32)


def anytime_budgets(n_iter):
    """The numbers of candidates the running best is recorded at."""
    return tuple(sorted({k for k in ANYTIME if k < n_iter} | {n_iter}))


def build_search(tool, estimator, space, *, n_iter, cv, scoring, seed):
    """The tool's search, unfitted; ImportError if the tool is not installed."""
    distributions = translate(space, tool)
    common = dict(cv=cv, scoring=scoring, n_jobs=1)
    if tool in (OURS, OURS_BATCH):
        return sklearn_hp.BayesSearchCV(
            estimator,
            distributions,
            n_iter=n_iter,
            random_state=seed,
            n_points=1 if tool == OURS else BATCH,
            **common,
        )
    if tool == SKOPT:
        from skopt import BayesSearchCV

        return BayesSearchCV(
            estimator, distributions, n_iter=n_iter, random_state=seed, **common
        )
    if tool in (TPE, GP):
        import optuna
        from optuna_integration import OptunaSearchCV

        if tool == GP:
            import torch  # noqa: F401  (the GP sampler needs it, at its first trial)

            sampler = optuna.samplers.GPSampler(seed=seed)
        else:
            sampler = optuna.samplers.TPESampler(seed=seed)
        study = optuna.create_study(direction="maximize", sampler=sampler)
        return OptunaSearchCV(
            estimator, distributions, n_trials=n_iter, study=study, **common
        )
    if tool == RANDOM:
        return RandomizedSearchCV(
            estimator, distributions, n_iter=n_iter, random_state=seed, **common
        )
    raise ValueError(f"unknown tool {tool!r}")


def run_search(tool, problem, seed, n_iter, *, data=None):
    """Fit one tool's search on one problem and seed: a row of measures."""
    row = {"problem": problem.name, "tool": tool, "seed": seed, "n_iter": n_iter}
    X_train, X_test, y_train, y_test = data or split(problem)
    cv = _cv(problem, seed)
    # search.py's quiet sets Optuna's logging for its Optuna tool
    with SEARCH.quiet(SEARCH.OPTUNA if tool in (TPE, GP) else tool):
        try:
            search = build_search(
                tool,
                problem.make(seed),
                problem.space,
                n_iter=n_iter,
                cv=cv,
                scoring=problem.scoring,
                seed=seed,
            )
        except ImportError:
            return {**row, "status": "not installed"}
        try:
            start = time.perf_counter()
            search.fit(X_train, y_train)
            wall = time.perf_counter() - start
            test = get_scorer(problem.scoring)(search.best_estimator_, X_test, y_test)
        except Exception as exception:
            return {**row, "status": f"failed: {SEARCH._error(exception)}"}
    results = search.cv_results_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    # a candidate that failed has a NaN score: the running best skips it
    running = -np.fmax.accumulate(scores)
    fit_score = cv.get_n_splits() * np.nansum(
        np.asarray(results["mean_fit_time"], dtype=float)
        + np.asarray(results["mean_score_time"], dtype=float)
    )
    overhead = wall - search.refit_time_ - fit_score
    if tool in (OURS, OURS_BATCH):
        info = getattr(search, "search_info_", None) or {}
        propose = info.get("propose_time")
        optimizer = (
            float(np.sum(propose)) / len(scores) if propose is not None else np.nan
        )
    else:
        optimizer = overhead / len(scores)
    return {
        **row,
        "status": "ok",
        "candidates": len(scores),
        "CV loss": -float(search.best_score_),
        "test loss": -float(test),
        **{
            f"CV loss at {k}": float(running[k - 1]) if len(running) >= k else np.nan
            for k in anytime_budgets(n_iter)
        },
        "wall s": wall,
        "fit+score s": fit_score,
        "optimizer s/candidate": optimizer,
    }


def run(config, after_problem=None):
    """Every run of config: each tool on each problem and seed.

    ``after_problem(runs)`` is called with the runs so far after each
    problem: a long run interrupted keeps what it measured.
    """
    runs = []
    with threadpool_limits(limits=1):
        for name in config.problems:
            problem = PROBLEMS[name]
            data = split(problem)
            for seed in range(config.first_seed, config.first_seed + config.seeds):
                for tool in config.tools:
                    row = run_search(tool, problem, seed, config.n_iter, data=data)
                    runs.append(row)
                    SEARCH._progress(
                        f"  {name} | {tool} | seed {seed} | {row['status']}"
                        + (f" | {row['wall s']:.2f} s" if "wall s" in row else "")
                    )
            if after_problem is not None:
                after_problem(runs)
    return runs


def _open(path, mode="r"):
    """Open a ``--json`` file as text, gzip-compressed where its name ends in .gz."""
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _write(path, document):
    with _open(path, "w") as file:
        json.dump(SEARCH._jsonable(document), file, indent=2)


# -- normalised scores -----------------------------------------------------------


# The lowest normalised score a run counts with in the clipped means: at worst
# as far below random search's mean as the best seen is above it. Bayesmark
# clips each run's normalised score from below so that a single run does not
# decide the mean over problems.
CLIP = -100.0


def normalise(loss, random, best):
    """Bayesmark's normalised score: 100 at ``best``, 0 at ``random``.

    NaN when random search already finds the best (``random == best``, to a
    relative 1e-9) or either reference is missing: the problem is left out.
    """
    loss = np.asarray(loss, dtype=float)
    if not (np.isfinite(random) and np.isfinite(best)) or np.isclose(
        random, best, rtol=1e-9, atol=0.0
    ):
        return np.full_like(loss, np.nan)[()]
    # to a billionth of a point: the mean of rounded losses is itself rounded
    return np.round(100.0 * (random - loss) / (random - best), 9)[()]


def rounded(losses, digits=LOSS_DIGITS):
    """The losses to ``digits`` significant digits.

    A mean of the same fold scores summed in another order differs in its
    last bit (an accuracy of ``0.9500000000000001`` against
    ``0.9499999999999998``): such losses are the same loss, neither better
    than the other, and no problem is below random search by a rounding.
    """
    losses = np.asarray(losses, dtype=float)
    return np.array([float(f"{loss:.{digits}g}") for loss in losses.ravel()]).reshape(
        losses.shape
    )


def score_runs(runs, n_iter):
    """The runs that succeeded, with their normalised scores; what was left out."""
    frame = pd.DataFrame([run for run in runs if run["status"] == "ok"])
    budgets = anytime_budgets(n_iter)
    left_out = {"CV": {}, "test": {}}
    if frame.empty:
        return frame, left_out
    losses = ["CV loss", "test loss", *(f"CV loss at {k}" for k in budgets)]
    frame[losses] = rounded(frame[losses].to_numpy())
    parts = []
    for problem, group in frame.groupby("problem", sort=False):
        random = group[group["tool"] == RANDOM]
        best = {"CV": group["CV loss"].min(), "test": group["test loss"].min()}
        references = {
            "CV": random["CV loss"].mean(),
            "test": random["test loss"].mean(),
        }
        group = group.copy()
        for measure in ("CV", "test"):
            group[f"norm {measure}"] = normalise(
                group[f"{measure} loss"], references[measure], best[measure]
            )
            group[f"clipped {measure}"] = group[f"norm {measure}"].clip(lower=CLIP)
            if group[f"norm {measure}"].isna().all():
                left_out[measure][problem] = (
                    "random search did not run"
                    if random.empty
                    else "random search found the best"
                )
        for k in budgets:
            # the anytime means are over the problems of the final one
            group[f"norm CV at {k}"] = (
                np.nan
                if problem in left_out["CV"]
                else normalise(
                    group[f"CV loss at {k}"],
                    random[f"CV loss at {k}"].mean(),
                    best["CV"],
                )
            )
        parts.append(group)
    return pd.concat(parts, ignore_index=True), left_out


def _per_problem(scored, config):
    """Each (problem, tool)'s means over seeds of the normalised scores."""
    columns = ["norm CV", "norm test", "clipped CV", "clipped test"] + [
        f"norm CV at {k}" for k in anytime_budgets(config.n_iter)
    ]
    if scored.empty:
        return pd.DataFrame(columns=["problem", "tool", *columns])
    # To a millionth of a point: each score is rounded to a billionth (see
    # normalise), and a mean over seeds adds those roundings up. Two tools
    # whose losses differ seed by seed but have the same mean (iris
    # accuracies, in steps of 1/120) would otherwise differ by a billionth.
    means = scored.groupby(["problem", "tool"], sort=False)[columns].mean()
    return means.round(6).reset_index()


def _against_random(scored):
    """Each (problem, tool)'s normalised CV minus random search's, seed by seed.

    The mean difference over the seeds both ran, and the upper end of its
    Student 95% interval: below 0, the tool is below random search on that
    problem by more than its seeds alone would make it (the objective follows
    the seed, so the seeds pair the runs). Without a spread to judge by, the
    upper end is the mean itself when every seed gives the same difference,
    and NaN with one seed.
    """
    columns = ["problem", "tool", "seeds", "mean", "upper"]
    if scored.empty or RANDOM not in set(scored["tool"]):
        return pd.DataFrame(columns=columns)
    cv = scored.pivot_table(index=["problem", "seed"], columns="tool", values="norm CV")
    rows = []
    for tool in cv.columns:
        if tool == RANDOM:
            continue
        differences = (cv[tool] - cv[RANDOM]).dropna()
        for problem, group in differences.groupby(level="problem", sort=False):
            d = group.to_numpy()
            if len(d) < 2:
                upper = np.nan
            elif np.ptp(d) == 0:
                upper = float(d[0])
            else:
                upper = float(ttest_1samp(d, 0.0).confidence_interval(0.95).high)
            rows.append([problem, tool, len(d), float(d.mean()), upper])
    return pd.DataFrame(rows, columns=columns)


# -- the tables ------------------------------------------------------------------


def problem_table(runs, scored, config):
    """Table 1: per problem and tool, means over seeds."""
    frame = pd.DataFrame(runs)
    means = _per_problem(scored, config).set_index(["problem", "tool"])
    rows = []
    for problem in config.problems:
        for tool in config.tools:
            group = frame[(frame["problem"] == problem) & (frame["tool"] == tool)]
            if group.empty:
                continue
            ok = group[group["status"] == "ok"]
            row = {"problem": problem, "tool": tool, "status": SEARCH._status(group)}
            for column in ("norm CV", "norm test"):
                row[column] = (
                    means.loc[(problem, tool), column]
                    if (problem, tool) in means.index
                    else np.nan
                )
            for column in ("CV loss", "test loss", "wall s"):
                row[column] = ok[column].mean() if len(ok) else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def summary_table(scored, config):
    """Table 2: per tool, over problems (each its mean over seeds)."""
    means = _per_problem(scored, config)
    against = _against_random(scored)
    rows = []
    for tool in config.tools:
        of_tool = means[means["tool"] == tool]
        upper = against.loc[against["tool"] == tool, "upper"]
        cv = of_tool["norm CV"].dropna()
        runs = scored[scored["tool"] == tool] if not scored.empty else scored
        row = {
            "tool": tool,
            "problems": len(cv),
            "mean norm CV": cv.mean(),
            "median norm CV": cv.median(),
            "mean norm test": of_tool["norm test"].mean(),
            "mean clipped CV": of_tool["clipped CV"].mean(),
            "mean clipped test": of_tool["clipped test"].mean(),
            "below random": int((cv < 0).sum()),
            "surely below random": int((upper < 0).sum()),
            "median optimizer s/candidate": (
                runs["optimizer s/candidate"].median() if len(runs) else np.nan
            ),
        }
        for k in anytime_budgets(config.n_iter):
            row[f"norm CV at {k}"] = of_tool[f"norm CV at {k}"].mean()
        rows.append(row)
    return pd.DataFrame(rows)


def paired_table(scored, config):
    """Table 3: ours (sequential) against each other tool, same problem and seed."""
    scores = (
        {
            (row["tool"], row["problem"], row["seed"]): row
            for row in scored.to_dict("records")
        }
        if not scored.empty
        else {}
    )
    rows = []
    for tool in config.tools:
        if tool == OURS:
            continue
        pairs = [
            (ours, scores[tool, problem, seed])
            for (name, problem, seed), ours in scores.items()
            if name == OURS and (tool, problem, seed) in scores
        ]
        row = {"ours against": tool}
        for measure in ("CV", "test"):
            differences = _differences(pairs, f"norm {measure}")
            won = int(np.sum(differences > 0))
            lost = int(np.sum(differences < 0))
            row[f"{measure}: pairs"] = len(differences)
            row[f"{measure}: won/tied/lost"] = (
                f"{won}/{len(differences) - won - lost}/{lost}"
            )
            row[f"{measure}: sign test p"] = (
                binomtest(won, won + lost).pvalue if won + lost else np.nan
            )
            row[f"{measure}: mean difference"], row[f"{measure}: 95% CI"] = (
                SEARCH._mean_and_interval(differences)
            )
        for measure in ("CV", "test"):
            column = f"clipped {measure}"
            row[f"{column}: mean difference"], row[f"{column}: 95% CI"] = (
                SEARCH._mean_and_interval(_differences(pairs, column))
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _differences(pairs, column):
    """Ours' ``column`` minus the other's, over the pairs where both have one."""
    differences = np.array([a[column] - b[column] for a, b in pairs], dtype=float)
    return differences[np.isfinite(differences)]


def below_random_table(scored, config):
    """Table 4: the problems where ours is below random search, every tool there."""
    means = _per_problem(scored, config)
    wide = means.pivot(index="problem", columns="tool", values="norm CV")
    if OURS not in wide:
        return pd.DataFrame(columns=["problem"])
    below = wide[wide[OURS] < 0]
    order = [problem for problem in config.problems if problem in below.index]
    tools = [tool for tool in config.tools if tool in wide]
    table = below.loc[order, tools].reset_index()
    against = _against_random(scored)
    against = against[against["tool"] == OURS].set_index("problem")
    table["seeds"] = against["seeds"].reindex(order).to_numpy()
    table["ours - random, 95% upper"] = against["upper"].reindex(order).to_numpy()
    return table


def left_out_table(left_out):
    rows = []
    for measure, problems in left_out.items():
        for reason in sorted(set(problems.values())):
            names = [name for name, why in problems.items() if why == reason]
            rows.append(
                {
                    "score": measure,
                    "reason": reason,
                    "problems": len(names),
                    "which": ", ".join(names),
                }
            )
    return pd.DataFrame(rows, columns=["score", "reason", "problems", "which"])


def tables(runs, config):
    """Every table, by name, from the runs."""
    scored, left_out = score_runs(runs, config.n_iter)
    return {
        "problems": problem_table(runs, scored, config),
        "summary": summary_table(scored, config),
        "left out": left_out_table(left_out),
        "paired": paired_table(scored, config),
        "below random": below_random_table(scored, config),
    }


TITLES = {
    "problems": (
        "Table 1: per problem and tool, means over seeds "
        "(normalised: 100 = best seen, 0 = random search's mean)"
    ),
    "summary": "Table 2: per tool, over problems (each its mean over seeds)",
    "left out": "Problems left out of the normalised means",
    "paired": (
        f"Table 3: {OURS} against each tool, same problem and seed: pairs where "
        "ours' normalised score is higher/same/lower (sign test, two-sided, ties "
        "left out), mean difference (ours - other) with Student's 95% interval"
    ),
    "below random": (
        f"Table 4: problems where {OURS} is below random search, every tool's "
        "mean normalised CV, and the upper end of the 95% interval of ours minus "
        "random search, seed by seed"
    ),
}

# -- runs, files, output -----------------------------------------------------------


@dataclass
class Config:
    """What a run measures."""

    problems: tuple
    n_iter: int
    seeds: int
    first_seed: int = 0
    tools: tuple = TOOLS


FULL = Config(problems=tuple(PROBLEMS), n_iter=32, seeds=3)
QUICK = Config(
    problems=("kNN-iris-acc", "DT-wine-nll", "linear-diabetes-mse"), n_iter=8, seeds=1
)


def merged_runs(paths):
    """The runs of earlier runs' JSON files, and a config to match.

    The files must have used the same number of candidates per search, and
    each (tool, problem, seed) may come from one file only.
    """
    runs, origin, n_iters = [], {}, set()
    for path in paths:
        with _open(path) as file:
            document = json.load(file)
        n_iters.add(document["config"]["n_iter"])
        for run in document["runs"]:
            key = (run["tool"], run["problem"], run["seed"])
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
    return runs, config_of(runs, n_iters.pop())


def config_of(runs, n_iter):
    """The config that made ``runs``: their problems, tools and seeds."""
    present_tools = {run["tool"] for run in runs}
    present_problems = {run["problem"] for run in runs}
    seeds = sorted({run["seed"] for run in runs})
    return Config(
        problems=tuple(name for name in PROBLEMS if name in present_problems),
        n_iter=n_iter,
        seeds=len(seeds),
        first_seed=seeds[0],
        tools=tuple(tool for tool in TOOLS if tool in present_tools),
    )


def seeds_apart(runs):
    """Each tool's seeds, as text, where the tools did not run the same seeds."""
    seeds = {}
    for run in runs:
        seeds.setdefault(run["tool"], set()).add(run["seed"])
    if len({frozenset(s) for s in seeds.values()}) <= 1:
        return ""
    return "; ".join(
        f"{tool}: {_spans(sorted(seeds[tool]))}" for tool in TOOLS if tool in seeds
    )


def _spans(seeds):
    """Sorted seeds as ranges: ``[0, 1, 2, 5]`` as ``0-2, 5``."""
    spans = []
    for seed in seeds:
        if spans and seed == spans[-1][1] + 1:
            spans[-1][1] = seed
        else:
            spans.append([seed, seed])
    return ", ".join(f"{low}-{high}" if high > low else f"{low}" for low, high in spans)


def select_runs(runs, *, problems=None, tools=None, first_seed=None, seeds=None):
    """The runs of ``problems``, ``tools`` and ``seeds`` seeds from ``first_seed``.

    None selects every problem, tool or seed (``first_seed``: the lowest
    seed run); the scores are then normalised among the runs selected, as in
    a run of those problems, tools and seeds alone.
    """
    low = min(run["seed"] for run in runs) if first_seed is None else first_seed
    high = np.inf if seeds is None else low + seeds
    selected = [
        run
        for run in runs
        if (problems is None or run["problem"] in problems)
        and (tools is None or run["tool"] in tools)
        and low <= run["seed"] < high
    ]
    if not selected:
        raise ValueError("--merge: no run is of the problems, tools and seeds asked")
    return selected


FORMATS = {
    "norm CV": "{:.1f}",
    "norm test": "{:.1f}",
    "mean norm CV": "{:.1f}",
    "median norm CV": "{:.1f}",
    "mean norm test": "{:.1f}",
    "mean clipped CV": "{:.1f}",
    "mean clipped test": "{:.1f}",
    "CV loss": "{:.4f}",
    "test loss": "{:.4f}",
    "wall s": "{:.2f}",
    "median optimizer s/candidate": "{:.4f}",
    "CV: sign test p": "{:.3f}",
    "test: sign test p": "{:.3f}",
    "CV: mean difference": "{:+.1f}",
    "test: mean difference": "{:+.1f}",
    "clipped CV: mean difference": "{:+.1f}",
    "clipped test: mean difference": "{:+.1f}",
}


def _format(table):
    table = table.copy()
    for column in table:
        text = FORMATS.get(column)
        if column.startswith("norm CV at ") or column in TOOLS:
            text = "{:.1f}"
        if text:
            table[column] = table[column].map(
                lambda value, text=text: (
                    # + 0.0 turns -0.0 into 0.0
                    "" if pd.isna(value) else text.format(value + 0.0)
                )
            )
    return table


def _print(title, table):
    print(f"\n{title}")
    if table.empty:
        print("(none)")
        return
    with pd.option_context("display.width", 250, "display.max_colwidth", 120):
        print(_format(table).to_string(index=False))


def machine():
    return {**SEARCH.machine(), "torch": SEARCH._version("torch")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{len(QUICK.problems)} cheap problems, 1 seed, {QUICK.n_iter} candidates",
    )
    parser.add_argument(
        "--problems",
        help="comma-separated problem names or glob patterns, e.g. 'DT-*,*-iris-*' "
        "(default: all 70)",
    )
    parser.add_argument(
        "--tools",
        help="comma-separated among " + ", ".join(SHORT_NAMES) + " (default: all)",
    )
    parser.add_argument("--seeds", type=int, help="number of seeds (default 3)")
    parser.add_argument(
        "--first-seed",
        type=int,
        help="first seed (default 0): runs of other seeds, made side by side, "
        "are combined with --merge",
    )
    parser.add_argument("--n-iter", type=int, help="candidates per search (32)")
    parser.add_argument(
        "--json",
        help="also write every run and table to this file (the runs so far after "
        "each problem, so that an interrupted run keeps them); gzip-compressed "
        "where the name ends in .gz",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="JSON",
        help="run no search: build the tables from the runs in these --json files "
        "(.json or .json.gz); --problems, --tools, --seeds and --first-seed select "
        "among their runs",
    )
    args = parser.parse_args(argv)

    config = QUICK if args.quick else FULL
    tools = config.tools
    if args.tools:
        names = args.tools.split(",")
        unknown = set(names) - set(SHORT_NAMES)
        if unknown:
            parser.error(
                f"--tools: unknown {sorted(unknown)}; known {list(SHORT_NAMES)}"
            )
        tools = tuple(tool for tool in TOOLS if tool in {SHORT_NAMES[n] for n in names})
    problems = config.problems
    if args.problems:
        try:
            problems = select_problems(args.problems)
        except ValueError as error:
            parser.error(str(error))
    config = dataclasses.replace(
        config,
        problems=problems,
        tools=tools,
        seeds=args.seeds or config.seeds,
        first_seed=args.first_seed or 0,
        n_iter=args.n_iter or config.n_iter,
    )

    description = machine()
    start = time.perf_counter()
    if args.merge:
        runs, config = merged_runs(args.merge)
        runs = select_runs(
            runs,
            problems=set(problems) if args.problems else None,
            tools=set(tools) if args.tools else None,
            first_seed=args.first_seed,
            seeds=args.seeds,
        )
        config = config_of(runs, config.n_iter)
        print("tables from the runs of " + ", ".join(args.merge))
        uneven = seeds_apart(runs)
        if uneven:
            print(
                "the tools ran different seeds (" + uneven + "): a tool's means "
                "are over its own seeds; compare tools on the same seeds with "
                "--seeds and --first-seed"
            )
    print("machine: " + ", ".join(f"{k} {v}" for k, v in description.items()))
    if not args.merge:
        SEARCH._progress(
            f"{len(config.problems)} problems x {config.seeds} seeds x "
            f"{len(config.tools)} tools"
        )
        partial = None
        if args.json:
            # the runs so far, which --merge reads as well as a finished file's
            def partial(runs):
                _write(
                    args.json,
                    {
                        "machine": description,
                        "config": dataclasses.asdict(config),
                        "partial": True,
                        "runs": runs,
                    },
                )

        runs = run(config, after_problem=partial)
    seeds = sorted({run["seed"] for run in runs})
    print(
        f"problems {len(config.problems)}, seeds {seeds}, tools {len(config.tools)}, "
        f"n_iter {config.n_iter}, 3-fold CV on 80% of the data, test on 20%; "
        "times in seconds; BLAS/OpenMP limited to 1 thread"
    )
    result = tables(runs, config)
    for name, table in result.items():
        _print(TITLES[name], table)
    elapsed = time.perf_counter() - start
    load = SEARCH.machine()["load average 1/5/15 min"]
    print(f"\ntotal time: {elapsed:.0f} s; load average 1/5/15 min at the end {load}")
    if args.json:
        document = {
            "machine": description,
            "load average at the end": load,
            "total time s": elapsed,
            "config": dataclasses.asdict(config),
            "tables": {
                name: table.to_dict("records") for name, table in result.items()
            },
            "runs": runs,
        }
        _write(args.json, document)
    return result


if __name__ == "__main__":
    main()
