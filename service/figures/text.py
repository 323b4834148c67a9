"""The words of the figures in the six languages: titles, captions, headings, ordinals.

Headings prefer the ontology's ``rdfs:label`` in the page's language of the term they stand for
(``near:Region``..., given to ``FigureText`` as ``term_labels``); these words are the fallback.
A phrase missing in a language falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# fmt: off
# ruff: noqa: E501 (one line per phrase reads best)
WORDS: dict[str, dict[str, str]] = {
    "title:conference-timeline": {"en": "Timeline of the NEAR conferences", "ja": "NEAR会議の年表", "ko": "NEAR 회의 연표", "zh": "NEAR会议时间线", "ru": "Хронология конференций NEAR", "mn": "NEAR-ын бага хурлуудын он дараалал"},
    "title:participation-matrix": {"en": "Which regions took part in which conference", "ja": "会議ごとの参加地域", "ko": "회의별 참가 지역", "zh": "各届会议的参会地区", "ru": "Участие регионов в конференциях", "mn": "Бага хурал бүрд оролцсон бүс нутгууд"},
    "title:members-by-country": {"en": "Members and observers by country", "ja": "国別の会員・オブザーバー自治体数", "ko": "국가별 회원 및 옵서버 자치단체 수", "zh": "各国成员与观察员数量", "ru": "Члены и наблюдатели по странам", "mn": "Улс тус бүрийн гишүүд ба ажиглагчид"},
    "title:coordination-network": {"en": "Subcommittees and their coordinator regions", "ja": "分科委員会とコーディネート自治体", "ko": "분과위원회와 코디네이터 자치단체", "zh": "专门委员会及其协调地区", "ru": "Подкомитеты и регионы-координаторы", "mn": "Дэд хороод ба зохицуулагч бүс нутгууд"},
    "caption:conference-timeline": {"en": "Each NEAR conference by year, with its ordinal where a source states it (an ordinal only inferred is marked as inferred) and the region that hosted it, or where it was only planned.", "ja": "NEAR会議を年順に示します。回次は出典に記載がある場合に表示し、推定にとどまるものは「推定」と記しています。開催地域、または開催予定にとどまる地域を添えています。", "ko": "NEAR 회의를 연도순으로 보여 줍니다. 회차는 출처에 명시된 경우에 표시하고, 추정에 그치는 것은 '추정'으로 표시했습니다. 개최 지역 또는 개최가 예정되었을 뿐인 지역을 함께 적었습니다.", "zh": "按年份列出历届NEAR会议；届次在来源注明时显示，仅为推定的标明“推定”，并注明主办地区或仅计划举办的地区。", "ru": "Конференции NEAR по годам: порядковый номер там, где его называет источник (выведенный номер помечен), и принимающий регион или регион, где конференция была только запланирована.", "mn": "NEAR-ын бага хурлуудыг оноор нь харуулав: дугаарыг эх сурвалжид заасан бол (таамагласан дугаарыг тэмдэглэсэн), мөн зохион байгуулсан, эсвэл зөвхөн төлөвлөсөн бүс нутгийг."},
    "caption:participation-matrix": {"en": "The regions each conference page lists as participants; below, the number of participants the page states and the number it lists.", "ja": "各会議のページに参加者として掲載された地域。下段は、ページに記載された参加数と掲載数です。", "ko": "각 회의 페이지에 참가자로 실린 지역. 아래는 페이지에 명시된 참가 수와 실제로 실린 수입니다.", "zh": "各届会议页面列为参会方的地区；下方为页面所述的参会数与实际列出的数目。", "ru": "Регионы, которые страница каждой конференции называет участниками; внизу число участников, заявленное страницей, и число перечисленных.", "mn": "Бага хурал бүрийн хуудсанд оролцогчоор жагсаасан бүс нутгууд; доор нь хуудсанд заасан болон жагсаасан оролцогчдын тоо."},
    "caption:members-by-country": {"en": "How many regional governments of each country are NEAR members and how many are observers.", "ja": "各国の地方自治体のうち、NEARの会員数とオブザーバー数。", "ko": "각국 지방자치단체 중 NEAR 회원 수와 옵서버 수.", "zh": "各国地方政府中NEAR成员与观察员的数量。", "ru": "Сколько региональных администраций каждой страны являются членами NEAR и сколько наблюдателями.", "mn": "Улс бүрийн хэдэн бүс нутгийн засаг захиргаа NEAR-ын гишүүн, хэд нь ажиглагч болохыг харуулав."},
    "caption:coordination-network": {"en": "Each subcommittee joined to the regional government that coordinates it, grouped by country.", "ja": "各分科委員会とそのコーディネート自治体を国別にまとめて示します。", "ko": "각 분과위원회와 이를 조정하는 자치단체를 국가별로 묶어 보여 줍니다.", "zh": "按国家分组，显示各专门委员会及其协调地方政府。", "ru": "Каждый подкомитет и региональная администрация, которая его координирует, по странам.", "mn": "Дэд хороо бүрийг зохицуулагч засаг захиргаатай нь улсаар бүлэглэн харуулав."},
    "Region": {"en": "Region", "ja": "地域", "ko": "지역", "zh": "地区", "ru": "Регион", "mn": "Бүс нутаг"},
    "Conference": {"en": "Conference", "ja": "会議", "ko": "회의", "zh": "会议", "ru": "Конференция", "mn": "Бага хурал"},
    "Country": {"en": "Country", "ja": "国", "ko": "국가", "zh": "国家", "ru": "Страна", "mn": "Улс"},
    "Subcommittee": {"en": "Subcommittee", "ja": "分科委員会", "ko": "분과위원회", "zh": "专门委员会", "ru": "Подкомитет", "mn": "Дэд хороо"},
    "Members": {"en": "Members", "ja": "会員", "ko": "회원", "zh": "成员", "ru": "Члены", "mn": "Гишүүд"},
    "Observers": {"en": "Observers", "ja": "オブザーバー", "ko": "옵서버", "zh": "观察员", "ru": "Наблюдатели", "mn": "Ажиглагчид"},
    "Host region": {"en": "Host region", "ja": "開催地域", "ko": "개최 지역", "zh": "主办地区", "ru": "Принимающий регион", "mn": "Зохион байгуулсан бүс"},
    "stated": {"en": "stated", "ja": "記載数", "ko": "명시 수", "zh": "所述数", "ru": "заявлено", "mn": "заасан"},
    "listed": {"en": "listed", "ja": "掲載数", "ko": "명단 수", "zh": "列出数", "ru": "перечислено", "mn": "жагсаасан"},
    "Planned host region": {"en": "Planned host region", "ja": "開催予定地域", "ko": "개최 예정 지역", "zh": "计划举办地区", "ru": "Планируемый принимающий регион", "mn": "Хүлээн авахаар төлөвлөсөн бүс"},
    "{ordinal} (inferred)": {"en": "{ordinal} (inferred)", "ja": "{ordinal}（推定）", "ko": "{ordinal} (추정)", "zh": "{ordinal}（推定）", "ru": "{ordinal} (выведено)", "mn": "{ordinal} (таамагласан)"},
    "ordinal not stated": {"en": "ordinal not stated", "ja": "回次の記載なし", "ko": "회차 기재 없음", "zh": "届次未注明", "ru": "номер не указан", "mn": "дугаар заагаагүй"},
    "not stated": {"en": "not stated", "ja": "記載なし", "ko": "기재 없음", "zh": "未注明", "ru": "не указано", "mn": "заагаагүй"},
    "took part": {"en": "took part", "ja": "参加", "ko": "참가", "zh": "参会", "ru": "участвовал", "mn": "оролцсон"},
    "No data": {"en": "No data", "ja": "データなし", "ko": "데이터 없음", "zh": "无数据", "ru": "Нет данных", "mn": "Өгөгдөл алга"},
    "Figures": {"en": "Figures", "ja": "図表", "ko": "도표", "zh": "图表", "ru": "Диаграммы", "mn": "Дүрслэл"},
    "Figures intro": {"en": "Pictures drawn from the live data. Each names the saved query that produces it; its data can be downloaded.", "ja": "現在のデータから描いた図です。それぞれ元になる保存クエリを示し、データをダウンロードできます。", "ko": "현재 데이터로 그린 그림입니다. 각 그림은 이를 만드는 저장된 쿼리를 밝히며, 데이터를 내려받을 수 있습니다.", "zh": "根据实时数据绘制的图表。每幅图注明生成它的已保存查询，其数据可供下载。", "ru": "Изображения, построенные по текущим данным. У каждого указан сохранённый запрос, который его строит; данные можно скачать.", "mn": "Одоогийн өгөгдлөөс зурсан дүрслэлүүд. Тус бүр нь өөрийг нь гаргадаг хадгалсан асуулгыг заасан бөгөөд өгөгдлийг нь татаж авч болно."},
    "Saved query": {"en": "Saved query", "ja": "保存クエリ", "ko": "저장된 쿼리", "zh": "已保存查询", "ru": "Сохранённый запрос", "mn": "Хадгалсан асуулга"},
    "Data": {"en": "Data", "ja": "データ", "ko": "데이터", "zh": "数据", "ru": "Данные", "mn": "Өгөгдөл"},
    "All figures": {"en": "All figures", "ja": "すべての図表", "ko": "모든 도표", "zh": "全部图表", "ru": "Все диаграммы", "mn": "Бүх дүрслэл"},
}
# fmt: on

# "1st" / "第1回" ...: how a conference's ordinal is written
ORDINALS = {
    "ja": "第{n}回",
    "ko": "제{n}회",
    "zh": "第{n}届",
    "ru": "{n}-я",
    "mn": "{n}-р",
}


def english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# headings whose words the ontology may give (rdfs:label of near:{term})
HEADING_TERMS = {
    "Region": "Region",
    "Conference": "Conference",
    "Country": "Country",
    "Subcommittee": "Subcommittee",
}


@dataclass(frozen=True)
class FigureText:
    """The words of one figure language; ``term_labels`` are the ontology's labels in it."""

    lang: str
    term_labels: dict[str, str] = field(default_factory=dict)

    def __call__(self, phrase: str) -> str:
        words = WORDS.get(phrase, {})
        return words.get(self.lang) or words.get("en") or phrase

    def heading(self, phrase: str) -> str:
        term = HEADING_TERMS.get(phrase)
        label = self.term_labels.get(term) if term else None
        if label:
            return label[:1].upper() + label[1:]
        return self(phrase)

    def title(self, figure: str) -> str:
        return self(f"title:{figure}")

    def caption(self, figure: str) -> str:
        return self(f"caption:{figure}")

    def ordinal(self, n: int | None, inferred: int | None = None) -> str:
        """The stated ordinal; else the inferred one, marked as inferred; else "not stated"."""
        if n is None and inferred is not None:
            return self("{ordinal} (inferred)").format(ordinal=self.ordinal(inferred))
        if n is None:
            return self("ordinal not stated")
        if self.lang in ORDINALS:
            return ORDINALS[self.lang].format(n=n)
        return english_ordinal(n)
