"""Language identification: non-Latin text is never taken for English, quoted names do not matter."""

from __future__ import annotations

import pytest

from presslens.clean.lang import detect_language
from presslens.settings import Settings

# py3langid says "ar" at 0.94 here, under the 0.95 bar that a language other than English must reach.
ARABIC = (
    "قال مسؤولون في وزارة الصحة يوم الثلاثاء إن الأمطار الغزيرة تسببت في فيضانات واسعة في عدة مدن، "
    "وإن فرق الإنقاذ تعمل على إجلاء السكان من المناطق المنخفضة."
)
RUSSIAN = (
    "Власти города заявили во вторник, что сильные дожди вызвали наводнения в нескольких районах, "
    "и спасатели эвакуируют жителей из низменных кварталов."
)
PUTIN = "Officials said Владимир Путин met reporters in Moscow on Tuesday. Later Путин told the press that talks would continue."


@pytest.mark.parametrize(("text", "lang"), [(ARABIC, "ar"), (RUSSIAN, "ru")])
def test_lang_mostly_non_latin_text_is_not_english_whatever_the_confidence(settings: Settings, text: str, lang: str) -> None:
    assert detect_language(text, settings.clean) == lang
    unsure = settings.clean.model_copy(update={"lang_min_confidence": 1.0})  # no verdict is ever confident enough
    assert detect_language(text, unsure) == lang


def test_lang_english_quoting_non_latin_names_stays_english(settings: Settings) -> None:
    assert detect_language(PUTIN, settings.clean) == "en"


def test_lang_short_text_is_judged_by_script(settings: Settings) -> None:
    assert detect_language("Storm hits coast", settings.clean) is None
    assert detect_language("Шторм на побережье", settings.clean) == "und"


def test_lang_unsure_foreign_verdict_on_latin_text_falls_back_to_english(settings: Settings) -> None:
    headline = "Müller and Schweinsteiger lead Bayern past Dortmund in the league on Saturday night"
    unsure = settings.clean.model_copy(update={"lang_min_confidence": 1.0})
    assert detect_language(headline, unsure) == "en"
