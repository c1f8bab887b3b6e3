"""Private files: written atomically under PRIVATE_STORAGE_ROOT with random names, joined back
only when the name is one we made, deleted once the rows naming them are gone for good, and
served (by permission-checked views only) as downloads no browser or proxy keeps.

Every file is written to a temporary file in its target directory (same file system) and renamed
into place, so a reader never sees half a file and a failure leaves nothing behind. The stored
name is 32 random hex digits and an extension; a name of any other shape never reaches the file
system, whatever the database says.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404

STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{1,8}")


def private_dir(name: str) -> Path:
    """A folder of the private storage (documents, archives, attachments)."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / name


def is_stored_name(name: str) -> bool:
    return bool(STORED_NAME.fullmatch(name))


def stored_path(directory: Path, stored_name: str) -> Path:
    """The file of a stored name, or 404 for a name we did not make."""
    if not is_stored_name(stored_name):  # never join a name we did not make
        raise Http404
    return directory / stored_name


def write_atomically(directory: Path, extension: str,
                     write: Callable[[IO[bytes]], None]) -> Path:
    """A new randomly named file, written beside its target and renamed into place."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{secrets.token_hex(16)}.{extension}"
    descriptor, temp = tempfile.mkstemp(dir=directory, prefix=".part-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def store_bytes(directory: Path, content: bytes, extension: str) -> Path:
    def write(out: IO[bytes]) -> None:
        out.write(content)

    return write_atomically(directory, extension, write)


def store_chunks(directory: Path, chunks: Iterable[bytes], extension: str,
                 check_size: Callable[[int], None]) -> tuple[Path, int, str]:
    """Stream chunks into a new file: its path, size and SHA-256.

    `check_size` sees the running byte count after every chunk and may raise to stop the copy
    (a client's declared size is only its word); the partial file is then removed.
    """
    size = 0
    digest = hashlib.sha256()

    def copy(out: IO[bytes]) -> None:
        nonlocal size
        for chunk in chunks:
            size += len(chunk)
            check_size(size)
            digest.update(chunk)
            out.write(chunk)

    path = write_atomically(directory, extension, copy)
    return path, size, digest.hexdigest()


def unlink_on_commit(paths: Iterable[Path]) -> None:
    """Delete files once the rows naming them are gone for good (a rollback keeps both)."""
    doomed = list(paths)

    def unlink() -> None:
        for path in doomed:
            path.unlink(missing_ok=True)

    transaction.on_commit(unlink)


def private_file_response(path: Path, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as an attachment (RFC 5987 name), never sniffed or cached by proxies."""
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
