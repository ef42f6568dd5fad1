"""The parameters each Bot API method has, as core.telegram.org/bots/api lists them (Bot
API 9, for the methods safebot and its tests call). Telegram ignores a parameter a method
does not have, so a bot that sends one (a default `parse_mode` on editMessageReplyMarkup)
never hears of it: the fake notes each one, and the tests read those notes."""

from __future__ import annotations

_SEND = {
    "business_connection_id", "chat_id", "message_thread_id", "direct_messages_topic_id",
    "disable_notification", "protect_content", "allow_paid_broadcast", "message_effect_id",
    "suggested_post_parameters", "reply_parameters", "reply_markup",
}  # fmt: skip

PARAMETERS: dict[str, frozenset[str]] = {
    name.lower(): frozenset(parameters)
    for name, parameters in {
        "getMe": set(),
        "logOut": set(),
        "close": set(),
        "getUpdates": {"offset", "limit", "timeout", "allowed_updates"},
        "setWebhook": {"url", "certificate", "ip_address", "max_connections",
                       "allowed_updates", "drop_pending_updates", "secret_token"},
        "deleteWebhook": {"drop_pending_updates"},
        "getWebhookInfo": set(),
        "sendMessage": _SEND | {"text", "parse_mode", "entities", "link_preview_options"},
        "editMessageText": {"business_connection_id", "chat_id", "message_id",
                            "inline_message_id", "text", "parse_mode", "entities",
                            "link_preview_options", "reply_markup"},
        "editMessageReplyMarkup": {"business_connection_id", "chat_id", "message_id",
                                   "inline_message_id", "reply_markup"},
        "answerCallbackQuery": {"callback_query_id", "text", "show_alert", "url",
                                "cache_time"},
        "deleteMessage": {"chat_id", "message_id"},
        "deleteMessages": {"chat_id", "message_ids"},
        "sendChatAction": {"business_connection_id", "chat_id", "message_thread_id",
                           "action"},
        "leaveChat": {"chat_id"},
        "setMyCommands": {"commands", "scope", "language_code"},
        "deleteMyCommands": {"scope", "language_code"},
        "getMyCommands": {"scope", "language_code"},
        "setMyDescription": {"description", "language_code"},
        "setMyShortDescription": {"short_description", "language_code"},
        "getMyDescription": {"language_code"},
        "getMyShortDescription": {"language_code"},
    }.items()
}  # fmt: skip


def unknown_parameters(method: str, params: dict[str, object]) -> list[str]:
    """The parameters of a call that its method does not have (none for a method not listed)."""
    known = PARAMETERS.get(method.lower())
    return [] if known is None else sorted(set(params) - known)
