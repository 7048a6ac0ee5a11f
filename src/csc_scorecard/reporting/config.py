"""Council branding and wording for the reports: name, logo, colours.

Read from ``--config FILE``, else ``reporting.yml`` in the data directory
(CSC_SCORECARD_HOME), else the defaults below.  Keys (all optional)::

    council_name: Anyshire County Council
    service_name: Children's Services
    logo: logo.png              # PNG, JPEG or SVG; relative to the config file
    primary_colour: "#1d4f76"   # headings, header band, table heads (white text on it)
    accent_colour: "#1d70b8"    # rules and chart "this year" line
    contact: performance@anyshire.gov.uk
    author: Performance and Intelligence Team
    data_caveat: >-             # replaces the standard caveat in the introduction
      ...

Colours must give WCAG AA contrast (4.5:1): white text on the primary colour
and the accent colour on white.  A colour that does not is an error naming
the key, the colour and the contrast found.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.config import data_home

__all__ = ["ReportConfig", "ReportConfigError", "contrast_ratio", "load_report_config"]

CONFIG_NAME = "reporting.yml"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEYS = {
    "council_name", "service_name", "logo", "primary_colour", "accent_colour",
    "contact", "author", "data_caveat",
}


class ReportConfigError(ValueError):
    """The reporting configuration is not valid (the message names the file and key)."""


@dataclass(frozen=True)
class ReportConfig:
    council_name: str = "Council"
    service_name: str = "Children's Services"
    primary_colour: str = "#1d4f76"
    accent_colour: str = "#1d70b8"
    contact: str = ""
    author: str = "Performance and Intelligence Team"
    data_caveat: str = ""
    logo_path: Path | None = None
    logo_data: bytes | None = field(default=None, repr=False)
    logo_mime: str = ""
    source: str = "defaults"

    @property
    def logo_data_uri(self) -> str:
        if not self.logo_data:
            return ""
        return f"data:{self.logo_mime};base64,{base64.b64encode(self.logo_data).decode('ascii')}"

    def with_council(self, name: str) -> ReportConfig:
        return replace(self, council_name=name)


def _luminance(colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = _luminance(foreground), _luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def _council_name() -> dict[str, str]:
    """council.yml's name, when the reporting configuration gives none."""
    from csc_scorecard.config import council_settings

    name = council_settings().get("name")
    return {"council_name": str(name).strip()} if name else {}


def load_report_config(path: Path | str | None = None) -> ReportConfig:
    """The reporting configuration from ``path``, else the data directory's reporting.yml.

    Without a ``council_name`` the name in council.yml (data directory) is used.
    """
    if path is None:
        candidate = data_home() / CONFIG_NAME
        if not candidate.is_file():
            return ReportConfig(**_council_name())
        path = candidate
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ReportConfigError(f"{path}: cannot read the reporting configuration: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ReportConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ReportConfigError(f"{path}: expected keys such as council_name, logo, primary_colour")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ReportConfigError(
            f"{path}: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(_KEYS))}"
        )
    values: dict[str, Any] = _council_name()
    for key in ("council_name", "service_name", "contact", "author", "data_caveat"):
        if key in data and data[key] is not None:
            if not isinstance(data[key], str):
                raise ReportConfigError(f"{path}: {key} must be text")
            values[key] = data[key].strip()
    for key, against, what in (
        ("primary_colour", "#ffffff", "white text on it"),
        ("accent_colour", "#ffffff", "it on a white page"),
    ):
        if key not in data:
            continue
        colour = str(data[key]).strip()
        if not _HEX.match(colour):
            raise ReportConfigError(f"{path}: {key} {colour!r} is not a colour like #1d4f76")
        ratio = contrast_ratio(colour.lower(), against)
        if ratio < 4.5:
            raise ReportConfigError(
                f"{path}: {key} {colour} gives a contrast of {ratio:.2f}:1 for {what}; "
                "WCAG AA needs at least 4.5:1 (choose a darker colour)"
            )
        values[key] = colour.lower()
    if data.get("logo"):
        logo = Path(str(data["logo"])).expanduser()
        if not logo.is_absolute():
            logo = path.parent / logo
        mime = _MIME.get(logo.suffix.lower())
        if mime is None:
            raise ReportConfigError(f"{path}: logo {logo.name!r} must be a .png, .jpg or .svg file")
        try:
            values["logo_data"] = logo.read_bytes()
        except OSError as exc:
            raise ReportConfigError(f"{path}: cannot read the logo {logo}: {exc.strerror}") from None
        values["logo_path"] = logo
        values["logo_mime"] = mime
    return ReportConfig(source=str(path), **values)
