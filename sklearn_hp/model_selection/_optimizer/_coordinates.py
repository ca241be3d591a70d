"""A space's points as rows of the surrogate's coordinates, and back.

Here: :class:`Coordinates`, which transforms points to rows, decodes rows to
points, draws rows from the space's prior and sets the fixed dimensions of
rows and points, dimension by dimension (a category by table lookup); and
:class:`FiniteGrid`, every point of a small finite space. What rows to
evaluate the acquisition function on, and which to propose, is
:mod:`._acquisition`'s.
"""

import itertools
import numbers
import warnings

import numpy as np
from skopt.space import Categorical, Integer, Real
from skopt.utils import cook_initial_point_generator

# A finite space up to this size is searched exactly: the acquisition function
# is evaluated at every point not yet taken.
MAX_EXACT = 5000
# A finite space up to this size is enumerated to find a point not taken when
# random draws keep hitting taken ones.
MAX_ENUMERATED = 100_000
# The random Latin hypercubes among which "lhs" keeps the one whose closest
# two points are farthest apart (scikit-optimize's Lhs() default).
LHS_DESIGNS = 1000
# The coordinate differences between pairs of points computed at once (4 MB)
# when designs are compared.
_GAPS_AT_ONCE = 2**19


class Coordinates:
    """The transformed coordinates of a space, dimension by dimension.

    What ``Space.transform`` and ``Space.inverse_transform`` give, but a
    category is looked up in the table of its transformed rows instead of
    encoded through scikit-learn's validated encoders (milliseconds even for
    one point), and draws from the prior are made in transformed coordinates
    directly where the prior is uniform there.

    Parameters
    ----------
    space : skopt.space.Space
    fixed : dict or None, default=None
        Dimension index to the value every drawn row and completed point has
        there.

    Attributes
    ----------
    columns : list of slice
        Each dimension's columns.
    bounds : ndarray of shape (n_columns, 2)
        Each column's lowest and highest transformed value.
    """

    def __init__(self, space, fixed=None):
        self.space = space
        self.fixed = dict(fixed or {})
        self.columns, start = [], 0
        for dimension in space.dimensions:
            self.columns.append(slice(start, start + dimension.transformed_size))
            start += dimension.transformed_size
        self.tables, self.positions = {}, {}
        bounds = []
        for index, dimension in enumerate(space.dimensions):
            if isinstance(dimension, Categorical):
                categories = list(dimension.categories)
                table = np.asarray(dimension.transform(categories), dtype=float)
                self.tables[index] = table.reshape(len(categories), -1)
                self.positions[index] = {c: row for row, c in enumerate(categories)}
                bounds.extend(np.reshape(dimension.transformed_bounds, (-1, 2)))
            else:
                # from the transform itself, which the dimension's own
                # transformed_bounds do not always agree with
                ends = np.asarray(dimension.transform(list(dimension.bounds)))
                bounds.append(np.asarray(ends, dtype=float).ravel())
        self.bounds = np.asarray(bounds, dtype=float).reshape(-1, 2)
        self._fixed_columns = [
            (self.columns[index], self.transform_values(index, [value])[0])
            for index, value in self.fixed.items()
        ]

    @property
    def n_columns(self):
        """The number of transformed coordinates."""
        return len(self.bounds)

    def category_neighbours(self, point):
        """Return the points that differ from ``point`` in one category only.

        Every other category of each categorical dimension that is not fixed,
        in the order of the dimensions and of their categories.
        """
        neighbours = []
        for index in self.tables:
            if index in self.fixed:
                continue
            for category in self.space.dimensions[index].categories:
                if category != point[index]:
                    neighbour = list(point)
                    neighbour[index] = category
                    neighbours.append(neighbour)
        return neighbours

    def transform_values(self, index, values):
        """Return the rows of dimension ``index``'s ``values``, one per value."""
        dimension = self.space.dimensions[index]
        table = self.tables.get(index)
        if table is not None:
            position = self.positions[index]
            return table[[position[value] for value in values]]
        column = np.asarray(dimension.transform(list(values)), dtype=float)
        return column.reshape(len(values), -1)

    def transform(self, points):
        """Return the transformed rows of ``points``, as ``Space.transform``."""
        if not len(points):
            return np.empty((0, self.n_columns))
        return np.hstack(
            [
                self.transform_values(index, [point[index] for point in points])
                for index in range(len(self.space.dimensions))
            ]
        )

    def decode(self, rows):
        """Return the points of transformed rows, as ``Space.inverse_transform``.

        A category is looked up in the table of its transformed rows when the
        row is one of them (always, in the random pool), and decoded by the
        dimension otherwise; it is the category itself, where
        ``Space.inverse_transform`` gives numpy's copy of it.
        """
        rows = np.asarray(rows, dtype=float).reshape(-1, self.n_columns)
        columns = []
        for index, (dimension, block) in enumerate(
            zip(self.space.dimensions, self.columns)
        ):
            values = rows[:, block]
            if values.shape[1] == 1:
                values = values[:, 0]
            table = self.tables.get(index)
            if table is None:
                columns.append(dimension.inverse_transform(values))
                continue
            blocks = values.reshape(len(rows), -1)
            distances = ((blocks[:, None] - table) ** 2).sum(axis=2)
            nearest = distances.argmin(axis=1)
            if distances[np.arange(len(rows)), nearest].any():
                positions = self.positions[index]
                nearest = [positions[v] for v in dimension.inverse_transform(values)]
            categories = dimension.categories
            columns.append([categories[i] for i in nearest])
        return [list(point) for point in zip(*columns)]

    def sample(self, n_samples, random_state):
        """Draw rows from the space's prior, in transformed coordinates.

        The fixed dimensions are set.
        """
        rng = random_state
        columns = []
        for index, dimension in enumerate(self.space.dimensions):
            table = self.tables.get(index)
            if table is not None:
                prior = dimension.prior
                if prior is not None:
                    prior = np.asarray(prior, dtype=float) / np.sum(prior)
                columns.append(table[rng.choice(len(table), size=n_samples, p=prior)])
            elif isinstance(dimension, Real) and np.dtype(dimension.dtype) == float:
                # Either prior is uniform in the transformed coordinate (a
                # log-uniform one in the logarithm), which is linear in it.
                low, high = self.bounds[self.columns[index].start]
                columns.append(rng.uniform(low, high, size=(n_samples, 1)))
            elif isinstance(dimension, Integer) and dimension.prior == "uniform":
                low, high = dimension.bounds
                values = low + rng.randint(high - low + 1, size=n_samples)
                columns.append(self.transform_values(index, values.tolist()))
            else:
                values = dimension.rvs(n_samples=n_samples, random_state=rng)
                columns.append(self.transform_values(index, values))
        return self.fix(np.hstack(columns))

    def one_redrawn(self, point, n_samples, random_state):
        """Draw rows that are ``point`` with one dimension redrawn from the prior.

        Each row's dimension is drawn at random among those not fixed, and
        its value from the dimension's prior (as :meth:`sample` draws it);
        the row's other dimensions are ``point``'s. A redrawn value may be
        ``point``'s own.
        """
        rng = random_state
        drawn = self.sample(n_samples, rng)
        rows = np.repeat(self.transform([point]), n_samples, axis=0)
        free = [i for i in range(len(self.columns)) if i not in self.fixed]
        if not free:
            return rows
        chosen = np.asarray(free)[rng.randint(len(free), size=n_samples)]
        for index in free:
            redrawn = chosen == index
            rows[redrawn, self.columns[index]] = drawn[redrawn, self.columns[index]]
        return rows

    def fix(self, rows):
        """Set the fixed dimensions' columns of ``rows``, in place; return them."""
        for columns, value in self._fixed_columns:
            rows[:, columns] = value
        return rows

    def enumerated(self, accept):
        """Return every point of a finite space that ``accept`` accepts.

        With the fixed dimensions' values only; [] for a space with a
        continuous dimension or more than :data:`MAX_ENUMERATED` points.
        """
        if finite_size(self.space, MAX_ENUMERATED) is None:
            return []
        return [
            point
            for point in grid_points(self.space)
            if point == self.with_fixed(point) and accept(point)
        ]

    def with_fixed(self, point):
        """Return a copy of ``point`` with its fixed dimensions set."""
        point = list(point)
        for index, value in self.fixed.items():
            point[index] = value
        return point


def initial_points(space, generator, n_points, random_state):
    """Return the points an initial point generator gives, None for random ones.

    ``"lhs"`` is scikit-optimize's ``Lhs()`` (classic, maximin over
    :data:`LHS_DESIGNS` designs) computed by :func:`maximin_latin_hypercube`
    in a few milliseconds, where scikit-optimize's takes ~0.2 s; the other
    names and generators are scikit-optimize's own.

    Parameters
    ----------
    space : skopt.space.Space
    generator : str or InitialPointGenerator
        As ``skopt.utils.cook_initial_point_generator`` takes it.
    n_points : int
    random_state : RandomState instance
        Seeds the generator.

    Returns
    -------
    points : list of list or None
    """
    if isinstance(generator, str) and generator.lower() == "lhs" and n_points:
        return maximin_latin_hypercube(space, n_points, random_state)
    generator = cook_initial_point_generator(generator)
    if generator is None or n_points == 0:
        return None
    # a generator may change the dimensions' transforms: put them back
    transformer = space.get_transformer()
    with warnings.catch_warnings():
        # Sobol' points balance best by powers of 2; any number is used
        warnings.simplefilter("ignore")
        points = generator.generate(
            space.dimensions,
            n_points,
            random_state=random_state.randint(0, np.iinfo(np.int32).max),
        )
    space.set_transformer(transformer)
    return [list(point) for point in points]


def maximin_latin_hypercube(space, n_points, random_state, n_designs=LHS_DESIGNS):
    """Return the most spread of random Latin hypercubes of ``space``.

    Each design cuts every dimension's range (its prior's: a log-uniform
    one on the log scale) into ``n_points`` equal strata and puts one point,
    uniformly drawn, in each stratum of each dimension, the strata paired
    at random across dimensions: every dimension is covered evenly, which
    random points leave to chance. Of ``n_designs`` designs, compared a
    chunk at a time, the one whose two closest points are farthest apart is
    kept. A category or a uniform integer takes the value whose equal share
    of the unit range the coordinate falls in: every value equally often
    over the strata.

    Parameters
    ----------
    space : skopt.space.Space
    n_points : int
    random_state : RandomState instance
    n_designs : int, default=LHS_DESIGNS

    Returns
    -------
    points : list of list
    """
    n_dims = space.n_dims
    if n_points == 1:
        n_designs = 1  # one point is as spread as any other
    chunk = max(1, min(n_designs, _GAPS_AT_ONCE // (n_points * n_points * n_dims)))
    best, best_spread = None, -np.inf
    for start in range(0, n_designs, chunk):
        size = min(chunk, n_designs - start)
        strata = random_state.rand(size, n_points, n_dims).argsort(axis=1)
        designs = (strata + random_state.rand(size, n_points, n_dims)) / n_points
        gaps = designs[:, :, None, :] - designs[:, None, :, :]
        distances = np.einsum("dijk,dijk->dij", gaps, gaps)
        distances[:, np.arange(n_points), np.arange(n_points)] = np.inf
        spread = distances.min(axis=(1, 2))
        index = int(np.argmax(spread))
        if spread[index] > best_spread:
            best, best_spread = designs[index], spread[index]
    columns = [_from_unit(d, best[:, i]) for i, d in enumerate(space.dimensions)]
    return [list(point) for point in zip(*columns)]


def _from_unit(dimension, unit):
    """Return the values of ``dimension`` at coordinates ``unit`` in [0, 1).

    A real number on its prior's scale (a log-uniform one on the log scale); a
    log-uniform integer rounded on that scale; a category or a uniform
    integer the value whose share of the unit range the coordinate falls in,
    shares equal but for a category's prior (rounding would give the two end
    values half a share).
    """
    if isinstance(dimension, Categorical):
        n_values = len(dimension.categories)
        shares = np.ones(n_values) if dimension.prior is None else dimension.prior
        edges = np.cumsum(shares, dtype=float)[:-1] / np.sum(shares)
        indices = np.searchsorted(edges, unit, side="right")
        return [dimension.categories[index] for index in indices]
    low, high = dimension.bounds
    log = dimension.prior == "log-uniform"
    if isinstance(dimension, Integer):
        low, high = int(low), int(high)
        if not log:
            n_values = high - low + 1
            indices = np.minimum((unit * n_values).astype(np.int64), n_values - 1)
            return [low + int(index) for index in indices]
        values = np.rint(low * (high / low) ** unit)
        return [int(value) for value in np.clip(values, low, high)]
    values = low * (high / low) ** unit if log else low + unit * (high - low)
    values = np.clip(values, low, high)
    dtype = np.dtype(dimension.dtype)
    if dtype == np.float64:
        return [float(value) for value in values]
    return list(values.astype(dtype))


def dimension_values(dimension):
    """Every value of a categorical or integer dimension."""
    if isinstance(dimension, Categorical):
        return list(dimension.categories)
    low, high = dimension.bounds
    return list(range(int(low), int(high) + 1))


def finite_size(space, limit):
    """Return the size of ``space``; None if continuous or above ``limit``."""
    size = 1
    for dimension in space.dimensions:
        if isinstance(dimension, Categorical):
            size *= len(dimension.categories)
        elif isinstance(dimension, Integer):
            low, high = dimension.bounds
            size *= int(high) - int(low) + 1
        else:
            return None
        if size > limit:
            return None
    return size


def grid_points(space):
    """Yield every point of a finite space, in ``itertools.product``'s order."""
    grids = [dimension_values(d) for d in space.dimensions]
    return (list(point) for point in itertools.product(*grids))


class FiniteGrid:
    """Every point of a small finite space, and which were not told yet.

    Parameters
    ----------
    coordinates : Coordinates
        The space's coordinates; its fixed dimensions keep only the points
        with their values.
    accept : callable or None, default=None
        Whether a point may be proposed (the space's constraint).

    Attributes
    ----------
    points : list of list
    rows : ndarray of shape (n_points, n_columns)
        The points, transformed.
    free : ndarray of bool of shape (n_points,)
        Whether each point was not told yet.
    """

    def __init__(self, coordinates, accept=None):
        fixed = coordinates.fixed
        self.points = [
            point
            for point in grid_points(coordinates.space)
            if all(point[index] == value for index, value in fixed.items())
            and (accept is None or accept(point))
        ]
        self.rows = coordinates.transform(self.points)
        self.free = np.ones(len(self.points), dtype=bool)
        self._index = {_key(point): row for row, point in enumerate(self.points)}

    @classmethod
    def of(cls, coordinates, accept=None):
        """Return the grid of a space of at most :data:`MAX_EXACT` points, else None."""
        if finite_size(coordinates.space, MAX_EXACT) is None:
            return None
        return cls(coordinates, accept)

    def row_of(self, point):
        """Return the index of ``point`` in the grid, or None."""
        return self._index.get(_key(point))


def _key(point):
    # 3, 3.0 and numpy's 3 are one integer
    return tuple(float(v) if isinstance(v, numbers.Real) else v for v in point)
