"""Fetch a country's GeoNames dumps for ``sitrep gazetteer download CC``.

The embedded tier stops at places of 500 people; conflict reports name villages far below that.
GeoNames publishes one zip per country with every place (``UA.zip`` holds ``UA.txt``) and one
with its alternate names in every script (``alternatenames/UA.zip``). This module only fetches and
unpacks them: loading goes through ``sitrep.places.index.load`` like a file the user brings, so an
offline machine gets the same result from files copied by hand.
"""

from __future__ import annotations

import io
import os
import shutil
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

GEONAMES_URL = "https://download.geonames.org/export/dump"
# Unzipped dumps are large (US.txt is ~300 MB); refuse anything beyond reason.
MAX_BYTES = 2_000_000_000


class DownloadError(Exception):
    """The dump could not be fetched or unpacked; the message says what to do instead."""


@dataclass(frozen=True)
class Dump:
    """One unpacked file and the ``sitrep gazetteer load`` format it is read with."""

    path: Path
    kind: str  # "places" or "alternate_names"


def base_url() -> str:
    return os.environ.get("SITREP_GEONAMES_URL", GEONAMES_URL).rstrip("/")


def _fetch(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https/file
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} ({exc.reason})") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"cannot fetch {url} ({reason}); on an offline machine copy the file by hand and "
            f"run `sitrep gazetteer load` on it") from None
    if len(data) > MAX_BYTES:
        raise DownloadError(f"{url}: larger than {MAX_BYTES} bytes")
    return data


def _unpack(data: bytes, member: str, target: Path, url: str) -> Path:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if member not in names:
                raise DownloadError(f"{url}: no {member} inside (found {', '.join(names[:5])})")
            tmp = target.with_suffix(target.suffix + ".part")
            with archive.open(member) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, length=1 << 20)
    except zipfile.BadZipFile:
        raise DownloadError(f"{url}: not a zip archive") from None
    tmp.replace(target)  # never leave a half-written dump where a later load would read it
    return target


def download(country: str, dest: Path, alternate_names: bool = True,
             url: str | None = None, timeout: float = 120.0) -> list[Dump]:
    """Fetch and unpack ``CC.txt`` (and its alternate names) into ``dest``; return the files."""
    cc = country.upper()
    if len(cc) != 2 or not cc.isalpha():
        raise DownloadError(f"'{country}' is not a two-letter ISO 3166-1 code")
    root = (url or base_url()).rstrip("/")
    dest.mkdir(parents=True, exist_ok=True)
    wanted = [(f"{root}/{cc}.zip", dest / f"{cc}.txt", "places")]
    if alternate_names:
        wanted.append((f"{root}/alternatenames/{cc}.zip", dest / f"alternateNames_{cc}.txt",
                       "alternate_names"))
    dumps = []
    for link, target, kind in wanted:
        dumps.append(Dump(_unpack(_fetch(link, timeout), f"{cc}.txt", target, link), kind))
    return dumps
