"""Fetching the reference files from their official sources (Explore Education
Statistics' content API), then importing them as `reference import` would."""

from __future__ import annotations

import io
import json
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csc_scorecard.benchmarks.errors import ReferenceDownloadError
from csc_scorecard.benchmarks.reference import ImportSummary, import_reference

EES_CONTENT_API = "https://content.explore-education-statistics.service.gov.uk/api"


@dataclass(frozen=True)
class DownloadSource:
    """One thing to fetch.

    ``kind`` "ees-release": ``url`` is the EES content-API address of a
    publication's latest release (JSON); all its data files are then fetched
    as one zip. ``kind`` "file": ``url`` is fetched as is (a CSV, parquet or
    zip).
    """

    name: str
    url: str
    kind: str = "ees-release"


DEFAULT_SOURCES: tuple[DownloadSource, ...] = (
    DownloadSource(
        "Children in need (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-in-need/releases/latest",
    ),
    DownloadSource(
        "Children looked after in England (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-looked-after-in-england-including-adoptions/releases/latest",
    ),
    DownloadSource(
        "Children's social work workforce (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-s-social-work-workforce/releases/latest",
    ),
)


def _fetch(url: str, timeout: float) -> bytes:
    try:
        req = urllib.request.Request(
            url, headers={"User-Agent": "csc-scorecard reference download"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (https only by default)
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise ReferenceDownloadError(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ReferenceDownloadError(url, str(exc.reason)) from None
    except TimeoutError:
        raise ReferenceDownloadError(url, f"no answer within {timeout:g} seconds") from None
    except (ValueError, OSError) as exc:
        raise ReferenceDownloadError(url, str(exc) or type(exc).__name__) from None


def _save_payload(payload: bytes, url: str, into: Path) -> None:
    if payload[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as zf:
                for member in zf.namelist():
                    base = member.rsplit("/", 1)[-1]
                    if base.lower().endswith((".csv", ".parquet")) and not base.startswith("."):
                        (into / base).write_bytes(zf.read(member))
        except zipfile.BadZipFile:
            raise ReferenceDownloadError(url, "the download is not a valid zip file") from None
        return
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "download.csv"
    (into / name).write_bytes(payload)


def download_reference(
    dest_dir: Path | str,
    sources: Sequence[DownloadSource] | None = None,
    timeout: float = 15.0,
) -> ImportSummary:
    """Fetch the reference files from their official sources, then import them.

    Raises :class:`ReferenceDownloadError` naming the URL that failed (for
    example when the machine has no internet access). Statistical neighbour
    models and LAIT are published as workbooks outside EES: after a download
    the summary lists them as missing; the shipped snapshot's neighbours,
    population and LAIT figures then stay in use (``reference status`` shows
    which), and ``reference import`` can add newer ones.
    """
    dest = Path(dest_dir).expanduser()
    sources = DEFAULT_SOURCES if sources is None else tuple(sources)
    with tempfile.TemporaryDirectory(prefix="csc-scorecard-download-") as tmp:
        into = Path(tmp)
        for source in sources:
            if source.kind == "ees-release":
                meta_raw = _fetch(source.url, timeout)
                try:
                    release_id = json.loads(meta_raw)["id"]
                except (ValueError, KeyError, TypeError):
                    raise ReferenceDownloadError(
                        source.url, "the answer was not a release description with an id"
                    ) from None
                zip_url = f"{EES_CONTENT_API}/releases/{release_id}/files"
                _save_payload(_fetch(zip_url, timeout), zip_url, into)
            else:
                _save_payload(_fetch(source.url, timeout), source.url, into)
        summary = import_reference(into, dest)
    from csc_scorecard.benchmarks.snapshot import fill_from_snapshot

    filled = fill_from_snapshot(dest)
    if filled:
        summary.warnings.append(
            f"{filled} measures not in the download (LAIT among them) kept from the shipped snapshot"
        )
    return summary
