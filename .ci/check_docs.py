r"""Check the built documentation for what a reader would see go wrong.

Usage: ``python .ci/check_docs.py BUILD_DIR`` (the HTML output of sphinx).
Fails, listing each page and what is wrong with it, when

- a page loads a script, a style sheet or a font from the network (a CDN):
  read offline, it renders without it;
- a page's text holds raw TeX delimiters (``\(``, ``\[``, ``$$``): maths
  that was not rendered;
- the changelog page holds a Markdown heading as text (``# Changelog``,
  ``### Added``): the Markdown was shown, not rendered.

Code blocks are not checked for TeX or Markdown: they show source as source.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Elements whose text is code or not shown as prose.
_SKIPPED = {"pre", "code", "script", "style", "svg", "kbd", "samp", "textarea"}
_RESOURCE = {"script": "src", "link": "href", "img": "src", "iframe": "src"}
_RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6} \S", re.MULTILINE)
_URL = re.compile(r"https?://[^\"'\s)<>]+")
_CDN = re.compile(r"cdn|mathjax|unpkg|googleapis", re.I)


class _Page(HTMLParser):
    """The network resources and the prose text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.remote = []
        self.text = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        attribute = _RESOURCE.get(tag)
        url = attrs.get(attribute) or ""
        # a link to another site is fine; a style sheet or font fetched is not
        fetched = tag != "link" or attrs.get("rel") in ("stylesheet", "preload")
        if fetched and re.match(r"(https?:)?//", url):
            self.remote.append(f"<{tag} {attribute}={url!r}>")
        if tag in _SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.text.append(data)


def problems(build_dir):
    """Return ``(page, problem)`` for every problem found under ``build_dir``."""
    build_dir = Path(build_dir)
    found = []
    pages = sorted(build_dir.rglob("*.html"))
    if not pages:
        return [(str(build_dir), "no HTML page: is this a sphinx HTML build?")]
    for path in pages:
        page = path.relative_to(build_dir).as_posix()
        source = path.read_text(encoding="utf-8")
        parser = _Page()
        parser.feed(source)
        found += [(page, f"loads {what} from the network") for what in parser.remote]
        # a URL built in an inline script is fetched too; a link is not
        for match in _URL.finditer(source):
            url = match.group(0)
            before = source[max(0, match.start() - 10) : match.start()]
            reported = any(url in what for what in parser.remote)
            if _CDN.search(url) and "href=" not in before and not reported:
                found.append((page, f"names a CDN: {url}"))
        text = "".join(parser.text)
        for match in _RAW_TEX.finditer(text):
            context = text[max(0, match.start() - 30) : match.end() + 30]
            found.append((page, f"raw TeX in the text: {' '.join(context.split())!r}"))
        if page == "changelog.html":
            for match in _MARKDOWN_HEADING.finditer(text):
                line = text[match.start() :].strip().splitlines()[0]
                found.append((page, f"a Markdown heading shown as text: {line!r}"))
    return found


def main(argv):
    """Check the build directory ``argv[1]``; return the exit status."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems(argv[1])
    for page, problem in found:
        print(f"{page}: {problem}", file=sys.stderr)
    if found:
        print(f"{len(found)} problem(s) in the built documentation", file=sys.stderr)
        return 1
    print(f"documentation check: {len(list(Path(argv[1]).rglob('*.html')))} pages ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
