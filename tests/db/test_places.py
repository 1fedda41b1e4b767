"""Places: coordinates are checked."""

from __future__ import annotations

import pytest

from caseboard.db import places
from caseboard.db.errors import ValidationError


def test_place_coordinates_validated(empty_case) -> None:
    p = places.get_place(
        empty_case, places.add_place(empty_case, name="Najin", lat="42.256", lon="130.283 E").row_id
    )
    assert (p.lat, p.lon, p.precision) == (42.256, 130.283, "exact")
    with pytest.raises(ValidationError, match="latitude must be between -90 and 90"):
        places.add_place(empty_case, name="Bad", lat=91, lon=0)
    with pytest.raises(ValidationError, match="longitude"):
        places.add_place(empty_case, name="Bad", lat=0, lon="east-ish")
    with pytest.raises(ValidationError, match="together"):
        places.add_place(empty_case, name="Half", lat=10)
    w = places.get_place(
        empty_case, places.add_place(empty_case, name="W", lat="33.9 S", lon="18.4 W").row_id
    )
    assert (w.lat, w.lon) == (-33.9, -18.4)
