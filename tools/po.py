"""Work on the translation catalogues (caredesk/locale/<lang>/LC_MESSAGES/<domain>.po).

    python tools/po.py todo pt_BR [--domain djangojs] [--path templates/desk]
        prints the untranslated entries as JSON, {msgid: ""} (plural: {msgid: ["", ""]},
        keyed by msgid; the plural form is in "msgid_plural" of --verbose)
    python tools/po.py fill pt_BR translations.json [--domain djangojs]
        writes the JSON's translations into the catalogue (only entries it names)
    python tools/po.py take <git-ref> [<git-ref> ...]
        fills every empty entry from the same catalogue at those refs (merging branches)
    python tools/po.py stats
        counts translated / empty / fuzzy entries per catalogue

After `fill` or `take`, run `make catalogues` to compile.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "caredesk" / "locale"
LANGS = ["pt_BR", "it", "bg"]
DOMAINS = ["django", "djangojs"]


def catalogue(lang: str, domain: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def empty(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def todo(args):
    po = polib.pofile(str(catalogue(args.lang, args.domain)))
    out = {}
    for e in po:
        if not empty(e):
            continue
        if args.path and not any(args.path in f for f, _line in e.occurrences):
            continue
        out[e.msgid] = ["", ""] if e.msgid_plural else ""
        if args.verbose:
            out[e.msgid] = {
                "plural": e.msgid_plural,
                "context": e.msgctxt,
                "where": [f for f, _ in e.occurrences],
                "msgstr": out[e.msgid],
            }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


def _set(entry: polib.POEntry, value) -> None:
    if entry.msgid_plural:
        values = value if isinstance(value, list) else [value, value]
        entry.msgstr_plural = {i: v for i, v in enumerate(values)}
    else:
        entry.msgstr = value if isinstance(value, str) else value[0]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def fill(args):
    path = catalogue(args.lang, args.domain)
    po = polib.pofile(str(path), wrapwidth=79)
    given = json.loads(Path(args.file).read_text(encoding="utf-8"))
    by_id = {e.msgid: e for e in po if not e.obsolete}
    done = missing = 0
    for msgid, value in given.items():
        entry = by_id.get(msgid)
        if entry is None or not value or (isinstance(value, list) and not all(value)):
            missing += 1
            continue
        _set(entry, value)
        done += 1
    po.save(str(path))
    print(f"{path.relative_to(ROOT)}: {done} filled, {missing} not in the catalogue or empty")


def take(args):
    for lang in LANGS:
        for domain in DOMAINS:
            path = catalogue(lang, domain)
            if not path.exists():
                continue
            po = polib.pofile(str(path), wrapwidth=79)
            filled = 0
            for ref in args.refs:
                rel = path.relative_to(ROOT)
                shown = subprocess.run(
                    ["git", "show", f"{ref}:{rel}"], cwd=ROOT, capture_output=True, text=True
                )
                if shown.returncode:
                    continue
                theirs = {
                    e.msgid: e
                    for e in polib.pofile(shown.stdout)
                    if not e.obsolete and not empty(e)
                }
                for entry in po:
                    other = theirs.get(entry.msgid)
                    if other is not None and empty(entry):
                        _set(
                            entry,
                            other.msgstr_plural
                            and [other.msgstr_plural[k] for k in sorted(other.msgstr_plural)]
                            or other.msgstr,
                        )
                        filled += 1
            po.save(str(path))
            print(f"{path.relative_to(ROOT)}: {filled} filled")


def stats(_args):
    for lang in LANGS:
        for domain in DOMAINS:
            path = catalogue(lang, domain)
            if not path.exists():
                continue
            po = polib.pofile(str(path))
            live = [e for e in po if not e.obsolete]
            todo_n = sum(empty(e) for e in live)
            print(f"{lang:6} {domain:9} {len(live) - todo_n:5} translated {todo_n:5} to do")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("todo")
    p.add_argument("lang", choices=LANGS)
    p.add_argument("--domain", default="django", choices=DOMAINS)
    p.add_argument("--path", default="")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(run=todo)
    p = sub.add_parser("fill")
    p.add_argument("lang", choices=LANGS)
    p.add_argument("file")
    p.add_argument("--domain", default="django", choices=DOMAINS)
    p.set_defaults(run=fill)
    p = sub.add_parser("take")
    p.add_argument("refs", nargs="+")
    p.set_defaults(run=take)
    p = sub.add_parser("stats")
    p.set_defaults(run=stats)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
