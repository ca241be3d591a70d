"""Type aliases of the public signatures, for what the docstrings name in words.

Only aliases that several modules share live here; a type used once is
written where it is used.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.optimize import OptimizeResult
from sklearn.model_selection import BaseCrossValidator, BaseShuffleSplit

#: Input data, ``{array-like, sparse matrix}`` in a docstring.
if TYPE_CHECKING:
    MatrixLike = ArrayLike | sparse.spmatrix | sparse.sparray
else:
    # SciPy has a public base class of its sparse arrays from 1.11 on; with
    # 1.10, the oldest release supported, sparse matrices are all there is.
    MatrixLike = (
        ArrayLike | sparse.spmatrix | getattr(sparse, "sparray", sparse.spmatrix)
    )

#: ``random_state``: ``int, RandomState instance or None``.
RandomStateLike = int | np.random.RandomState | None

#: A search space: ``get_params`` name -> list of values, distribution,
#: scikit-optimize dimension or ``(low, high[, prior])``; or a list of
#: sub-spaces, each a dict or a ``(dict, n_iter)`` pair.
SearchSpaces = dict[str, Any] | list[dict[str, Any] | tuple[dict[str, Any], int]]

#: A callback of a search, called after each batch; a true result stops it.
Callback = Callable[[OptimizeResult], Any]

#: ``scoring`` of a search: ``str, callable, list, tuple or dict``.
Scoring = str | Callable[..., Any] | list[str] | tuple[str, ...] | dict[str, Any]

#: ``cv`` of a search: ``int, cross-validation generator or iterable``.
CrossValidation = int | BaseCrossValidator | BaseShuffleSplit | Iterable[Any]
