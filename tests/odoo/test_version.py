"""OdooVersion.parse reads every version string Odoo 16-19 and Odoo Online report."""

import pytest

from odoo_engines.odoo import OdooVersion


@pytest.mark.parametrize(
    ("raw", "major", "minor", "saas", "enterprise"),
    [
        ("16.0", 16, 0, False, False),
        ("17.0+e", 17, 0, False, True),
        ("saas~17.2+e", 17, 2, True, True),
        ("18.0-20240101", 18, 0, False, False),
        ("19.0", 19, 0, False, False),
        ("16.0+e-20231015", 16, 0, False, True),
        ("saas~18.4", 18, 4, True, False),
    ],
)
def test_server_version_strings(raw, major, minor, saas, enterprise):
    version = OdooVersion.parse(raw)
    assert (version.major, version.minor, version.saas, version.enterprise) == (
        major,
        minor,
        saas,
        enterprise,
    )
    assert version.raw == raw
    assert str(version) == raw


def test_saas_version_info_with_a_string_first_element():
    version = OdooVersion.parse(["saas~17", 2, 0, "final", 0, "e"])
    assert (version.major, version.minor, version.saas, version.enterprise) == (17, 2, True, True)
    assert version.raw == "saas~17.2+e"


def test_common_version_answer_prefers_server_version():
    answer = {
        "server_version": "saas~17.2+e",
        "server_version_info": ["saas~17", 2, 0, "final", 0, "e"],
        "server_serie": "saas~17.2",
        "protocol_version": 1,
    }
    assert OdooVersion.parse(answer) == OdooVersion(17, 2, True, True, "saas~17.2+e")


def test_answer_without_server_version_falls_back_to_version_info():
    assert OdooVersion.parse({"server_version_info": [16, 0, 0, "final", 0, ""]}).major == 16


@pytest.mark.parametrize("bad", ["", "odoo", "v17", {"protocol_version": 1}, []])
def test_garbage_is_refused(bad):
    with pytest.raises(ValueError):
        OdooVersion.parse(bad)


def test_json2_is_used_from_19_on():
    assert OdooVersion.parse("19.0").has_json2
    assert not OdooVersion.parse("18.0+e").has_json2
    assert OdooVersion.parse("saas~18.4").at_least(18, 2)
    assert not OdooVersion.parse("saas~17.2").at_least(17, 4)
