"""The award catalogue and the base salaries, as data with their sources (docs/domain-law.md).

`verified` is True only for a number read in the legal text itself; numbers known from a
secondary report of the text, or inferred, stay unverified until an administrator checks them.
The migration writes them; the demo writes them again after a test flush removed them.
"""

import datetime
from decimal import Decimal
from typing import Any

ND152 = "Nghị định 152/2025/NĐ-CP"
ND152_REPORTED = (
    f"{ND152} (theo báo Dân trí 03/12/2025 và 06/12/2025, không nêu điều, khoản; chưa đối chiếu "
    "văn bản); cùng hệ số tại Nghị định 91/2017/NĐ-CP Điều 69 khoản {clause} (theo Thư viện pháp "
    "luật, trích văn bản)"
)
THRESHOLD_SOURCE = (
    f"Luật Thi đua, khen thưởng 06/2022/QH15; {ND152} (tỷ lệ trên tổng số thành viên Hội đồng; "
    "chưa đối chiếu điều, khoản)"
)
MAJORITY_SOURCE = "Quy chế làm việc của Hội đồng: quá bán tổng số thành viên (chưa đối chiếu)"
LEVEL_SOURCE = (
    "Luật Thi đua, khen thưởng 06/2022/QH15 (thẩm quyền quyết định khen thưởng) và phân cấp của "
    f"{ND152}: chưa đối chiếu điều, khoản"
)

# name, kind, recipients (c/i/h), levels (lowest-highest that decide it), period, rule, threshold,
# multiples (c, i, h), source of the multiples
AWARDS = [
    (
        "Danh hiệu Anh hùng Lao động",
        "title",
        "ci",
        "president",
        "campaign",
        "secret_ballot",
        90,
        (None, None, None),
        "",
    ),
    (
        "Chiến sĩ thi đua toàn quốc",
        "title",
        "i",
        "prime_minister",
        "annual",
        "secret_ballot",
        90,
        (None, "4.5", None),
        ND152_REPORTED.format(clause="1 điểm a"),
    ),
    (
        "Chiến sĩ thi đua cấp tỉnh",
        "title",
        "i",
        "province",
        "annual",
        "secret_ballot",
        90,
        (None, "3.0", None),
        ND152_REPORTED.format(clause="1 điểm b"),
    ),
    (
        "Chiến sĩ thi đua cơ sở",
        "title",
        "i",
        "commune-province",
        "annual",
        "secret_ballot",
        80,
        (None, "1.0", None),
        ND152_REPORTED.format(clause="1 điểm c"),
    ),
    (
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "title",
        "c",
        "province",
        "annual",
        "secret_ballot",
        80,
        ("8.0", None, None),
        "Nghị định 91/2017/NĐ-CP Điều 69 khoản 2 điểm đ: cờ cấp bộ, ngành, tỉnh 8,0 lần (theo Thư "
        f"viện pháp luật, trích văn bản); mức tại {ND152}: chưa đối chiếu (bài Dân trí bị cắt)",
    ),
    (
        "Tập thể lao động xuất sắc",
        "title",
        "c",
        "province",
        "annual",
        "majority",
        50,
        ("1.5", None, None),
        ND152_REPORTED.format(clause="2 điểm a"),
    ),
    (
        "Tập thể lao động tiên tiến",
        "title",
        "c",
        "commune-province",
        "annual",
        "majority",
        50,
        ("0.8", None, None),
        ND152_REPORTED.format(clause="2 điểm b"),
    ),
    (
        "Lao động tiên tiến",
        "title",
        "i",
        "commune-province",
        "annual",
        "majority",
        50,
        (None, "0.3", None),
        ND152_REPORTED.format(clause="1 điểm d"),
    ),
    (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "commendation",
        "cih",
        "province",
        "campaign",
        "majority",
        50,
        ("3.0", "1.5", "1.5"),
        f"{ND152}, Điều 54 khoản 1: cá nhân 1,5 lần (theo báo Sức khỏe & Đời sống 08/2025); "
        "tập thể gấp đôi và hộ gia đình như cá nhân: suy ra, chưa đối chiếu",
    ),
    (
        "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        "commendation",
        "cih",
        "commune",
        "campaign",
        "majority",
        50,
        ("0.6", "0.3", "0.3"),
        f"{ND152}: chưa đối chiếu",
    ),
    (
        "Giấy khen của Chủ tịch Ủy ban nhân dân huyện",
        "commendation",
        "cih",
        "district",
        "campaign",
        "majority",
        50,
        ("0.6", "0.3", "0.3"),
        "Nghị định 91/2017/NĐ-CP (cấp huyện, trước 01/7/2025): chưa đối chiếu",
    ),
]

BASE_SALARIES = [
    (1_490_000, datetime.date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1_800_000, datetime.date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, datetime.date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
    (2_530_000, datetime.date(2026, 7, 1), "Nghị định 161/2026/NĐ-CP"),
]


def _multiple(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _levels(levels: str) -> tuple[str, str]:
    lowest, _dash, highest = levels.partition("-")
    return lowest, highest


def catalogue_ensure(Award: Any, BaseSalary: Any) -> None:  # noqa: N803 - model classes
    """Write the catalogue and the salaries (idempotent); models come from the caller, so a
    migration passes its historical models (fields it does not have yet are left out) and the
    demo the current ones."""
    fields = {field.name for field in Award._meta.get_fields()}
    for order, row in enumerate(AWARDS, start=1):
        name, kind, recipients, levels, period, rule, threshold, multiples, source = row
        lowest, highest = _levels(levels)
        defaults = {
            "kind": kind,
            "for_collective": "c" in recipients,
            "for_individual": "i" in recipients,
            "for_household": "h" in recipients,
            "level": lowest,
            "highest_level": highest,
            "level_source": LEVEL_SOURCE,
            "period": period,
            "rule": rule,
            "threshold_percent": threshold,
            "threshold_source": THRESHOLD_SOURCE if rule == "secret_ballot" else MAJORITY_SOURCE,
            "multiple_collective": _multiple(multiples[0]),
            "multiple_individual": _multiple(multiples[1]),
            "multiple_household": _multiple(multiples[2]),
            "multiple_source": source or "Chưa xác định",
            "order": order * 10,
        }
        Award.objects.update_or_create(
            name=name, defaults={k: v for k, v in defaults.items() if k in fields}
        )
    for amount, valid_from, source in BASE_SALARIES:
        BaseSalary.objects.update_or_create(
            valid_from=valid_from, defaults={"amount": amount, "source": source}
        )
