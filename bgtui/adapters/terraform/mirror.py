"""Where Terraform gets its providers: a filesystem mirror, and a CLI configuration using it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bgtui.core.errors import BadInput

MIRROR_ENV = "BGTUI_TF_PROVIDER_MIRROR"
REGISTRY = "registry.terraform.io"
PROVIDER_GLOB = "terraform-provider-aws*"
# Terraform's own implicit local mirror directories.
WELL_KNOWN_MIRRORS = (
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
)
# Roots of the last-resort search, and how deep a registry tree may sit below them.
SEARCH_ROOTS = ("/opt", "/usr/local", "/usr/share", "/srv", "/var/lib", "~")
SEARCH_DEPTH = 5
# Every terraform run bgtui starts is non-interactive, whatever its CLI configuration.
AUTOMATION_ENV = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
SKIPPED_DIRS = frozenset({"proc", "sys", "dev", "run", "node_modules", ".git", "__pycache__"})


@dataclass(frozen=True)
class CliConfig:
    """A Terraform CLI configuration written by bgtui, and the environment that selects it."""

    path: Path
    mirror: Path | None
    plugin_cache: Path | None

    def env(self) -> dict[str, str]:
        """Environment entries for every terraform process bgtui starts."""
        return {**AUTOMATION_ENV, "TF_CLI_CONFIG_FILE": str(self.path)}


def cache_home(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def prepare_cli_config(
    configured_mirror: str = "",
    base_dir: Path | None = None,
    env: Mapping[str, str] = os.environ,
) -> CliConfig:
    """Find the provider mirror and write the CLI configuration every terraform run uses."""
    base = base_dir or cache_home(env) / "bgtui" / "terraform"
    mirror = find_provider_mirror(configured_mirror, env, base / "mirror-path")
    # Terraform links an unpacked mirror in place; a cache would only copy it.
    cache = None if mirror is not None and is_unpacked(mirror) else base / "plugin-cache"
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    path = base / "terraform.tfrc"
    write_atomically(path, cli_config_text(mirror, cache))
    return CliConfig(path, mirror, cache)


def find_provider_mirror(
    configured: str = "", env: Mapping[str, str] = os.environ, remembered: Path | None = None
) -> Path | None:
    """The mirror named by configuration or environment, else a well-known or searched one."""
    named = configured or env.get(MIRROR_ENV, "")
    if named:
        return _named_mirror(named)
    for candidate in WELL_KNOWN_MIRRORS:
        if holds_aws_provider(Path(candidate).expanduser()):
            return Path(candidate).expanduser()
    return _searched_mirror(remembered)


def _named_mirror(named: str) -> Path:
    path = Path(named).expanduser()
    if path.name == REGISTRY:
        path = path.parent
    if not holds_aws_provider(path):
        raise BadInput(
            f"terraform provider mirror {named} holds no {REGISTRY}/hashicorp/aws provider"
        )
    return path.resolve()


def _searched_mirror(remembered: Path | None) -> Path | None:
    if remembered is not None and remembered.is_file():
        earlier = Path(remembered.read_text(encoding="utf-8").strip())
        if holds_aws_provider(earlier):
            return earlier
    found = next(search_mirrors(), None)
    if found is not None and remembered is not None:
        write_atomically(remembered, f"{found}\n")
    return found


def search_mirrors() -> Iterator[Path]:
    """Directories holding a registry tree with the AWS provider, shallowest first per root."""
    for root in SEARCH_ROOTS:
        for registry in _registry_trees(Path(root).expanduser(), SEARCH_DEPTH):
            if holds_aws_provider(registry.parent):
                yield registry.parent


def _registry_trees(root: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    subdirs = [e for e in entries if e.is_dir(follow_symlinks=False)]
    for entry in subdirs:
        if entry.name == REGISTRY:
            yield Path(entry.path)
    if depth > 0:
        for entry in subdirs:
            if entry.name != REGISTRY and entry.name not in SKIPPED_DIRS:
                yield from _registry_trees(Path(entry.path), depth - 1)


def holds_aws_provider(mirror: Path) -> bool:
    """True when `mirror` is a mirror root with hashicorp/aws, packed or unpacked."""
    provider = mirror / REGISTRY / "hashicorp" / "aws"
    if not provider.is_dir():
        return False
    return any(provider.glob(PROVIDER_GLOB)) or any(provider.glob(f"*/*/{PROVIDER_GLOB}"))


def is_unpacked(mirror: Path) -> bool:
    """True when providers sit unzipped in VERSION/TARGET directories."""
    return any((mirror / REGISTRY).glob(f"*/*/*/*/{PROVIDER_GLOB}"))


def cli_config_text(mirror: Path | None, plugin_cache: Path | None) -> str:
    """The CLI configuration: providers from the mirror only, and the plugin cache if any."""
    blocks = []
    if mirror is not None:
        pattern = _hcl_string(f"{REGISTRY}/*/*")
        blocks.append(
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f"    path    = {_hcl_string(str(mirror))}\n"
            f"    include = [{pattern}]\n"
            "  }\n"
            "  direct {\n"
            f"    exclude = [{pattern}]\n"
            "  }\n"
            "}\n"
        )
    if plugin_cache is not None:
        blocks.append(f"plugin_cache_dir = {_hcl_string(str(plugin_cache))}\n")
    return "# Written by bgtui for the terraform runs it starts.\n" + "\n".join(blocks)


def _hcl_string(text: str) -> str:
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` whole, so a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)
