"""Render a Rasa response name into a message in the conversation's language.

Plain responses come from the gettext catalogs; `utter_faq_answer` is composed from the catalog database:
the national answer, its authority and source, and the user's municipal page where the topic is local.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from api import i18n
from catalog import queries
from common.languages import fallbacks
from common.messages import BUTTONS, RESPONSES
from settings import get_settings

log = logging.getLogger(__name__)


class UnknownResponse(KeyError):
    pass


def render(session: Session, name: str, language: str, arguments: dict[str, Any]) -> dict[str, Any]:
    if name == "utter_faq_answer":
        return {"text": _faq_answer(session, language, arguments)}
    if name == "utter_checklist":
        return {"text": _checklist(session, language, arguments)}
    if name not in RESPONSES or not name.startswith("utter_"):
        raise UnknownResponse(name)
    values = {"url": get_settings().fallback_contact_url, **_derived(session, name, language), **arguments}
    message: dict[str, Any] = {"text": message_text(name, language, values)}
    if name in BUTTONS:
        message["buttons"] = [
            {"title": message_text(title, language, {}), "payload": payload} for title, payload in BUTTONS[name]
        ]
    return message


def message_text(name: str, language: str, values: dict[str, Any]) -> str:
    template = i18n.translate(RESPONSES[name], language)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        log.error("response %s in %s lacks an argument; using the English text", name, language)
        return RESPONSES[name].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _derived(session: Session, name: str, language: str) -> dict[str, Any]:
    """Arguments the renderer computes itself, formatted for the locale."""
    if name == "utter_municipality_outside":
        names = [municipality.name for municipality in queries.municipalities(session)]
        return {"municipalities": i18n.format_names(names, language), "count": len(names)}
    return {}


def _faq_answer(session: Session, language: str, arguments: dict[str, Any]) -> str:
    key = arguments.get("faq_key") or ""
    entry = queries.faq_entry(session, key)
    found = queries.faq_answer(session, key, fallbacks(language)) if entry else None
    if entry is None or found is None:
        log.error("no FAQ answer for key %r", key)
        return message_text("utter_default", language, {})
    text, answer_language = found
    if answer_language != language:
        log.warning("missing %s answer for FAQ %r; served %s", language, key, answer_language)

    parts = [text.answer]
    parts.append(
        message_text("faq_source", language, {
            "authority": entry.authority, "url": entry.source_url,
            "date": i18n.format_day(entry.reviewed_on, language),
        })
    )
    if entry.local_category is not None:
        parts.append(_local_part(session, entry.local_category.code, language, arguments.get("municipality")))
    return "\n\n".join(part for part in parts if part)


def _local_part(session: Session, category: str, language: str, municipality_name: str | None) -> str:
    municipality = queries.find_municipality(session, municipality_name)
    if municipality is None:
        # Outside the two counties the action has said so already; otherwise invite the user to tell us.
        return "" if municipality_name else message_text("faq_ask_municipality", language, {})
    services = queries.local_services(session, municipality, category)
    if not services:
        return message_text("faq_local_missing", language, {"municipality": municipality.name, "url": municipality.website})
    return "\n".join(
        message_text("faq_local", language, {"municipality": municipality.name, "name": service.name, "url": service.url})
        for service in services[:2]
    )


def _checklist(session: Session, language: str, arguments: dict[str, Any]) -> str:
    steps = queries.checklist_steps(session, list(arguments.get("steps") or []))
    municipality = queries.find_municipality(session, arguments.get("municipality"))
    lines = [message_text("checklist_title", language, {})]
    for number, step in enumerate(steps, start=1):
        title = next((step.titles[code] for code in fallbacks(language) if step.titles.get(code)), step.key)
        entry = step.faq_entry
        lines.append(message_text("checklist_step", language, {
            "number": number, "title": title, "authority": entry.authority, "url": entry.source_url,
        }))
        if municipality is not None and entry.local_category is not None:
            services = queries.local_services(session, municipality, entry.local_category.code)
            url = services[0].url if services else municipality.website
            lines.append(message_text("checklist_local", language, {"municipality": municipality.name, "url": url}))
    lines.append(message_text("checklist_again", language, {}))
    return "\n".join(lines)
