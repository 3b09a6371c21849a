"""Guess the language (ky, ru, uz, tg or en) and script of one short, possibly mixed message.

The language comes from a character n-gram model learned from the knowledge base's example
questions (bot.language.identifier, trained by `make train`). Rules, written here because no
detector on PyPI covers Kyrgyz, Tajik and Uzbek together, decide where the model cannot:
English, messages with no letters, a model unsure of itself, or no trained model. In the rules, letters only one
language uses score high, marker words (typed with or without special letters, or in Latin)
score lower, and Russian loan words that every migrant uses (повестка, военкомат) score nothing.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.errors import ModelError
from bot.language.codes import DEFAULT_LANGUAGE
from bot.language.identifier import LanguageIdentifier
from bot.language.normalize import fold_apostrophes

logger = logging.getLogger(__name__)
# Below this probability the model is unsure (a word or two shared by every language): the rules decide.
MODEL_MIN_PROBABILITY = 0.5

# Letters that point to one language (or two). Weights are per occurrence.
_LETTERS: dict[str, dict[str, float]] = {
    "ң": {"ky": 3},
    "ө": {"ky": 3},
    "ү": {"ky": 3},
    "ҷ": {"tg": 3},
    "ӣ": {"tg": 3},
    "ӯ": {"tg": 3},
    "ҳ": {"tg": 1.5, "uz": 1.5},
    "қ": {"tg": 1.5, "uz": 1.5},
    "ғ": {"tg": 1.5, "uz": 1.5},
    "ў": {"uz": 3},
    "ы": {"ru": 0.7, "ky": 0.7},
    "щ": {"ru": 2},
    "э": {"ru": 0.3, "ky": 0.3, "uz": 0.3},
}
_FOLD = str.maketrans("ңөүҷӣӯҳқғў", "ноучиухкгу")

# Marker words: common function words and verbs, written as people type them. Cyrillic words
# also match when typed without special letters (кандай / qanday are told apart by q).
_MARKERS: dict[str, str] = {
    "ky": """эмне эмнеге кандай кантип качан канча керек барбы болобу болот болсо болуп менин
        мага мени сиз сизге силер сен жок эмес дагы жана үчүн деп кылам кылыш кылса кетсем кетсе
        кете келди келип келсе алам алса берет берди барсам барам кайда кайсы тууралуу жөнүндө
        мыйзам жаза аскер жаран жарандык кызмат кыргыз кыргызстан айтчы айтып билем билбейм
        emne emnege kanday kantip kachan kerek barby bolobu bolot jok emes dagy jana kylam kylsa
        ketsem kelse keldi alam beret kaida kaisy jonundo myizam jaza asker jarandyk kyzmat
        kyrgyz kyrgyzstan aitchy кененирээк кененирек толугу тил тилде тилинде алмаштыр кыргызча
        орусча сау жакшы калгыла болду рахмат чоң ыракмат саламатсызбы kenenirek tolugu tilinde""",
    "uz": """nima nimaga qanday qanaqa qachon qancha kerak bormi bo'ladi bo'lsa bo'lib mening
        menga meni sizga siz senga yo'q emas yana va uchun deb qilaman qilsam ketsam ketish keldi
        kelsa olaman beradi boraman qayerda qaysi haqida qonun jazo harbiy fuqarolik fuqaro
        xizmat o'zbek o'zbekiston chaqiruv qog'oz mumkinmi mumkin bo'ladimi shartnoma imzolasam
        nma nimaa boladi bolsa yoq uzbek ozbek ozbekiston chaqiruv qogoz mumkinmi bolamanmi
        batafsil tushuntir tushuntirib tushunmadim davom keyin tilni almashtir ruscha tojikcha
        o'zbekcha yozing rahmat xayr salom assalomu alaykum qalaysiz батафсил тушунтир давом
        рахмат хайр ассалому алайкум нима нимага қандай қанақа қачон қанча керак борми бўлади бўлса
        менга сизга йўқ эмас яна учун қиламан кетсам келди оламан беради қаерда қайси ҳақида қонун жазо ҳарбий фуқаролик
        хизмат ўзбек ўзбекистон чақирув қоғоз мумкинми шартнома""",
    "tg": """чӣ чи чиро чаро чӣ хел чихел чанд кай лозим метавонам метавонад кунам мекунам
        мекунад мешавад шавад ман маро ба ман шумо шуморо барои ва дар аз ҳаст ҳаст нест агар бо
        ки аст буд мехоҳам меравам равам гирифтам омад омадааст ҳарбӣ қонун ҷазо шаҳрвандӣ
        шаҳрвандии даъватнома хизмат тоҷик тоҷикистон ҳамин кадом куҷо дорам дорад
        chi chiro chaaro chikhel chand metavonam kunam mekunam meshavad man shumo baroi hast nest
        agar ast mekhoham meravam girifta omad harbi qonun jazo shahrvandi tojik tojikiston
        муфассал муфассалтар бештар тафсилот забон забони тоҷикӣ раҳмат ташаккур хайр
        mufassal beshtar zabon rahmat tashakkur""",
    "ru": """что чтобы как если мне меня мой моя можно нужно надо будет будут быть не ни и в на за
        по я это или ли какой какая какие почему когда где кто сколько пришла пришло пришел
        получил получила могу могут ли если уехать выехать делать теперь сейчас есть нет
        chto kak esli mne menya mozhno nuzhno budet eto ili kakoi pochemu kogda gde prishla
        poluchil mogu uehat delat seichas""",
    "en": """what how when where why who the a an is are am can could should will would do does
        did my me i if get got have has not about please help army summons citizenship law
        contract leave russia""",
}


# Word endings (and Tajik's verb prefix me-), for words that carry no marker: half a point each.
_AFFIXES: dict[str, re.Pattern] = {
    "ky": re.compile(
        r"(?:[бп][ыуиү]|[аоеө]б[ыуиү]|с[аое]м|с[аое][нк]|[ыу]ш[ыу]м|ч[ыу]|[дт][ыу]к|г[аоеө]н|"
        r"ым[ыу]|[аое]й[ыу]|сыз|суз|лык|лук|дык|дук|нын|дын|тын|ган|гон|кен|бейм|байм|[ыу]бу|"
        r"by|bu|pi|py|sam|som|shym|chy|dyk|tyk|gan|gon|abyz|obu|abu|ebu|dyn|nyn)$"
    ),
    "uz": re.compile(
        r"(?:mi|yapti|yapman|yaptimi|adimi|ishadi|ishadimi|moqchi|moqchiman|dimi|manmi|sammi|"
        r"ingiz|imiz|lari|larga|dagi|ganmi|ilsa|ilishi|"
        r"ми|япти|ади|адими|ишади|ишадими|моқчи|манми|ингиз|имиз|лари|ларга)$"
    ),
    "tg": re.compile(r"(?:^ме\w{3,}|^нме\w+|^наме\w+|ам|ед|анд|ҳо|хо|ро|ӣ|ии|ист|^me[a-z]{3,}|and|hoi|ro)$"),
    "ru": re.compile(
        r"(?:ть|ться|тся|ешь|ете|ют|ого|ому|ый|ий|ая|ое|ие|ые|ых|ся|ли|ла|ло|"
        r"at|it|et|yut|ogo|omu|yi|ii|aya|oe|ie|sya|tsya)$"
    ),
}


def _affix_hits(word: str) -> list:
    folded = word.translate(_FOLD)
    return [language for language, pattern in _AFFIXES.items() if pattern.search(word) or pattern.search(folded)]


def _marker_index() -> dict[str, dict[str, float]]:
    index: dict[str, dict[str, float]] = {}
    for language, words in _MARKERS.items():
        for word in words.split():
            for form in {word, word.translate(_FOLD), word.replace("'", "")}:
                index.setdefault(form, {})[language] = 1.0
    return index


_INDEX = _marker_index()
_WORD = re.compile(r"[\w']+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Detection:
    language: str  # ky, ru, uz, tg or en
    script: str  # "Cyrl" or "Latn"
    confidence: float  # share of the evidence that went to `language` (0 when there was none)

    @property
    def serve_script(self) -> str:
        """The script variant to answer in: Uzbek written in Cyrillic is answered in Cyrillic."""
        return "uz_Cyrl" if self.language == "uz" and self.script == "Cyrl" else self.language


def _rule_scores(lowered: str, script: str) -> dict[str, float]:
    """Evidence for each language from special letters, marker words and word endings."""
    scores: dict[str, float] = defaultdict(float)
    for char in lowered:
        for language, weight in _LETTERS.get(char, {}).items():
            scores[language] += weight
    for word in _WORD.findall(lowered):
        hits = _INDEX.get(word) or _INDEX.get(word.translate(_FOLD)) or {}
        for language in hits:
            scores[language] += 1.0 / len(hits)
        if not hits and len(word) > 3:
            affixed = _affix_hits(word)
            for language in affixed:
                scores[language] += 0.5 / len(affixed)
    if script == "Latn":
        scores["uz"] += 0.7 * len(re.findall(r"[qx]", lowered))
        scores["ky"] += 0.7 * len(re.findall(r"(?<=[bcdfghjklmnprstvz])y(?=[bcdfghjklmnprstvz]|\b)", lowered))
    if script == "Latn" and re.search(r"\b[og]'", lowered):
        scores["uz"] += 2
    if script == "Cyrl":
        scores.pop("en", None)
    return scores


@lru_cache(maxsize=4)
def load_identifier(path: Path) -> LanguageIdentifier | None:
    """The language model at `path` (`make train` writes it beside the Rasa model), loaded once per
    process; None, with a warning, when there is none yet: detection then uses the rules only."""
    try:
        return LanguageIdentifier.load(path)
    except ModelError as error:
        logger.warning("language detection by rules only: %s (run `make train`)", error)
        return None


def detect(text: str, identifier: LanguageIdentifier | None = None) -> Detection:
    """Guess the language and script of `text`, with the trained `identifier` (None: rules only)."""
    lowered = fold_apostrophes(text.lower())
    cyrillic, latin = len(_CYRILLIC.findall(lowered)), len(_LATIN.findall(lowered))
    script = "Cyrl" if cyrillic >= latin else "Latn"
    scores = _rule_scores(lowered, script)
    total = sum(scores.values())
    if not total and not (cyrillic or latin):
        return Detection(DEFAULT_LANGUAGE, script, 0.0)
    by_rules = max(scores.items(), key=lambda item: (item[1], item[0] == DEFAULT_LANGUAGE)) if total else None
    if by_rules and by_rules[0] == "en":
        return Detection("en", script, round(by_rules[1] / total, 3))
    if identifier is not None:
        language, probability = identifier.identify(text)
        if probability >= MODEL_MIN_PROBABILITY:
            return Detection(language, script, round(probability, 3))
    if not by_rules:
        return Detection(DEFAULT_LANGUAGE, script, 0.0)
    return Detection(by_rules[0], script, round(by_rules[1] / total, 3))
