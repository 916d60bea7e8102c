"""Build the guard's Lambda zip reproducibly: sorted entries, fixed times, no bytecode."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1] / "terraform" / "modules" / "lambda-bluegreen"
SOURCE = MODULE / "guard"
PACKAGE = MODULE / "guard.zip"
# The earliest time a zip entry can carry: the same bytes on every machine, every day.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def guard_sources(source: Path = SOURCE) -> list[Path]:
    """The files that go in the zip, in a fixed order; caches and bytecode stay out."""
    skipped = {".pyc", ".pyo"}
    return sorted(
        path
        for path in source.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in skipped
    )


def guard_zip(source: Path = SOURCE) -> bytes:
    """The zip's bytes. Entries are stored, not deflated, so zlib's version cannot change them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in guard_sources(source):
            entry = zipfile.ZipInfo(path.relative_to(source).as_posix(), FIXED_TIME)
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else PACKAGE
    target.write_bytes(guard_zip())
    print(f"guard package: {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
