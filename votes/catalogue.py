"""The award catalogue and the base salaries, as data with their sources (docs/domain-law.md).

`verified` is True only for a number read in the legal text itself (the decree or law as
published: Công báo, vbpl.vn, congbao.chinhphu.vn); a number known from a secondary report of the
text (press, Q&A sites, a third party's copy) stays unverified, its source saying where it was
read and which article and clause that report names. The migrations write the data (each new
version of it in a new migration) and the demo writes it again after a test flush removed it. A
row the province's emulation office edited (`votes.services.award_update`, `base_salary_set`:
`edited_at` set) is theirs: a rerun adds the rows that are new and leaves an edited row as it is.
"""

import datetime
from decimal import Decimal
from typing import Any

ND152 = "NĐ 152/2025/NĐ-CP"
GAZETTE_2022 = "đã đọc trong Công báo số 571+572 ngày 15/7/2022"

# The multiples reported for NĐ 152/2025 by Dân trí, with the same figure in the two decrees
# before it (quoted by third-party sites): {value}, {date}, {clause} of NĐ 91/2017 Điều 69.
MULTIPLE_REPORTED = (
    ND152 + ": {value} lần theo Dân trí {date} (không nêu điều, khoản; chưa đối chiếu văn bản); "
    "cùng mức: NĐ 98/2023 Điều 54 (theo vietjack.me), NĐ 91/2017 Điều 69 khoản {clause} "
    "(theo Thư viện pháp luật)"
)
THRESHOLD_90 = (
    f"Luật 06/2022/QH15, {ND152}: điều, khoản chưa đối chiếu (docs/domain.md). Trước 2024: NĐ "
    "91/2017/NĐ-CP Điều 45 khoản 8, bỏ phiếu kín, từ 90% tổng số thành viên (theo Ban Thi đua - "
    "Khen thưởng Trung ương, hỏi đáp 18/6/2017)"
)
THRESHOLD_80 = f"{ND152}: điều, khoản chưa đối chiếu (docs/domain.md)"
THRESHOLD_BASIC = (
    f"{THRESHOLD_80}. NĐ 91/2017 Điều 45 khoản 8 không đặt tỷ lệ cho Chiến sĩ thi đua cơ sở "
    "(theo Ban Thi đua - Khen thưởng Trung ương, hỏi đáp 12/10/2018)"
)
MAJORITY_SOURCE = (
    "docs/domain.md; quy chế làm việc của Hội đồng: quá bán tổng số thành viên (chưa đối chiếu)"
)
LEVEL_SOURCE = f"Luật 06/2022/QH15 và phân cấp tại {ND152}: chưa đối chiếu điều, khoản"
ARTICLE_79 = "Luật 06/2022/QH15 Điều 79 (Bộ, ban, ngành, tỉnh): chưa đối chiếu văn bản"
ARTICLE_80_BASIC = (
    "Luật 06/2022/QH15 Điều 80 khoản 1 (cơ quan chuyên môn thuộc UBND tỉnh), khoản 2 (Chủ tịch "
    f"UBND cấp huyện): {GAZETTE_2022}; cấp xã không có ở khoản 3: theo phân cấp tại {ND152}, "
    "chưa đối chiếu"
)
LEVEL_SOURCES = {
    "Danh hiệu Anh hùng Lao động": "Luật 06/2022/QH15 Điều 77 (Chủ tịch nước): chưa đối chiếu",
    "Chiến sĩ thi đua toàn quốc": (
        "Luật 06/2022/QH15 Điều 78 khoản 2 (Thủ tướng Chính phủ): theo Thư viện pháp luật, "
        "chưa đối chiếu văn bản"
    ),
    "Chiến sĩ thi đua cấp tỉnh": ARTICLE_79,
    "Chiến sĩ thi đua cơ sở": ARTICLE_80_BASIC,
    "Cờ thi đua của Ủy ban nhân dân tỉnh": ARTICLE_79,
    "Tập thể lao động xuất sắc": ARTICLE_79,
    "Tập thể lao động tiên tiến": ARTICLE_80_BASIC,
    "Lao động tiên tiến": (
        "Luật 06/2022/QH15 Điều 80 khoản 1, 2, 3 (cơ quan chuyên môn thuộc UBND tỉnh, Chủ tịch "
        f"UBND cấp huyện, cấp xã): {GAZETTE_2022}"
    ),
    "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh": ARTICLE_79,
    "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã": (
        f"Luật 06/2022/QH15 Điều 80 khoản 3 (Chủ tịch UBND cấp xã tặng giấy khen): {GAZETTE_2022}"
    ),
    "Giấy khen của Chủ tịch Ủy ban nhân dân huyện": (
        f"Luật 06/2022/QH15 Điều 80 khoản 2 (Chủ tịch UBND cấp huyện): {GAZETTE_2022}; cấp huyện "
        "thôi hoạt động từ 01/7/2025"
    ),
}
THRESHOLD_SOURCES = {
    "Danh hiệu Anh hùng Lao động": THRESHOLD_90,
    "Chiến sĩ thi đua toàn quốc": THRESHOLD_90,
    "Chiến sĩ thi đua cấp tỉnh": THRESHOLD_90,
    "Chiến sĩ thi đua cơ sở": THRESHOLD_BASIC,
    "Cờ thi đua của Ủy ban nhân dân tỉnh": THRESHOLD_80,
}
# Names whose threshold / multiples were read in the legal text itself: none could be (the
# texts of NĐ 152/2025 and NĐ 98/2023 were not reachable; see docs/domain-law.md).
THRESHOLD_VERIFIED: set[str] = set()
MULTIPLE_VERIFIED: set[str] = set()

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
        f"Không nhập: mức tại {ND152} chưa đối chiếu; NĐ 91/2017/NĐ-CP: cá nhân 15,5 lần (theo "
        "plo.vn, không nêu điều)",
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
        MULTIPLE_REPORTED.format(value="4,5", date="03/12/2025", clause="1 điểm a"),
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
        MULTIPLE_REPORTED.format(value="3", date="03/12/2025", clause="1 điểm b"),
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
        MULTIPLE_REPORTED.format(value="1", date="03/12/2025", clause="1 điểm c"),
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
        "NĐ 91/2017/NĐ-CP Điều 69 khoản 2 điểm đ: cờ cấp bộ, ngành, tỉnh 8,0 lần (theo Thư viện "
        f"pháp luật); mức tại {ND152}: chưa đối chiếu (bài Dân trí 03/12/2025 bị cắt)",
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
        MULTIPLE_REPORTED.format(value="1,5", date="03/12/2025", clause="2 điểm a"),
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
        MULTIPLE_REPORTED.format(value="0,8", date="03/12/2025", clause="2 điểm b"),
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
        MULTIPLE_REPORTED.format(value="0,3", date="06/12/2025", clause="1 điểm d"),
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
        f"{ND152} Điều 54 khoản 1: cá nhân 1,5 lần (theo Sức khỏe & Đời sống 08/2025, chưa đối "
        "chiếu văn bản); tập thể gấp đôi, hộ như cá nhân: suy ra. NĐ 91/2017 Điều 73: cá nhân "
        "1,0 lần (theo plo.vn)",
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
        f"{ND152}: chưa đối chiếu, 0,3 / 0,6 chưa có căn cứ. Trước 01/7/2025: NĐ 91/2017 Điều 73 "
        "khoản 1 điểm d: cá nhân 0,15 lần; khoản 2 điểm b: tập thể gấp hai (theo Thư viện pháp "
        "luật)",
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
        "NĐ 91/2017/NĐ-CP Điều 73 khoản 1: cá nhân 0,3 lần (theo hoatieu.vn, muthibiscus.com); "
        "khoản 2 điểm b: tập thể gấp hai (theo Thư viện pháp luật); chưa đối chiếu văn bản",
    ),
]

# amount, in force from, source, verified. Each decree's "Điều 3 khoản 2" is where copies of
# the texts put the amount (the official texts were not read).
BASE_SALARIES = [
    (
        1_490_000,
        datetime.date(2019, 7, 1),
        "Nghị định 38/2019/NĐ-CP Điều 3: 1.490.000 đồng/tháng từ 01/7/2019 (theo Thư viện pháp "
        "luật; khoản chưa đối chiếu văn bản)",
        False,
    ),
    (
        1_800_000,
        datetime.date(2023, 7, 1),
        "Nghị định 24/2023/NĐ-CP Điều 3: 1.800.000 đồng/tháng từ 01/7/2023 (theo bài viết trích "
        "dẫn; khoản chưa đối chiếu văn bản)",
        False,
    ),
    (
        2_340_000,
        datetime.date(2024, 7, 1),
        "Nghị định 73/2024/NĐ-CP Điều 3 khoản 2: 2.340.000 đồng/tháng từ 01/7/2024 (theo bản "
        "sao của bên thứ ba; chưa đối chiếu văn bản)",
        False,
    ),
    (
        2_530_000,
        datetime.date(2026, 7, 1),
        "Nghị định 161/2026/NĐ-CP ngày 15/5/2026, Điều 3 khoản 2: 2.530.000 đồng/tháng từ "
        "01/7/2026 (theo bản sao của bên thứ ba; chưa đối chiếu văn bản)",
        False,
    ),
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
            "level_source": LEVEL_SOURCES.get(name, LEVEL_SOURCE),
            "period": period,
            "rule": rule,
            "threshold_percent": threshold,
            "threshold_source": THRESHOLD_SOURCES.get(name, MAJORITY_SOURCE),
            "threshold_verified": name in THRESHOLD_VERIFIED,
            "multiple_collective": _multiple(multiples[0]),
            "multiple_individual": _multiple(multiples[1]),
            "multiple_household": _multiple(multiples[2]),
            "multiple_source": source,
            "multiple_verified": name in MULTIPLE_VERIFIED,
            "order": order * 10,
        }
        _ensure(Award, {"name": name}, {k: v for k, v in defaults.items() if k in fields})
    salary_fields = {field.name for field in BaseSalary._meta.get_fields()}
    for amount, valid_from, source, verified in BASE_SALARIES:
        defaults = {"amount": amount, "source": source, "verified": verified}
        _ensure(
            BaseSalary,
            {"valid_from": valid_from},
            {k: v for k, v in defaults.items() if k in salary_fields},
        )


def _ensure(model: Any, key: dict[str, Any], values: dict[str, Any]) -> None:
    """Create the row, or bring it to the shipped values unless people edited it (a historical
    model from before `edited_at` existed has no edited rows)."""
    rows = model.objects.filter(**key)
    if not rows.exists():
        model.objects.create(**key, **values)
        return
    if any(field.name == "edited_at" for field in model._meta.get_fields()):
        rows = rows.filter(edited_at__isnull=True)
    rows.update(**values)
