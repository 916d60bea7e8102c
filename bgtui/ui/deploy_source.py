"""What the operator asked to deploy, turned into a core `DeploySource` (reads the zip file)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from bgtui.core.change import DeploySource
from bgtui.core.errors import BadInput

MAX_ZIP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class DeployRequest:
    """The deploy modal's answer: `version` (with a number), `latest`, or `zip` (with a path)."""

    kind: str
    reason: str
    version: str = ""
    zip_path: str = ""

    def problem(self) -> str:
        """Why this request cannot be prepared, or ''."""
        if self.kind == "version" and not self.version:
            return "pick a version to deploy"
        if self.kind == "zip" and not self.zip_path.strip():
            return "give the path of the zip file to deploy"
        return ""


def load_source(request: DeployRequest) -> DeploySource:
    """The source to deploy; reading a zip is blocking, so call this from a worker."""
    if request.kind == "latest":
        return DeploySource.from_latest()
    if request.kind == "version":
        return DeploySource.existing(request.version)
    path = Path(request.zip_path.strip()).expanduser()
    if not path.is_file():
        raise BadInput(f"zip file {path} does not exist")
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise BadInput(f"{path} is larger than Lambda's 50 MB direct-upload limit")
    if not zipfile.is_zipfile(path):
        raise BadInput(f"{path} is not a zip file")
    return DeploySource.from_zip(path.name, path.read_bytes())
