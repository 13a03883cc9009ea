"""Telegram Desktop channel exports (``result.json``): one report a message with text.

Recognised by content: a JSON object with a chat ``type`` and a ``messages`` list. A message's
``text`` is a string or a list of strings and entity objects (``{"type": "bold", "text": ...}``),
joined as written; its date becomes ``published``, the channel's name the ``source``, and
``https://t.me/USERNAME/ID`` its URL when the export names the channel's username. Service
messages (joins, pins) are not items; a message with media but no text is an error in its place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

from sitrep import errors
from sitrep.records import Report
from sitrep.sources.text import content_id

_CHAT_TYPE = re.compile(rb'"type"\s*:\s*"(public_channel|private_channel|public_supergroup|'
                        rb'private_supergroup|private_group|personal_chat|bot_chat|saved_messages)"')
_MESSAGES = re.compile(rb'"messages"\s*:\s*\[')
# An export larger than this is refused whole (it is parsed in memory).
MAX_EXPORT_BYTES = 1 << 30


def looks_like_telegram(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"{") and bool(_CHAT_TYPE.search(head)) and bool(
        _MESSAGES.search(head) or b'"id"' in head)


def message_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", ""))
                       for p in text if isinstance(p, str | dict))
    return ""


def read_telegram(stream: IO[bytes], head: bytes, name: str, published: date | None = None
                  ) -> Iterator[Report | errors.SitrepError]:
    """A report (or an error in its place) for each message of a channel export."""
    data = head + stream.read(MAX_EXPORT_BYTES + 1 - len(head))
    if len(data) > MAX_EXPORT_BYTES:
        yield errors.error(errors.TOO_LARGE, report_id=name, limit=MAX_EXPORT_BYTES)
        return
    try:
        export = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield errors.error(errors.BAD_JSON, report_id=name, line="?", detail=str(exc))
        return
    channel = str(export.get("name") or name)
    username = (export.get("username") or "").lstrip("@") or None
    for message in export.get("messages") or []:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue
        number = message.get("id")
        url = f"https://t.me/{username}/{number}" if username and number is not None else None
        where = url or f"{channel}#{number}"
        text = message_text(message.get("text")).strip()
        if not text:
            yield errors.error(errors.NO_MESSAGE_TEXT, report_id=where, message=number,
                               source=channel)
            continue
        day = published
        raw = message.get("date")
        if isinstance(raw, str):
            try:
                day = datetime.fromisoformat(raw).date()
            except ValueError:
                pass
        yield Report(id=url or content_id(text), text=text, published=day, source=channel,
                     url=url)
