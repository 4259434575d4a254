"""An id in a page's address is ASCII digits naming a row that can exist; anything else is
a thing that does not exist."""

from __future__ import annotations

import pytest

from crossrisk.domain.errors import NotFound
from crossrisk.http.deps import ID_MAX
from crossrisk.web.shared.page_forms import id_in_address


def test_an_id_in_range_is_read() -> None:
    assert id_in_address("42") == 42
    assert id_in_address(str(ID_MAX), "cost line") == ID_MAX


@pytest.mark.parametrize("value", ["", "x", "-1", "1.5", "١٢", "²", str(ID_MAX + 1), "9" * 40])
def test_anything_else_is_a_thing_that_does_not_exist(value: str) -> None:
    with pytest.raises(NotFound) as refused:
        id_in_address(value, "settlement")
    assert refused.value.key == "risk-unknown"
    assert refused.value.params == {"risk": value[:20]}
    assert str(refused.value.detail).startswith("settlement ")
