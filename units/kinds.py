"""Unit kinds: the standard ones (more can be added as data at any time; none is special in code),
and how the imports find a kind by code or by name without diacritics."""

import datetime
import re
from collections import Counter

from core.text import fold

from .models import UnitKind

# (code, name, order)
STANDARD_KINDS = [
    ("tinh", "Tỉnh / thành phố trực thuộc trung ương", 10),
    ("huyen", "Huyện / quận / thị xã / thành phố thuộc tỉnh", 20),
    ("xa", "Xã", 30),
    ("phuong", "Phường", 31),
    ("thi_tran", "Thị trấn", 32),
    ("dac_khu", "Đặc khu", 33),
    ("mttq", "Ủy ban MTTQ Việt Nam", 40),
    ("ban_cong_tac_mt", "Ban công tác Mặt trận", 41),
    ("co_quan", "Cơ quan, phòng, ban", 50),
    ("doan_the", "Tổ chức chính trị - xã hội, hội", 60),
]

# The 2025 reform as data: each kind's level, and the last day of the kinds it abolished (the Law
# on the Organisation of Local Government 2025 keeps two levels from 1 July 2025: tỉnh, and xã,
# phường, đặc khu; no huyện, no thị trấn). Kinds not listed are agencies and organisations.
REFORM_LAST_DAY = datetime.date(2025, 6, 30)
KIND_LEVELS: dict[str, tuple[str, datetime.date | None]] = {
    "tinh": ("province", None),
    "huyen": ("district", REFORM_LAST_DAY),
    "xa": ("commune", None),
    "phuong": ("commune", None),
    "thi_tran": ("commune", REFORM_LAST_DAY),
    "dac_khu": ("commune", None),
}


class KindIndex:
    """Unit kinds matched by code, then by name ignoring case and diacritics; else created."""

    def __init__(self) -> None:
        kinds = list(UnitKind.objects.all())
        self.by_code = {kind.code.lower(): kind for kind in kinds}
        self.by_name = {fold(kind.name): kind for kind in kinds}

    def find(self, text: str) -> UnitKind | None:
        return (
            self.by_code.get(text.strip().lower())
            or self.by_name.get(fold(text))
            or self.by_code.get(kind_code(text))
        )

    def find_or_create(self, text: str, created: Counter[str]) -> UnitKind:
        found = self.find(text)
        if found is None:
            found = UnitKind.objects.create(code=kind_code(text), name=text.strip())
            self.by_code[found.code] = self.by_name[fold(found.name)] = found
            created["unit_kind"] += 1
        return found


def kind_code(text: str) -> str:
    """A kind's code made from its name: "Hội Nông dân" -> "hoi_nong_dan"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:40]
