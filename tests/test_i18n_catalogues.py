"""The translation catalogues are complete: every string marked in the code, templates and
scripts has a translation in Portuguese (Brazil), Italian and Bulgarian.

The marked strings are extracted afresh (Django's makemessages, GNU xgettext) into a copy of
the catalogues, so a string marked but never added with `make messages` fails here too."""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from caredesk.core.i18n import LANGUAGE_CHOICES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "caredesk"
LANGS = ["pt_BR", "it", "bg"]


def test_the_settings_and_the_profile_offer_the_same_languages():
    assert settings.LANGUAGES == LANGUAGE_CHOICES
    assert sorted(p.name for p in (SOURCE / "locale").iterdir() if p.is_dir()) == sorted(LANGS)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing: `make test` installs it (apt-get install gettext)")
    # makemessages writes into a `locale` folder of the tree it reads, so it reads a tree of
    # links to the sources beside a copy of the catalogues.
    tree = tmp_path_factory.mktemp("tree")
    for item in SOURCE.iterdir():
        if item.name not in ("locale", "var", "__pycache__"):
            (tree / item.name).symlink_to(item)
    locale = tree / "locale"
    for lang in LANGS:
        shutil.copytree(SOURCE / "locale" / lang, locale / lang)
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[locale]):
            for domain, ignore in (
                ("django", ["static/*", "var/*"]),
                ("djangojs", ["static/caredesk/htmx.min.js", "static/caredesk/vendor/*", "var/*"]),
            ):
                call_command(
                    "makemessages",
                    locale=LANGS,
                    domain=domain,
                    ignore_patterns=ignore,
                    add_location="file",
                    no_obsolete=True,
                    symlinks=True,
                    verbosity=0,
                )
    finally:
        os.chdir(cwd)
    return locale


def _entries(path: Path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete] if path.exists() else []


def _translated(entry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_marked_string_is_translated(extracted, lang, domain):
    entries = _entries(extracted / lang / "LC_MESSAGES" / f"{domain}.po")
    missing = [
        f"{e.msgid!r} ({', '.join(f for f, _ in e.occurrences)})"
        for e in entries
        if not _translated(e)
    ]
    assert missing == [], (
        f"{len(missing)} marked strings have no {lang} translation; run `make messages`, "
        "translate them (tools/po.py todo/fill) and `make`:\n" + "\n".join(missing[:50])
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_translations_keep_the_placeholders(lang, domain):
    """A translation that loses or renames %(name)s would raise at run time (KeyError)."""
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")
    wrong = []
    for e in _entries(SOURCE / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"):
        if not _translated(e):
            continue
        wanted = sorted(m.group(0) for m in placeholder.finditer(e.msgid))
        texts = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for text in texts:
            got = sorted(m.group(0) for m in placeholder.finditer(text))
            # A plural's singular form may leave the count out ("un ticket").
            if got != wanted and not (e.msgid_plural and set(got) <= set(wanted)):
                wrong.append(f"{e.msgid!r} -> {text!r}")
    assert wrong == []


def test_the_compiled_catalogues_are_current():
    """`make` compiles the catalogues; a stale one would show yesterday's translations."""
    stale = []
    for po in (SOURCE / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(str(po.relative_to(ROOT)))
    assert stale == [], "run `make catalogues`"


def test_make_builds_the_catalogues(tmp_path):
    """The Makefile's rule compiles a catalogue with Babel alone."""
    po = SOURCE / "locale" / "bg" / "LC_MESSAGES" / "django.po"
    out = tmp_path / "django.mo"
    subprocess.run(
        [str(Path(os.sys.executable).parent / "pybabel"), "-q", "compile", "-i", po, "-o", out],
        check=True,
    )
    catalog = polib.mofile(str(out))
    assert len(catalog) == len([e for e in _entries(po) if _translated(e)])
