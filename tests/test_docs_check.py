"""The check run on the built documentation (``.ci/check_docs.py``)."""

import importlib.util
from pathlib import Path

import pytest

CHECK = Path(__file__).parents[1] / ".ci" / "check_docs.py"


@pytest.fixture(scope="module")
def check_docs():
    spec = importlib.util.spec_from_file_location("check_docs", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site(tmp_path, pages):
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><head></head><body>{body}</body></html>")
    return tmp_path


def test_clean_pages_pass(check_docs, tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": (
                '<p>See <a href="https://scikit-learn.org/stable/">scikit-learn</a>'
                ' and <span class="math"><svg aria-label="\\sum"></svg></span>.</p>'
                "<pre>re.compile(r'\\(x\\)')</pre>"
            ),
            "changelog.html": "<h1>Changelog</h1><h2>Added</h2><pre># a comment</pre>",
        },
    )
    assert check_docs.problems(site) == []
    assert check_docs.main(["check_docs", str(site)]) == 0


def test_each_problem_is_named_with_its_page(check_docs, tmp_path):
    site = _site(
        tmp_path,
        {
            "cdn.html": '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex.js">'
            "</script>",
            "inline.html": '<script>s.src = "https://cdnjs.cloudflare.com/x.js"</script>',
            "style.html": '<link rel="stylesheet" href="https://fonts.googleapis.com/css">',
            "maths.html": "<p>With \\(p\\) features</p>",
            "changelog.html": "<p># Changelog\n\n### Added\n- a thing</p>",
        },
    )
    found = check_docs.problems(site)
    pages = {page for page, _ in found}
    assert pages == {
        "cdn.html",
        "inline.html",
        "style.html",
        "maths.html",
        "changelog.html",
    }
    problems = dict(found)
    assert "loads <script" in problems["cdn.html"]
    assert "cdnjs.cloudflare.com" in problems["inline.html"]
    assert "raw TeX" in problems["maths.html"]
    changelog = [problem for page, problem in found if page == "changelog.html"]
    assert changelog == [
        "a Markdown heading shown as text: '# Changelog'",
        "a Markdown heading shown as text: '### Added'",
    ]
    assert check_docs.main(["check_docs", str(site)]) == 1


def test_an_empty_directory_is_not_a_pass(check_docs, tmp_path):
    assert check_docs.main(["check_docs", str(tmp_path)]) == 1
