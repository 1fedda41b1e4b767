"""Case-wide settings, kept in ``case_info`` so any SQLite tool can read and change them."""

from __future__ import annotations

from caseboard.db.case import Case
from caseboard.db.schema import SETTING_REQUIRE_SOURCE

#: Setting key -> (words for a user, default value).
SETTINGS: dict[str, tuple[str, str]] = {
    SETTING_REQUIRE_SOURCE: ("Refuse new facts that name no source", "0"),
}


def get_setting(case: Case, key: str) -> str:
    value = case.get_info(key)
    return SETTINGS[key][1] if value is None else value


def set_setting(case: Case, key: str, value: str) -> None:
    if key not in SETTINGS:
        raise KeyError(key)
    case.set_info(key, value)


def require_source(case: Case) -> bool:
    """Whether new facts must cite a source (the "require a source" case setting)."""
    return get_setting(case, SETTING_REQUIRE_SOURCE) == "1"


def set_require_source(case: Case, on: bool) -> None:
    set_setting(case, SETTING_REQUIRE_SOURCE, "1" if on else "0")
