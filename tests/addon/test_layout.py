"""The addon's one source tree: 18.0 (and 19.0) share 17.0's files but for the two that
the versions make differ, and those differ only where the versions do."""

from __future__ import annotations

import os
import re
from pathlib import Path

ADDONS = Path(__file__).resolve().parents[2] / "odoo_addons"
NAME = "odoo_engines_connector"
OWN = {"views/chatbot_views.xml", "data/cron.xml"}  # per dialect; everything else is shared


def _files(series: str) -> dict[str, Path]:
    root = ADDONS / series / NAME
    found = {}
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path
    return found


def test_later_series_share_every_file_but_the_version_specific_ones():
    older, newer = _files("17.0"), _files("18.0")
    assert set(older) == set(newer)
    for name, path in newer.items():
        same_file = path.resolve() == older[name].resolve()
        assert same_file == (name not in OWN), name
    assert (ADDONS / "19.0").resolve() == (ADDONS / "18.0").resolve()


def test_the_version_specific_files_differ_only_as_the_versions_do():
    views_17 = (ADDONS / "17.0" / NAME / "views/chatbot_views.xml").read_text()
    views_18 = (ADDONS / "18.0" / NAME / "views/chatbot_views.xml").read_text()
    as_18 = re.sub(r"<(/?)tree\b", r"<\1list", views_17).replace("tree,form", "list,form")
    assert views_18 == as_18 and "<tree" not in views_18
    cron_17 = (ADDONS / "17.0" / NAME / "data/cron.xml").read_text()
    cron_18 = (ADDONS / "18.0" / NAME / "data/cron.xml").read_text()
    assert cron_18 == "".join(line for line in cron_17.splitlines(keepends=True)
                              if "numbercall" not in line)  # fmt: skip
