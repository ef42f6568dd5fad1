"""The Bot API's rules for message text and buttons, with Telegram's own error descriptions.

The HTML parser (bot.fakebotapi.html) follows tdlib's `parse_html`
(td/telegram/MessageEntity.cpp), which is what the Bot API server runs: the same tags, the
same entity decoding (unknown named entities stay as literal text), the same errors with
byte offsets. Link checks follow tdlib's `parse_url` and `LinkManager::check_link`,
simplified.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_TEXT = 4096  # characters (code points) after entity parsing and trimming
MAX_CALLBACK_BYTES = 64
MAX_COPY_TEXT = 256
MAX_BUTTONS = 100  # not documented by Telegram; PTB's InlineKeyboardMarkupLimit
MAX_ROW = 8

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A request Telegram would refuse: `error_code` and `description` go back as they are."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- HTML ------------------------------------------------------------------------------------


def check_link(url: str) -> str | None:
    """Why Telegram refuses this link for a button, or None if it takes it."""
    link, scheme = url, ""
    lowered = url.lower()
    for prefix in ("tg:", "ton:"):
        if lowered.startswith(prefix):
            scheme, link = prefix[:-1], url[len(prefix) :]
            if link.startswith("//"):
                link = link[2:]
    protocol = "http"
    head = re.match(r"([^:/?#@\[\]]*)://", link)
    if head:
        protocol = head[1].lower()
        if protocol not in ("http", "https"):
            return "Unsupported URL protocol"
        link = link[head.end() :]
    authority = re.split(r"[/?#]", link, maxsplit=1)[0]
    host_part, port = authority, ""
    colon = max(authority.rfind(":"), authority.rfind("]"), authority.rfind("@"))
    if colon > 0 and authority[colon] == ":":
        host_part, port = authority[:colon], authority[colon + 1 :].lstrip("0") or "0"
        if not port.isascii() or not port.isdigit() or not 0 < int(port) <= 65535:
            return "Wrong port number specified in the URL"
    userinfo, _, host = host_part.rpartition("@")
    if not host:
        return "URL host is empty"
    ipv6 = host.startswith("[") and host.endswith("]")
    allowed = set(".-_!$,~*'();&+=")
    if not ipv6 and any(not (ch.isalnum() or ch in allowed or ord(ch) >= 0x80) for ch in host):
        return "Wrong URL host"
    if scheme:
        if head or userinfo or port or ipv6:
            return f"Wrong {scheme} URL"
        if any(not (ch.isascii() and (ch.isalnum() or ch in "-_")) for ch in host):
            return "Unallowed characters in URL host"
        return None
    if "." not in host and not ipv6:
        return "Wrong HTTP URL"
    return None


def inline_keyboard(markup: Any) -> dict[str, Any] | None:
    """Check an inline keyboard; an empty one counts as none."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad('field "inline_keyboard" must be of type Array')
    if sum(len(row) for row in rows) > MAX_BUTTONS or any(len(row) > MAX_ROW for row in rows):
        raise bad("REPLY_MARKUP_TOO_LONG")
    for row in rows:
        for button in row:
            check_button(button)
    rows = [row for row in rows if row]
    return {"inline_keyboard": rows} if rows else None


def check_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad(prefix + 'Field "text" must be of type String')
    if not button["text"]:
        raise bad("BUTTON_TEXT_INVALID")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise bad(prefix + 'Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES:
            raise bad("BUTTON_DATA_INVALID")
    elif "url" in button:
        url = button["url"]
        if not isinstance(url, str):
            raise bad(prefix + 'Field "url" must be of type String')
        reason = check_link(url)
        if reason:
            raise bad(f"inline keyboard button URL '{url}' is invalid: {reason}")
    elif "copy_text" in button:
        copy = button["copy_text"]
        if not isinstance(copy, dict):
            raise bad(prefix + 'Field "copy_text" must be of type Object')
        if not isinstance(copy.get("text"), str) or not 1 <= len(copy["text"]) <= MAX_COPY_TEXT:
            raise bad("BUTTON_COPY_TEXT_INVALID")
    elif not any(
        key in button
        for key in (
            "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat", "callback_game", "pay",
        )
    ):  # fmt: skip
        raise bad(prefix + "Text buttons are unallowed in the inline keyboard")


def reply_markup(value: Any) -> dict[str, Any] | None:
    """Decode and check `reply_markup`; an inline keyboard comes back normalised."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad("can't parse reply keyboard markup JSON object") from None
    if not isinstance(value, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        return inline_keyboard(value)
    if any(key in value for key in ("keyboard", "remove_keyboard", "force_reply")):
        return value
    raise bad("can't parse reply keyboard markup JSON object")
