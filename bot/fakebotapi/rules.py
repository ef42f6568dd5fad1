"""The Bot API's rules for message text and buttons, with Telegram's own error descriptions.

The HTML parser follows tdlib's `parse_html` (td/telegram/MessageEntity.cpp), which is what
the Bot API server runs: the same tags, the same entity decoding (unknown named entities stay
as literal text), the same errors with byte offsets. Link checks follow tdlib's `parse_url`
and `LinkManager::check_link`, simplified.
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

TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
    "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
}  # fmt: skip
SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "u": "underline", "ins": "underline", "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SPACE = " \t\r\n\v\0"  # tdlib's is_space; the end of the text reads as "\0"
TRIM = " \t\r\n\v\f"


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


class _Html:
    """One pass over the text, as tdlib does it; `unknown` collects entities shown literally."""

    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.out: list[str] = []
        self.u16 = 0
        self.entities: list[dict[str, Any]] = []
        self.unknown: list[str] = []

    def at(self, k: int) -> str:
        return self.s[k] if k < len(self.s) else "\0"

    def fail(self, message: str) -> ApiError:
        return bad(f"can't parse entities: {message}")

    def offset(self, k: int) -> int:
        return len(self.s[:k].encode("utf-8"))

    def entity(self, k: int) -> tuple[str, int] | None:
        """The character an `&...;` at k stands for and where it ends, or None (shown as is)."""
        s, end = self.s, k + 1
        if self.at(end) == "#":
            end += 1
            if self.at(end) == "x":
                end += 1
                start = end
                while self.at(end) in "0123456789abcdefABCDEF":
                    end += 1
                code = int(s[start:end], 16) if end > start else 0
            else:
                start = end
                while self.at(end).isascii() and self.at(end).isdigit():
                    end += 1
                code = int(s[start:end]) if end > start else 0
            if code == 0 or code >= 0x10FFFF or end - k >= 10:
                return None
            char = chr(code)
        else:
            while self.at(end).isascii() and self.at(end).isalpha():
                end += 1
            name = s[k + 1 : end]
            if name not in NAMED:
                if name and self.at(end) == ";":
                    self.unknown.append(f"&{name};")
                return None
            char = NAMED[name]
        return char, end + 1 if self.at(end) == ";" else end

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf-16 offset, out index
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "&" and (decoded := self.entity(self.i)):
                char, self.i = decoded
                self.out.append(char)
                self.u16 += utf16_len(char)
                continue
            if c != "<":
                self.out.append(c)
                self.u16 += utf16_len(c)
                self.i += 1
                continue
            if self.at(self.i + 1) != "/":
                stack.append(self.start_tag())
            else:
                if not stack:
                    raise self.fail(f"Unexpected end tag at byte offset {self.offset(self.i)}")
                self.end_tag(stack.pop())
        if stack:
            raise self.fail(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self) -> tuple[str, str, int, int]:
        begin = self.i
        i = begin + 1
        while self.at(i) not in SPACE and self.at(i) != ">":
            i += 1
        if i >= len(self.s):
            raise self.fail(f"Unclosed start tag at byte offset {self.offset(begin)}")
        tag = self.s[begin + 1 : i].lower()
        where = f"at byte offset {self.offset(begin)}"
        if tag not in TAGS:
            raise self.fail(f'Unsupported start tag "{tag}" {where}')
        argument = ""
        while self.at(i) != ">":
            while i < len(self.s) and self.at(i) in SPACE:
                i += 1
            if self.at(i) == ">":
                break
            name_start = i
            while self.at(i) not in SPACE and self.at(i) != "=":
                i += 1
            name = self.s[name_start:i]
            if not name:
                raise self.fail(f'Empty attribute name in the tag "{tag}" {where}')
            while i < len(self.s) and self.at(i) in SPACE:
                i += 1
            if self.at(i) != "=":
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" {where}'
                )
            i += 1
            while i < len(self.s) and self.at(i) in SPACE:
                i += 1
            if i >= len(self.s):
                raise self.fail(f'Unclosed start tag "{tag}" {where}')
            value, i = self.attribute_value(i)
            if i >= len(self.s):
                raise self.fail(f"Unclosed start tag {where}")
            if tag == "a" and name == "href":
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value[9:]
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value[3:]
            elif tag == "tg-emoji" and name == "emoji-id":
                argument = value
            elif tag == "blockquote" and name == "expandable":
                argument = "expandable"
        if tag == "span" and argument != "spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" {where}')
        self.i = i + 1
        return tag, argument, self.u16, len(self.out)

    def attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in "'\"":
            start = i
            while self.at(i).isascii() and (self.at(i).isalnum() or self.at(i) in ".-"):
                i += 1
            if self.at(i) not in SPACE and self.at(i) != ">":
                raise self.fail(f"Unexpected end of name token at byte offset {self.offset(start)}")
            return self.s[start:i].lower(), i
        i += 1
        value: list[str] = []
        while i < len(self.s) and self.at(i) != quote:
            if self.at(i) == "&" and (decoded := self.entity(i)):
                char, i = decoded
                value.append(char)
                continue
            value.append(self.s[i])
            i += 1
        if self.at(i) == quote:
            i += 1
        return "".join(value), i

    def end_tag(self, opened: tuple[str, str, int, int]) -> None:
        begin = self.i
        i = begin + 1
        while self.at(i) not in SPACE and self.at(i) != ">":
            i += 1
        name = self.s[begin + 2 : i].lower()
        while i < len(self.s) and self.at(i) in SPACE:
            i += 1
        if self.at(i) != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.offset(begin)}")
        tag, argument, offset, out_index = opened
        if name and name != tag:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.offset(begin)}, "
                f'expected "</{tag}>", found "</{name}>"'
            )
        self.i = i + 1
        length = self.u16 - offset
        if length > 0:
            self.add_entity(tag, argument, offset, length, "".join(self.out[out_index:]))

    def add_entity(self, tag: str, argument: str, offset: int, length: int, inner: str) -> None:
        entity: dict[str, Any] = {"offset": offset, "length": length}
        if tag in SIMPLE:
            entity["type"] = SIMPLE[tag]
        elif tag == "tg-emoji":
            if not argument.isdigit() or int(argument) == 0:
                raise bad("can't parse entities: Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=argument)
        elif tag == "a":
            url = argument or inner
            user = re.fullmatch(r"tg://user\?id=(\d+)", url)
            if user:
                entity.update(type="text_mention", user={"id": int(user[1])})
            elif check_link(url) is None:
                entity.update(type="text_link", url=url)
            else:
                return  # an invalid link leaves plain text, no error
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif tag == "pre":
            inner_code = next(
                (e for e in reversed(self.entities) if e["type"] == "code"
                 and (e["offset"], e["length"]) == (offset, length)),
                None,
            )  # fmt: skip
            if inner_code and inner_code.get("language"):
                inner_code["type"] = "pre"
                return
            entity["type"] = "pre"
        else:  # code
            entity["type"] = "code"
            if argument:
                entity["language"] = argument
        self.entities.append(entity)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Visible text, entities (UTF-16 offsets) and unknown named entities left as text."""
    parser = _Html(text)
    visible, entities = parser.parse()
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return visible, entities, parser.unknown


def message_text(
    text: Any, parse_mode: Any, entities: Any = None
) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Check a message text the way sendMessage and editMessageText do."""
    if not isinstance(text, str) or not text:
        raise bad("message text is empty")
    mode = str(parse_mode or "").lower()
    unknown: list[str] = []
    if mode == "html":
        visible, found, unknown = parse_html(text)
    elif mode == "":
        visible, found = text, list(entities) if isinstance(entities, list) else []
    elif mode in ("markdown", "markdownv2"):
        raise bad(f"the fake Bot API does not parse {parse_mode}; use HTML")
    else:
        raise bad("unsupported parse_mode")
    visible, found = _trim(visible, found)
    if not visible:
        raise bad("message text is empty")
    if len(visible) > MAX_TEXT:
        raise bad("message is too long")
    return visible, found, unknown


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram drops leading and trailing white space; entities move and shrink with it."""
    stripped = text.strip(TRIM)
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip(TRIM))])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


# -- links and buttons ----------------------------------------------------------------------


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
