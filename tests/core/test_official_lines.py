"""The date line and the signer's post as Nghị định 30/2020/NĐ-CP writes them, for every
document of the portal."""

import datetime

import pytest

from core.documents import date_line, date_words, signature_lines


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (datetime.date(2026, 6, 5), "ngày 05 tháng 6 năm 2026"),
        (datetime.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
        (datetime.date(2026, 10, 15), "ngày 15 tháng 10 năm 2026"),
        (datetime.date(2019, 12, 25), "ngày 25 tháng 12 năm 2019"),
        (datetime.date(2019, 8, 8), "ngày 08 tháng 8 năm 2019"),
    ],
)
def test_a_day_below_10_and_months_1_and_2_take_a_leading_zero(day, words) -> None:  # type: ignore[no-untyped-def]
    assert date_words(day) == words


@pytest.mark.parametrize("month", range(3, 10))
def test_months_3_to_9_have_no_leading_zero(month: int) -> None:
    assert f"tháng {month} năm" in date_words(datetime.date(2026, month, 20))
    assert "tháng 0" not in date_words(datetime.date(2026, month, 20))


def test_the_date_line_puts_the_place_first() -> None:
    day = datetime.date(2026, 6, 5)
    assert date_line("Kiên Lương", day) == "Kiên Lương, ngày 05 tháng 6 năm 2026"
    assert date_line("", day) == "…………, ngày 05 tháng 6 năm 2026"  # a blank to fill by hand


def test_a_deputy_signs_for_the_head_and_a_council_signs_as_a_body() -> None:
    assert signature_lines("Chủ tịch") == ["CHỦ TỊCH"]
    assert signature_lines("Chủ tịch", deputy=True) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature_lines("Chủ tịch", deputy=True, on_behalf_of="Hội đồng Thi đua") == [
        "TM. HỘI ĐỒNG THI ĐUA",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
