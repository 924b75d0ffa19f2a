"""Tests for factsheet.text: the Jinja2 pass, Markdown to ReportLab markup, plain text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from factsheet.errors import FactsheetError, TemplateError
from factsheet.text import (
    LinkStyle,
    Templates,
    markdown_to_markup,
    markdown_to_plain,
    render_markup,
    render_plain,
)

STYLE = ParagraphStyle("test", fontName="Helvetica", fontSize=10, leading=12)
LINK = '<a href="{}" color="#0033A0">'
# The only tags the converter may emit; anything else that looks like a tag is a leak.
OWN_TAGS = re.compile(r'</?(?:b|i|u|super|sub)>|<br/>|<a href="[^"<>]*" color="[^"<>]*">|</a>')


def assert_paragraph_ok(markup: str) -> Paragraph:
    """ReportLab accepts the markup and it holds no tag the converter did not write."""
    assert "<" not in OWN_TAGS.sub("", markup)
    paragraph = Paragraph(markup, STYLE)
    paragraph.wrap(200, 1000)
    return paragraph


def frag_text(markup: str) -> str:
    return "".join(frag.text for frag in Paragraph(markup, STYLE).frags)


def squeezed(text: str) -> str:
    """Text without the characters ReportLab treats as white space (a zero-width space
    among them: it only marks where a line may break)."""
    from reportlab.platypus.paragraph import _wsc

    return "".join(c for c in text if c not in _wsc and not c.isspace())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("plain", "plain"),
        ("**bold**", "<b>bold</b>"),
        ("__bold__", "<b>bold</b>"),
        ("*italic*", "<i>italic</i>"),
        ("_italic_", "<i>italic</i>"),
        ("***both***", "<i><b>both</b></i>"),
        ("**bold *and italic***", "<b>bold <i>and italic</i></b>"),
        ("*a **b** c*", "<i>a <b>b</b> c</i>"),
        ("43^rd^ place", "43<super>rd</super> place"),
        ("H~2~O", "H<sub>2</sub>O"),
        ("x^a b^", "x^a b^"),
        (r"\*not italic\*", "*not italic*"),
        ("snake_case_name", "snake_case_name"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("\"quotes\" and 'apostrophes'", "\"quotes\" and 'apostrophes'"),
        ("`code`", "`code`"),
        ("# not a heading", "# not a heading"),
        ("- not a list", "- not a list"),
    ],
)
def test_inline_markup(source: str, expected: str) -> None:
    assert markdown_to_markup(source) == [expected]
    assert_paragraph_ok(expected)


@pytest.mark.parametrize(
    "source",
    [
        "<font color=red>red</font>",
        '<img src="x.png"/>',
        '<a href="javascript:alert(1)">x</a>',
        "<para>x</para>",
        "&#x3c;b&#x3e;bold",
        "&lt;b&gt;",
        "&amp;",
        "<b>bold</b>",
        "<br/>",
        "<!-- comment -->",
    ],
)
def test_raw_markup_in_source_is_literal_text(source: str) -> None:
    [markup] = markdown_to_markup(source)
    assert_paragraph_ok(markup)
    assert frag_text(markup) == source


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[site](http://example.com)", "http://example.com"),
        ("[site](https://example.com/a?b=1&c=2)", "https://example.com/a?b=1&amp;c=2"),
        ("[mail](mailto:ir@example.com)", "mailto:ir@example.com"),
        ("[site](HTTPS://EXAMPLE.COM)", "HTTPS://EXAMPLE.COM"),
        ("<https://example.com>", "https://example.com"),
        ("<ir@example.com>", "mailto:ir@example.com"),
    ],
)
def test_allowed_links(source: str, href: str) -> None:
    [markup] = markdown_to_markup(source)
    assert markup.startswith(LINK.format(href))
    assert markup.endswith("</a>")
    assert_paragraph_ok(markup)


def test_link_style() -> None:
    style = LinkStyle(colour="#FF0000", underline=True)
    assert markdown_to_markup("[*a*](https://x.org)", style) == [
        '<a href="https://x.org" color="#FF0000"><u><i>a</i></u></a>'
    ]


def test_link_href_quotes_are_escaped() -> None:
    [markup] = markdown_to_markup('[a](<https://x.org/"q">)')
    assert '"q"' not in markup
    paragraph = assert_paragraph_ok(markup)
    assert paragraph.frags[0].text == "a"


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "relative/page.html",
        "/absolute",
        "#anchor",
        "#",
        "data:text/html,x",
        "ftp://example.com",
    ],
)
def test_refused_links(target: str) -> None:
    message = f"link target '{target}' is not allowed; use an http(s) or mailto: address"
    with pytest.raises(TemplateError, match=re.escape(message)):
        markdown_to_markup(f"[text]({target})")
    with pytest.raises(TemplateError, match="is not allowed"):
        markdown_to_plain(f"[text]({target})")


def test_refused_autolink() -> None:
    with pytest.raises(TemplateError, match="'javascript:alert'"):
        markdown_to_markup("<javascript:alert>")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("one  \ntwo", ["one<br/>two"]),
        ("one\\\ntwo", ["one<br/>two"]),
        ("one\ntwo", ["one two"]),
        ("one\n\ntwo", ["one", "two"]),
        ("one\n\n\n\ntwo\nthree\n\nfour", ["one", "two three", "four"]),
        ("  indented\n", ["indented"]),
        ("", []),
        ("\n\n", []),
    ],
)
def test_breaks_and_paragraphs(source: str, expected: list[str]) -> None:
    assert markdown_to_markup(source) == expected
    for markup in expected:
        assert_paragraph_ok(markup)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and *italic*", "bold and italic"),
        ("43^rd^ H~2~O", "43rd H2O"),
        ("see [the site](https://x.org)", "see the site"),
        ("a < b & c", "a < b & c"),
        ("<font>x</font>", "<font>x</font>"),
        ("one\ntwo  \nthree", "one two three"),
        ("one\n\ntwo", "one\n\ntwo"),
        (r"\*lit\*", "*lit*"),
        ("", ""),
    ],
)
def test_plain(source: str, expected: str) -> None:
    assert markdown_to_plain(source) == expected


VARIABLES: dict[str, object] = {
    "officials": "Ann & Bob",
    "share": "43",
    "bold": "**x**",
    "link": "[a](http://x)",
    "template": "{{ share }}",
    "tags": '<font color="red">red</font><img src="x"/>',
    "italic": "_y_ and *z*",
    "sup": "^a^ ~b~",
    "backslash": "a\\",
    "url": "https://example.com/a_b?x=1&y=2",
    "multiline": "one\n\ntwo  \nthree",
    "number": 3.5,
    "items": ["a", "b"],
}


@pytest.fixture
def templates() -> Templates:
    return Templates(VARIABLES)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ officials }}", "Ann &amp; Bob"),
        ("**{{ share }}**^rd^", "<b>43</b><super>rd</super>"),
        ("{{ bold }}", "**x**"),
        ("*{{ bold }}*", "<i>**x**</i>"),
        ("{{ link }}", "[a](http://x)"),
        ("{{ template }}", "{{ share }}"),
        ("{{ tags }}", '&lt;font color="red"&gt;red&lt;/font&gt;&lt;img src="x"/&gt;'),
        ("{{ italic }}", "_y_ and *z*"),
        ("{{ sup }}", "^a^ ~b~"),
        ("{{ backslash }}*x*", "a\\<i>x</i>"),
        ("[site]({{ url }})", LINK.format("https://example.com/a_b?x=1&amp;y=2") + "site</a>"),
        ("{{ multiline }}", "one two three"),
        ("{{ number * 2 }}", "7.0"),
        ("{{ items | join(', ') }}", "a, b"),
        ("{% for i in items %}{{ i }}{% endfor %}", "ab"),
        ("{% if missing is defined %}x{% else %}y{% endif %}", "y"),
        ("{{ missing | default('-') }}", "-"),
    ],
)
def test_render_markup(templates: Templates, template: str, expected: str) -> None:
    assert render_markup(template, templates) == [expected]
    assert_paragraph_ok(expected)


@pytest.mark.parametrize("name", ["bold", "link", "template", "tags", "italic", "sup"])
def test_inserted_values_print_literally(templates: Templates, name: str) -> None:
    [markup] = render_markup(f"{{{{ {name} }}}}", templates)
    assert frag_text(markup) == VARIABLES[name]
    assert render_plain(f"{{{{ {name} }}}}", templates) == VARIABLES[name]


def test_render_returns_escaped_markdown(templates: Templates) -> None:
    assert templates.render("{{ bold }}") == r"\*\*x\*\*"
    assert templates.render("**{{ share }}**") == "**43**"


def test_unknown_name_suggests(templates: Templates) -> None:
    with pytest.raises(TemplateError) as info:
        templates.render("Signed by {{ offcials }}")
    assert info.value.message == "unknown name 'offcials' in template"
    assert info.value.hint == "did you mean 'officials'?"


def test_unknown_name_without_suggestion(templates: Templates) -> None:
    with pytest.raises(TemplateError) as info:
        templates.render("{{ zzzzzz }}")
    assert info.value.hint == ""


def test_unknown_attribute(templates: Templates) -> None:
    with pytest.raises(TemplateError, match=r"line 2 of the text: .*has no attribute 'nope'"):
        templates.render("first\n{{ officials.nope }}")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("first\n{{ share } }}", "line 2 of the text: unexpected '}'"),
        ("{% if %}x{% endif %}", "line 1 of the text: Expected an expression"),
        ("a\nb\n{% for x in items %}", "line 3 of the text: Unexpected end of template"),
        ("{{ share | nofilter }}", "unknown filter 'nofilter'"),
    ],
)
def test_syntax_errors(templates: Templates, template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=re.escape(message)):
        templates.render(template)


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ share.__class__.__mro__ }}",
        "{{ items.__class__.__subclasses__() }}",
        "{{ items.append('c') }}",
        "{{ 'a' * 10000000 }}",
        "{{ 2 ** 100000 }}",
        "{{ range(10000000) | list }}",
    ],
)
def test_sandbox_refuses(templates: Templates, template: str) -> None:
    with pytest.raises(TemplateError, match="not allowed in a template"):
        templates.render(template)


def test_runtime_errors_are_template_errors(templates: Templates) -> None:
    with pytest.raises(TemplateError, match="cannot render template: division by zero"):
        templates.render("{{ 1 / 0 }}")


def test_render_plain(templates: Templates) -> None:
    assert (
        render_plain("**{{ officials }}** hold {{ share }}^%^", templates) == "Ann & Bob hold 43%"
    )


def test_templates_are_independent() -> None:
    source = "{{ share }}"
    assert Templates({"share": "1"}).render(source) == "1"
    assert Templates({"share": "2"}).render(source) == "2"


@given(st.text())
def test_any_text_makes_valid_markup(source: str) -> None:
    try:
        paragraphs = markdown_to_markup(source)
        plain = markdown_to_plain(source)
    except TemplateError as exc:
        # Random text can spell out a link to a refused target; nothing else may fail.
        assert "is not allowed" in exc.message
        return
    plain_paragraphs = plain.split("\n\n") if paragraphs else []
    assert len(plain_paragraphs) == len(paragraphs)
    for markup, expected in zip(paragraphs, plain_paragraphs, strict=True):
        assert_paragraph_ok(markup)
        # ReportLab and Markdown differ only in how they collapse whitespace.
        assert squeezed(frag_text(markup)) == squeezed(expected)


@given(st.text())
def test_any_value_prints_literally(value: str) -> None:
    paragraphs = render_markup("{{ value }}", Templates({"value": value}))
    for markup in paragraphs:
        assert_paragraph_ok(markup)
    text = "".join(frag_text(markup) for markup in paragraphs)
    assert squeezed(text) == squeezed(value.replace("\0", "\ufffd"))


@pytest.mark.parametrize(
    "template",
    [
        "plain text\n",
        "a {{ x }} b",
        "{{x}}{{ y }}\n\n",
        "**{{ x }}** and [link](https://example.org) {{ y }}\n",
        "ends without newline {{ x }}",
    ],
)
def test_simple_templates_render_as_jinja_does(template: str) -> None:
    """The no-compile path for plain `{{ name }}` references matches Jinja exactly."""
    from factsheet.sandbox import compile_template

    templates = Templates({"x": "*a* <b> {{ z }}", "y": 2021})
    fast = templates.render(template)
    jinja = compile_template(template).render(templates.variables)
    assert templates._render_simple(template) is not None
    assert fast == jinja


def test_templates_with_logic_still_use_jinja() -> None:
    templates = Templates({"x": 3})
    assert templates._render_simple("{% if x %}yes{% endif %}") is None
    assert templates.render("{% if x > 2 %}big{% endif %}") == "big"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40))
def test_plain_text_shortcut_gives_what_the_parser_gives(source: str) -> None:
    """Text that skips the Markdown parser must come out exactly as if it had not."""
    from factsheet import text

    shortcut = [[t.content for t in p] for p in text._paragraphs(source)]
    parsed = [
        [t.content for t in token.children or []]
        for token in text._MD.parse(source)
        if token.type == "inline" and token.children
    ]
    if shortcut != parsed:  # only text the shortcut may not take can differ
        assert not (source.strip() == source and text._MARKDOWN_SIGNS.isdisjoint(source))
    for words in ("Migration in 2021", "M&E team: 1,2 million (72%)", "Ça va ! #1 - ok."):
        assert [[t.content for t in p] for p in text._paragraphs(words)] == [[words]]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ x|int }}", "'12%' is not a whole number (give a default"),
        ("{{ x|float }}", "'12%' is not a number (give a default"),
        ("{{ n|float }}", "'nan' is not a number"),
        ("{{ big|int }}", "'1e999' is too large"),
    ],
)
def test_number_filters_never_print_a_silent_zero(template: str, message: str) -> None:
    """Jinja's `int` and `float` print 0 for text that is not a number ('12%'): a
    plausible wrong figure. A default is used only when the template gives one."""
    templates = Templates({"x": "12%", "n": "nan", "big": "1e999"})
    with pytest.raises(FactsheetError, match=re.escape(message)):
        templates.render(template)
    assert Templates({"x": "12%"}).render("{{ x|int(5) }}") == "5"
