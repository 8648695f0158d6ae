"""The 2025 reform of the demo's area as data (docs/domain.md): the units that ended on 30 June 2025
and what went on from 1 July 2025.

Nghị quyết 1654/NQ-UBTVQH15 (the communes of An Giang): thị trấn Kiên Lương, xã Bình An and xã
Bình Trị became xã Kiên Lương; xã Kiên Bình and xã Hòa Điền became xã Hòa Điền; xã Dương Hòa went
into phường Tô Châu; xã Hòn Nghệ and xã Sơn Hải go on as they were (not closed, now directly
under the province). Nghị quyết 202/2025/QH15 merged tỉnh Kiên Giang into tỉnh An Giang. The
district level ended with 30 June 2025, with no successor.

The new units carry their official codes (package vietnam-provinces, as `load_admin_units`
loads them); the units that ended have no code in today's lists and keep the demo's own codes.
"""

import datetime

REFORM_ON = datetime.date(2025, 7, 1)
COMMUNES_RESOLUTION = "Nghị quyết 1654/NQ-UBTVQH15"
PROVINCES_RESOLUTION = "Nghị quyết 202/2025/QH15"

# Today's units of the area: (code, name, kind, parent code)
AN_GIANG = "91"
XA_KIEN_LUONG = "30787"
XA_HOA_DIEN = "30790"
PHUONG_TO_CHAU = "30766"
XA_HON_NGHE = "30814"
XA_SON_HAI = "30811"
CURRENT_UNITS = [
    (AN_GIANG, "Tỉnh An Giang", "tinh", None),
    (XA_KIEN_LUONG, "Xã Kiên Lương", "xa", AN_GIANG),
    (XA_HOA_DIEN, "Xã Hòa Điền", "xa", AN_GIANG),
    (PHUONG_TO_CHAU, "Phường Tô Châu", "phuong", AN_GIANG),
]
# Communes that went on unchanged: before the reform they sat in huyện Kiên Lương.
CONTINUING = [
    (XA_HON_NGHE, "Xã Hòn Nghệ", "xa"),
    (XA_SON_HAI, "Xã Sơn Hải", "xa"),
]

# The units that ended on 30 June 2025: (code, name, kind, parent code), parents first.
KIEN_GIANG = "KG"
HUYEN_KIEN_LUONG = "KL"
ENDED_UNITS = [
    (KIEN_GIANG, "Tỉnh Kiên Giang", "tinh", None),
    (HUYEN_KIEN_LUONG, "Huyện Kiên Lương", "huyen", KIEN_GIANG),
    ("KL-TT", "Thị trấn Kiên Lương", "thi_tran", HUYEN_KIEN_LUONG),
    ("KL-BINHAN", "Xã Bình An", "xa", HUYEN_KIEN_LUONG),
    ("KL-BINHTRI", "Xã Bình Trị", "xa", HUYEN_KIEN_LUONG),
    ("KL-KIENBINH", "Xã Kiên Bình", "xa", HUYEN_KIEN_LUONG),
    ("KL-HOADIEN", "Xã Hòa Điền", "xa", HUYEN_KIEN_LUONG),
    ("KL-DUONGHOA", "Xã Dương Hòa", "xa", HUYEN_KIEN_LUONG),
]

# (old codes, new code, legal basis): each a merger effective on REFORM_ON.
MERGERS = [
    (["KL-TT", "KL-BINHAN", "KL-BINHTRI"], XA_KIEN_LUONG, COMMUNES_RESOLUTION),
    (["KL-KIENBINH", "KL-HOADIEN"], XA_HOA_DIEN, COMMUNES_RESOLUTION),
    (["KL-DUONGHOA"], PHUONG_TO_CHAU, COMMUNES_RESOLUTION),
    ([KIEN_GIANG], AN_GIANG, PROVINCES_RESOLUTION),
]
