"""Numbers in Hindi words (Devanagari), in the Indian system of lakh and crore.

num2words 0.5.14 has no Hindi (``num2words(5, lang="hi")`` raises NotImplementedError)
and no locked package writes Hindi numbers, so this is a small implementation. Hindi
names every number from 0 to 99 with its own word, so those are a table; above them a
number is said in groups: crore (10^7), lakh (10^5), thousand, hundred ("1872" ->
"एक हज़ार आठ सौ बहत्तर"). Each of the 100 words was checked against espeak-ng's own
Hindi reading of the digits (piper-tts 1.8.0's ``EspeakPhonemizer().phonemize("hi",
"53")`` beside the same for "तिरेपन"): all 100 agree once stress, schwa and length marks
are set aside, but for spelling variants Hindi has for a few numbers (पचानबे/पंचानबे,
चवालीस/चौवालीस), where the common spelling is kept.
"""

from __future__ import annotations

# fmt: off
UNITS: tuple[str, ...] = (
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस",
    "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरेपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरेसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उनासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानबे", "बानबे", "तिरानबे", "चौरानबे", "पचानबे", "छियानबे", "सत्तानबे", "अट्ठानबे", "निन्यानबे",
)
# fmt: on
HUNDRED = "सौ"
_SCALES = ((10**7, "करोड़"), (10**5, "लाख"), (10**3, "हज़ार"), (100, HUNDRED))

ORDINALS = {1: "पहला", 2: "दूसरा", 3: "तीसरा", 4: "चौथा", 6: "छठा"}
"""Hindi's irregular ordinals; the others add "वाँ" to the cardinal ("पाँचवाँ")."""


def cardinal(number: int) -> str:
    """``number`` (0 or more) in Hindi words: 1872 -> "एक हज़ार आठ सौ बहत्तर"."""
    if number < 100:
        return UNITS[number]
    words = []
    for scale, name in _SCALES:
        if number >= scale:
            # Above the largest scale the count of crores is itself a number in words.
            count, number = divmod(number, scale)
            words += [cardinal(count), name]
    if number:
        words.append(UNITS[number])
    return " ".join(words)


def year(number: int) -> str:
    """A year as Hindi says it: 1100-1999 in hundreds ("1947" -> "उन्नीस सौ सैंतालीस"),
    others as cardinals ("2024" -> "दो हज़ार चौबीस")."""
    if 1100 <= number <= 1999:
        hundreds, rest = divmod(number, 100)
        return f"{UNITS[hundreds]} {HUNDRED}" + (f" {UNITS[rest]}" if rest else "")
    return cardinal(number)


def ordinal(number: int) -> str:
    """``number`` as a Hindi ordinal (masculine): 1 -> "पहला", 5 -> "पाँचवाँ"."""
    return ORDINALS.get(number) or f"{cardinal(number)}वाँ"
