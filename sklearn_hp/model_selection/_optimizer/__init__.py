"""The Bayesian optimizer behind BayesSearchCV, on public APIs only.

:class:`Optimizer` proposes the candidates of one sub-space (``ask``) and
learns their values (``tell``); :class:`OptimizerRecord` is what a search
keeps of it. The parts, each in its module:

- ``_optimizer``: the ask/tell loop (initial points, batches by the constant
  liar, ``gp_hedge``, failed candidates) and a search's initial design,
  :func:`initial_design`;
- ``_gaussian_process``: the default surrogate, a Gaussian process whose
  kernel is learnt under priors now and then;
- ``_surrogates``: the others (forests, gradient boosting, a user's
  regressor) and the pair of models of the per-second acquisition functions;
- ``_acquisition``: acquisition functions and the pool they are evaluated on;
- ``_coordinates``: points to the surrogate's coordinates and back;
- ``_warping``: the values the surrogate learns from those told;
- ``_record``: the compact record and the ``OptimizeResult`` it rebuilds.

The schedule that decides which sub-space proposes, and how many candidates,
is not here (``model_selection._schedule``, ``model_selection._halving``).
"""

from ._optimizer import (
    OPTIMIZER_KWARGS,
    Optimizer,
    check_optimizer_kwargs,
    initial_design,
    initial_points_for,
)
from ._record import OptimizerRecord

__all__ = [
    "OPTIMIZER_KWARGS",
    "Optimizer",
    "OptimizerRecord",
    "check_optimizer_kwargs",
    "initial_design",
    "initial_points_for",
]
