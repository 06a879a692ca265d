"""Every text the interface writes from a literal has an Indonesian entry, looked up as Django
looks it up at run time: a {% translate %} literal with its percent signs doubled (Django's
Variable does so before gettext), a context as "context\\x04text", Python's gettext family,
pgettext, ngettext and silahap.markup's translate/blocktranslate/count by their first literal.

`make messages` cannot be trusted to find them all (xgettext does not know markup.translate), and
a missing entry shows English on an Indonesian page without any error: "Task", "immigration" and
the photo reader's "read with …% certainty" did until this test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<quote>["'])(?P<text>.*?)(?P=quote)(?P<rest>[^%]*)%\}""",
    re.S,
)
CONTEXT = re.compile(r"""\bcontext\s+(["'])(.*?)\1""")
SIMPLE = {"_", "gettext", "gettext_lazy", "gettext_noop", "translate", "blocktranslate"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy", "count"}  # count: silahap.markup's ngettext


def _templates() -> list[Path]:
    """The pages and the mails (password_reset_email.txt)."""
    folder = ROOT / "templates"
    return sorted([*folder.rglob("*.html"), *folder.rglob("*.txt")])


def _catalogue():
    return trans_real.translation("id")._catalog  # type: ignore[attr-defined]


def template_keys(text: str) -> list[str]:
    keys = []
    for found in TAG.finditer(text):
        message = found["text"].replace("%", "%%")
        context = CONTEXT.search(found["rest"])
        keys.append(f"{context[2]}\x04{message}" if context else message)
    return keys


def python_keys(source: str) -> list[tuple[int, object]]:
    keys: list[tuple[int, object]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = (
            function.id
            if isinstance(function, ast.Name)
            else function.attr
            if isinstance(function, ast.Attribute)
            else None
        )
        texts = [
            argument.value if isinstance(argument, ast.Constant) else None
            for argument in node.args[:2]
        ]
        first = texts[0] if texts and isinstance(texts[0], str) else None
        second = texts[1] if len(texts) > 1 and isinstance(texts[1], str) else None
        if name in SIMPLE and first is not None:
            keys.append((node.lineno, first))
        elif name in WITH_CONTEXT and first is not None and second is not None:
            keys.append((node.lineno, f"{first}\x04{second}"))
        elif name in PLURAL and first is not None and second is not None:
            keys.append((node.lineno, (first, 0)))
    return keys


def test_every_template_literal_has_an_indonesian_entry():
    catalogue = _catalogue()
    templates = _templates()
    missing = [
        (str(path.relative_to(ROOT)), key)
        for path in templates
        for key in template_keys(path.read_text(encoding="utf-8"))
        if key not in catalogue
    ]
    assert len(templates) > 100
    assert missing == []


def _literal(expression) -> str | None:
    if expression is None:
        return None
    return expression.var if isinstance(expression.var, str) else expression.var.literal


def test_every_blocktranslate_has_an_indonesian_entry():
    """Keyed as the tag itself builds it: text with % doubled, {{ name }} as %(name)s, trimmed
    when asked, the singular of a counted message at index 0."""
    catalogue = _catalogue()
    engine = engines["django"].engine  # type: ignore[attr-defined]
    missing, seen = [], 0
    for path in _templates():
        name = str(path.relative_to(ROOT / "templates"))
        for node in engine.get_template(name).nodelist.get_nodes_by_type(BlockTranslateNode):
            seen += 1
            message, _variables = node.render_token_list(node.singular)
            context = _literal(node.message_context)
            text = f"{context}\x04{message}" if context else message
            key = (text, 0) if node.plural and node.countervar else text
            if key not in catalogue:
                missing.append((name, key))
    assert seen > 50
    assert missing == []


def test_every_python_literal_has_an_indonesian_entry():
    catalogue = _catalogue()
    sources = [
        path
        for path in sorted((ROOT / "silahap").rglob("*.py"))
        if not {"migrations", "tests", "testing"} & set(path.parts)
    ]
    missing = [
        (f"{path.relative_to(ROOT)}:{line}", key)
        for path in sources
        for line, key in python_keys(path.read_text(encoding="utf-8"))
        if key not in catalogue
    ]
    assert len(sources) > 100
    assert missing == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (
            """{% translate 'read with %(percent)s%% certainty' %}""",
            ["read with %%(percent)s%%%% certainty"],
        ),
        ("""{% translate "Period" context "evaluation" %}""", ["evaluation\x04Period"]),
        ("""{% trans "Save" as saved %}{% blocktranslate %}x{% endblocktranslate %}""", ["Save"]),
    ],
)
def test_a_template_literal_is_keyed_as_django_looks_it_up(text, keys):
    assert template_keys(text) == keys


def test_a_python_literal_is_keyed_by_its_call():
    source = (
        'label = _("Task")\n'
        'word = markup.translate("submitted")\n'
        'period = pgettext_lazy("evaluation", "Period")\n'
        'days = ngettext("%(n)s day", "%(n)s days", n)\n'
        'rows = markup.count("%(n)s row", "%(n)s rows", n)\n'
        'tags = html.count("<tr")\n'
        "other = gettext(name)\n"
    )
    assert [key for _line, key in python_keys(source)] == [
        "Task",
        "submitted",
        "evaluation\x04Period",
        ("%(n)s day", 0),
        ("%(n)s row", 0),
    ]
