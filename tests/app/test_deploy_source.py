"""One set of deploy-source rules and messages, whichever front end asked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bgtui.app.deploy_source import MAX_ZIP_BYTES, DeployRequest, load_source
from bgtui.core.errors import BadInput


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    return path


def test_a_zip_is_read_with_its_name(tmp_path: Path) -> None:
    path = _zip(tmp_path / "release.zip")
    source = load_source(DeployRequest("zip", zip_path=str(path)))
    assert (source.kind, source.zip_name, source.zip_bytes) == (
        "zip",
        "release.zip",
        path.read_bytes(),
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.zip", None, "does not exist"),
        ("notes.txt", b"not a zip\n", "is not a zip archive"),
        # A file that starts like a zip is not one: the first check used to look at two bytes.
        ("fake.zip", b"PK but nothing more", "is not a zip archive"),
    ],
)
def test_what_is_not_a_zip_file_is_bad_input(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInput, match=message) as raised:
        load_source(DeployRequest("zip", zip_path=str(path)))
    assert str(raised.value).startswith(f"zip file {path}")


def test_a_directory_is_not_a_zip_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="is not a file"):
        load_source(DeployRequest("zip", zip_path=str(tmp_path)))


def test_a_zip_over_lambdas_direct_upload_limit_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    """Lambda's API reference, AccountLimit.CodeSizeZipped: "the maximum size of a deployment
    package when it's uploaded directly to Lambda" (docs.aws.amazon.com/lambda/latest/api/
    API_AccountLimit.html); the deployment-package guide: larger than 50 MB must go via S3."""
    path = tmp_path / "big.zip"
    with path.open("wb") as big:
        big.truncate(MAX_ZIP_BYTES + 1)
    with pytest.raises(BadInput, match="50 MB direct-upload limit"):
        load_source(DeployRequest("zip", zip_path=str(path)))


@pytest.mark.parametrize("version", ["1.5", "-1", "latest", " "])
def test_a_version_must_be_a_published_version_number(version: str) -> None:
    with pytest.raises(BadInput, match="version"):
        load_source(DeployRequest("version", version=version))


def test_latest_and_a_version_need_no_file() -> None:
    assert load_source(DeployRequest("latest")).kind == "latest"
    assert load_source(DeployRequest("version", version=" 7 ")).version == "7"
