"""The examples in the docstrings of the package run and give what they show."""

import datetime
import doctest

import pytest

import minqing


def docstrings():
    yield "minqing", minqing.__doc__
    for name in minqing.__all__:
        obj = getattr(minqing, name)
        yield f"minqing.{name}", getattr(obj, "__doc__", None)
        for attr, member in vars(obj).items() if isinstance(obj, type) else ():
            yield f"minqing.{name}.{attr}", getattr(member, "__doc__", None)


def test_docstring_examples():
    pytest.importorskip("pyarrow")
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for name, doc in docstrings():
        if not doc or ">>>" not in doc:
            continue
        globs = {"minqing": minqing, "datetime": datetime}
        test = parser.get_doctest(doc, globs, name, None, 0)
        examples += len(test.examples)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed (see above)"
    assert examples >= 15, f"only {examples} docstring examples found"
