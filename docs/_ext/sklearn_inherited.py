"""Sphinx extension: the methods a class takes from scikit-learn, linked there.

``fit`` and ``predict`` of this package's estimators are documented on their
pages; ``get_params``, ``score`` and, for the searches, ``predict``,
``transform`` and the rest of ``BaseSearchCV`` come from scikit-learn and
are described in its API reference. The directive ``.. sklearn-inherited::
NAME`` lists those methods of ``sklearn_hp.NAME``, each a link to the page of
the public scikit-learn class where the same method is documented.
"""

import inspect

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import sklearn_hp

SKLEARN_API = "https://scikit-learn.org/stable/modules/generated/"
METADATA_ROUTING = "https://scikit-learn.org/stable/metadata_routing.html"


def _public_homes():
    """Public scikit-learn classes whose pages document inherited methods."""
    from sklearn import base
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import GridSearchCV, HalvingRandomSearchCV

    return [
        # the class that defines a method before those that inherit it
        ("sklearn.base.BaseEstimator", base.BaseEstimator),
        ("sklearn.base.ClassifierMixin", base.ClassifierMixin),
        ("sklearn.base.RegressorMixin", base.RegressorMixin),
        ("sklearn.base.TransformerMixin", base.TransformerMixin),
        ("sklearn.model_selection.GridSearchCV", GridSearchCV),
        ("sklearn.model_selection.HalvingRandomSearchCV", HalvingRandomSearchCV),
    ]


def _from_scikit_learn(member):
    member = getattr(member, "fget", member)
    module = getattr(member, "__module__", None) or ""
    return module == "sklearn" or module.startswith("sklearn.")


def _origin(member):
    """Where a method is defined: wrappers made on each access compare equal."""
    member = getattr(member, "fget", member)
    return getattr(member, "__module__", None), getattr(member, "__qualname__", None)


def inherited_methods(cls):
    """``(name, url)`` of the public methods ``cls`` takes from scikit-learn."""
    homes = _public_homes()
    links = []
    for name, member in sorted(inspect.getmembers(cls)):
        if name.startswith("_") or not callable(member):
            continue
        if not _from_scikit_learn(member):
            continue
        if name.startswith("set_") and name.endswith("_request"):
            links.append((name, METADATA_ROUTING))
            continue
        for path, home in homes:
            if _origin(getattr(home, name, None)) == _origin(member):
                links.append((name, f"{SKLEARN_API}{path}.html#{path}.{name}"))
                break
        else:
            raise ValueError(
                f"{cls.__name__}.{name} comes from scikit-learn, but no public "
                "scikit-learn class documents it: add its class to _public_homes"
            )
    return links


class SklearnInherited(SphinxDirective):
    """List the methods a public class takes from scikit-learn, linked there."""

    required_arguments = 1

    def run(self):
        cls = getattr(sklearn_hp, self.arguments[0])
        links = inherited_methods(cls)
        if not links:
            return []
        paragraph = nodes.paragraph()
        paragraph += nodes.Text("From scikit-learn, documented there: ")
        for i, (name, url) in enumerate(links):
            if i:
                paragraph += nodes.Text(", ")
            reference = nodes.reference("", "", refuri=url)
            reference += nodes.literal(text=name)
            paragraph += reference
        paragraph += nodes.Text(".")
        return [paragraph]


def setup(app):
    app.add_directive("sklearn-inherited", SklearnInherited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
