"""The few words of the site's own interface, in the six languages (data labels come from
the data). A missing translation falls back to English."""

from __future__ import annotations

from flask import g

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
    "Breadcrumbs": {"ja": "パンくず", "ko": "경로", "zh": "导航", "ru": "Навигация", "mn": "Зам"},
    "Results": {"ja": "結果", "ko": "결과", "zh": "结果", "ru": "Результаты", "mn": "Үр дүн"},
    "Observer": {"ja": "オブザーバー", "ko": "옵서버", "zh": "观察员", "ru": "Наблюдатель", "mn": "Ажиглагч"},
}
# fmt: on


def translate(text: str) -> str:
    lang = g.get("lang", "en")
    return UI_TEXT.get(text, {}).get(lang, text)
