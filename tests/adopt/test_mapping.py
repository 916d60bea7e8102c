"""The alias and stage-variable mapping, from `[[service]]` tables and from `bluegreen:*` tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.core.catalog import apply_override, mapped_stage, ref_from_tags
from bgtui.core.errors import BadInput
from bgtui.core.models import Colour, ServiceRef, StageState
from bgtui.core.ports import TaggedFunction


def _override(tmp_path: Path, body: str) -> ServiceRef:
    path = tmp_path / "config.toml"
    path.write_text(f'[[service]]\nfunction = "orders"\n{body}')
    override = load_settings(path).services[0]
    return apply_override(ServiceRef("orders", "r"), override)


def test_a_two_alias_table_maps_production_and_candidate(tmp_path: Path) -> None:
    ref = _override(
        tmp_path, 'live_alias = "prod"\ncandidate_alias = "test"\nstage_variable = "alias"'
    )
    assert ref.two_alias and ref.stage_variable == "alias"
    assert (ref.alias_name(Colour.BLUE), ref.alias_name(Colour.GREEN)) == ("prod", "test")


def test_colour_aliases_rename_the_colours_and_none_means_no_stage_variable(tmp_path: Path) -> None:
    ref = _override(tmp_path, 'colour_aliases = ["a", "b"]\nstage_variable = ""')
    assert not ref.two_alias and ref.alias_names == ("a", "b", "live")
    assert ref.stage_variable == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('colour_aliases = ["a"]', "two names"),
        ('colour_aliases = ["a", "b"]\ncandidate_alias = "c"', "not both"),
        ('live_alias = "prod"\ncandidate_alias = "prod"', "one alias for two roles"),
        ('live_alias = "12"', "Lambda alias name"),
        ('stage_variable = "a b"', "variable name"),
    ],
)
def test_a_bad_mapping_is_one_line(tmp_path: Path, body: str, message: str) -> None:
    """Alias names follow botocore's lambda/2015-03-31 `Alias` shape: 1-128 of [a-zA-Z0-9-_],
    not only digits."""
    with pytest.raises(BadInput, match=message):
        _override(tmp_path, body)


def test_tags_map_the_same_fields() -> None:
    tags = {
        "bluegreen:live-alias": "prod",
        "bluegreen:candidate-alias": "test",
        "bluegreen:stage-variable": "alias",
        "bluegreen:colour-aliases": "x,y",
    }
    ref = ref_from_tags(TaggedFunction("orders", "arn", tags), "r")
    assert (ref.live_alias, ref.candidate_alias, ref.stage_variable) == ("prod", "test", "alias")
    assert ref.colour_aliases == ("x", "y")
    none = ref_from_tags(TaggedFunction("o", "arn", {"bluegreen:stage-variable": "none"}), "r")
    assert none.stage_variable == ""


def test_a_stage_routes_by_the_mapped_variable() -> None:
    stage = StageState("test", None, "", {"alias": "test", "lambdaAlias": "green"})
    ref = ServiceRef("orders", "r", stage_variable="alias")
    assert mapped_stage(ref, stage).lambda_alias == "test"
    assert mapped_stage(ServiceRef("orders", "r", stage_variable=""), stage).lambda_alias is None
