"""No Swedish reaches a Finnish or English reader unmarked.

A heuristic scanner: in templates, any text or aria-label/title/placeholder/alt
outside `{% translate %}`/`{% blocktranslate %}` that looks Swedish; in Python,
any message shown to a person (ValidationError, PermissionDenied,
`messages.*`, `form.add_error`) given as a bare string instead of through
gettext. Swedish "looks like" Swedish letters or a common Swedish word.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|är|att|inte|för|med|som|det|kan|ska|har|på|till|av|eller|finns|inga|"
    r"ingen|konto|svar|visa|spara|sök|nästa)\b",
    re.IGNORECASE,
)
# Templates: the language links name each language in itself (Suomeksi, På svenska).
TEMPLATE_ALLOWED = {"register/templates/register/public.html": {"Suomeksi På svenska In English"}}
# Every Python file is checked: the other branches' areas were converted when they landed.
PYTHON_ALLOWED_FILES: set[str] = set()

_BLOCK = re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.S)
_ATTR = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
_MESSAGE_CALLS = {"ValidationError", "PermissionDenied"}
_MESSAGES_METHODS = {"error", "success", "info", "warning", "debug"}


def untranslated_in_template(text: str) -> list[str]:
    text = _BLOCK.sub(" ", _CODE.sub(" ", _COMMENT.sub(" ", text)))
    attributes = [_TAG.sub(" ", value) for value in _ATTR.findall(text)]
    visible = re.sub(r"<[^>]*>", "\n", _ATTR.sub(" ", _TAG.sub(" ", text)))
    found = []
    for chunk in [*visible.split("\n"), *attributes]:
        words = " ".join(chunk.split())
        if re.search(r"[^\W\d_]{2}", words) and SWEDISH.search(words):
            found.append(words)
    return found


def _is_bare_string(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def untranslated_in_python(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else ""
        name = name or (function.id if isinstance(function, ast.Name) else "")
        owner = (
            function.value.id
            if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
            else ""
        )
        if name in _MESSAGE_CALLS:
            arguments = node.args
        elif (owner == "messages" and name in _MESSAGES_METHODS) or name == "add_error":
            arguments = node.args[1:]
        else:
            continue
        if arguments and _is_bare_string(arguments[0]):
            text = ast.unparse(arguments[0])
            if SWEDISH.search(text):
                found.append((node.lineno, text))
    return found


def test_the_scanner_finds_what_it_should() -> None:
    assert untranslated_in_template("<p>Spara ändringen</p>") == ["Spara ändringen"]
    assert untranslated_in_template('<a aria-label="Till inkorgen">x</a>') == ["Till inkorgen"]
    assert untranslated_in_template('<p>{% translate "Spara" %} {{ name }}</p>') == []
    assert (
        untranslated_in_template("{% blocktranslate %}Hej {{ x }} och{% endblocktranslate %}") == []
    )
    assert untranslated_in_python('raise ValidationError("Ange skälet.")') == [
        (1, "'Ange skälet.'")
    ]
    assert untranslated_in_python('messages.error(request, f"{x} är fel")') != []
    assert untranslated_in_python('raise ValidationError(_("Ange skälet."))') == []


def test_no_template_shows_unmarked_swedish() -> None:
    problems = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = str(path.relative_to(ROOT))
        allowed = TEMPLATE_ALLOWED.get(relative, set())
        problems += [
            f"{relative}: {text!r}"
            for text in untranslated_in_template(path.read_text(encoding="utf-8"))
            if text not in allowed
        ]
    assert not problems, "Mark these for translation:\n" + "\n".join(problems)


def test_no_service_message_is_unmarked_swedish() -> None:
    problems = []
    for path in sorted(ROOT.glob("**/*.py")):
        relative = str(path.relative_to(ROOT))
        if "/tests/" in relative or "/migrations/" in relative or relative in PYTHON_ALLOWED_FILES:
            continue
        problems += [
            f"{relative}:{line}: {text}"
            for line, text in untranslated_in_python(path.read_text(encoding="utf-8"))
        ]
    assert not problems, "Wrap these in gettext:\n" + "\n".join(problems)


def test_internal_names_become_labels() -> None:
    from kanalvakt.web.templatetags.kanalvakt_ui import rule_label, without_file_name

    assert rule_label("registration.register[0]") == "policyns regel om diarieföring (1)"
    assert rule_label("response_times.default") == "policyns regel om svarstider"
    assert without_file_name("001_a3d89b8332877af7.txt – 3. Diarieföring") == "3. Diarieföring"
