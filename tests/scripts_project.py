"""A project that quotes every script the desk reads: Korean, Chinese, Japanese,
Russian, Persian and Arabic in fact titles, text, actor names, flow labels,
judgments and source titles (issue 21). The fonts and printing tests build it."""

from __future__ import annotations

from pathlib import Path

from projects import write_tree

CONFIG = """\
sections:
  - id: quotes
    title: Quoted sources
briefings:
  - id: scripts
    title: Every script the desk quotes
    edition: 2024-11-25
    formats: [html, pdf, docx, json, stix]
    summary: |
      North Korea (조선민주주의인민공화국) and Russia (Россия) and Iran (ایران).
    judgments:
      - text: |
          조선중앙통신 reports will continue; Иран and ایران agree (likely).
        confidence: low
        based_on: [kcna-claim]
"""

SHEET = """\
section: quotes
actors:
  - id: KP
    name: 조선민주주의인민공화국
  - id: RU
    name: Россия
  - id: IR
    name: ایران
  - id: CN
    name: 中华人民共和国
  - id: JP
    name: 日本国
  - id: EG
    name: مصر
sources:
  - id: kcna
    title: 조선중앙통신 보도
    lang: ko
    translated_title: Korean Central News Agency report
    reliability: C
    type: media
  - id: tass
    title: Поставки снарядов из КНДР в Россию
    lang: ru
    translated_title: Shell deliveries from the DPRK to Russia
    reliability: C
    type: media
  - id: irna
    title: گزارش خبرگزاری جمهوری اسلامی
    lang: fa
    translated_title: IRNA report
    reliability: C
    type: media
  - id: xinhua
    title: 新华社报道
    lang: zh
    translated_title: Xinhua report
    reliability: C
    type: media
  - id: nhk
    title: 北朝鮮のニュース
    lang: ja
    translated_title: News of North Korea
    reliability: C
    type: media
facts:
  - id: kcna-claim
    title: 조선중앙통신 says the exchange continues
    text: |
      조선중앙통신 quotes 로동신문; Россия confirms; ایران (IRNA) reports;
      新华社 and 北朝鮮 too; مصر عربية.
    date: 2024-11
    confidence: low
    actors: [KP, RU]
    sources:
      - source: kcna
        credibility: 3
      - source: tass
        credibility: 3
    flow:
      from: RU
      to: KP
      what: снаряды 포탄
      category: weapons
  - id: irna-claim
    title: ایران reports shipments
    text: |
      خبرگزاری جمهوری اسلامی ایران گزارش داد.
    date: 2024-10
    confidence: low
    actors: [IR, RU]
    sources:
      - source: irna
        credibility: 3
    flow:
      from: IR
      to: RU
      what: پهپادهای شاهد
      category: weapons
  - id: xinhua-claim
    title: 新华社 and 北朝鮮のニュース report the treaty
    text: |
      中华人民共和国 and 日本国 comment; العربية too.
    date: 2024-09
    confidence: low
    actors: [CN, JP, EG]
    sources:
      - source: xinhua
        credibility: 3
      - source: nhk
        credibility: 3
"""

# Every word in another script that the project writes, as a reader should see it.
WORDS = {
    "ko": ["조선중앙통신", "로동신문", "조선민주주의인민공화국", "포탄", "보도"],
    "zh": ["新华社报道", "中华人民共和国"],
    "ja": ["日本国"],
    "ru": ["Россия", "снаряды", "Поставки", "снарядов"],
    "fa": ["ایران", "شاهد", "پهپادهای", "گزارش"],
    "ar": ["مصر", "عربية"],
}
# The Persian flow label: its glyph order in the figure is checked against HarfBuzz.
PERSIAN_LABEL = "پهپادهای شاهد"


def multilingual_project(root: Path) -> Path:
    """The project written under `root`."""
    return write_tree(root, {"briefgen.yaml": CONFIG, "facts/sheet.yaml": SHEET})
