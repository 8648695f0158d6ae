"""The standard unit kinds and the four role groups. Kinds stay data: more can be added any time."""

from django.db import migrations

KINDS = [
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
ROLES = ["campaign_manager", "unit_head", "unit_staff", "council_member"]


def forwards(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    Group = apps.get_model("auth", "Group")
    for code, name, order in KINDS:
        UnitKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
