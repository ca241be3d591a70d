"""Docstring sections shared by every gradient-trained estimator."""

import textwrap

_SOLVER_PARAMETERS = """\
solver : {{"adam", "sgd"}}, default="adam"
    The update rule of gradient descent. ``"adam"`` adapts the step of each
    parameter to the history of its gradients (Kingma & Ba, 2015);
    ``"sgd"`` is plain stochastic gradient descent with ``momentum``.

learning_rate : float, default={learning_rate}
    Step size of the solver: how far each mini-batch moves the learned
    parameters.

batch_size : int or "auto", default="auto"
    Number of samples per gradient step. ``"auto"`` means
    ``min(200, n_samples)``; a larger value is clipped to ``n_samples``.

max_iter : int, default={max_iter}
    Maximum number of epochs (passes over the training data).

alpha : float, default={alpha}
    Strength of the L2 penalty on the weights (not on the intercepts). The
    objective is the mean loss plus ``alpha / (2 * n_samples) * ||W||^2``,
    the convention of :class:`~sklearn.linear_model.Ridge`, so ``alpha`` does
    not depend on ``batch_size``.

tol : float, default={tol}
    Minimum improvement of the training loss (or, with ``early_stopping``,
    of the validation score) for an epoch to count as progress.

n_iter_no_change : int, default={n_iter_no_change}
    Training stops after ``n_iter_no_change`` consecutive epochs without
    progress of at least ``tol``.

momentum : float, default=0.9
    Momentum of the ``"sgd"`` solver, in ``[0, 1)``. Ignored by ``"adam"``.

beta_1 : float, default=0.9
    Decay rate of Adam's first moment estimate, in ``[0, 1)``.

beta_2 : float, default=0.999
    Decay rate of Adam's second moment estimate, in ``[0, 1)``.

epsilon : float, default=1e-8
    Added to Adam's denominator for numerical stability.

early_stopping : bool, default=False
    Hold out ``validation_fraction`` of the training data (stratified for
    classifiers), stop when the validation score has not improved by ``tol``
    for ``n_iter_no_change`` epochs, and keep the parameters of the best
    epoch. Ignored by ``partial_fit``.

validation_fraction : float, default=0.1
    Share of the training data held out when ``early_stopping=True``.

shuffle : bool, default=True
    Whether to shuffle the training data before each epoch.

random_state : int, RandomState instance or None, default=None
    Seed of the initial weights, of the shuffling, of the validation split
    and of dropout. Pass an int for reproducible results.

warm_start : bool, default=False
    If True, ``fit`` starts from the parameters of the previous fit instead
    of a fresh initialisation. Each ``fit`` call still records its own
    ``n_iter_`` and ``loss_curve_``.

verbose : int, default=0
    Print the loss (and validation score) after each epoch when positive."""

_TRAINING_ATTRIBUTES = """\
n_iter_ : int
    Number of epochs run by the last call to ``fit``, or in total by
    successive calls to ``partial_fit``.

loss_curve_ : list of float
    Objective (mean loss plus penalty) after each epoch.{loss_units}

best_loss_ : float
    Lowest value of ``loss_curve_``.

validation_scores_ : list of float or None
    Score on the held-out data after each epoch ({score}), or None when
    ``early_stopping=False``.

best_validation_score_ : float or None
    Best value of ``validation_scores_``, or None when
    ``early_stopping=False``.

n_features_in_ : int
    Number of features seen during ``fit``.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of features seen during ``fit``. Defined only when ``X`` has
    feature names that are all strings."""


def _indent(text):
    return textwrap.indent(text, "    ", lambda line: line.strip())


def fill_training_docstring(
    *,
    learning_rate,
    max_iter=200,
    alpha=0.0001,
    tol=0.0001,
    n_iter_no_change=10,
    **extra_sections,
):
    """Class decorator filling the shared sections of a docstring.

    The class docstring holds the placeholders ``{solver_parameters}``,
    ``{training_attributes}`` and one per keyword of ``extra_sections``, each
    on a line of its own; the defaults given here are written into the text,
    so the rendered docstring reads as if written out in full.
    """

    def decorate(cls):
        regression = "Regressor" in cls.__name__
        sections = {
            "solver_parameters": _SOLVER_PARAMETERS.format(
                learning_rate=learning_rate,
                max_iter=max_iter,
                alpha=alpha,
                tol=tol,
                n_iter_no_change=n_iter_no_change,
            ),
            "training_attributes": _TRAINING_ATTRIBUTES.format(
                score="R^2" if regression else "accuracy",
                loss_units=(
                    " The loss is measured on the standardised target."
                    if regression
                    else ""
                ),
            ),
            **extra_sections,
        }
        doc = cls.__doc__
        for name, text in sections.items():
            doc = doc.replace("    {" + name + "}", _indent(text))
        cls.__doc__ = doc
        return cls

    return decorate
