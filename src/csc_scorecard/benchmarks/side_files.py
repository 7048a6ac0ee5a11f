"""Reference files that stand beside the DfE figures: one parquet and its small manifest.

A postcode directory or a set of small-area estimates is imported on its own and
must not disturb the benchmarks (nor they it), so each lives in its own parquet
file with its own JSON manifest, written atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from csc_scorecard.benchmarks.errors import ReferenceImportError


def write_side_file(frame: pl.DataFrame, dest: Path, filename: str, manifest: str,
                    info: dict[str, Any]) -> None:
    """Write ``frame`` as ``dest/filename`` (replacing it whole) and ``info`` as its manifest.

    The manifest also records when the import was made. An unwritable ``dest``
    is a ReferenceImportError naming it.
    """
    try:
        dest.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{Path(filename).stem}-", suffix=".parquet", dir=dest)
        os.close(fd)
        frame.write_parquet(tmp, compression="zstd")
        os.replace(tmp, dest / filename)
        stamped = {"imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **info}
        (dest / manifest).write_text(json.dumps(stamped, indent=2), encoding="utf-8")
    except OSError as exc:
        raise ReferenceImportError(dest, f"cannot write here ({exc.strerror or exc})") from None
