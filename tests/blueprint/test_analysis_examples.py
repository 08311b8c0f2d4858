"""The examples in the analysis modules' docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import blueprint.analysis

MODULES = [
    f"blueprint.analysis.{m.name}" for m in pkgutil.iter_modules(blueprint.analysis.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_function_and_class_of_the_analysis_is_exported_once():
    exported = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for symbol in module.__all__:
            assert hasattr(module, symbol), (name, symbol)
            exported.setdefault(symbol, []).append(name)
    assert {s: m for s, m in exported.items() if len(m) > 1} == {}
