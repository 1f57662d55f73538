"""Fuzzing an HTTP function's routes (hypothesis): whatever arrives (any value in a path,
any method, query, key or body) the function answers JSON and never a 5xx.

Routes come from the function's own werkzeug rules, so a new route is fuzzed too. Used by
the tests (tests/foundation/test_http_fuzz.py, tests/knowledge/test_properties.py) and by
tests/bench/reliability.py, which counts the answers.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

# every code point, lone surrogates and NUL included
ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=300)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
OBJECTS = st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=5)
ANY_SEGMENT = ANY_TEXT.map(lambda t: quote(t.encode("utf-8", "surrogatepass"), safe=""))
ODD_SEGMENTS = st.sampled_from(["", "0", "-1", "1.5", "%00", "..", "%F0%9F%98%80", "2" * 25])
# what int() or str.isdigit() accept and a bounded whole number must not
ODD_NUMBERS_LIST = ["²", "١٢", "1_0", " 7", "9" * 5000, "-1", "1e3", "%00", "\x00"]
ODD_NUMBERS = st.sampled_from(ODD_NUMBERS_LIST)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def mostly(likely: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """`likely` most of the time, else `other`."""
    return st.integers(0, 4).flatmap(lambda n: other if n == 0 else likely)


def _segment(converter: str | None) -> st.SearchStrategy[str]:
    valid = (
        st.integers(1, 3).map(str)
        if converter == "int"
        else st.sampled_from(["document", "link", "app.js", "a"])
    )
    return mostly(valid, ODD_SEGMENTS | ANY_SEGMENT)


@st.composite
def requests(draw, rule: str, methods: tuple[str, ...], query_names: tuple[str, ...],
             keys: list[dict]):  # fmt: skip
    """(method, path with query, headers, body) for a werkzeug `rule`: mostly one of its
    `methods`, sometimes another."""
    method = draw(mostly(st.sampled_from(methods), st.sampled_from(METHODS)))
    path = _ARGUMENT.sub(lambda m: draw(_segment(m.group(1))), rule)
    if draw(st.integers(0, 9)) == 0:
        path = "/" + draw(ANY_SEGMENT)
    values = mostly(st.one_of(ODD_NUMBERS, st.integers(0, 3000).map(str)), ANY_TEXT)
    query = draw(st.fixed_dictionaries({}, optional=dict.fromkeys(query_names, values)))
    if query:
        path += "?" + urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
    kind = draw(st.sampled_from(["object", "object", "json", "bytes", "none"]))
    if kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "none":
        body = b""
    else:
        body = json.dumps(draw(OBJECTS if kind == "object" else JSON_VALUES)).encode()
    headers = {**draw(st.sampled_from(keys)), "Content-Type": "application/json"}
    return method, path, headers, body


def sweep(rule: str, methods: tuple[str, ...], query_names: tuple[str, ...]):
    """Every query parameter of `query_names` set to each odd number in turn, on `rule`
    (its path filled with 1s), with each of its methods: what random draws may miss."""
    path = _ARGUMENT.sub("1", rule)
    for method in methods:
        for name in query_names:
            for value in ODD_NUMBERS_LIST:
                others = {n: "1" for n in query_names if n != name}
                yield method, f"{path}?{urlencode({**others, name: value})}"


def check(response) -> int:
    """Never a 5xx; every answer of the function is JSON, errors with their status."""
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True))
    if response.request.method == "HEAD":  # the GET answer without its body
        return response.status_code
    if response.mimetype != "application/json":
        # the panel's files, or functions-framework's own 404 page (/favicon.ico,
        # /robots.txt, a path holding a line break): the request never reached a view
        assert response.status_code in (200, 404), response.status_code
        return response.status_code
    answer = json.loads(response.get_data())
    if response.status_code >= 400:
        assert answer["error"] and answer["status"] == response.status_code
    return response.status_code


def rules_of(router) -> list[tuple[str, tuple[str, ...]]]:
    """The werkzeug paths of a Router with their methods, one per rule."""
    return sorted((rule.rule, tuple(sorted(rule.methods))) for rule in router.map.iter_rules())


class CountingStream:
    """A request body of `size` spaces that counts how much of it was read."""

    def __init__(self, size: int):
        self.left, self.read_bytes = size, 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        self.read_bytes += n
        return b" " * n

    def readline(self, n: int = -1) -> bytes:
        return self.read(n)
