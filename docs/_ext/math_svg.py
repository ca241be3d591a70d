"""Sphinx extension: maths rendered at build time, as inline SVG.

MathJax would have the reader's browser fetch a script from a CDN, so a page
read offline shows raw ``\\(p\\)``. matplotlib's mathtext (already needed to
build the examples) draws the TeX subset these pages use; each formula is
written into the page as an ``<svg>`` element sized in ``em``, so it scales
with the text around it and needs nothing at reading time.
"""

import hashlib
import io
import re

import matplotlib
from docutils import nodes
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from sphinx.errors import ExtensionError

# Drawn at this size in points; sized in the page relative to the text.
_FONT_SIZE = 10.0
_PARSER = MathTextParser("path")
# Computer Modern has a smaller x-height than the theme's sans-serif text:
# drawn a fifth larger, its letters match the text's.
_SCALE = 1.2
# Computer Modern, as TeX draws it; glyphs as paths, so no font is needed.
_STYLE = {"mathtext.fontset": "cm", "svg.fonttype": "path"}


def _svg(latex, display):
    """Return the ``<svg>`` of ``latex``, aligned on the text's baseline."""
    latex = " ".join(latex.split())  # a formula wrapped over lines is one line
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        try:
            width, height, depth, _, _ = _PARSER.parse(
                f"${latex}$", dpi=72, prop=FontProperties(size=_FONT_SIZE)
            )
        except ValueError as error:
            raise ExtensionError(f"cannot render {latex!r}: {error}") from error
        figure = Figure(figsize=(width / 72, height / 72))
        figure.text(0, depth / height, f"${latex}$", fontsize=_FONT_SIZE)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    # Glyph ids are unique within one formula only: prefix them per formula.
    key = "m" + hashlib.sha1(latex.encode()).hexdigest()[:10]
    svg = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', svg)
    em = _FONT_SIZE / _SCALE
    style = (
        f"width:{width / em:.3f}em;height:{height / em:.3f}em;"
        f"vertical-align:{-depth / em:.3f}em"
    )
    svg = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        lambda match: (
            f'<svg{match[1]} role="img" aria-label="{_escape(latex)}" style="{style}"'
        ),
        svg,
        count=1,
    )
    return svg


def _escape(text):
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _visit_inline(self, node):
    self.body.append(f'<span class="math">{_svg(node.astext(), False)}</span>')
    raise nodes.SkipNode


def _visit_block(self, node):
    self.body.append(f'<div class="math">{_svg(node.astext(), True)}</div>')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer(
        "mathtext_svg", (_visit_inline, None), (_visit_block, None)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
