"""Label normalization for matching: width, traditional characters, notes, numbering."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

# Page lines repeat (labels, "0"): reading each distinct text once pays.
_CACHE_SIZE = 8192

__all__ = ["body_of_folded", "fold", "label_body", "numbering", "to_simplified"]

# Traditional → simplified for the characters that occur in report labels and headings,
# plus Taiwan-style word conversions seen on mirror sites (檔案 for 文件).
_WORDS: Final = (("檔案", "文件"), ("最佳化", "优化"), ("資訊", "信息"))
_CHARS: Final = str.maketrans(
    "條項規範檔內實這個們為與於對從並開關處轄縣區鎮鄉務書報屬國禁護權類執滿請數據屆審結議訴訟複覆"
    "維準糾計據總減發廢現製體壽產業學會務構機織組課責認證辦歲歸統舉銷費復額設應該參閱據說當時資歷"
    "農險眾遞導將專紹絕統經網號記錄錢變讀讓賴轉區邊際陳陽雲電際靈響願類風飛體點黨齊龍門問間閱隊際"
    "態濟無營產環獎給徵檢確裁強處罰許採購項數總額單價採併違規範統計獲現貨幣寫圖層屆幾廣彈後徑從復"
    "徵恆惡愛態慣戶擁擇擔據攜數斷於無時書會條來東極構標樣橋檢權歡殘氣決沒況淨減滅漢潔澤濕灣災為烏"
    "爭爾牆狀獨獲環現畫當疊發盡監盤確礎禮禦稅種稱穩窮競筆節範築簡糧緊終組細紐絡給統絲經綜線練縣總"
    "繼續義習聯聲職聽脅膽臉臨與舉舊藝蘇號蟲衛補裝製複規覺覽觀訂計訊討訓託記訪設許訴診詞試詢該詳誌"
    "語誤說課調談請諸諾謀謂講謝證識譯議護讀變讓豐負貢財責賢敗貨質販貴買費貼貿資賓賞賠賣質賴購贊趨"
    "車軍軟較載輔輕輸轄辦農運過達違遠適遲選遺邊郵鄉醫釋鐘錄錢鐵銀鋼錯長門開閒間閣閱關陽陰陳陸際隊"
    "階隨險隱隸雙雜離難雲電靜頁頂項順須頒預領頻題額顯風飛養餘館驗體髮鬥鬧魚鮮鳥鹽麗黃齊齡龍圍園團",
    "条项规范档内实这个们为与于对从并开关处辖县区镇乡务书报属国禁护权类执满请数据届审结议诉讼复复"
    "维准纠计据总减发废现制体寿产业学会务构机织组课责认证办岁归统举销费复额设应该参阅据说当时资历"
    "农险众递导将专绍绝统经网号记录钱变读让赖转区边际陈阳云电际灵响愿类风飞体点党齐龙门问间阅队际"
    "态济无营产环奖给征检确裁强处罚许采购项数总额单价采并违规范统计获现货币写图层届几广弹后径从复"
    "征恒恶爱态惯户拥择担据携数断于无时书会条来东极构标样桥检权欢残气决没况净减灭汉洁泽湿湾灾为乌"
    "争尔墙状独获环现画当叠发尽监盘确础礼御税种称稳穷竞笔节范筑简粮紧终组细纽络给统丝经综线练县总"
    "继续义习联声职听胁胆脸临与举旧艺苏号虫卫补装制复规觉览观订计讯讨训托记访设许诉诊词试询该详志"
    "语误说课调谈请诸诺谋谓讲谢证识译议护读变让丰负贡财责贤败货质贩贵买费贴贸资宾赏赔卖质赖购赞趋"
    "车军软较载辅轻输辖办农运过达违远适迟选遗边邮乡医释钟录钱铁银钢错长门开闲间阁阅关阳阴陈陆际队"
    "阶随险隐隶双杂离难云电静页顶项顺须颁预领频题额显风飞养余馆验体发斗闹鱼鲜鸟盐丽黄齐龄龙围园团",
)
_NUMERAL_PREFIX = re.compile(
    r"^(?:([一二三四五六七八九十]{1,3})[、.,]|\(([一二三四五六七八九十]{1,3})\)[、.]?|(\d{1,2})[、.])"
)
_PAREN = re.compile(r"\([^()]{0,400}\)")
_OPEN_PAREN_TAIL = re.compile(r"\([^()]{0,400}$")
_SPACE_OR_PIPE = re.compile(r"[\s|]+")
_STRIP = re.compile(r"[\s|:;,。.、*“”\"'‘’]+")


def to_simplified(text: str) -> str:
    """Map the traditional characters that occur in report labels to simplified ones."""
    for old, new in _WORDS:
        text = text.replace(old, new)
    return text.translate(_CHARS)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """NFKC (full-width brackets and colons → half-width), simplified characters, no
    whitespace or table pipes."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    folded = folded.replace("【", "(").replace("】", ")").replace("〔", "[").replace("〕", "]")
    return _SPACE_OR_PIPE.sub("", folded)


def numbering(text: str) -> tuple[str | None, str]:
    """Split a folded label into its numbering (``"一、"`` → ``"一"``, ``"(三)"`` →
    ``"(三)"``, ``"1."`` → ``"1"``) and the rest."""
    match = _NUMERAL_PREFIX.match(text)
    if match is None:
        return None, text
    level1, level2, digits = match.groups()
    if level1:
        mark = level1
    elif level2:
        mark = f"({level2})"
    else:
        mark = digits
    return mark, text[match.end() :]


def label_body(text: str) -> str:
    """A label reduced for matching: folded, numbering and parenthetical notes removed."""
    return body_of_folded(fold(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def body_of_folded(folded: str) -> str:
    """:func:`label_body` of a text already passed through :func:`fold`."""
    _, rest = numbering(folded)
    previous = None
    while previous != rest:
        previous, rest = rest, _PAREN.sub("", rest)
    rest = _OPEN_PAREN_TAIL.sub("", rest)
    return _STRIP.sub("", rest)
