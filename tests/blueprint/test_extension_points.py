"""The backlog contributes to the blueprint pages through one typed extension point."""

import pytest
from flask import Flask

from backlog import contributions
from blueprint.extension_points import BlueprintContributor, register_contributor


def test_the_backlog_contributes_every_function_of_the_extension_point():
    assert isinstance(contributions, BlueprintContributor)


def test_a_contributor_lacking_a_function_is_refused_when_registered():
    class OnlyPains:
        def pains(self, workspace_id):
            return []

    with pytest.raises(TypeError, match="lacks a function"):
        register_contributor(Flask(__name__), OnlyPains())
