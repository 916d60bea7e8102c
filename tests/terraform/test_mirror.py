"""Finding the provider mirror and writing the CLI configuration terraform is run with."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.adapters.terraform import mirror
from bgtui.core.errors import BadInput


def make_mirror(root: Path, packed: bool = False) -> Path:
    provider = root / "registry.terraform.io" / "hashicorp" / "aws"
    if packed:
        provider.mkdir(parents=True)
        (provider / "terraform-provider-aws_5.100.0_linux_amd64.zip").write_bytes(b"zip")
    else:
        target = provider / "5.100.0" / "linux_amd64"
        target.mkdir(parents=True)
        (target / "terraform-provider-aws_v5.100.0_x5").write_bytes(b"binary")
    return root


def test_a_configured_mirror_wins(tmp_path: Path) -> None:
    configured = make_mirror(tmp_path / "configured")
    from_env = make_mirror(tmp_path / "env")
    env = {mirror.MIRROR_ENV: str(from_env)}
    assert mirror.find_provider_mirror(str(configured), env) == configured.resolve()
    assert mirror.find_provider_mirror("", env) == from_env.resolve()


def test_the_registry_directory_itself_is_accepted(tmp_path: Path) -> None:
    root = make_mirror(tmp_path / "m")
    found = mirror.find_provider_mirror(str(root / "registry.terraform.io"), {})
    assert found == root.resolve()


def test_a_configured_path_without_the_provider_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"holds no registry\.terraform\.io/hashicorp/aws"):
        mirror.find_provider_mirror(str(tmp_path), {})


def test_search_finds_a_nested_mirror_and_remembers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = make_mirror(tmp_path / "srv" / "tools" / "tf-mirror")
    monkeypatch.setattr(mirror, "WELL_KNOWN_MIRRORS", ())
    monkeypatch.setattr(mirror, "SEARCH_ROOTS", (str(tmp_path / "srv"),))
    remembered = tmp_path / "cache" / "mirror-path"
    assert mirror.find_provider_mirror("", {}, remembered) == nested
    assert remembered.read_text(encoding="utf-8").strip() == str(nested)
    monkeypatch.setattr(mirror, "SEARCH_ROOTS", ())
    assert mirror.find_provider_mirror("", {}, remembered) == nested


def test_no_mirror_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mirror, "WELL_KNOWN_MIRRORS", ())
    monkeypatch.setattr(mirror, "SEARCH_ROOTS", (str(tmp_path),))
    assert mirror.find_provider_mirror("", {}, tmp_path / "remembered") is None


def test_cli_config_installs_only_from_the_mirror(tmp_path: Path) -> None:
    root = make_mirror(tmp_path / "m")
    config = mirror.prepare_cli_config(str(root), base_dir=tmp_path / "state")
    text = config.path.read_text(encoding="utf-8")
    assert f'path    = "{root.resolve()}"' in text
    assert 'include = ["registry.terraform.io/*/*"]' in text
    assert 'exclude = ["registry.terraform.io/*/*"]' in text
    # An unpacked mirror is linked in place: a plugin cache would copy it for nothing.
    assert config.plugin_cache is None and "plugin_cache_dir" not in text
    assert config.env() == {
        "TF_CLI_CONFIG_FILE": str(config.path),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
    }


def test_a_packed_mirror_gets_a_plugin_cache(tmp_path: Path) -> None:
    root = make_mirror(tmp_path / "m", packed=True)
    config = mirror.prepare_cli_config(str(root), base_dir=tmp_path / "state")
    assert config.plugin_cache == tmp_path / "state" / "plugin-cache"
    assert config.plugin_cache.is_dir()
    assert f'plugin_cache_dir = "{config.plugin_cache}"' in config.path.read_text()


def test_hcl_strings_are_escaped() -> None:
    text = mirror.cli_config_text(Path('/odd/"quoted"/${x}'), None)
    assert 'path    = "/odd/\\"quoted\\"/$${x}"' in text
