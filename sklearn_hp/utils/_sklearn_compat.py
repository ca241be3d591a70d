"""Every private name of scikit-learn the package uses, in one place.

scikit-learn does not promise that its private names stay; each new release
is adapted to here, and the rest of the package imports them from this
module. Where releases differ (the callbacks scikit-learn 1.9 passes to every
candidate and fold), the difference is resolved here too.
"""

from sklearn.base import _fit_context
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._validation import (
    _fit_and_score,
    _insert_error_scores,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils._param_validation import (
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    make_constraint,
    validate_parameter_constraints,
)
from sklearn.utils.validation import _check_method_params, _num_samples

# scikit-learn >= 1.9 passes callback contexts to every candidate and fold.
HAS_CALLBACK_CONTEXTS = hasattr(BaseSearchCV, "_init_callback_context")


def fit_and_score_callback_kwargs(caller, context):
    """Return the arguments of ``_fit_and_score`` that carry callbacks.

    scikit-learn >= 1.9 takes the search and the fit's callback context;
    earlier releases take neither.
    """
    if not HAS_CALLBACK_CONTEXTS:
        return {}
    return {"caller": caller, "callback_ctx": context}


__all__ = [
    "HAS_CALLBACK_CONTEXTS",
    "BaseSearchCV",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_check_method_params",
    "_fit_and_score",
    "_fit_context",
    "_insert_error_scores",
    "_num_samples",
    "_warn_or_raise_about_fit_failures",
    "fit_and_score_callback_kwargs",
    "make_constraint",
    "validate_parameter_constraints",
]
