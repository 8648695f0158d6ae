"""The standard unit kinds. More can be added as data at any time; none is special in code."""

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
