"""The PWA's catalogs: English and Traditional Chinese complete and alike, every
key the components use present, and no user-visible text hard-coded in a component."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.scrape.params import BOARD_NOTES, BOARDS

PWA = Path(__file__).resolve().parent.parent / "pwa"
CATALOGS = {lang: json.loads((PWA / "i18n" / f"{lang}.json").read_text("utf-8")) for lang in ("en", "zh-TW")}
COMPONENTS = sorted((PWA / "components").rglob("*.js")) + [PWA / "app.js"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_catalogs_have_exactly_the_same_keys():
    en, zh = set(CATALOGS["en"]), set(CATALOGS["zh-TW"])
    assert sorted(en - zh) == [] and sorted(zh - en) == []


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_no_message_is_empty(lang):
    assert [key for key, value in CATALOGS[lang].items() if not isinstance(value, str) or not value.strip()] == []


def test_placeholders_match_between_languages():
    zh = CATALOGS["zh-TW"]
    assert [k for k, v in CATALOGS["en"].items() if set(PLACEHOLDER.findall(v)) != set(PLACEHOLDER.findall(zh[k]))] == []


def test_the_chinese_catalog_is_translated():
    same = [k for k, v in CATALOGS["en"].items() if CATALOGS["zh-TW"][k] == v and not k.startswith(("board.", "language."))
            and v not in ("JobDeck", "JobDeck {version}")]
    assert same == []
    # Traditional, not Simplified, characters.
    text = "".join(CATALOGS["zh-TW"].values())
    assert not set("们这设说载职时网个") & set(text)


def test_every_board_has_a_name_and_every_board_note_matches_the_server():
    en = CATALOGS["en"]
    assert [b for b in BOARDS if f"board.{b}" not in en] == []
    assert {k[len("boardNote."):]: v for k, v in en.items() if k.startswith("boardNote.")} == BOARD_NOTES


def _source(path: Path) -> str:
    return path.read_text("utf-8")


def test_every_literal_key_used_exists():
    keys = set(CATALOGS["en"])
    used = {m.group(1) for path in COMPONENTS for m in re.finditer(r"""\bt\(\s*["']([\w-]+\.[\w.-]+)["']""", _source(path))}
    # Keys chosen by a condition: t(x ? "a.b" : "c.d")
    used |= {m.group(1) for path in COMPONENTS
             for m in re.finditer(r"""\?\s*["']([a-z]+\.[\w.]+)["']\s*:\s*""", _source(path))}
    used |= {m.group(1) for path in COMPONENTS
             for m in re.finditer(r""":\s*["']([a-z]+\.[a-zA-Z.]+)["']\)""", _source(path))}
    missing = sorted(k for k in used if k not in keys and f"{k}_other" not in keys)
    assert missing == []


def _strip_expressions(template: str) -> str:
    """A template's static text: every ${...} (nested braces and inner templates included) removed."""
    out, i, depth = [], 0, 0
    while i < len(template):
        if depth == 0 and template.startswith("${", i):
            depth, i = 1, i + 2
            continue
        if depth:
            depth += {"{": 1, "}": -1}.get(template[i], 0)
            i += 1
            continue
        out.append(template[i])
        i += 1
    return "".join(out)


def _templates(source: str) -> list[str]:
    return re.findall(r"(?:html|svg)`((?:[^`\\]|\\.)*)`", source, flags=re.S)


def hard_coded_text(source: str) -> list[str]:
    """User-visible words written straight into html`` templates instead of through t()."""
    found = []
    for template in _templates(source):
        static = _strip_expressions(template)
        for text in re.findall(r">([^<>]*)<", static):
            if re.search(r"[^\W\d_]{2,}", text):
                found.append(text.strip())
        for attr, value in re.findall(r"""\b(placeholder|title|aria-label|alt|label)=["']([^"'$]*)["']""", static):
            if re.search(r"[^\W\d_]{2,}", value):
                found.append(f'{attr}="{value}"')
    return found


def test_the_hard_coded_text_check_can_fail():
    assert hard_coded_text('html`<p>Hello there</p>`') == ["Hello there"]
    assert hard_coded_text('html`<input placeholder="Type here">`') == ['placeholder="Type here"']
    assert hard_coded_text('html`<p>${t("x")}</p><b>${n}</b> · ${m}`') == []


@pytest.mark.parametrize("path", COMPONENTS, ids=lambda p: p.relative_to(PWA).as_posix())
def test_no_user_visible_text_is_hard_coded(path):
    assert hard_coded_text(_source(path)) == []
