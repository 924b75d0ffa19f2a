"""Issue 12, fonts per script: the theme's font chains, text switching font run by run
(paragraph markup, tables, chart labels), the glyph check across scripts, Chinese line
breaking and Russian hyphenation."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from factsheet.errors import SpecError
from factsheet.layout import cjk, scripts
from factsheet.layout.paragraph import Para
from factsheet.layout.spoken import line_texts
from factsheet.layout.styles import paragraph_style
from factsheet.theme import LoadedTheme, load_theme
from tests.projects import ROOT, invoke_in, make_project

ARABIC = "NotoSansArabic-Regular"
ARABIC_BOLD = "NotoSansArabic-Bold"
CJK = "DroidSansFallbackFull"
LATO = "Lato-Regular"
LATO_BOLD = "Lato-Bold"


@pytest.fixture(scope="module")
def theme() -> LoadedTheme:
    return load_theme("un-blue", ROOT)


# --- the theme ----------------------------------------------------------------------------


def test_the_demo_theme_chains_arabic_and_chinese(theme: LoadedTheme) -> None:
    assert theme.chain("Arab", LATO) == (ARABIC, LATO)
    assert theme.chain("Arab", LATO_BOLD) == (ARABIC_BOLD, LATO_BOLD)
    # Arabic has no italic: the theme says so by naming the upright files.
    assert theme.chain("Arab", "Lato-BoldItalic") == (ARABIC_BOLD, "Lato-BoldItalic")
    assert theme.chain("Hans", "Lato-Black") == (CJK, "Lato-Black")
    assert theme.chain("Hant", LATO) == (CJK, LATO)
    assert theme.chain("Cyrl", LATO) == (LATO,)  # Lato has Cyrillic: no chain
    assert theme.chain("Latn", LATO) == (LATO,)


def _with_theme(tmp_path: Path, old: str, new: str) -> Path:
    project = make_project(tmp_path / "p")
    path = project / "assets" / "themes" / "un-blue.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return project


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "Arab: [arabic]",
            "Arab: [arabik]",
            r"un-blue\.yaml:\d+:\d+: scripts\.Arab\[0\]: unknown font family 'arabik' "
            r"\(did you mean 'arabic'\?\)",
        ),
        (
            "Arab: [arabic]",
            "arab: [arabic]",
            r"scripts\.arab: 'arab' is not an ISO 15924 script code \(did you mean 'Arab'\?\)",
        ),
        (
            "    italic: fonts/noto-arabic/NotoSansArabic-Regular.ttf\n"
            "    bold_italic: fonts/noto-arabic/NotoSansArabic-Bold.ttf\n",
            "",
            r"fonts\.arabic: font family 'arabic' is in the `Arab` font chain but does not "
            r"say which file its italic and bold_italic text uses",
        ),
    ],
)
def test_bad_font_chains_are_located_errors(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    project = _with_theme(tmp_path, old, new)
    with pytest.raises(SpecError) as caught:
        load_theme("un-blue", project)
    assert re.search(expected, f"{caught.value.location}: {caught.value}"), str(caught.value)


# --- runs -----------------------------------------------------------------------------------


def test_latin_inside_arabic_switches_font_and_neutrals_follow_their_run() -> None:
    chain = (ARABIC, LATO)
    got = scripts.runs("تدعم المنظمة (IOM) في عام 2021", chain)
    assert got == (
        (ARABIC, "تدعم المنظمة "),
        (LATO, "(IOM) "),
        (ARABIC, "في عام 2021"),  # Noto Sans Arabic has the digits: no new run
    )


def test_chinese_runs_keep_fullwidth_punctuation_and_latin_apart() -> None:
    got = scripts.runs("国际移民组织（IOM）支持72%，", (CJK, LATO))
    assert got == (
        (CJK, "国际移民组织（"),
        (LATO, "IOM"),
        (CJK, "）支持"),
        (LATO, "72%"),
        (CJK, "，"),
    )


def test_text_of_neutrals_alone_stays_in_the_styles_own_font() -> None:
    assert scripts.runs("72% (2021)", (CJK, LATO)) == ((LATO, "72% (2021)"),)


def test_a_character_no_font_has_stays_in_the_own_font_for_the_check() -> None:
    assert scripts.runs("中नम", (CJK, LATO)) == ((CJK, "中"), (LATO, "नम"))


# --- markup ---------------------------------------------------------------------------------


def test_all_latin_markup_is_returned_unchanged(theme: LoadedTheme) -> None:
    markup = '<b>IOM</b> &amp; <a href="https://iom.int" color="#0033A0">partners</a>, 72%'
    chains = scripts.Chains(theme, "Arab")
    assert chains.markup(markup, LATO) is markup
    style = paragraph_style(theme, "body", "en")
    assert scripts.apply(markup, style) is markup
    assert not hasattr(style, "fontChains")


def test_markup_wraps_runs_in_the_face_of_their_tags(theme: LoadedTheme) -> None:
    chains = scripts.Chains(theme, "Arab")
    got = chains.markup("<b>الهجرة IOM</b> و <i>الهجرة</i> &amp; M", LATO)
    assert got == (
        f'<b><font face="{ARABIC_BOLD}">الهجرة </font>IOM</b>'
        f'<font face="{ARABIC}"> و </font>'
        f'<i><font face="{ARABIC}">الهجرة</font></i> &amp; M'
    )


def test_paragraphs_draw_each_run_in_its_font(theme: LoadedTheme) -> None:
    style = paragraph_style(theme, "body", "zh")
    para = Para(scripts.apply("<b>IOM</b>在2021年支持了<i>南南合作</i>。", style), style)
    fonts = [(frag.fontName, frag.text) for frag in para.frags]
    assert fonts == [
        (LATO_BOLD, "IOM"),
        (CJK, "在"),
        (LATO, "2021"),
        (CJK, "年支持了"),
        (CJK, "南南合作"),
        (CJK, "。"),
    ]


# --- Chinese line breaking -------------------------------------------------------------------

CHINESE = (
    "2020年，全球国际移民约为2.81亿人，其中大多数（约60%）生活在全球南方国家。国际移民组织"
    "（IOM）支持各国政府开展南南合作与三方合作，分享经验、知识和良好做法：包括劳动力流动、"
    "移民融合、边境管理以及气候变化引起的迁移。这些伙伴关系帮助发展中国家加强移民治理能力，"
    "并使移民为可持续发展作出贡献！谁来负责？「南南合作」是关键；合作伙伴遍布各大洲。"
)
CLOSING = "，。、）」：；？！"
OPENING = "（「"


def _lines(theme: LoadedTheme, width: float) -> list[str]:
    style = paragraph_style(theme, "body", "zh")
    para = Para(scripts.apply(CHINESE, style), style)
    para.wrap(width, 10_000)
    return line_texts(para.blPara)


@pytest.mark.parametrize("width", [40.0, 57.0, 63.5, 71.0, 88.0, 100.0, 133.0, 170.0, 230.0])
def test_chinese_lines_keep_the_punctuation_rules_at_every_width(
    theme: LoadedTheme, width: float
) -> None:
    lines = _lines(theme, width)
    assert "".join(lines) == CHINESE
    assert len(lines) > 1
    for n, line in enumerate(lines):
        assert line, n
        assert line[0] not in CLOSING, (width, n, line)
        assert line[-1] not in OPENING, (width, n, line)
        assert not re.search(r"[A-Za-z0-9.]$", line) or not re.match(
            r"[A-Za-z0-9.%]", lines[n + 1] if n + 1 < len(lines) else " "
        ), (width, n, line)  # "IOM", "2.81" and "60%" are never cut


def test_no_chinese_line_is_wider_than_its_frame(theme: LoadedTheme) -> None:
    style = paragraph_style(theme, "body", "zh")
    para = Para(scripts.apply(CHINESE, style), style)
    for width in (40.0, 63.5, 100.0, 170.0):
        para.wrap(width, 10_000)
        for line in para.blPara.lines:
            used = sum(scripts.string_width(w.text, w.fontName, w.fontSize, (w.fontName,))
                       for w in line.words)  # fmt: skip
            assert used <= width + 1e-6


def test_chinese_is_never_hyphenated_and_wraps_by_character(theme: LoadedTheme) -> None:
    style = paragraph_style(theme, "body", "zh-Hans")
    assert style.wordWrap == "CJK"
    assert style.hyphenationLang == ""


def test_line_ends_pull_the_character_before_a_closing_mark_down() -> None:
    text = "我们合作。你"
    # four characters fit; "。" cannot start a line, so "作" moves down with it
    assert cjk.line_ends(text, [10.0] * len(text), [40.0]) == [3, 6]
    # "（" cannot end a line: it moves down with what it opens
    text = "我们（合作）"
    assert cjk.line_ends(text, [10.0] * len(text), [30.0]) == [2, 4, 6]  # 我们|（合|作）


def test_line_ends_keep_latin_words_whole_and_honour_breaks() -> None:
    text = "我们IOM组织\n再见"
    widths = [10.0, 10.0, 6.0, 6.0, 6.0, 10.0, 10.0, 0.0, 10.0, 10.0]
    assert cjk.line_ends(text, widths, [30.0]) == [2, 6, 8, 10]  # 我们|IOM组|织⏎|再见


# --- Russian ------------------------------------------------------------------------------------


def test_russian_is_hyphenated_with_the_russian_dictionary(theme: LoadedTheme) -> None:
    style = paragraph_style(theme, "body", "ru")
    assert style.hyphenationLang.language.startswith("ru")
    assert paragraph_style(theme, "body", "en").hyphenationLang.language.startswith("en")
    text = (
        "Международная организация по миграции поддерживает правительства в развитии "
        "сотрудничества и трёхстороннего сотрудничества."
    )
    para = Para(scripts.apply(text, style), style)
    para.wrap(120, 10_000)
    lines = line_texts(para.blPara)
    broken = [line for line in lines if line.endswith("-")]
    assert broken, lines
    pyphen = __import__("pyphen").Pyphen(lang="ru_RU")
    for line, after in itertools.pairwise(lines):
        if line.endswith("-"):  # a break the Russian dictionary allows
            word = line.split()[-1][:-1] + after.split()[0].rstrip(".,")
            assert len(line.split()[-1]) - 1 in pyphen.positions(word), (line, after)
    assert style.fontName == LATO  # Cyrillic is Lato's own


# --- whole builds ------------------------------------------------------------------------------

SPEC = """\
document: {title: "%(title)s", author: "%(author)s", year: 2021, pages: 1, language: %(lang)s}
theme: un-blue
data:
  regions: {file: data/regions.csv, columns: {region: text, share: number}}
pages:
  - blocks:
      - title_band: {kicker: "%(kicker)s"}
      - paragraph: "%(text)s"
      - chart: {type: bar, source: regions, x: region, y: share, title: "%(kicker)s",
                alt: "%(kicker)s", height: 45mm}
      - table: {source: regions, columns: [{column: region, header: "%(kicker)s"},
                                           {column: share}]}
"""
REGIONS = "region,share\nAfrica,31\nАзия,42\nAmericas,18\n"


def _run(project: Path, *args: str) -> tuple[int, str]:
    result = invoke_in(project, *args)
    return result.exit_code, result.stderr


def _project(tmp_path: Path, regions: str = REGIONS, **fields: str) -> Path:
    return make_project(
        tmp_path / "p", data={"regions.csv": regions}, specs={"s.yaml": SPEC % fields}
    )


def _fonts(pdf: Path) -> set[str]:
    with pikepdf.open(pdf) as doc:
        return {str(f.BaseFont).split("+")[-1] for f in doc.pages[0].Resources.Font.values()}


def test_a_chinese_edition_sets_chinese_in_the_cjk_font(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        REGIONS.replace("Africa", "非洲 Africa"),
        title="国际移民组织与南南合作",
        author="国际移民组织 IOM",
        lang="zh",
        kicker="各区域所占比例（%）",
        text=CHINESE,
    )
    code, err = _run(project, "build", "factsheets/s.yaml")
    assert code == 0, err
    pdf = project / "output" / "s.pdf"
    assert {"DroidSansFallback", "Lato-Regular", "Lato-Bold"} <= _fonts(pdf)
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    compact = re.sub(r"\s", "", text)
    for part in ("国际移民组织与南南合作", "非洲Africa", "Азия", "（IOM）支持各国政府"):
        assert part in compact, part


def test_a_russian_edition_is_all_lato(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        title="МОМ и сотрудничество Юг–Юг",
        author="МОМ",
        lang="ru",
        kicker="Доля по регионам",
        text="Международная организация по миграции поддерживает сотрудничество.",
    )
    code, err = _run(project, "build", "factsheets/s.yaml")
    assert code == 0, err
    assert not {f for f in _fonts(project / "output" / "s.pdf") if not f.startswith("Lato")}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "zh",
            "移民 नमस्ते",
            "the character 'न' (U+0928, devanagari letter na, Devanagari block) is in none of "
            "the fonts tried: cjk (DroidSansFallbackFull), sans (Lato-Regular)",
        ),
        (
            "ru",
            "Миграция 😀",
            "the character '😀' (U+1F600, grinning face, Emoticons block) is in none of the "
            "fonts tried: sans (Lato-Regular)",
        ),
        (
            "en",
            "Migration 移民",
            "the character '移' (U+79FB, cjk unified ideograph-79fb, CJK Unified Ideographs "
            "block) is in none of the fonts tried: sans (Lato-Regular)",
        ),
    ],
)
def test_the_glyph_check_names_every_font_of_the_chain(
    tmp_path: Path, lang: str, text: str, expected: str
) -> None:
    project = _project(tmp_path, title="T", author="A", lang=lang, kicker="K", text=text)
    code, err = _run(project, "check", "factsheets/s.yaml")
    assert code == 65, err
    assert f"pages[0].blocks[1].paragraph: {expected}" in err, err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert all("pages[0].blocks[1].paragraph: " in line for line in errors), err


@pytest.mark.parametrize(
    ("lang", "text"),
    [("zh", CHINESE), ("ru", "Миграция, «сотрудничество» — 2021 г."), ("ar", "الهجرة IOM")],
)
def test_the_glyph_check_passes_text_its_chain_covers(tmp_path: Path, lang: str, text: str) -> None:
    regions = REGIONS.replace("Africa", "非洲 Africa") if lang == "zh" else REGIONS
    project = _project(tmp_path, regions, title="T", author="A", lang=lang, kicker="K", text=text)
    code, err = _run(project, "check", "factsheets/s.yaml")
    assert "none of the fonts tried" not in err
    assert code == 0, err


def test_a_chinese_line_is_made_from_runs_of_one_frag_and_comes_out_the_same() -> None:
    """ReportLab's CJK line maker gets consecutive characters of one frag as one unit
    (it compares frags and measures fonts per unit): the line it makes is unchanged."""
    from reportlab.platypus import paragraph as rl
    from reportlab.platypus.paraparser import ParaFrag

    plain, bold, gap = ParaFrag(), ParaFrag(), ParaFrag()
    for frag, font in ((plain, "Helvetica"), (bold, "Helvetica-Bold"), (gap, "Helvetica")):
        frag.fontName, frag.fontSize, frag.textColor, frag.rise = font, 10, None, 0
    gap.lineBreak = True
    units = [rl.cjkU(c, plain, "utf8") for c in "abc"] + [rl.cjkU("", gap, "utf8")]
    units += [rl.cjkU(c, gap, "utf8") for c in "de"] + [rl.cjkU(c, bold, "utf8") for c in "fg"]
    runs = cjk._runs(units)
    assert [(str(r), r.frag) for r in runs] == [
        ("abc", plain), ("", gap), ("d", gap), ("e", gap), ("fg", bold)
    ]  # fmt: skip

    def words(line: list[object]) -> list[tuple[str, str]]:
        made = rl.makeCJKParaLine(line, 100, 50, 50, False, False)
        return [(w.text, w.fontName) for w in made.words]

    assert words(runs) == words(units)


def test_a_latin_number_wider_than_a_chinese_line_is_an_error_not_cut() -> None:
    """Issue 14: a number is never broken, in Chinese text too; a word that is not a
    number may still be cut where it overflows."""
    from factsheet.layout.breaks import UnbrokenNumber

    text = "人数109,262,178人"
    with pytest.raises(UnbrokenNumber, match="'109,262,178' needs 110pt"):
        cjk.line_ends(text, [10.0] * len(text), [60.0])
    word = "人数ABCDEFGHIJK人"
    assert cjk.line_ends(word, [10.0] * len(word), [60.0]) == [2, 8, 14]
