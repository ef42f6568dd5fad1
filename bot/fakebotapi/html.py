"""Telegram's HTML parse mode, as tdlib parses it: the tags and entities it allows, the
text a message ends up with, and the exact errors it gives for broken markup."""

from __future__ import annotations

import re
from typing import Any

from bot.fakebotapi.rules import MAX_TEXT, ApiError, bad, check_link, utf16_len

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
