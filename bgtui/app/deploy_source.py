"""What an operator asked to deploy, checked by one set of rules, as a `DeploySource`."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from bgtui.core.change import DeploySource
from bgtui.core.errors import BadInput

MAX_ZIP_BYTES = 50 * 1024 * 1024
"""Lambda's limit for a zip uploaded directly (50 MB), as the console and the CLI both apply it."""

KINDS = ("zip", "latest", "version")


@dataclass(frozen=True)
class DeployRequest:
    """The operator's choice: `version` (with a number), `latest`, or `zip` (with a path)."""

    kind: str
    reason: str = ""
    version: str = ""
    zip_path: str = ""

    def problem(self) -> str:
        """Why this request cannot be prepared, or '' (checked before any file is read)."""
        if self.kind not in KINDS:
            return f"deploy from a zip, $LATEST or a version, not {self.kind!r}"
        if self.kind == "version" and not self.version.strip():
            return "pick a version to deploy"
        if self.kind == "version" and not self.version.strip().isdigit():
            return f"version must be a published version number, not {self.version.strip()!r}"
        if self.kind == "zip" and not self.zip_path.strip():
            return "give the path of the zip file to deploy"
        return ""


def load_source(request: DeployRequest) -> DeploySource:
    """The source to deploy; reading a zip is blocking, so front ends call this off their UI."""
    problem = request.problem()
    if problem:
        raise BadInput(problem)
    if request.kind == "latest":
        return DeploySource.from_latest()
    if request.kind == "version":
        return DeploySource.existing(request.version.strip())
    return _zip_source(Path(request.zip_path.strip()).expanduser())


def _zip_source(path: Path) -> DeploySource:
    if not path.exists():
        raise BadInput(f"zip file {path} does not exist")
    if not path.is_file():
        raise BadInput(f"zip file {path} is not a file")
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise BadInput(f"zip file {path} is larger than Lambda's 50 MB direct-upload limit")
    if not zipfile.is_zipfile(path):
        raise BadInput(f"zip file {path} is not a zip archive")
    return DeploySource.from_zip(path.name, path.read_bytes())
