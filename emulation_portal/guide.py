"""The user guide (Hướng dẫn sử dụng): per role, the steps of a round, each naming its menu path
and showing a picture of its page.

The pictures are static/guide/<picture>.jpg, taken from the demo by `manage.py
guide_screenshots` (devtools); tests/test_guide.py checks that the command photographs exactly
the pictures named here. PAGE_STEPS sends a page's "?" link to the step that explains it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from units.roles import Role


@dataclass(frozen=True)
class Step:
    anchor: str  # the step's id on the guide page
    picture: str  # static/guide/<picture>.jpg
    title: str | Promise
    menu: str | Promise  # where it is: the menu path, "→" between the items
    text: str | Promise
    alt: str | Promise  # what the picture shows, for a screen reader

    @property
    def picture_path(self) -> str:
        return f"guide/{self.picture}.jpg"


@dataclass(frozen=True)
class Guide:
    role: str  # the guide's address: /guide/<role>/
    title: str | Promise
    intro: str | Promise
    steps: list[Step]


GUIDES = [
    Guide(
        role="manager",
        title=_("Cán bộ phụ trách thi đua"),
        intro=_(
            "Cán bộ phụ trách thi đua của cơ quan phát động: tài khoản, hồ sơ cơ quan, "
            "Hội đồng, phong trào, bộ tiêu chí, thời hạn, tính điểm, công bố, phiên họp "
            "và văn bản."
        ),
        steps=[
            Step(
                anchor="home",
                picture="manager-home",
                title=_("Trang chủ: việc cần làm"),
                menu=_("Trang chủ"),
                text=_(
                    "Trang chủ liệt kê các phong trào do cơ quan của bạn phát động, số "
                    "đơn vị đã nộp, bước cần làm tiếp theo và hạn gần nhất của từng "
                    "phong trào."
                ),
                alt=_("Trang chủ của cán bộ phụ trách thi đua: các phong trào và bước tiếp theo"),
            ),
            Step(
                anchor="people",
                picture="manager-people",
                title=_("Tài khoản và vai trò"),
                menu=_("Danh mục → Người dùng"),
                text=_(
                    "Tạo tài khoản cho thủ trưởng, cán bộ đơn vị và thành viên Hội "
                    "đồng; gửi lời mời đặt mật khẩu qua thư điện tử (dùng một lần, có "
                    "thời hạn); giao vai trò theo từng đơn vị. Người đã nghỉ thì khóa "
                    "tài khoản, không xóa: lịch sử của họ vẫn được giữ. Nhiều người một "
                    "lúc: nhập sheet people từ tệp Excel (tệp không bao giờ chứa mật "
                    "khẩu)."
                ),
                alt=_("Danh sách người dùng của cơ quan, với vai trò và trạng thái tài khoản"),
            ),
            Step(
                anchor="profile",
                picture="manager-authority-profile",
                title=_("Hồ sơ cơ quan và sổ văn bản"),
                menu=_("Danh mục → Hồ sơ cơ quan → tên cơ quan"),
                text=_(
                    "Nhập tên cơ quan chủ quản, tên cơ quan ban hành, chữ viết tắt (ví "
                    "dụ UBND), địa danh ghi ở dòng ngày tháng và người ký (Chủ tịch, "
                    "các Phó Chủ tịch). Biên bản, tờ trình, quyết định đều lấy quốc "
                    "hiệu, tên cơ quan và người ký từ hồ sơ này. Số quyết định được cấp "
                    "theo thứ tự trong sổ văn bản của từng năm và không bao giờ dùng "
                    "lại."
                ),
                alt=_("Trang hồ sơ cơ quan: tên cơ quan ban hành, địa danh, người ký"),
            ),
            Step(
                anchor="catalogue",
                picture="manager-catalogue",
                title=_("Hình thức khen thưởng, mức lương cơ sở"),
                menu=_("Danh mục → Khen thưởng, lương cơ sở"),
                text=_(
                    "Danh mục danh hiệu, hình thức khen thưởng với hệ số tiền thưởng, "
                    "và mức lương cơ sở theo từng thời kỳ, mỗi con số kèm văn bản làm "
                    "nguồn. Tiền thưởng = hệ số × mức lương cơ sở có hiệu lực vào ngày "
                    "ký quyết định, làm tròn lên hàng chục nghìn đồng."
                ),
                alt=_("Danh mục khen thưởng và bảng mức lương cơ sở kèm nguồn"),
            ),
            Step(
                anchor="campaign-new",
                picture="manager-campaign-new",
                title=_("Tạo phong trào"),
                menu=_("Phong trào → Tạo phong trào"),
                text=_(
                    "Nhập mã, tên phong trào, cơ quan phát động, thời gian của phong "
                    "trào và thời hạn tự chấm điểm (ngày mở, ngày đóng). Thời hạn tự "
                    "chấm điểm tự mở và tự đóng theo các ngày này, kể cả khi không ai "
                    "mở trang."
                ),
                alt=_("Biểu mẫu tạo phong trào: mã, tên, các ngày"),
            ),
            Step(
                anchor="checklist",
                picture="manager-checklist",
                title=_("Bộ tiêu chí"),
                menu=_("Phong trào → tên phong trào → Bộ tiêu chí"),
                text=_(
                    "Thêm các phần và tiêu chí, mỗi tiêu chí có điểm tối đa và có bắt "
                    "buộc minh chứng hay không; hoặc sao chép từ một mẫu bộ tiêu chí. "
                    "Khi phát động, bộ tiêu chí bị khóa; muốn sửa thì tạo phiên bản "
                    "mới."
                ),
                alt=_("Bộ tiêu chí của phong trào với điểm tối đa từng tiêu chí"),
            ),
            Step(
                anchor="enrolments",
                picture="manager-enrolments",
                title=_("Đơn vị tham gia và khối thi đua"),
                menu=_("Phong trào → tên phong trào → Đơn vị tham gia"),
                text=_(
                    "Ghi danh từng đơn vị, một đơn vị cùng các đơn vị trực thuộc, hoặc "
                    "cả một khối (cụm) thi đua. Mở lại thời hạn cho riêng một đơn vị, "
                    "kèm lý do, khi đơn vị nộp muộn có lý do chính đáng."
                ),
                alt=_("Danh sách đơn vị tham gia theo khối"),
            ),
            Step(
                anchor="council-seats",
                picture="manager-council-seats",
                title=_("Thành viên Hội đồng"),
                menu=_("Phong trào → tên phong trào → Thành viên Hội đồng"),
                text=_(
                    "Xếp ghế Chủ tịch, Phó Chủ tịch, Ủy viên, Thư ký (một Chủ tịch, một "
                    "Thư ký) cho tài khoản của các đơn vị thuộc cơ quan, hoặc sao chép "
                    "Hội đồng của một phong trào khác của cơ quan. Thay đổi có hiệu lực "
                    "cho các phiên họp chưa biểu quyết, hoặc từ ngày ghi; mọi thay đổi "
                    "có trong Lịch sử."
                ),
                alt=_("Danh sách thành viên Hội đồng với chức danh"),
            ),
            Step(
                anchor="campaign",
                picture="manager-campaign",
                title=_("Phát động, mở và đóng thời hạn"),
                menu=_("Phong trào → tên phong trào → Tổng quan"),
                text=_(
                    "Phát động phong trào, ghi hội nghị phát động, đính kèm kế hoạch và "
                    "quyết định. Trạng thái của phong trào và thời hạn tự chấm điểm "
                    "hiện ở đầu trang; các nút mở, đóng thời hạn dùng khi cần làm sớm "
                    "hơn ngày đã định."
                ),
                alt=_("Trang tổng quan của phong trào: trạng thái, thời hạn, hội nghị"),
            ),
            Step(
                anchor="progress",
                picture="manager-progress",
                title=_("Tiến độ và phân công thẩm định"),
                menu=_("Phong trào → tên phong trào → Tiến độ chấm điểm"),
                text=_(
                    "Xem đơn vị nào chưa bắt đầu, đang làm, đã nộp, bị trả lại hay nộp "
                    "muộn; phân công thành viên Hội đồng thẩm định theo khối hoặc từng "
                    "đơn vị."
                ),
                alt=_("Bảng tiến độ tự chấm điểm của các đơn vị"),
            ),
            Step(
                anchor="scoring",
                picture="manager-scoring",
                title=_("Tính điểm và công bố"),
                menu=_("Phong trào → tên phong trào → Chấm điểm"),
                text=_(
                    "Sau khi đóng thời hạn và thẩm định: chạy tính điểm (có thanh tiến "
                    "độ), so sánh hai lần tính, rồi công bố. Kết quả đã công bố hiện "
                    "cho mọi người ở mục Kết quả công bố."
                ),
                alt=_("Các lần tính điểm của phong trào và nút công bố"),
            ),
            Step(
                anchor="sessions",
                picture="manager-sessions",
                title=_("Phiên họp Hội đồng"),
                menu=_("Phong trào → tên phong trào → Hội đồng"),
                text=_(
                    "Tạo phiên họp (ngày, giờ, địa điểm), điểm danh, đề nghị các đơn vị "
                    "dẫn đầu cụm, khối hoặc thêm tập thể, cá nhân, hộ gia đình, rồi mở "
                    "biểu quyết. Phiên họp chỉ biểu quyết được khi có mặt ít nhất hai "
                    "phần ba tổng số thành viên."
                ),
                alt=_("Danh sách phiên họp của Hội đồng và biểu mẫu tạo phiên họp"),
            ),
            Step(
                anchor="documents",
                picture="manager-documents",
                title=_("Biên bản, tờ trình, quyết định"),
                menu=_("Phong trào → tên phong trào → Hội đồng → phiên họp"),
                text=_(
                    "Khi Thư ký đã kết thúc phiên họp: tải biên bản họp, biên bản kiểm "
                    "phiếu, tờ trình và quyết định khen thưởng. Bấm Ban hành, cấp số "
                    "quyết định: quyết định nhận số tiếp theo trong sổ văn bản và người "
                    "ký từ hồ sơ cơ quan; các bản tải lại sau đó mang cùng số."
                ),
                alt=_("Phiên họp đã kết thúc với kết quả biểu quyết và các văn bản tải về"),
            ),
        ],
    ),
    Guide(
        role="unit",
        title=_("Thủ trưởng, cán bộ đơn vị"),
        intro=_(
            "Thủ trưởng và cán bộ của đơn vị tham gia thi đua: đăng ký, tự chấm điểm kèm "
            "minh chứng, lưu nháp, nộp và nộp lại."
        ),
        steps=[
            Step(
                anchor="my-assessments",
                picture="unit-my-assessments",
                title=_("Việc của đơn vị"),
                menu=_("Tự chấm điểm"),
                text=_(
                    "Danh sách các phong trào đơn vị tham gia, trạng thái bản tự chấm "
                    "điểm, hạn nộp và số ngày còn lại. Bấm tên phong trào để mở bản tự "
                    "chấm điểm."
                ),
                alt=_("Danh sách phong trào của đơn vị với hạn nộp"),
            ),
            Step(
                anchor="registration",
                picture="unit-registration",
                title=_("Đăng ký thi đua"),
                menu=_("Phong trào → tên phong trào"),
                text=_(
                    "Gửi bản đăng ký thi đua của đơn vị (chỉ tiêu, danh hiệu đăng ký, "
                    "tệp đính kèm) sau khi phong trào được phát động; cơ quan phát động "
                    "chấp nhận hoặc trả lại kèm lý do."
                ),
                alt=_("Trang phong trào, phần đăng ký thi đua của đơn vị"),
            ),
            Step(
                anchor="self-assessment",
                picture="unit-evidence",
                title=_("Tự chấm điểm, minh chứng, lưu nháp"),
                menu=_("Tự chấm điểm → tên phong trào"),
                text=_(
                    "Nhập điểm tự chấm từng tiêu chí (không quá điểm tối đa), giải "
                    "trình và đính kèm tệp minh chứng ở cột Giải trình, minh chứng. Bản "
                    "nháp tự lưu sau mỗi thay đổi (hiện “Đã lưu lúc hh:mm”); nút Lưu "
                    "nháp lưu ngay. Thanh dưới màn hình giữ tổng điểm và nút chuyển đến "
                    "tiêu chí còn thiếu điểm hoặc minh chứng."
                ),
                alt=_(
                    "Biểu mẫu tự chấm điểm: điểm, giải trình và tệp minh chứng của từng tiêu chí"
                ),
            ),
            Step(
                anchor="submit",
                picture="unit-assessment",
                title=_("Nộp và nộp lại"),
                menu=_("Tự chấm điểm → tên phong trào → Nộp bản tự chấm điểm"),
                text=_(
                    "Khi đủ điểm và minh chứng, bấm Nộp bản tự chấm điểm; những gì còn "
                    "thiếu được liệt kê. Đã nộp thì không sửa được nữa, trừ khi Hội "
                    "đồng trả lại: lý do trả lại hiện ở đầu trang (khung vàng); sửa "
                    "theo yêu cầu rồi nộp lại. Thời điểm của mọi lần nộp đều được lưu."
                ),
                alt=_("Bản tự chấm điểm bị trả lại, lý do ở đầu trang và nút nộp ở thanh dưới"),
            ),
        ],
    ),
    Guide(
        role="council",
        title=_("Thành viên Hội đồng thi đua, khen thưởng"),
        intro=_(
            "Thành viên Hội đồng thi đua, khen thưởng: thẩm định, trả lại có lý do, xếp "
            "hạng, biểu quyết kín và ký biên bản."
        ),
        steps=[
            Step(
                anchor="review-queue",
                picture="council-review-queue",
                title=_("Hồ sơ cần thẩm định"),
                menu=_("Thẩm định"),
                text=_(
                    "Danh sách bản tự chấm điểm đã nộp của các đơn vị được phân công "
                    "cho bạn, hồ sơ nộp lại ở đầu."
                ),
                alt=_("Danh sách hồ sơ chờ thẩm định"),
            ),
            Step(
                anchor="review",
                picture="council-review",
                title=_("Thẩm định, trả lại có lý do"),
                menu=_("Thẩm định → tên đơn vị"),
                text=_(
                    "Điểm tự chấm, giải trình và minh chứng của đơn vị đặt cạnh ô điểm "
                    "thẩm định và nhận xét. Chấp nhận, hoặc trả lại kèm lý do để đơn vị "
                    "bổ sung. Hồ sơ nộp lại hiện lý do đã trả lại và, ở từng tiêu chí, "
                    "những gì đơn vị đã sửa."
                ),
                alt=_("Trang thẩm định: điểm tự chấm bên cạnh điểm thẩm định"),
            ),
            Step(
                anchor="rankings",
                picture="council-rankings",
                title=_("Xếp hạng"),
                menu=_("Phong trào → tên phong trào → Xếp hạng"),
                text=_(
                    "Sau khi tính điểm: thứ hạng theo khối, bộ lọc, biểu đồ; tải về "
                    "CSV, Excel hoặc PDF."
                ),
                alt=_("Bảng xếp hạng các đơn vị theo khối"),
            ),
            Step(
                anchor="vote",
                picture="council-session",
                title=_("Biểu quyết kín"),
                menu=_("Phong trào → tên phong trào → Hội đồng → phiên họp"),
                text=_(
                    "Khi phiên họp mở biểu quyết, mỗi thành viên có mặt chọn Đồng ý, "
                    "Không đồng ý hoặc Không biểu quyết, một lần cho mỗi đề nghị. Phiếu "
                    "kín: phiếu và danh sách người đã bỏ phiếu được lưu riêng; không "
                    "ai, kể cả người chủ trì, xem được số phiếu trước khi kết thúc. Thư "
                    "ký ghi ý kiến bằng văn bản của thành viên vắng mặt rồi kết thúc "
                    "phiên họp."
                ),
                alt=_("Phiên họp Hội đồng: các đề nghị và kết quả biểu quyết"),
            ),
            Step(
                anchor="sign",
                picture="council-minutes",
                title=_("Biên bản và chữ ký"),
                menu=_("Phong trào → tên phong trào → Hội đồng → phiên họp → Biên bản"),
                text=_(
                    "Biên bản họp ghi thành phần dự họp và kết quả biểu quyết từng đề "
                    "nghị; in bản PDF để chủ trì và Thư ký ký. Quyết định khen thưởng "
                    "do người ký trong hồ sơ cơ quan ký (Phó Chủ tịch ký thay: “KT. CHỦ "
                    "TỊCH / PHÓ CHỦ TỊCH”)."
                ),
                alt=_("Biên bản phiên họp Hội đồng"),
            ),
        ],
    ),
]
BY_ROLE = {guide.role: guide for guide in GUIDES}

# Which guide a role reads, in the order a person holding several is shown them.
ROLE_GUIDES = [
    (Role.CAMPAIGN_MANAGER, "manager"),
    (Role.COUNCIL_MEMBER, "council"),
    (Role.UNIT_HEAD, "unit"),
    (Role.UNIT_STAFF, "unit"),
]

# A page (its URL name) and the guide steps that explain it, as (guide, step): the page's "?"
# link goes to the first whose guide is one of the user's roles, else to the first.
PAGE_STEPS = {
    "home": [("manager", "home"), ("council", "review-queue"), ("unit", "my-assessments")],
    "units:people": [("manager", "people")],
    "units:authority_profile": [("manager", "profile")],
    "votes:catalogue": [("manager", "catalogue")],
    "campaigns:create": [("manager", "campaign-new")],
    "campaigns:detail": [("manager", "campaign"), ("unit", "registration")],
    "campaigns:checklist": [("manager", "checklist")],
    "campaigns:enrolments": [("manager", "enrolments")],
    "campaigns:council": [("manager", "council-seats")],
    "assessments:progress": [("manager", "progress")],
    "scoring:runs": [("manager", "scoring")],
    "votes:sessions": [("manager", "sessions")],
    "assessments:my_assessments": [("unit", "my-assessments")],
    "assessments:assessment": [("unit", "self-assessment"), ("unit", "submit")],
    "assessments:review_queue": [("council", "review-queue")],
    "assessments:review": [("council", "review")],
    "scoring:rankings": [("council", "rankings")],
    "votes:session": [("council", "vote"), ("manager", "documents")],
    "votes:minutes": [("council", "sign")],
}


def own_guides(role_names: frozenset[str]) -> list[str]:
    """The guides of the user's roles, in ROLE_GUIDES order."""
    return list(dict.fromkeys(slug for role, slug in ROLE_GUIDES if role in role_names))


def page_step(view_name: str, role_names: frozenset[str]) -> tuple[str, str] | None:
    """The (guide, step) a page's "?" link opens, or None for a page the guide does not show."""
    choices = PAGE_STEPS.get(view_name)
    if not choices:
        return None
    own = own_guides(role_names)
    return next((choice for choice in choices if choice[0] in own), choices[0])


def guides_for(role_names: frozenset[str]) -> list[Guide]:
    """Every guide, the user's own roles' first (in ROLE_GUIDES order), then the others."""
    order = list(dict.fromkeys([*own_guides(role_names), *(guide.role for guide in GUIDES)]))
    return [BY_ROLE[slug] for slug in order]
