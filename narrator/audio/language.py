"""Language tags for audio containers.

MP4's media header stores a language as an ISO 639-2/T three-letter code packed
into 15 bits (ISO/IEC 14496-12, 8.4.2 "mdhd"); ffmpeg's MP4 muxer writes a
stream's ``language`` metadata only when it is such a code (checked on this
machine: "en" is dropped, "eng" is written). Books carry BCP 47 tags ("en",
"en-GB", "pt-BR"), whose primary subtag is ISO 639-1 for these languages.
"""

from __future__ import annotations

# ISO 639-1 -> ISO 639-2/T, from the Library of Congress ISO 639-2 code list,
# for the languages of the engines narrator supports and the major book markets.
_ISO639_2: dict[str, str] = {
    "ar": "ara", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "es": "spa", "fi": "fin", "fr": "fra", "he": "heb", "hi": "hin", "hu": "hun",
    "id": "ind", "it": "ita", "ja": "jpn", "ko": "kor", "nb": "nob", "nl": "nld",
    "no": "nor", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sv": "swe",
    "tr": "tur", "uk": "ukr", "vi": "vie", "zh": "zho",
}  # fmt: skip


def iso639_2(tag: str | None) -> str | None:
    """The ISO 639-2 code of a BCP 47 language tag ("en-GB" -> "eng"), or None.

    A tag whose primary subtag is already three letters is returned lower-cased;
    an unknown two-letter language gives None (the container then says nothing
    rather than something wrong).
    """
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-", 1)[0].strip().lower()
    if len(primary) == 3 and primary.isalpha():
        return primary
    return _ISO639_2.get(primary)
