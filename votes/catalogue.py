"""The award catalogue and the base salaries, as data with their sources (docs/domain-law.md).

`verified` is True only for a number read in the legal text itself (the decree or law as
published: Công báo, vbpl.vn, congbao.chinhphu.vn); a number known from a secondary report of the
text (press, Q&A sites, a third party's copy) stays unverified, its source saying where it was
read and which article and clause that report names. The migrations write the data (each new
version of it in a new migration) and the demo writes it again after a test flush removed it. A
row the province's emulation office edited (`votes.services.award_term_update`, `base_salary_set`:
`edited_at` set) is theirs: a rerun adds the rows that are new and leaves an edited row as it is.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

ND152 = "NĐ 152/2025/NĐ-CP"
ND98 = "NĐ 98/2023/NĐ-CP"
GAZETTE_2022 = "đã đọc trong Công báo số 571+572 ngày 15/7/2022"
# The copy of NĐ 152/2025 read for ../shared/LAW.md: the vbpl.vn text kept by a third party, so
# its numbers stay unverified until re-read on vbpl.vn or congbao.chinhphu.vn.
READ_152 = "đọc trong bản sao văn bản vbpl.vn (LAW.md), chưa đối chiếu trên vbpl.vn"

# The periods: the texts a session of each date applies (docs/domain-law.md).
UNTIL_2023 = (None, datetime.date(2023, 12, 31), "Luật TĐKT 2003, NĐ 91/2017")
Y2024 = (
    datetime.date(2024, 1, 1),
    datetime.date(2025, 6, 30),
    "Luật TĐKT 06/2022, NĐ 98/2023",
)
FROM_2025 = (datetime.date(2025, 7, 1), None, "Luật TĐKT 06/2022, NĐ 152/2025")
UNTIL_2025 = (None, datetime.date(2025, 6, 30), "Luật TĐKT 2003, NĐ 91/2017; NĐ 98/2023")

# code, name, kind, recipients (c/i/h), period
AWARDS = [
    ("AHLD", "Danh hiệu Anh hùng Lao động", "title", "ci", "campaign"),
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", "title", "i", "annual"),
    ("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", "title", "i", "annual"),
    ("CSTD_CS", "Chiến sĩ thi đua cơ sở", "title", "i", "annual"),
    ("CTD_TINH", "Cờ thi đua của Ủy ban nhân dân tỉnh", "title", "c", "annual"),
    ("TTLDXS", "Tập thể lao động xuất sắc", "title", "c", "annual"),
    ("TTLDTT", "Tập thể lao động tiên tiến", "title", "c", "annual"),
    ("LDTT", "Lao động tiên tiến", "title", "i", "annual"),
    ("BK_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "commendation", "cih", "campaign"),
    ("GK_XA", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "commendation", "cih", "campaign"),
    ("GK_HUYEN", "Giấy khen của Chủ tịch Ủy ban nhân dân huyện", "commendation", "cih", "campaign"),
]

# Who decides -----------------------------------------------------------------------------------
LEVEL_2003 = "Luật TĐKT 2003: điều, khoản chưa đọc; như Luật 06/2022/QH15 Điều 80"
ARTICLE_79 = "Luật 06/2022/QH15 Điều 79; NĐ 152/2025 Điều 6 khoản 2 điểm b (bộ, ban, ngành, tỉnh)"
ARTICLE_80_12 = (
    "Luật 06/2022/QH15 Điều 80 khoản 1 (cơ quan chuyên môn thuộc UBND tỉnh), khoản 2 (Chủ tịch "
    f"UBND cấp huyện): {GAZETTE_2022}"
)
ARTICLE_80_AFTER = (
    "Luật 06/2022/QH15 Điều 80 khoản 1 (cơ quan chuyên môn thuộc UBND tỉnh); cấp huyện thôi hoạt "
    "động từ 01/7/2025; khoản 3 không giao cho cấp xã, NĐ 152/2025 Điều 6 không phân cấp cho xã "
    "(LAW.md W9): cấp xã đề nghị lên tỉnh"
)
ARTICLE_80_ALL = (
    "Luật 06/2022/QH15 Điều 80 khoản 1, 2, 3 (cơ quan chuyên môn thuộc UBND tỉnh, Chủ tịch "
    f"UBND cấp huyện, cấp xã): {GAZETTE_2022}"
)
ARTICLE_80_3 = (
    f"Luật 06/2022/QH15 Điều 80 khoản 3 (Chủ tịch UBND cấp xã tặng giấy khen): {GAZETTE_2022}"
)
HERO_LEVEL = (
    "NĐ 152/2025 Điều 28 khoản 1 điểm b, Điều 41 (hồ sơ qua Bộ Nội vụ, Thủ tướng); Chủ tịch "
    "nước quyết định: Luật 06/2022/QH15 Điều 77, chưa đọc"
)
NATIONAL_LEVEL = f"NĐ 152/2025 Điều 36 khoản 1 (trình Thủ tướng quyết định), {READ_152}"

# How the council votes ---------------------------------------------------------------------------
RATIO_152 = (
    "NĐ 152/2025 Điều 33 khoản 5: bỏ phiếu, từ 90% tổng số thành viên Hội đồng (Anh hùng, "
    f"Chiến sĩ thi đua toàn quốc); {READ_152}"
)
RATIO_98 = "NĐ 98/2023: tỷ lệ chưa đọc (LAW.md); giữ 90% tổng số thành viên như trước và sau"
RATIO_91 = (
    "NĐ 91/2017 Điều 45 khoản 8: bỏ phiếu kín, từ 90% tổng số thành viên (theo Ban Thi đua - "
    "Khen thưởng Trung ương, hỏi đáp 18/6/2017)"
)
PROVINCE_RATIO = (
    "Không có trong NĐ 152/2025 Điều 33 khoản 5 (chỉ Anh hùng, CSTĐ toàn quốc 90%, Cờ thi đua "
    "Chính phủ 80%): tỷ lệ do quy chế của tỉnh đặt (chưa tìm thấy); mặc định quá bán, tỉnh sửa "
    "kèm căn cứ"
)
NO_RATIO_91 = (
    "NĐ 91/2017 Điều 45 khoản 8 không đặt tỷ lệ cho danh hiệu này (theo Ban Thi đua - Khen "
    "thưởng Trung ương, hỏi đáp 12/10/2018): quá bán theo quy chế Hội đồng"
)
MAJORITY_SOURCE = "Quy chế làm việc của Hội đồng: quá bán tổng số thành viên (chưa đối chiếu)"

# Reward multiples --------------------------------------------------------------------------------
M152 = "NĐ 152/2025 Điều {article}: {value} ({read})"
M98 = "NĐ 98/2023 Điều 54: {value} (theo lsvn.vn, Thừa Thiên Huế; chưa đối chiếu)"
M91 = "NĐ 91/2017 Điều 69 khoản {clause}: {value} (theo Thư viện pháp luật; chưa đối chiếu)"


def _title(article: str, value: str, clause: str) -> tuple[str, str, str]:
    """The three sources of a title's multiple, the same figure in the three decrees."""
    return (
        M91.format(clause=clause, value=value),
        M98.format(value=value),
        M152.format(article=article, value=value, read=READ_152),
    )


B = "secret_ballot"
M = "majority"

# award name -> terms: (period, levels lowest-highest, level source, rule, threshold, threshold
# source, multiples (c, i, h), multiple source)
TERMS: dict[str, list[tuple[Any, ...]]] = {}


def _titles() -> None:
    hero = (
        "NĐ 91/2017: cá nhân 15,5 lần (theo plo.vn, không nêu điều); tập thể gấp hai; chưa "
        "đối chiếu",
        f"{ND98} Điều 56: cá nhân 15,5, tập thể gấp hai (theo qdnd.vn; chưa đối chiếu)",
        f"NĐ 152/2025 Điều 52 khoản 2: cá nhân 15,5, tập thể gấp hai lần ({READ_152})",
    )
    multiples = ("31.0", "15.5", None)
    TERMS["Danh hiệu Anh hùng Lao động"] = [
        (UNTIL_2023, "president", HERO_LEVEL, B, 90, RATIO_91, multiples, hero[0]),
        (Y2024, "president", HERO_LEVEL, B, 90, RATIO_98, multiples, hero[1]),
        (FROM_2025, "president", HERO_LEVEL, B, 90, RATIO_152, multiples, hero[2]),
    ]
    sources = _title("50 khoản 1 điểm a", "4,5", "1 điểm a")
    m = (None, "4.5", None)
    TERMS["Chiến sĩ thi đua toàn quốc"] = [
        (UNTIL_2023, "prime_minister", NATIONAL_LEVEL, B, 90, RATIO_91, m, sources[0]),
        (Y2024, "prime_minister", NATIONAL_LEVEL, B, 90, RATIO_98, m, sources[1]),
        (FROM_2025, "prime_minister", NATIONAL_LEVEL, B, 90, RATIO_152, m, sources[2]),
    ]
    sources = _title("50 khoản 1 điểm b", "3,0", "1 điểm b")
    m = (None, "3.0", None)
    TERMS["Chiến sĩ thi đua cấp tỉnh"] = [
        (UNTIL_2023, "province", ARTICLE_79, B, 90, RATIO_91, m, sources[0]),
        (Y2024, "province", ARTICLE_79, M, 50, PROVINCE_RATIO, m, sources[1]),
        (FROM_2025, "province", ARTICLE_79, M, 50, PROVINCE_RATIO, m, sources[2]),
    ]
    sources = _title("50 khoản 1 điểm c", "1,0", "1 điểm c")
    m = (None, "1.0", None)
    TERMS["Chiến sĩ thi đua cơ sở"] = [
        (UNTIL_2023, "district-province", LEVEL_2003, M, 50, NO_RATIO_91, m, sources[0]),
        (Y2024, "district-province", ARTICLE_80_12, M, 50, PROVINCE_RATIO, m, sources[1]),
        (FROM_2025, "province", ARTICLE_80_AFTER, M, 50, PROVINCE_RATIO, m, sources[2]),
    ]
    sources = _title("50 khoản 2 điểm e", "8,0", "2 điểm đ")
    m = ("8.0", None, None)
    TERMS["Cờ thi đua của Ủy ban nhân dân tỉnh"] = [
        (UNTIL_2023, "province", ARTICLE_79, M, 50, NO_RATIO_91, m, sources[0]),
        (Y2024, "province", ARTICLE_79, M, 50, PROVINCE_RATIO, m, sources[1]),
        (FROM_2025, "province", ARTICLE_79, M, 50, PROVINCE_RATIO, m, sources[2]),
    ]
    sources = _title("50 khoản 2 điểm a", "1,5", "2 điểm a")
    m = ("1.5", None, None)
    TERMS["Tập thể lao động xuất sắc"] = [
        (UNTIL_2023, "province", ARTICLE_79, M, 50, MAJORITY_SOURCE, m, sources[0]),
        (Y2024, "province", ARTICLE_79, M, 50, MAJORITY_SOURCE, m, sources[1]),
        (FROM_2025, "province", ARTICLE_79, M, 50, MAJORITY_SOURCE, m, sources[2]),
    ]
    sources = _title("50 khoản 2 điểm b", "0,8", "2 điểm b")
    m = ("0.8", None, None)
    TERMS["Tập thể lao động tiên tiến"] = [
        (UNTIL_2023, "district-province", LEVEL_2003, M, 50, MAJORITY_SOURCE, m, sources[0]),
        (Y2024, "district-province", ARTICLE_80_12, M, 50, MAJORITY_SOURCE, m, sources[1]),
        (FROM_2025, "province", ARTICLE_80_AFTER, M, 50, MAJORITY_SOURCE, m, sources[2]),
    ]
    sources = _title("50 khoản 1 điểm d", "0,3", "1 điểm d")
    m = (None, "0.3", None)
    TERMS["Lao động tiên tiến"] = [
        (UNTIL_2023, "commune-province", LEVEL_2003, M, 50, MAJORITY_SOURCE, m, sources[0]),
        (Y2024, "commune-province", ARTICLE_80_ALL, M, 50, MAJORITY_SOURCE, m, sources[1]),
        (FROM_2025, "commune-province", ARTICLE_80_ALL, M, 50, MAJORITY_SOURCE, m, sources[2]),
    ]


def _commendations() -> None:
    TERMS["Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"] = [
        (
            UNTIL_2023,
            "province",
            ARTICLE_79,
            M,
            50,
            MAJORITY_SOURCE,
            ("2.0", "1.0", "1.0"),
            "NĐ 91/2017 Điều 73: cá nhân 1,0 lần (theo hoatieu.vn); tập thể gấp hai, hộ như cá "
            "nhân: suy ra, chưa đối chiếu",
        ),
        (
            Y2024,
            "province",
            ARTICLE_79,
            M,
            50,
            MAJORITY_SOURCE,
            (None, None, None),
            "NĐ 98/2023 Điều 58: không tìm thấy (LAW.md § 3); cơ quan thi đua nhập kèm căn cứ",
        ),
        (
            FROM_2025,
            "province",
            ARTICLE_79,
            M,
            50,
            MAJORITY_SOURCE,
            ("3.0", "1.5", "2.25"),
            "NĐ 152/2025 Điều 54 khoản 1 điểm b: cá nhân 1,5; khoản 2 điểm a: tập thể gấp hai; "
            f"khoản 3: hộ gia đình 1,5 lần mức cá nhân = 2,25 ({READ_152})",
        ),
    ]
    TERMS["Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"] = [
        (
            UNTIL_2025,
            "commune",
            ARTICLE_80_3,
            M,
            50,
            MAJORITY_SOURCE,
            ("0.3", "0.15", "0.15"),
            "NĐ 91/2017 Điều 73 khoản 1 điểm d: cá nhân 0,15 lần, tập thể gấp hai (theo Thư viện "
            "pháp luật); NĐ 98/2023 Điều 58 khoản 1 điểm g: 0,15 (theo Lao Động); hộ như cá nhân: "
            "suy ra, chưa đối chiếu",
        ),
        (
            FROM_2025,
            "commune",
            ARTICLE_80_3,
            M,
            50,
            MAJORITY_SOURCE,
            ("0.6", "0.3", "0.45"),
            "NĐ 152/2025 Điều 54 khoản 1 điểm e: cá nhân 0,3; khoản 2 điểm c: tập thể gấp hai; "
            f"khoản 3: hộ gia đình 1,5 lần mức cá nhân = 0,45 ({READ_152})",
        ),
    ]
    TERMS["Giấy khen của Chủ tịch Ủy ban nhân dân huyện"] = [
        (
            UNTIL_2025,
            "district",
            f"Luật 06/2022/QH15 Điều 80 khoản 2 (Chủ tịch UBND cấp huyện): {GAZETTE_2022}; cấp "
            "huyện thôi hoạt động từ 01/7/2025",
            M,
            50,
            MAJORITY_SOURCE,
            ("0.6", "0.3", "0.3"),
            "NĐ 91/2017 Điều 73 khoản 1: cá nhân 0,3 lần (theo hoatieu.vn); tập thể gấp hai (theo "
            "Thư viện pháp luật); hộ như cá nhân: suy ra; chưa đối chiếu (LAW.md U2)",
        ),
    ]


_titles()
_commendations()

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


def catalogue_rows() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each award's own fields and the fields of its terms, as the catalogue ships them."""
    rows = []
    for order, (code, name, kind, recipients, period) in enumerate(AWARDS, start=1):
        award = {
            "name": name,
            "code": code,
            "kind": kind,
            "for_collective": "c" in recipients,
            "for_individual": "i" in recipients,
            "for_household": "h" in recipients,
            "period": period,
            "order": order * 10,
        }
        terms = []
        for row in TERMS[name]:
            (valid_from, valid_to, texts), levels, level_source, rule, threshold = row[:5]
            threshold_source, multiples, multiple_source = row[5:]
            lowest, highest = _levels(levels)
            terms.append(
                {
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "texts": texts,
                    "level": lowest,
                    "highest_level": highest,
                    "level_source": level_source,
                    "rule": rule,
                    "threshold_percent": threshold,
                    "threshold_source": threshold_source,
                    "threshold_verified": False,
                    "multiple_collective": _multiple(multiples[0]),
                    "multiple_individual": _multiple(multiples[1]),
                    "multiple_household": _multiple(multiples[2]),
                    "multiple_source": multiple_source,
                    "multiple_verified": False,
                }
            )
        rows.append((award, terms))
    return rows


def catalogue_ensure(Award: Any, BaseSalary: Any, AwardTerm: Any = None) -> None:  # noqa: N803
    """Write the catalogue and the salaries (idempotent); models come from the caller, so a
    migration passes its historical models (fields it does not have yet are left out) and the
    demo the current ones. Without AwardTerm (a migration from before the terms), the awards'
    own numbers are left as they were."""
    fields = {field.name for field in Award._meta.get_fields()}
    for award_values, terms in catalogue_rows():
        name = award_values.pop("name")
        _ensure(Award, {"name": name}, {k: v for k, v in award_values.items() if k in fields})
        if AwardTerm is None:
            continue
        award = Award.objects.get(name=name)
        for term in terms:
            _ensure_term(AwardTerm, award, term)
    salary_fields = {field.name for field in BaseSalary._meta.get_fields()}
    for amount, valid_from, source, verified in BASE_SALARIES:
        defaults = {"amount": amount, "source": source, "verified": verified}
        _ensure(
            BaseSalary,
            {"valid_from": valid_from},
            {k: v for k, v in defaults.items() if k in salary_fields},
        )


def _ensure_term(AwardTerm: Any, award: Any, values: dict[str, Any]) -> None:  # noqa: N803
    """A shipped term: created if the award has no term starting that day and none of the
    award's edited terms covers its period; brought to the shipped values unless edited."""
    rows = AwardTerm.objects.filter(award=award, valid_from=values["valid_from"])
    if rows.exists():
        rows.filter(edited_at__isnull=True).update(**values)
        return
    start, end = values["valid_from"], values["valid_to"]
    edited = AwardTerm.objects.filter(award=award, edited_at__isnull=False)
    if start is not None:
        edited = edited.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if end is not None:
        edited = edited.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
    if not edited.exists():
        AwardTerm.objects.create(award=award, **values)


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


# Conditions on earlier awards ---------------------------------------------------------------------
# Only what ../shared/LAW.md names. It gives Luật 06/2022 Điều 23 as the article of the standards
# of "Chiến sĩ thi đua cơ sở" (a secondary source, the article's words not read), nothing about
# consecutive years for the higher titles: so one condition, unverified, from the law's entry
# into force (Điều 94 khoản 1: 01/01/2024). Nothing is invented for the other awards.
CONDITIONS = [
    {
        "award": "CSTD_CS",
        "required": "LDTT",
        "scope": "same_year",
        "years": 1,
        "valid_from": datetime.date(2024, 1, 1),
        "valid_to": None,
        "source": (
            "Luật 06/2022/QH15 Điều 23 (tiêu chuẩn danh hiệu “Chiến sĩ thi đua cơ sở”; "
            "LAW.md § 2 dẫn Lao Động, chưa đọc nguyên văn điều): chưa đối chiếu văn bản"
        ),
        "verified": False,
    }
]


def conditions_ensure(Award: Any, AwardCondition: Any) -> None:  # noqa: N803
    """Write the shipped conditions (idempotent); models come from the caller (a migration's
    historical models, or the current ones for the demo)."""
    for row in CONDITIONS:
        values = dict(row)
        award = Award.objects.filter(code=values.pop("award")).first()
        required = Award.objects.filter(code=values.pop("required")).first()
        if award is None or required is None:
            continue
        key = {
            "award": award,
            "required": required,
            "scope": values.pop("scope"),
            "valid_from": values.pop("valid_from"),
        }
        _ensure(AwardCondition, key, values)
