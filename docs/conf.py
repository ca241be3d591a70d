"""Sphinx configuration of the sklearn_hp documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
Nothing here reaches the network, at build time or when the pages are read:
no intersphinx, sphinx-gallery only links to the local build, and maths is
drawn into the pages at build time (``_ext/math_svg.py``), not by a script
from a CDN. ``.ci/check_docs.py`` checks the built pages for that.
"""

import sys
from pathlib import Path

import matplotlib

import sklearn_hp

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# The examples draw their figures off-screen.
matplotlib.use("Agg")

project = "sklearn_hp"
author = "sklearn_hp developers"
copyright = "sklearn_hp developers"
version = sklearn_hp.__version__
release = version

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "param_tables",
    "math_svg",
    "sklearn_inherited",
]

# CHANGELOG.md is Markdown, rendered by myst-parser.
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_heading_anchors = 3
html_math_renderer = "mathtext_svg"

templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]

# -- API reference -------------------------------------------------------------

# Single backticks render as code, as in scikit-learn's docstrings.
default_role = "literal"

autosummary_generate = True
# Keep the class signature next to the class name, not in a second paragraph.
autodoc_class_signature = "mixed"
autodoc_default_options = {"member-order": "alphabetical"}
# The numpydoc Parameters sections give each type in words; the annotations
# (unions of array and sparse types) would make the signatures unreadable.
autodoc_typehints = "none"

# numpydoc renders the Attributes section; the class template lists the
# methods, so numpydoc's own member tables would document everything twice.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- Examples gallery ------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "doc_module": ("sklearn_hp",),
    # None: link the example code to this documentation, not to a remote one.
    "reference_url": {"sklearn_hp": None},
    "backreferences_dir": None,
    "remove_config_comments": True,
    # its pages of execution times load jQuery and DataTables from a CDN
    "write_computation_times": False,
}

# -- HTML output -----------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_hp {version}"
html_static_path = ["_static"]
html_css_files = ["sklearn_hp.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    # One sidebar, on the left, with the section's pages and this page's
    # sections: a second one on the right left the text ~640 px at 1280 px.
    "secondary_sidebar_items": [],
}
html_sidebars = {
    "**": ["sidebar-nav-bs", "page-toc"],
    "index": [],
    "getting_started": ["page-toc"],
    "changelog": ["page-toc"],
}


# -- Members inherited from scikit-learn -----------------------------------------
# The class pages need ``:inherited-members:`` because ``fit`` and ``predict``
# live in private base classes of this package. Members that come from
# scikit-learn itself (``get_params``, ``score``, the metadata-routing
# ``set_*_request`` methods) are left to scikit-learn's documentation: their
# docstrings refer to labels and glossary terms that exist only there.


def _is_from_scikit_learn(obj):
    obj = getattr(obj, "fget", obj)  # a property: where its getter comes from
    module = getattr(obj, "__module__", None) or ""
    return module == "sklearn" or module.startswith("sklearn.")


def _skip_scikit_learn_members(app, what, name, obj, skip, options):
    if what == "class" and _is_from_scikit_learn(obj):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_scikit_learn_members)
