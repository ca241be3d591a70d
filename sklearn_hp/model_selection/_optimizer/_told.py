"""What an optimizer was told, and the lies of a batch it forgets afterwards.

Here: :class:`Observations`, the points told (as given, transformed, and by
identity), their values (NaN for a failed candidate) and log fit times, and
the values as a result shows them. What the surrogate learns from them is
:mod:`._warping`'s; what is proposed next, the optimizer's.
"""

import math
import sys

import numpy as np

from ._warping import failures_as_poor

# The lie of each constant-liar strategy, from the values told.
LIES = {"cl_min": np.min, "cl_mean": np.mean, "cl_max": np.max}


class Observations:
    """The points told to an optimizer and their values.

    Parameters
    ----------
    coordinates : Coordinates
        Transforms the points told.
    point_key : callable
        A point's hashable identity.
    grid : FiniteGrid or None, default=None
        The points of a small finite space, whose ``free`` mask is kept up to
        date.

    Attributes
    ----------
    points : list of list
    values : list of float
        NaN (or another value that is not finite) for a failed candidate.
    log_times : list of float
        The log fit times, when they were told.
    rows : list of ndarray
        The points, transformed.
    keys : set
        The points' identities.
    """

    def __init__(self, coordinates, point_key, grid=None):
        self.coordinates = coordinates
        self.point_key = point_key
        self.grid = grid
        self.points, self.values, self.log_times, self.rows = [], [], [], []
        self.keys = set()
        self._array = None

    def __len__(self):
        return len(self.values)

    def add(self, points, values, log_times=None):
        """Record ``points`` and their ``values`` (and log fit times)."""
        points = [list(point) for point in points]
        self.points.extend(points)
        self.values.extend(float(value) for value in values)
        if log_times is not None:
            self.log_times.extend(log_times)
        self.rows.extend(self.coordinates.transform(points))
        self._array = None
        for point in points:
            self.keys.add(self.point_key(point))
            row = None if self.grid is None else self.grid.row_of(point)
            if row is not None:
                self.grid.free[row] = False

    def mark(self):
        """Return what :meth:`forget_since` needs to come back to this state."""
        free = None if self.grid is None else self.grid.free.copy()
        return len(self.values), set(self.keys), free

    def forget_since(self, mark):
        """Forget every observation added since ``mark`` (a batch's lies)."""
        n, self.keys, free = mark
        if self.grid is not None:
            self.grid.free = free
        for told in (self.points, self.values, self.log_times, self.rows):
            del told[n:]
        self._array = None

    def array(self):
        """Return the transformed points as one array, built once per change.

        Returns
        -------
        rows : ndarray of shape (n_observations, n_columns)
            Shared: not to be modified.
        """
        if self._array is None:
            self._array = np.asarray(self.rows, dtype=float)
        return self._array

    def lie(self, strategy):
        """Return the value (and log fit time) a batch's next point is told.

        ``strategy``'s statistic of the values told, failures as their poor
        value; 0 while none is finite. The log fit time, when times are told,
        is the same statistic of theirs (the largest float's logarithm while
        none is known, as scikit-optimize has it).
        """
        statistic = LIES[strategy]
        values = self.shown_values()
        value = float(statistic(values)) if len(values) else 0.0
        log_time = (
            float(statistic(self.log_times))
            if self.log_times
            else math.log(sys.float_info.max)
        )
        return value, log_time

    def shown_values(self):
        """Return the values as a result shows them.

        A failure is the poor value it is learnt as
        (:func:`._warping.failures_as_poor`), 0 while no value is finite.
        """
        poor = failures_as_poor(self.values)
        return np.zeros(len(self.values)) if poor is None else poor
