"""ParamInspector: hyperparameters and learned parameters of any estimator."""

from __future__ import annotations

import html
import json
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Number
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ._fitted import (
    KINDS,
    classify,
    count_values,
    estimator_children,
    fitted_attribute_names,
    nbytes,
    read_attribute,
    shape_of,
)
from ._hyperparameters import (
    NO_DEFAULT,
    constraint_texts,
    init_defaults,
    parameter_descriptions,
    same_value,
    value_text,
)
from ._importance import hyperparameter_importances
from ._loading import is_model_path, load_model_file
from ._space_from_constraints import dimension_for

HYPERPARAMETER_COLUMNS = [
    "path",
    "name",
    "value",
    "default",
    "has_default",
    "is_default",
    "constraint",
    "description",
]
FITTED_COLUMNS = [
    "path",
    "name",
    "kind",
    "type",
    "shape",
    "size",
    "nbytes",
    "derived",
    "deprecated",
    "error",
]


@dataclass
class _FittedRow:
    path: str
    name: str
    kind: str
    type: str
    shape: Any
    size: int
    nbytes: int
    derived: bool
    deprecated: bool
    error: str | None
    value: Any = field(repr=False, default=None)


def _get_params(estimator, deep):
    """``estimator.get_params(deep)``, or its public attributes if that fails."""
    try:
        return dict(estimator.get_params(deep=deep))
    except Exception:
        return {
            name: getattr(estimator, name, None)
            for name in init_defaults(type(estimator))
        }


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    except Exception:
        return False
    return True


def _nested_nodes(estimator, path):
    """``(path, object)`` of the objects nested in ``estimator``'s parameters.

    The paths are attribute paths under ``path``: ``get_params`` key
    ``preprocess__num`` becomes ``preprocess.num``. A key is split where its
    prefix names a nested object rather than at every ``__``, since a name
    may itself end with an underscore (a step ``scale`` of a pipeline named
    ``prepare_`` has the key ``prepare___scale``).
    """
    params = _get_params(estimator, deep=True)
    keys = [
        key
        for key, value in params.items()
        if hasattr(value, "get_params") and not isinstance(value, type)
    ]
    paths = {}
    # get_params lists an object's parameters before the object itself, and a
    # parent's key is shorter than its children's: shortest first, parents first
    for key in sorted(keys, key=len):
        parent = max(
            (known for known in paths if key.startswith(f"{known}__")),
            key=len,
            default=None,
        )
        paths[key] = (
            _attribute_path(path, key)
            if parent is None
            else _attribute_path(paths[parent], key[len(parent) + 2 :])
        )
    return [(paths[key], params[key]) for key in keys]


def _join(path, name):
    """Return the ``get_params`` key of ``name`` of the object at ``path``."""
    return f"{path}__{name}" if path else name


def _attribute_path(path, name):
    """Return the attribute path of ``name`` of the object at ``path``.

    Fitted attributes and the sub-estimators under them are named as Python
    reads them, ``best_estimator_.clf.coef_``, not as ``get_params`` keys:
    ``__`` after a name ending with an underscore is hard to read.
    """
    return f"{path}.{name}" if path else name


class ParamInspector:
    """Hyperparameters and fitted parameters of any scikit-learn estimator.

    Hyperparameters are set before training: the constructor arguments that
    ``get_params`` returns, at every level of a pipeline or meta-estimator.
    Fitted parameters are set by ``fit``: the attributes ending with an
    underscore, sorted into what the model *learned* (weights, biases,
    coefficients, split thresholds, centroids, support vectors, the stored
    samples of k-NN), facts about the training *data*, the training record
    (*diagnostic*), hyperparameters *selected* during fit, and fitted
    sub-estimators (*estimator*), themselves inspected under their path.

    Nothing is computed when the inspector is created, except reading the
    model file it may be given; each method reads the estimator as it is when
    called. No method raises because of the estimator: an attribute that
    cannot be read is reported with its error, and warnings (deprecated
    attributes) are recorded, not shown.

    Parameters
    ----------
    estimator : estimator instance, str or os.PathLike
        Any object with ``get_params``, fitted or not: a scikit-learn
        estimator, a pipeline, a meta-estimator, a third-party estimator. Or
        the path of a ``.skops`` file, read with skops' safe loader (the
        ``skops`` extra: ``pip install "sklearn_hp[skops]"``); a path of any
        other file, such as a pickle or a joblib file, raises a ValueError,
        since loading one runs whatever code it holds: load it yourself if
        you trust it.

    trusted : sequence of str, default=None
        For a ``.skops`` file, the full names of the types to load although
        skops does not trust them by default, as
        ``skops.io.get_untrusted_types`` writes them. skops trusts the NumPy,
        SciPy and scikit-learn types it has reviewed, not sklearn_hp's own
        classes: a file holding an untrusted type not named here raises a
        TypeError that lists them. Name only types you
        expect the file to hold, in a file you made or whose maker you
        trust. Only for a path: passing it with an estimator raises a
        ValueError.

    Attributes
    ----------
    estimator : estimator instance
        The inspected estimator: as given, or read from the file given.

    See Also
    --------
    sklearn.base.BaseEstimator.get_params : The hyperparameters, unannotated.
    sklearn.utils.estimator_html_repr : scikit-learn's notebook view.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.neural_network import MLPClassifier
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_hp import ParamInspector
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X[:, :10])
    >>> model = MLPClassifier(hidden_layer_sizes=(20,), max_iter=1000, random_state=0)
    >>> inspector = ParamInspector(model.fit(X, y))
    >>> inspector.n_learned()  # 10*20 + 20 + 20*1 + 1
    241
    >>> table = inspector.hyperparameters().set_index("name")
    >>> row = table.loc["hidden_layer_sizes"]
    >>> row["value"], row["default"], bool(row["is_default"])
    ((20,), (100,), False)
    >>> fitted = inspector.fitted_parameters().set_index("name")
    >>> fitted.loc[["coefs_", "intercepts_", "n_iter_"], ["kind", "shape", "size"]]
                       kind               shape  size
    name
    coefs_          learned  [(10, 20), (20, 1)]   220
    intercepts_     learned       [(20,), (1,)]    21
    n_iter_      diagnostic                None     1

    A model saved with skops is read from its ``.skops`` file. skops trusts
    scikit-learn's types, not sklearn_hp's: name those in ``trusted`` when you
    trust the file.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import skops.io
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hp import KNearestNeighborsClassifier
    >>> model = make_pipeline(StandardScaler(), KNearestNeighborsClassifier())
    >>> path = Path(tempfile.mkdtemp()) / "model.skops"
    >>> skops.io.dump(model.fit(X, y), path)
    >>> ParamInspector(path)
    Traceback (most recent call last):
    ...
    TypeError: ParamInspector: refusing to load ...model.skops: it holds 1 type
    that skops does not trust by default:
        sklearn_hp.neighbors._classification.KNearestNeighborsClassifier
    ...
    >>> knn = "sklearn_hp.neighbors._classification.KNearestNeighborsClassifier"
    >>> ParamInspector(path, trusted=[knn])
    ParamInspector(Pipeline)
    """

    def __init__(
        self,
        estimator: BaseEstimator | str | os.PathLike,
        *,
        trusted: Sequence[str] | None = None,
    ) -> None:
        if is_model_path(estimator):
            estimator = load_model_file(estimator, trusted=trusted)
        elif trusted is not None:
            raise ValueError(
                "ParamInspector: trusted names the types to load from a .skops "
                f"file; estimator is a {type(estimator).__name__}, not the path "
                "of one"
            )
        self.estimator = estimator

    # -- the tree of estimators ------------------------------------------------

    def _checked(self):
        """Raise TypeError unless ``estimator`` is an estimator instance."""
        _check_estimator(self.estimator, "estimator")

    def _parameter_nodes(self):
        """``path -> object`` for the root and every nested ``get_params`` object."""
        self._checked()
        params = _get_params(self.estimator, deep=True)
        nodes = {"": self.estimator}
        for key, value in params.items():
            if hasattr(value, "get_params") and not isinstance(value, type):
                nodes[key] = value
        return nodes, params

    def hyperparameters(self) -> pd.DataFrame:
        """One row per hyperparameter, as in ``get_params(deep=True)``.

        Returns
        -------
        table : pandas.DataFrame
            Columns ``path`` (the owning estimator: ``""`` for the root,
            ``"clf"``, ``"preprocess__num"`` ...), ``name``, ``value``,
            ``default`` (``<no default>`` for required arguments and for
            names that are not constructor arguments, such as the steps of a
            pipeline), ``is_default`` (compared by value, so ``[100]`` and
            ``(100,)`` are the same), ``constraint`` (from
            ``_parameter_constraints``, where the class has them) and
            ``description`` (first sentence of the numpydoc entry).
        """
        nodes, params = self._parameter_nodes()
        rows = []
        for key, value in params.items():
            path, _, name = key.rpartition("__")
            owner = nodes.get(path)
            cls = type(owner)
            default = (
                init_defaults(cls).get(name, NO_DEFAULT)
                if owner is not None
                else NO_DEFAULT
            )
            rows.append(
                {
                    "path": path,
                    "name": name,
                    "value": value,
                    "default": default,
                    "has_default": default is not NO_DEFAULT,
                    "is_default": same_value(value, default),
                    "constraint": constraint_texts(cls).get(name),
                    "description": parameter_descriptions(cls).get(name),
                }
            )
        return pd.DataFrame(rows, columns=HYPERPARAMETER_COLUMNS)

    def _fitted_rows(self):
        """Rows of every fitted attribute of every fitted (sub-)estimator."""
        self._checked()
        hyperparameter_names = {}
        queue = [("", self.estimator), *_nested_nodes(self.estimator, "")]
        seen = set()
        rows = []
        while queue:
            path, estimator = queue.pop(0)
            if id(estimator) in seen:
                continue
            seen.add(id(estimator))
            if not _is_fitted(estimator):
                continue
            own_names = hyperparameter_names.setdefault(
                type(estimator), frozenset(init_defaults(type(estimator)))
            )
            names, instance = fitted_attribute_names(estimator)
            # Sub-estimators reached through stored attributes name their path
            # before those reached through properties (transformers_ before
            # named_transformers_): a path says where the object lives.
            through_properties = []
            for name in names:
                value, error, deprecated, derived = read_attribute(
                    estimator, name, instance
                )
                kind = classify(name, value, own_names)
                children = estimator_children(value) if kind == "estimator" else []
                rows.append(
                    _FittedRow(
                        path=path,
                        name=name,
                        kind=kind,
                        type="" if error else type(value).__name__,
                        shape=shape_of(value) if error is None else None,
                        size=0 if children or error else count_values(value),
                        nbytes=0 if children or error else nbytes(value),
                        derived=derived,
                        deprecated=deprecated,
                        error=error,
                        value=value,
                    )
                )
                for suffix, child in children:
                    child_path = _attribute_path(path, name) + suffix
                    # A fitted pipeline keeps its fitted steps in its
                    # hyperparameters: walk those too.
                    (through_properties if derived else queue).extend(
                        [(child_path, child), *_nested_nodes(child, child_path)]
                    )
            queue.extend(through_properties)
        return rows

    def fitted_parameters(self) -> pd.DataFrame:
        """One row per fitted attribute of every fitted (sub-)estimator.

        Returns
        -------
        table : pandas.DataFrame
            Columns ``path``, ``name``, ``kind`` (``learned``, ``selected``,
            ``data``, ``diagnostic``, ``estimator``; ``unavailable`` when
            reading it raised AttributeError, as ``SVC.coef_`` does for a
            non-linear kernel; ``error`` for any other exception), ``type``,
            ``shape`` (a list of shapes for a list of arrays), ``size``
            (scalars held: elements of an array, stored elements of a sparse
            matrix, the sum over a list, the node parameters of a tree),
            ``nbytes``, ``derived`` (a property
            computed from other attributes on access), ``deprecated`` and
            ``error`` (the exception text). ``path`` is where the attribute's
            owner lives, as Python reads it: ``""`` for the root, ``clf`` for
            a step of a pipeline, and a fitted sub-estimator is one
            ``estimator`` row whose own attributes come under its path:
            ``best_estimator_``, ``estimators_[3]``,
            ``preprocess.transformers_[num]``,
            ``best_estimator_.preprocess.transformers_[num]``. Hyperparameter
            paths (:meth:`hyperparameters`) stay ``get_params`` keys, joined
            with ``__``. Empty for an unfitted estimator.
        """
        rows = [
            {column: getattr(row, column) for column in FITTED_COLUMNS}
            for row in self._fitted_rows()
        ]
        return pd.DataFrame(rows, columns=FITTED_COLUMNS)

    def n_learned(self) -> int:
        """Total number of learned values in the whole estimator.

        Sums ``size`` over the ``learned`` rows that are stored, not derived,
        counting each object once however many paths reach it. A tree
        (``tree_`` of a decision tree, and of each tree of a forest or of
        gradient boosting) counts two values per split node, its feature and
        threshold, and the prediction of each leaf (``n_outputs *
        n_classes`` values); k-NN counts its stored samples and labels.

        Returns
        -------
        n_learned : int
            0 for an unfitted estimator.
        """
        return _count_learned(self._fitted_rows())

    def is_fitted(self) -> bool:
        """Whether the estimator is fitted, as ``check_is_fitted`` judges it.

        Returns
        -------
        fitted : bool
        """
        self._checked()
        return _is_fitted(self.estimator)

    def diff(self, other: BaseEstimator | ParamInspector) -> pd.DataFrame:
        """Hyperparameters and fitted shapes that differ from another estimator's.

        Parameters
        ----------
        other : estimator instance or ParamInspector
            The estimator to compare with.

        Returns
        -------
        table : pandas.DataFrame
            Columns ``what`` (``"hyperparameter"`` or ``"fitted shape"``),
            ``path`` (as in :meth:`hyperparameters` or
            :meth:`fitted_parameters`), ``name``, ``self`` and ``other``; a
            value missing on one side is ``<absent>``.
        """
        self._checked()
        if not isinstance(other, ParamInspector):
            _check_estimator(other, "other")
            other = ParamInspector(other)
        rows = []
        absent = "<absent>"

        def compare(what, mine, theirs, equal):
            for key in sorted(mine.keys() | theirs.keys()):
                a, b = mine.get(key, absent), theirs.get(key, absent)
                if a is absent or b is absent or not equal(a, b):
                    rows.append(
                        {
                            "what": what,
                            "path": key[0],
                            "name": key[1],
                            "self": a,
                            "other": b,
                        }
                    )

        def hyper(inspector):
            table = inspector.hyperparameters()
            return {
                (path, name): value
                for path, name, value in zip(
                    table["path"], table["name"], table["value"]
                )
            }

        def shapes(inspector):
            return {
                (row.path, row.name): row.shape
                for row in inspector._fitted_rows()
                if row.kind != "estimator"
            }

        compare("hyperparameter", hyper(self), hyper(other), same_value)
        compare("fitted shape", shapes(self), shapes(other), lambda a, b: a == b)
        return pd.DataFrame(rows, columns=["what", "path", "name", "self", "other"])

    def search_space(self) -> dict:
        """Derive a scikit-optimize search space over the tunable hyperparameters.

        Derived from ``_parameter_constraints``: options and booleans become
        ``Categorical``, bounded intervals ``Real`` or ``Integer``, open-ended
        intervals a log-uniform range around the default (a hundredth to a
        hundred times it for reals, a tenth to ten times for integers).
        ``n_jobs``, ``verbose``, ``random_state``, ``copy``, ``warm_start``,
        flags that only change what a fit copies, stores or precomputes
        (``copy_X``, ``store_covariance``, ``precompute``, ...),
        deprecated and hidden options, and hyperparameters without a numeric
        default or more than one option, are left out.

        Returns
        -------
        space : dict
            ``get_params`` path -> ``skopt.space.Dimension``, ready for a
            search over the same estimator.

        Raises
        ------
        TypeError
            If an estimator of the tree declares ``_parameter_constraints``
            that are not a dict.
        """
        nodes, params = self._parameter_nodes()
        space = {}
        for key, value in params.items():
            path, _, name = key.rpartition("__")
            owner = nodes.get(path)
            if owner is None or hasattr(value, "get_params"):
                continue
            constraints = _declared_constraints(type(owner)).get(name)
            default = init_defaults(type(owner)).get(name, NO_DEFAULT)
            if default is NO_DEFAULT:
                continue
            dimension = dimension_for(name, default, constraints)
            if dimension is not None:
                space[key] = dimension
        return space

    def tuned_hyperparameters(self, *, metric: str | None = None) -> pd.DataFrame:
        """List the hyperparameters a fitted search tuned, with their importance.

        For a fitted search (an estimator with ``cv_results_``, such as
        :class:`~sklearn.model_selection.GridSearchCV` or
        :class:`~sklearn_hp.BayesSearchCV`): each hyperparameter of its
        search space that took more than one value, its value in the best
        candidate, its default in the searched estimator, and its importance
        from :func:`~sklearn_hp.hyperparameter_importances`.

        Parameters
        ----------
        metric : str or None, default=None
            The metric of a multi-metric search to explain; by default the
            one ``refit`` names.

        Returns
        -------
        table : pandas.DataFrame
            Columns ``hyperparameter``, ``best_value``, ``default`` (or
            ``<no default>``), ``is_default``, ``importance``,
            ``importance_low``, ``importance_high`` and ``subspace``, the
            most important first in each sub-space.

        Raises
        ------
        ValueError
            If the estimator is not a fitted search.
        """
        self._checked()
        if not hasattr(self.estimator, "cv_results_"):
            raise ValueError(
                "tuned_hyperparameters reads a fitted search (an estimator with "
                f"cv_results_); {type(self.estimator).__name__} has none"
            )
        table = hyperparameter_importances(self.estimator, metric=metric)
        base = getattr(self.estimator, "estimator", None)
        defaults = {}
        if base is not None and hasattr(base, "get_params"):
            hyper = ParamInspector(base).hyperparameters()
            defaults = {
                _join(path, name): default
                for path, name, default in zip(
                    hyper["path"], hyper["name"], hyper["default"]
                )
            }
        default = [defaults.get(n, NO_DEFAULT) for n in table["hyperparameter"]]
        return pd.DataFrame(
            {
                "hyperparameter": table["hyperparameter"],
                "best_value": table["best_value"],
                "default": default,
                "is_default": [
                    same_value(v, d) for v, d in zip(table["best_value"], default)
                ],
                "importance": table["importance"],
                "importance_low": table["importance_low"],
                "importance_high": table["importance_high"],
                "subspace": table["subspace"],
            }
        )

    # -- reports -----------------------------------------------------------------

    def to_dict(self) -> dict:
        """Return the whole report as JSON-serialisable data.

        Returns
        -------
        report : dict
            ``estimator`` (class name), ``fitted``, ``n_learned``,
            ``hyperparameters`` and ``fitted_parameters`` (lists of rows);
            values that JSON cannot hold are given as short text.
        """
        rows = self._fitted_rows()
        report = {
            "estimator": type(self.estimator).__name__,
            "fitted": self.is_fitted(),
            "n_learned": _count_learned(rows),
            "hyperparameters": [
                {key: _jsonable(value) for key, value in row.items()}
                for row in self.hyperparameters().to_dict("records")
            ],
            "fitted_parameters": [
                {column: _jsonable(getattr(row, column)) for column in FITTED_COLUMNS}
                for row in rows
            ],
        }
        json.dumps(report)  # guarantees what the docstring promises
        return report

    def _summary(self):
        fitted = self.is_fitted()
        hyper = self.hyperparameters()
        rows = self._fitted_rows() if fitted else []
        return fitted, hyper, rows

    def __str__(self) -> str:
        fitted, hyper, rows = self._summary()
        name = type(self.estimator).__name__
        changed = hyper["has_default"].to_numpy(bool) & ~hyper["is_default"].to_numpy(
            bool
        )
        lines = [
            f"{name} ({'fitted' if fitted else 'not fitted'})",
            "",
            f"Hyperparameters (set before training): {len(hyper)}, "
            f"{int(changed.sum())} changed from their defaults (*)",
        ]
        if len(hyper):
            table = pd.DataFrame(
                {
                    "parameter": [
                        _join(p, n) for p, n in zip(hyper["path"], hyper["name"])
                    ],
                    "value": [value_text(v, 40) for v in hyper["value"]],
                    "default": [
                        value_text(d, 24) if d is not NO_DEFAULT else "(required)"
                        for d in hyper["default"]
                    ],
                    "": np.where(changed, "*", ""),
                }
            )
            lines.append(_text_table(table))
        lines.append("")
        if not fitted:
            lines.append("Fitted parameters: none, the estimator is not fitted.")
            return "\n".join(lines)
        shown = [r for r in rows if r.kind not in ("unavailable", "error")]
        lines.append(
            f"Fitted parameters (found by training): {len(shown)}, "
            f"{_count_learned(rows)} learned values"
        )
        if shown:
            table = pd.DataFrame(
                {
                    "attribute": [_attribute_path(r.path, r.name) for r in shown],
                    "kind": [r.kind for r in shown],
                    "type": [r.type for r in shown],
                    "shape": [value_text(r.shape, 30) for r in shown],
                    "size": [r.size for r in shown],
                }
            )
            lines.append(_text_table(table))
        # an attribute that does not apply (an AttributeError, such as coef_
        # of a non-linear SVC) is no news: only fitted_parameters() lists it
        for row in rows:
            if row.kind == "error":
                lines.append(
                    f"  {row.kind}: {_attribute_path(row.path, row.name)} ({row.error})"
                )
        if hasattr(self.estimator, "cv_results_"):
            lines += ["", *self._tuned_lines()]
        return "\n".join(lines)

    def _tuned_lines(self):
        """Return the report's lines on what a fitted search tuned."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tuned = self.tuned_hyperparameters()
        except Exception as error:  # the report never raises
            return [f"Tuned hyperparameters: unavailable ({error})"]
        several = tuned["subspace"].nunique() > 1
        lines = [
            f"Tuned hyperparameters (by the search): {len(tuned)}, the most "
            "important first (share of the score's variance it explains)"
        ]
        if len(tuned):
            table = pd.DataFrame(
                {
                    "parameter": tuned["hyperparameter"],
                    "best value": [value_text(v, 30) for v in tuned["best_value"]],
                    "default": [
                        value_text(d, 20) if d is not NO_DEFAULT else "(required)"
                        for d in tuned["default"]
                    ],
                    "importance": [
                        f"{m:.0%} [{lo:.0%}, {hi:.0%}]"
                        for m, lo, hi in zip(
                            tuned["importance"],
                            tuned["importance_low"],
                            tuned["importance_high"],
                        )
                    ],
                }
            )
            if several:
                table["sub-space"] = tuned["subspace"]
            lines.append(_text_table(table))
        return lines

    def _repr_html_(self) -> str:
        fitted, hyper, rows = self._summary()
        name = html.escape(type(self.estimator).__name__)
        parts = [
            "<div class='sklearn-hp-inspector'><style>"
            ".sklearn-hp-inspector .default{color:#888}"
            ".sklearn-hp-inspector .changed{font-weight:bold;background:#fff3cd}"
            ".sklearn-hp-inspector .learned{background:#e7f1ff}"
            ".sklearn-hp-inspector td,.sklearn-hp-inspector th"
            "{padding:2px 8px;text-align:left}</style>",
            f"<h4>{name} ({'fitted' if fitted else 'not fitted'})</h4>",
            "<b>Hyperparameters</b>: set before training; changed ones "
            "highlighted, defaults greyed.",
            "<table><tr><th>parameter</th><th>value</th><th>default</th>"
            "<th>constraint</th></tr>",
        ]
        for path, pname, value, default, is_default, constraint in zip(
            hyper["path"],
            hyper["name"],
            hyper["value"],
            hyper["default"],
            hyper["is_default"],
            hyper["constraint"],
        ):
            required = default is NO_DEFAULT
            css = "" if required else "default" if is_default else "changed"
            default_text = "(required)" if required else value_text(default)
            parts.append(
                f"<tr class='{css}'><td>{html.escape(_join(path, pname))}</td>"
                f"<td>{html.escape(value_text(value))}</td>"
                f"<td>{html.escape(default_text)}</td>"
                f"<td>{html.escape(constraint if isinstance(constraint, str) else '')}"
                "</td></tr>"
            )
        parts.append("</table>")
        if fitted:
            parts += [
                f"<b>Fitted parameters</b>: found by training, "
                f"{_count_learned(rows)} learned values.",
                "<table><tr><th>attribute</th><th>kind</th><th>type</th>"
                "<th>shape</th><th>size</th></tr>",
            ]
            order = {kind: position for position, kind in enumerate(KINDS)}
            for row in sorted(rows, key=lambda r: order.get(r.kind, len(order))):
                shape = row.error or value_text(row.shape, 40)
                parts.append(
                    f"<tr class='{row.kind}'>"
                    f"<td>{html.escape(_attribute_path(row.path, row.name))}</td>"
                    f"<td>{row.kind}</td><td>{html.escape(row.type)}</td>"
                    f"<td>{html.escape(shape)}</td><td>{row.size}</td></tr>"
                )
            parts.append("</table>")
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:
        return f"ParamInspector({type(self.estimator).__name__})"


def _text_table(frame):
    """Format a report's table: text columns aligned left, numbers right."""
    columns = list(frame.columns)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in columns]
    cells = [[str(c) for c in columns]]
    cells += [[str(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(row, widths, numeric)
        ).rstrip()
        for row in cells
    )


def _check_estimator(estimator, name):
    if isinstance(estimator, type):
        raise TypeError(
            f"ParamInspector: {name} must be an estimator instance, got the class "
            f"{estimator.__name__}; pass an instance, such as {estimator.__name__}()"
        )
    if not callable(getattr(estimator, "get_params", None)):
        # a str that is no path of a model file may still be a mistyped one
        hint = "; a saved model is read from the path of a .skops file"
        raise TypeError(
            f"ParamInspector: {name} must be an estimator (an object with "
            f"get_params), got {type(estimator).__name__}: {estimator!r:.80}"
            f"{hint if isinstance(estimator, str) else ''}"
        )


def _count_learned(rows):
    counted = set()
    total = 0
    for row in rows:
        if row.kind == "learned" and not row.derived and id(row.value) not in counted:
            counted.add(id(row.value))
            total += row.size
    return total


def _jsonable(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if np.isfinite(value) else str(value)
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, (list, tuple)) and all(
        isinstance(item, (int, float, str, bool, type(None), tuple, list))
        for item in value
    ):
        return [_jsonable(item) for item in value]
    return value_text(value, 200)


def _declared_constraints(cls):
    """Return the ``_parameter_constraints`` of ``cls``; {} where it has none.

    Constraints that are not a dict are refused rather than taken as none:
    the space is derived from them, and a class that declares them in
    another form (a list of names) means them to count. Taken as none, its
    hyperparameters would silently be left out of the space (a search given
    no space would only say that nothing could be derived), and
    scikit-learn's parameter validation, where the class uses it, fails on
    them anyway.
    """
    constraints = getattr(cls, "_parameter_constraints", None)
    if constraints is None:
        return {}
    if not isinstance(constraints, dict):
        raise TypeError(
            f"{cls.__name__}._parameter_constraints must be a dict of "
            "hyperparameter name to a list of constraints, as in scikit-learn, "
            f"got {type(constraints).__name__}: {constraints!r:.80}; no search "
            "space can be derived from it"
        )
    return constraints
