"""The proof sheet's own words (its title, counts, dates, badges, page labels and alt
texts) in the six UN languages, and the language they are printed in. Nothing the
sheet prints of its own is English baked into code: every phrase is a template here,
every count goes through CLDR's plural rules for the language (Arabic has six forms,
Russian four, Chinese one), and dates and times are written the language's way from
CLDR (:mod:`factsheet.data.cldr`), with Latin digits as factsheets have by default.

The sheet's language is `--language` when given, else the document language of the
specs (their own `document.language`, before any edition's override: the language
their authors write in). Specs written in different languages, or a language with no
words here, are a usage error that names the choices: the sheet never falls back to
English by itself. Translations marked `review` await a native speaker's check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factsheet.errors import SpecError, UsageError, did_you_mean
from factsheet.language import Language, language

Plural = Mapping[str, str]
"""A phrase with a count `{n}`, by CLDR plural category (`one`, `few`, `other`, …)."""


@dataclass(frozen=True)
class Words:
    """Every phrase of the sheet in one language; `{…}` are filled in."""

    script: str  # ISO 15924: the script these words are written in
    title: str  # {specs}
    subject: str  # the PDF's subject (metadata)
    editions: Plural
    pages: Plural
    warned: Plural  # how many editions carry warnings
    made: str  # {when} {version}
    built: str  # {when}
    not_built: str
    digest: str  # {digest}: a spec's digest of all its editions' inputs
    inputs: str  # {digest}: one edition's input digest, shortened
    warnings: Plural
    sheet: str  # {n} {total}
    alt: str  # {label} {n} {pages}: a thumbnail's alt text
    review: bool = False  # written by a non-native speaker: to be checked

    def count(self, phrase: Plural, n: int, locale: str) -> str:
        from factsheet.data.cldr import plural_form

        form = plural_form(locale, n)
        return phrase.get(form, phrase["other"]).format(n=n)


# fmt: off
CATALOG: dict[str, Words] = {
    "en": Words(
        script="Latn", title="Proof: {specs}", subject="Proof sheet for sign-off",
        editions={"one": "{n} edition", "other": "{n} editions"},
        pages={"one": "{n} page", "other": "{n} pages"},
        warned={"one": "{n} with warnings", "other": "{n} with warnings"},
        made="made {when} with factsheet {version}", built="built {when}",
        not_built="not built", digest="input digest {digest}", inputs="inputs {digest}",
        warnings={"one": "{n} warning", "other": "{n} warnings"},
        sheet="factsheet proof · sheet {n} of {total}",
        alt="Edition {label}: page {n} of {pages}",
    ),
    "fr": Words(
        script="Latn", title="Épreuve\u00a0: {specs}", subject="Épreuve pour validation",
        editions={"one": "{n} édition", "many": "{n} d’éditions", "other": "{n} éditions"},
        pages={"one": "{n} page", "many": "{n} de pages", "other": "{n} pages"},
        warned={"one": "{n} avec avertissements", "many": "{n} avec avertissements",
                "other": "{n} avec avertissements"},
        made="créée le {when} avec factsheet {version}", built="PDF produits le {when}",
        not_built="PDF pas encore produits", digest="empreinte des entrées {digest}",
        inputs="entrées {digest}",
        warnings={"one": "{n} avertissement", "many": "{n} d’avertissements",
                  "other": "{n} avertissements"},
        sheet="épreuve factsheet · feuille {n} sur {total}",
        alt="Édition {label}\u00a0: page {n} sur {pages}",
    ),
    "es": Words(
        script="Latn", title="Prueba para aprobación: {specs}",
        subject="Prueba para aprobación",
        editions={"one": "{n} edición", "many": "{n} de ediciones", "other": "{n} ediciones"},
        pages={"one": "{n} página", "many": "{n} de páginas", "other": "{n} páginas"},
        warned={"one": "{n} con advertencias", "many": "{n} con advertencias",
                "other": "{n} con advertencias"},
        made="creada el {when} con factsheet {version}", built="PDF generados el {when}",
        not_built="PDF aún no generados", digest="huella de las entradas {digest}",
        inputs="entradas {digest}",
        warnings={"one": "{n} advertencia", "many": "{n} de advertencias",
                  "other": "{n} advertencias"},
        sheet="prueba de factsheet · hoja {n} de {total}",
        alt="Edición {label}: página {n} de {pages}",
    ),
    "ru": Words(
        script="Cyrl", title="Корректура: {specs}", subject="Корректура для утверждения",
        editions={"one": "{n} выпуск", "few": "{n} выпуска", "many": "{n} выпусков",
                  "other": "{n} выпуска"},
        pages={"one": "{n} страница", "few": "{n} страницы", "many": "{n} страниц",
               "other": "{n} страницы"},
        warned={"one": "{n} с предупреждениями", "few": "{n} с предупреждениями",
                "many": "{n} с предупреждениями", "other": "{n} с предупреждениями"},
        made="создана {when} программой factsheet {version}", built="PDF собраны {when}",
        not_built="PDF ещё не собраны", digest="хеш входных данных {digest}",
        inputs="входные данные {digest}",
        warnings={"one": "{n} предупреждение", "few": "{n} предупреждения",
                  "many": "{n} предупреждений", "other": "{n} предупреждения"},
        sheet="корректура factsheet · лист {n} из {total}",
        alt="Выпуск {label}: страница {n} из {pages}", review=True,
    ),
    "zh": Words(
        script="Hans", title="校样：{specs}", subject="供审批的校样",
        editions={"other": "{n} 个版本"}, pages={"other": "{n} 页"},
        warned={"other": "{n} 个有警告"},
        made="由 factsheet {version} 于 {when} 生成", built="PDF 生成于 {when}",
        not_built="PDF 尚未生成", digest="输入摘要 {digest}", inputs="输入 {digest}",
        warnings={"other": "{n} 条警告"},
        sheet="factsheet 校样 · 第 {n} 张，共 {total} 张",
        alt="版本 {label}：第 {n} 页，共 {pages} 页", review=True,
    ),
    "ar": Words(
        script="Arab", title="بروفة للاعتماد: {specs}", subject="بروفة للاعتماد",
        editions={"zero": "{n} إصدار", "one": "إصدار واحد", "two": "إصداران",
                  "few": "{n} إصدارات", "many": "{n} إصدارًا", "other": "{n} إصدار"},
        pages={"zero": "{n} صفحة", "one": "صفحة واحدة", "two": "صفحتان",
               "few": "{n} صفحات", "many": "{n} صفحة", "other": "{n} صفحة"},
        warned={"zero": "{n} بها تحذيرات", "one": "{n} بها تحذيرات", "two": "{n} بها تحذيرات",
                "few": "{n} بها تحذيرات", "many": "{n} بها تحذيرات", "other": "{n} بها تحذيرات"},
        made="أُنشئت في {when} باستخدام factsheet {version}",
        built="أُنشئت ملفات PDF في {when}", not_built="لم تُنشأ ملفات PDF بعد",
        digest="بصمة المدخلات {digest}", inputs="المدخلات {digest}",
        warnings={"zero": "لا تحذيرات", "one": "تحذير واحد", "two": "تحذيران",
                  "few": "{n} تحذيرات", "many": "{n} تحذيرًا", "other": "{n} تحذير"},
        sheet="بروفة factsheet · الورقة {n} من {total}",
        alt="الإصدار {label}: الصفحة {n} من {pages}", review=True,
    ),
}
# fmt: on


@dataclass(frozen=True)
class SheetLanguage:
    """The language a proof sheet is printed in: its tag (the PDF's /Lang), what CLDR
    says about it, and its words."""

    facts: Language
    words: Words

    @property
    def tag(self) -> str:
        return self.facts.tag

    @property
    def rtl(self) -> bool:
        return self.facts.rtl

    def count(self, phrase: Plural, n: int) -> str:
        return self.words.count(phrase, n, self.facts.locale)

    def phrases(self) -> list[str]:
        """Every phrase the sheet may print, and a date and time as it writes them
        (for the glyph check: CLDR's month names and am/pm marks)."""
        found = [self.when(dt.datetime(2000, 9, 30, 15, 0, tzinfo=dt.UTC))]
        for value in vars(self.words).values():
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                found.extend(value.values())
        return found

    def when(self, moment: dt.datetime) -> str:
        """`moment` (UTC) as the language writes a date and time: `December 2, 2026,
        4:21 AM UTC`, `2 décembre 2026, 04:21 UTC`, `2026年12月2日 04:21 UTC`."""
        from babel.dates import format_time

        from factsheet.data.cldr import babel_locale, format_date, without_marks

        locale = babel_locale(self.facts.locale)
        day = format_date(moment.date(), self.facts.locale, "long", "latn")
        time = without_marks(format_time(moment.time(), "short", locale=locale))
        glue = without_marks(str(locale.datetime_formats["medium"]))
        return glue.replace("{1}", day).replace("{0}", time) + " UTC"


def sheet_language(tag: str | None, spec_languages: Sequence[str]) -> SheetLanguage:
    """The sheet's language: `tag` (from `--language`) or the one language the specs
    are written in; a UsageError names the choices otherwise."""
    choices = ", ".join(sorted(CATALOG))
    if tag is None:
        found = list(dict.fromkeys(spec_languages))
        if len(found) != 1:
            raise UsageError(
                f"the specs are written in {' and '.join(found)}: the proof sheet's own "
                "words need one language",
                hint=f"choose it with --language ({choices})",
            )
        return _known(found[0], f"the spec is written in '{found[0]}', but ")
    return _known(tag, f"--language {tag}: ")


def _known(tag: str, prefix: str) -> SheetLanguage:
    choices = ", ".join(sorted(CATALOG))
    try:
        facts = language(tag)
    except SpecError:
        facts = None
    words = CATALOG.get(tag.split("-")[0].lower())
    if facts is None or words is None:
        hint = _named(tag) or did_you_mean(tag.lower(), CATALOG)
        raise UsageError(
            f"{prefix}the proof sheet has its words in {choices} only",
            hint=f"{hint + '; ' if hint else ''}choose one with --language",
        )
    if facts.script != words.script:  # zh-Hant, sr-Latn and the like
        raise UsageError(
            f"{prefix}the proof sheet's {tag.split('-')[0]} words are written in the "
            f"{words.script} script, not {facts.script}",
            hint=f"choose --language {tag.split('-')[0]} or another of {choices}",
        )
    return SheetLanguage(facts, words)


def _named(text: str) -> str:
    """A did-you-mean for a language written as its name (`French`, `русский`)."""
    from factsheet.data.cldr import babel_locale

    wanted = text.strip().casefold()
    for code in CATALOG:
        names = {babel_locale(code).get_language_name(code), babel_locale("en").languages[code]}
        if wanted in {str(name).casefold() for name in names if name}:
            return f"did you mean '{code}'?"
    return ""
