"""A progress bar for searches: candidates done and the best score so far."""

import sys
import warnings
from typing import Literal, TextIO

from scipy.optimize import OptimizeResult

_NO_BAR = (
    "neither tqdm nor rich is installed, so progress is printed as lines of "
    'text; pip install "sklearn_hp[progress]" for a progress bar'
)


class ProgressBar:
    """Show a search's progress: candidates evaluated and the best score so far.

    A callback of :class:`BayesSearchCV`, on every scikit-learn release:
    ``BayesSearchCV(..., callbacks=ProgressBar())``; the bar moves after each
    batch of candidates and shows the best mean test score so far. (On
    scikit-learn >= 1.9, scikit-learn's own ``sklearn.callback.ProgressBar``,
    set with ``search.set_callbacks``, shows every fit of every fold
    instead, without the score.)

    The bar is drawn with tqdm (``tqdm.auto``: a text bar in a terminal, a
    widget in a notebook) or, without tqdm, with rich. With neither
    installed, progress is printed as one line of text per batch, after a
    warning that names the extra to install (``sklearn_hp[progress]``).

    Parameters
    ----------
    backend : {"auto", "tqdm", "rich", "text"}, default="auto"
        How to draw: "auto" takes the first of tqdm and rich that is
        installed, else text.
    file : file-like, default=None
        Where to draw; None for standard error.

    See Also
    --------
    BayesSearchCV : The search whose progress is shown.
    TimeBudgetStopper : A callback that stops a search.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hp import BayesSearchCV, ProgressBar
    >>> X, y = load_iris(return_X_y=True)
    >>> bar = ProgressBar(backend="text", file=sys.stdout)
    >>> search = BayesSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": [1, 2, 3]},
    ...     callbacks=bar,
    ... ).fit(X, y)
    BayesSearchCV: 1/3 candidates, best score 0.6667
    BayesSearchCV: 2/3 candidates, best score 0.9333
    BayesSearchCV: 3/3 candidates, best score 0.9600
    """

    def __init__(
        self,
        backend: Literal["auto", "tqdm", "rich", "text"] = "auto",
        file: TextIO | None = None,
    ) -> None:
        self.backend = backend
        self.file = file

    # -- drawing --------------------------------------------------------------------

    def _open(self, total, description="BayesSearchCV"):
        self._total = total
        self._done = 0
        self._best = None
        backend = self._backend()
        self._drawn = backend
        stream = self.file if self.file is not None else sys.stderr
        if backend == "tqdm":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=description, unit="cand", file=stream)
        elif backend == "rich":
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(file=stream))
            self._task = self._bar.add_task(description, total=total)
            self._bar.start()
        else:
            self._bar = stream
            self._description = description

    def _backend(self):
        if self.backend not in ("auto", "tqdm", "rich", "text"):
            raise ValueError(
                "ProgressBar: backend must be 'auto', 'tqdm', 'rich' or 'text', "
                f"got {self.backend!r}"
            )
        if self.backend != "auto":
            if self.backend != "text":
                _require(self.backend)
            return self.backend
        for backend in ("tqdm", "rich"):
            try:
                __import__(backend)
            except ImportError:
                continue
            return backend
        warnings.warn(_NO_BAR, stacklevel=3)
        return "text"

    def _advance(self, done, best):
        step = done - self._done
        self._done, self._best = done, best
        score = "" if best is None else f"best score {best:.4f}"
        if self._drawn == "tqdm":
            self._bar.set_postfix_str(score, refresh=False)
            self._bar.update(step)
        elif self._drawn == "rich":
            self._bar.update(
                self._task, advance=step, description=f"BayesSearchCV {score}"
            )
        else:
            total = "" if self._total is None else f"/{self._total}"
            line = f"{self._description}: {done}{total} candidates"
            print(f"{line}, {score}" if score else line, file=self._bar)

    def close(self) -> None:
        """Close the bar (called at the end of a search)."""
        bar = getattr(self, "_bar", None)
        if bar is None:
            return
        if self._drawn == "tqdm":
            bar.close()
        elif self._drawn == "rich":
            bar.stop()
        self._bar = None

    def __call__(self, result: OptimizeResult) -> bool:
        """Advance after a batch of a search; never stops it."""
        if getattr(self, "_bar", None) is None:
            self._open(getattr(result, "budget", None))
        scores = [s for s in result.scores if s == s]  # NaN: a failed candidate
        self._advance(len(result.scores), max(scores) if scores else None)
        return False


def _require(backend):
    try:
        __import__(backend)
    except ImportError:
        raise ImportError(
            f"ProgressBar(backend={backend!r}) needs {backend}, which is not "
            'installed: pip install "sklearn_hp[progress]"'
        ) from None
