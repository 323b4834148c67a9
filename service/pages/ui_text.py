"""The few words of the site's own interface, in the six languages (data labels come from
the data). A missing translation falls back to English."""

from __future__ import annotations

from service.http.request_view import current

# fmt: off
# ruff: noqa: E501 (one line per phrase reads best)
UI_TEXT: dict[str, dict[str, str]] = {
    "Members": {"ja": "会員", "ko": "회원", "zh": "成员", "ru": "Члены", "mn": "Гишүүд"},
    "Conferences": {"ja": "会議", "ko": "회의", "zh": "会议", "ru": "Конференции", "mn": "Бага хурал"},
    "Search": {"ja": "検索", "ko": "검색", "zh": "搜索", "ru": "Поиск", "mn": "Хайх"},
    "Ontology": {"ja": "オントロジー", "ko": "온톨로지", "zh": "本体", "ru": "Онтология", "mn": "Онтологи"},
    "Property": {"ja": "属性", "ko": "속성", "zh": "属性", "ru": "Свойство", "mn": "Шинж"},
    "Value": {"ja": "値", "ko": "값", "zh": "值", "ru": "Значение", "mn": "Утга"},
    "Source": {"ja": "出典", "ko": "출처", "zh": "来源", "ru": "Источник", "mn": "Эх сурвалж"},
    "Statements": {"ja": "記述", "ko": "진술", "zh": "陈述", "ru": "Утверждения", "mn": "Мэдээлэл"},
    "Records": {"ja": "記録", "ko": "기록", "zh": "记录", "ru": "Записи", "mn": "Бүртгэл"},
    "Linked from": {"ja": "被参照", "ko": "참조됨", "zh": "被引用", "ru": "Ссылаются", "mn": "Холбоос"},
    "This page as data": {
        "ja": "このページのデータ",
        "ko": "이 페이지의 데이터",
        "zh": "本页数据",
        "ru": "Эта страница как данные",
        "mn": "Энэ хуудасны өгөгдөл",
    },
    "Previous": {"ja": "前へ", "ko": "이전", "zh": "上一页", "ru": "Назад", "mn": "Өмнөх"},
    "Next": {"ja": "次へ", "ko": "다음", "zh": "下一页", "ru": "Далее", "mn": "Дараах"},
    "Status": {"ja": "ステータス", "ko": "상태", "zh": "状态", "ru": "Статус", "mn": "Төлөв"},
    "Also on": {"ja": "外部のページ", "ko": "외부 페이지", "zh": "另见", "ru": "Также на", "mn": "Мөн эндээс"},
    "Breadcrumbs": {"ja": "パンくず", "ko": "경로", "zh": "导航", "ru": "Навигация", "mn": "Зам"},
    "Did you mean": {"ja": "もしかして", "ko": "이것을 찾으셨나요:", "zh": "您是不是要找", "ru": "Возможно, вы имели в виду", "mn": "Та үүнийг хайсан уу:"},
    "Results": {"ja": "結果", "ko": "결과", "zh": "结果", "ru": "Результаты", "mn": "Үр дүн"},
    "Observer": {"ja": "オブザーバー", "ko": "옵서버", "zh": "观察员", "ru": "Наблюдатель", "mn": "Ажиглагч"},
    "Declarations": {"ja": "宣言", "ko": "선언", "zh": "宣言", "ru": "Декларации", "mn": "Тунхаглал"},
    "Bodies": {"ja": "機関", "ko": "기관", "zh": "机构", "ru": "Органы", "mn": "Байгууллагууд"},
    "Subcommittees": {"ja": "分科委員会", "ko": "분과위원회", "zh": "专门委员会", "ru": "Подкомиссии", "mn": "Дэд хороод"},
    "Coordinators": {"ja": "コーディネーター", "ko": "코디네이터", "zh": "协调方", "ru": "Координаторы", "mn": "Зохицуулагчид"},
    "Programs": {"ja": "事業", "ko": "사업", "zh": "项目", "ru": "Программы", "mn": "Хөтөлбөрүүд"},
    "Partners and NEAR": {"ja": "連携団体とNEAR", "ko": "협력기관과 NEAR", "zh": "合作机构与NEAR", "ru": "Партнёры и АРСВА", "mn": "Түншүүд ба ЗХАБНБ"},
    "Publications": {"ja": "刊行物", "ko": "간행물", "zh": "出版物", "ru": "Публикации", "mn": "Хэвлэлүүд"},
    "Countries": {"ja": "国", "ko": "국가", "zh": "国家", "ru": "Страны", "mn": "Улсууд"},
    "Sources": {"ja": "出典", "ko": "출처", "zh": "来源", "ru": "Источники", "mn": "Эх сурвалжууд"},
    "records shown; the others are under Linked from": {"ja": "件、「被参照」を参照", "ko": "건, '참조됨' 참조", "zh": "条，见“被引用”", "ru": "записей, см. «Ссылаются»", "mn": "бүртгэл, «Холбоос»-ыг үзнэ үү"},
}
# fmt: on


def translate(text: str) -> str:
    lang = current().language
    return UI_TEXT.get(text, {}).get(lang, text)
