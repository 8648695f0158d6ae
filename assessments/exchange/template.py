"""The workbook template: the sheets with their header rows and example rows that import
cleanly (the upload page offers it as a download)."""

import datetime
import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font

from core.workbooks import fit_columns

from .extra import extra_sheets
from .sheets import COLUMNS

TEMPLATE_ROWS: dict[str, list[tuple[object, ...]]] = {
    "campaign": [
        (
            "VD-VHCS-2026",
            "Cán bộ, công chức, viên chức thực hiện văn hóa công sở năm 2026",
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 31),
            datetime.date(2026, 11, 1),
            datetime.date(2026, 11, 30),
        )
    ],
    "units": [
        ("VD-KL", "Huyện Kiên Lương", "huyen", None),
        ("VD-KL-BA", "Xã Bình An", "Xã", "VD-KL"),
        ("VD-KL-BT", "Xã Bình Trị", "Xã", "VD-KL"),
    ],
    "blocks": [
        ("VD-KHOI-XA", "Khối các xã", "VD-KL-BA"),
        ("VD-KHOI-XA", "Khối các xã", "VD-KL-BT"),
    ],
    "criteria": [
        ("I", None, "Thái độ, trách nhiệm với người dân và doanh nghiệp", None, None, 0, 0),
        ("1.1", "I", "Tác phong, lề lối làm việc chuyên nghiệp", "points", 10, 0, 0),
        ("1.2", "I", "Không uống rượu, bia trong giờ làm việc và giờ nghỉ trưa", "yes_no", 5, 1, 0),
    ],
    "self_scores": [
        (
            "VD-KL-BA",
            "1.1",
            9.5,
            "Niêm yết công khai thủ tục hành chính",
            datetime.date(2026, 11, 20),
        ),
        ("VD-KL-BA", "1.2", 5, None, datetime.date(2026, 11, 20)),
        ("VD-KL-BT", "1.1", 8, "Bản nháp, chưa nộp", None),
    ],
    "review_scores": [
        ("vd.hoidong", "VD-KL-BA", "1.1", 9, "Cần đeo thẻ công chức đầy đủ ở bộ phận một cửa"),
    ],
    "people": [
        ("vd.truong.ba", "Nguyễn Văn An", "vd.truong.ba@example.invalid", "VD-KL-BA", "head"),
        ("vd.canbo.ba", "Trần Thị Bình", "vd.canbo.ba@example.invalid", "VD-KL-BA", "staff"),
    ],
    "council": [("vd.hoidong", "secretary")],
}
# Shown as a note on the header cell of the template ("sheet.column" where a column name means
# something else in another sheet).
TEMPLATE_HINTS = {
    "starts_on": "YYYY-MM-DD",
    "ends_on": "YYYY-MM-DD",
    "window_opens_on": "YYYY-MM-DD",
    "window_closes_on": "YYYY-MM-DD",
    "kind": "Đơn vị: mã hoặc tên loại đơn vị. Tiêu chí: points, yes_no, deduction, bonus; "
    "để trống cho mục có tiêu chí con.",
    "parent_code": "Mã cấp trên; để trống nếu không có.",
    "critical": "0 hoặc 1",
    "evidence_required": "0 hoặc 1",
    "score": "Bước 0,5; yes_no chỉ nhận 0 hoặc điểm tối đa.",
    "submitted_on": "YYYY-MM-DD; để trống nếu đơn vị chưa nộp (bản nháp).",
    "reviewer": "Tên đăng nhập; tài khoản chưa có sẽ được tạo (chưa có mật khẩu).",
    "council.username": "Tên đăng nhập của một tài khoản đã có (hoặc của người thẩm định ở trang "
    "review_scores).",
    "council.role": "chair (Chủ tịch), vice_chair (Phó Chủ tịch), member (Ủy viên), "
    "secretary (Thư ký); "
    "một Chủ tịch, một Thư ký.",
    "people.username": "Tên đăng nhập; tài khoản mới nhận thư mời đặt mật khẩu "
    "(tệp không chứa mật khẩu).",
    "people.role": "head, staff hoặc officer; mỗi dòng là một vai trò ở một đơn vị.",
}


def workbook_template() -> bytes:
    """An .xlsx with every sheet, their header rows and example rows that import cleanly."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheets: list[tuple[str, tuple[str, ...], list[tuple[object, ...]], dict[str, str]]] = [
        (name, columns, TEMPLATE_ROWS[name], {}) for name, columns in COLUMNS.items()
    ]
    sheets += [(m.SHEET, m.COLUMNS, m.template_rows(), m.TEMPLATE_HINTS) for m in extra_sheets()]
    for name, columns, rows, own_hints in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(list(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            hint = own_hints.get(str(cell.value)) or TEMPLATE_HINTS.get(
                f"{name}.{cell.value}", TEMPLATE_HINTS.get(str(cell.value))
            )
            if hint:
                cell.comment = Comment(hint, "Cổng thi đua")
        fit_columns(sheet)
        for data in sheet.iter_rows(min_row=2):
            for cell in data:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
