"""The guard's zip, checked in beside the module, is exactly what `make guard-package` builds."""

from __future__ import annotations

import io
import zipfile

from tools.guard_package import FIXED_TIME, PACKAGE, SOURCE, guard_zip


def test_the_checked_in_zip_matches_its_source_byte_for_byte() -> None:
    assert PACKAGE.read_bytes() == guard_zip(), "run `make guard-package` and commit guard.zip"


def test_the_zip_is_reproducible_sorted_and_free_of_bytecode(tmp_path) -> None:
    copy = tmp_path / "guard"
    copy.mkdir()
    (copy / "guard.py").write_bytes((SOURCE / "guard.py").read_bytes())
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "guard.cpython-311.pyc").write_bytes(b"\x00bytecode")
    built = guard_zip(copy)
    assert built == guard_zip(copy)
    entries = zipfile.ZipFile(io.BytesIO(built)).infolist()
    assert [e.filename for e in entries] == ["guard.py"]
    assert all(e.date_time == FIXED_TIME for e in entries)
    assert built == guard_zip(), "the source directory's own caches must not change the zip"
