"""Real books in narrator's seven offline languages, read from mirrored public repositories.

Each language has a *main* excerpt (two consecutive chapters of one book, the ones the
benchmark narrates) and a *held-out* excerpt (two chapters of another book, narrated by
another voice, never used to tune anything). Every text is public domain; where it comes
from is recorded below (repository, path, commit, Gutenberg or Aozora number). Nothing is
committed: the texts are read at run time from a directory of mirrors, one git directory
per repository at ``MIRROR/owner+name/repo`` (a bare directory or a clone's ``.git``), as
the ``fetch`` tool of narrator's development machine leaves them. A missing mirror is a
clear error naming the repository to fetch.

Chapters are cut to whole paragraphs of at most ``max_chars`` characters (a first
paragraph longer than that is cut after a sentence), so a language's run takes minutes,
not hours, on two cores.

    .venv/bin/python -m bench.language_corpus --mirror /work/.mirror            # list
    .venv/bin/python -m bench.language_corpus --mirror /work/.mirror --detect   # lingua
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """One file of one mirrored repository, at one commit."""

    repo: str  # owner/name on GitHub
    path: str
    commit: str
    encoding: str
    origin: str  # the text's own catalogue entry (Project Gutenberg #, Aozora card)
    licence: str


@dataclass(frozen=True)
class Chapter:
    """A chapter of a source: its title as the manuscript gives it, and where its body is.

    The body runs from the first raw line starting with ``start`` up to (not including)
    the next heading line ``end`` (the line itself, or the line's first words) or the end
    of the file; lines are matched stripped, in order, each search in the same file
    beginning where the previous chapter's body began.
    """

    title: str
    start: str
    end: str  # "" for the end of the file
    source: Source | None = None  # when not the excerpt's (a chapter of another file)


@dataclass(frozen=True)
class Excerpt:
    """Two consecutive chapters of a book, narrated in ``language`` by ``voice``."""

    key: str  # "fr", "fr-held-out"
    language: str  # BCP 47
    voice: str
    title: str
    author: str
    source: Source
    chapters: tuple[Chapter, ...]
    markup: str  # "gutenberg" | "aozora" | "markdown" | "plain"
    layout: str  # "blank": paragraphs between blank lines; "indent": an indented line
    #              starts a paragraph; "lines": every line is a paragraph; "wrapped": a short
    #              line ending a sentence ends a paragraph
    max_chars: int  # each chapter's body is cut to whole paragraphs within this many


class CorpusMissing(Exception):
    """A mirrored repository the corpus reads is not on this machine."""


# --- sources ------------------------------------------------------------------------------

_PD_GUTENBERG = "public domain in the USA (Project Gutenberg licence); author died before 1955"

PINOCCHIO = Source(
    "GITenberg/Le-avventure-di-Pinocchio-Storia-di-un-burattino_52484", "52484-0.txt",
    "17cf57423a4551959748049c27ed9ae0cc9ea551", "utf-8",
    "Project Gutenberg #52484 (Collodi, Le avventure di Pinocchio, Bemporad 1902)",
    _PD_GUTENBERG,
)  # fmt: skip
PROMESSI_SPOSI = Source(
    "GITenberg/I-promessi-sposiOpere-di-Alessando-Manzoni-vol.-1_45334", "45334-8.txt",
    "23ffc3b1fc19597281dbaddba774a20d25306afe", "latin-1",
    "Project Gutenberg #45334 (Manzoni, I promessi sposi, Hoepli 1900)", _PD_GUTENBERG,
)  # fmt: skip
VERNE = Source(
    "GITenberg/Le-tour-du-monde-en-quatre-vingts-jours_800", "800-8.txt",
    "28573e09606c48b809d9e50c66c619822fefe0ea", "latin-1",
    "Project Gutenberg #800 (Verne, Le tour du monde en quatre-vingts jours, 1873)",
    _PD_GUTENBERG,
)  # fmt: skip
DAUDET = Source(
    "GITenberg/Lettres-de-mon-moulin_11770", "11770-8.txt",
    "80aa96d6ebe37cbd9636f7007580c53eecb29324", "latin-1",
    "Project Gutenberg #11770 (Daudet, Lettres de mon moulin, 1869)", _PD_GUTENBERG,
)  # fmt: skip
MARIANELA = Source(
    "GITenberg/Marianela_17340", "17340-8.txt",
    "4e67b60bc38da27e1fcdfbc995ca2dd9863e5d05", "latin-1",
    "Project Gutenberg #17340 (Pérez Galdós, Marianela, 1878)", _PD_GUTENBERG,
)  # fmt: skip
QUIROGA = Source(
    "GITenberg/Cuentos-de-Amor-de-Locura-y-de-Muerte_13507", "13507-8.txt",
    "50c370e17fd68100aeb11997169f05d925e8628c", "latin-1",
    "Project Gutenberg #13507 (Quiroga, Cuentos de amor de locura y de muerte, 1917)",
    _PD_GUTENBERG,
)  # fmt: skip
DOM_CASMURRO = Source(
    "GITenberg/Dom-Casmurro_55752", "55752-8.txt",
    "61bc683465086ab39778e69673e89171c0f84ee5", "latin-1",
    "Project Gutenberg #55752 (Machado de Assis, Dom Casmurro, Garnier 1899)", _PD_GUTENBERG,
)  # fmt: skip
BRAZ_CUBAS = Source(
    "GITenberg/Memorias-Posthumas-de-Braz-Cubas_54829", "54829-8.txt",
    "89f3abe3f1581be84ce445c757b58868d1580772", "latin-1",
    "Project Gutenberg #54829 (Machado de Assis, Memorias posthumas de Braz Cubas, 1881)",
    _PD_GUTENBERG,
)  # fmt: skip
AH_Q = Source(
    "tallusil/luxun-novel-analysis", "data/raw/呐喊/阿Ｑ正传.md",
    "432ecfaa721f3f8a08268dabfc0a301ea3ffa50e", "utf-8",
    "Lu Xun, 阿Q正传 (1921-22), simplified characters, the 1981 Renmin edition's text "
    "(its note markers are dropped)",
    "public domain (Lu Xun died 1936; published 1921-22); the repository is MIT",
)  # fmt: skip
NAHAN = Source(
    "gutenbergbooks/27166", "27166-0.txt",
    "74550fd03215856ee20ce7b8ff101e0018605064", "utf-8",
    "Project Gutenberg #27166 (Lu Xun, 吶喊, 1923), traditional characters", _PD_GUTENBERG,
)  # fmt: skip
SPIDER = Source(
    "aozorahack/aozorabunko_text", "cards/000879/files/92_ruby_164/92_ruby_164.txt",
    "0984f7dc18a2270bdfd2ff99bf14fd1b3ebb4f65", "shift_jis_2004",
    "Aozora Bunko card 879, work 92 (Akutagawa, 蜘蛛の糸, 1918)",
    "public domain (Akutagawa died 1927); Aozora Bunko's terms of use",
)  # fmt: skip
YUME = Source(
    "aozorahack/aozorabunko_text", "cards/000148/files/799_ruby_6024/799_ruby_6024.txt",
    "0984f7dc18a2270bdfd2ff99bf14fd1b3ebb4f65", "shift_jis_2004",
    "Aozora Bunko card 148, work 799 (Natsume Sōseki, 夢十夜, 1908)",
    "public domain (Natsume died 1916); Aozora Bunko's terms of use",
)  # fmt: skip

_JANBHAS = ("kunaile/janbhas-repo", "c1d40ba5715f25f8301c0c69ec2baed920187b2a")
_PD_HINDI = ("public domain in India (author died {died}) and in the USA (published {year}); "
             "the repository has no licence: read, never copied")  # fmt: skip
BOODHI_KAKI = Source(
    *_JANBHAS[:1], "content/hi/boodhi_kaki.md", _JANBHAS[1], "utf-8",
    "Premchand, बूढ़ी काकी (1921), a Markdown transcription",
    _PD_HINDI.format(died=1936, year=1921),
)  # fmt: skip
SAWA_SER_GEHUN = Source(
    *_JANBHAS[:1], "content/hi/sawa_ser_gehun.md", _JANBHAS[1], "utf-8",
    "Premchand, सवा सेर गेहूँ (1924), a Markdown transcription",
    _PD_HINDI.format(died=1936, year=1924),
)  # fmt: skip
USNE_KAHA_THA = Source(
    *_JANBHAS[:1], "content/hi/usne_kaha_tha.md", _JANBHAS[1], "utf-8",
    "Chandradhar Sharma Guleri, उसने कहा था (1915), a Markdown transcription",
    _PD_HINDI.format(died=1922, year=1915),
)  # fmt: skip
POOS_KI_RAAT = Source(
    *_JANBHAS[:1], "content/hi/poos_ki_raat.md", _JANBHAS[1], "utf-8",
    "Premchand, पूस की रात (1930), a Markdown transcription",
    _PD_HINDI.format(died=1936, year=1930),
)  # fmt: skip

# --- excerpts -----------------------------------------------------------------------------

# About 100-130 s of speech a chapter: Kokoro's first female voice of each language speaks
# 17.5-19.1 characters a second in the European languages, 13.5 in Hindi, 5.1 in Mandarin
# and 5.7 in Japanese (narrator.speech.kokoro.MAX_INPUT_CHARS's measurement).
_ALPHABETIC_CHARS = 1_800
_CJK_CHARS = 600

EXCERPTS: tuple[Excerpt, ...] = (
    Excerpt(
        "es", "es", "ef_dora", "Marianela", "Benito Pérez Galdós", MARIANELA,
        (Chapter("I. Perdido", "Se puso el sol.", "-II-"),
         Chapter("II. Guiado", "--¿Ciego de nacimiento?", "-III-")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "es-held-out", "es", "em_alex", "Cuentos de amor de locura y de muerte",
        "Horacio Quiroga", QUIROGA,
        (Chapter("Una estación de amor. Primavera", "Era el martes de carnaval.", "#Verano#"),
         Chapter("Verano", "El 13 de junio Nébel", "#Otoño#")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "fr", "fr", "ff_siwis", "Le Tour du monde en quatre-vingts jours", "Jules Verne", VERNE,
        (Chapter("Chapitre premier. Dans lequel Phileas Fogg et Passepartout s'acceptent "
                 "réciproquement l'un comme maître, l'autre comme domestique",
                 "En l'année 1872, la maison portant", "II"),
         Chapter("Chapitre deux. Où Passepartout est convaincu qu'il a enfin trouvé son idéal",
                 "«Sur ma foi, se dit Passepartout", "III")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "fr-held-out", "fr", "ff_siwis", "Lettres de mon moulin", "Alphonse Daudet", DAUDET,
        (Chapter("Installation", "Ce sont les lapins qui ont été étonnés",
                 "LA DILIGENCE DE BEAUCAIRE"),
         Chapter("La diligence de Beaucaire", "C'était le jour de mon arrivée ici.",
                 "LE SECRET DE MAITRE CORNILLE")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "it", "it", "if_sara", "Le avventure di Pinocchio", "Carlo Collodi", PINOCCHIO,
        (Chapter("I. Come andò che Maestro Ciliegia, falegname, trovò un pezzo di legno che "
                 "piangeva e rideva come un bambino", "— C'era una volta....", "II."),
         Chapter("II. Maestro Ciliegia regala il pezzo di legno al suo amico Geppetto",
                 "In quel punto fu bussato alla porta.", "III.")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "it-held-out", "it", "im_nicola", "I promessi sposi", "Alessandro Manzoni",
        PROMESSI_SPOSI,
        (Chapter("Capitolo primo", "Quel ramo del lago di Como", "CAPITOLO II."),
         Chapter("Capitolo secondo", "Si racconta che il principe di Condé", "CAPITOLO III.")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "pt", "pt-BR", "pf_dora", "Dom Casmurro", "Machado de Assis", DOM_CASMURRO,
        (Chapter("I. Do titulo", "Uma noite destas, vindo da cidade", "II."),
         Chapter("II. Do livro", "Agora que expliquei o titulo", "III")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "pt-held-out", "pt-BR", "pm_alex", "Memorias posthumas de Braz Cubas",
        "Machado de Assis", BRAZ_CUBAS,
        (Chapter("Capitulo primeiro. Obito do autor", "Algum tempo hesitei", "CAPITULO II"),
         Chapter("Capitulo segundo. O emplasto", "Com effeito, um dia de manhã", "CAPITULO III")),
        "gutenberg", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "hi", "hi", "hf_alpha", "मानसरोवर", "प्रेमचंद", BOODHI_KAKI,
        (Chapter("बूढ़ी काकी", "बुढ़ापा बहुधा बचपन का पुनरागमन", ""),
         Chapter("सवा सेर गेहूँ", "किसी गाँव में शंकर नाम का", "", SAWA_SER_GEHUN)),
        "markdown", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "hi-held-out", "hi", "hm_omega", "कहानियाँ", "गुलेरी, प्रेमचंद", USNE_KAHA_THA,
        (Chapter("उसने कहा था", "बड़े-बड़े शहरों के इक्के-गाड़ी वालों", ""),
         Chapter("पूस की रात", "हल्कू ने आकर स्त्री से कहा", "", POOS_KI_RAAT)),
        "markdown", "blank", _ALPHABETIC_CHARS,
    ),
    Excerpt(
        "zh", "zh", "zf_xiaoxiao", "阿Q正传", "鲁迅", AH_Q,
        (Chapter("第一章 序", "我要给阿Ｑ做正传", "第二章"),
         Chapter("第二章 优胜记略", "阿Ｑ不独是姓名籍贯有些渺茫", "第三章")),
        "plain", "indent", _CJK_CHARS,
    ),
    Excerpt(
        "zh-held-out", "zh", "zm_yunxi", "吶喊", "魯迅", NAHAN,
        (Chapter("孔乙己", "魯鎮的酒店的格局", "一九一九年三月。ぎ"),
         Chapter("藥", "秋天的後半夜", "二")),
        "plain", "wrapped", _CJK_CHARS,
    ),
    Excerpt(
        "ja", "ja", "jf_alpha", "蜘蛛の糸", "芥川龍之介", SPIDER,
        (Chapter("一", "ある日の事でございます。", "［＃８字下げ］二［＃「二」は中見出し］"),
         Chapter("二", "こちらは地獄の底の血の池で", "［＃８字下げ］三［＃「三」は中見出し］")),
        "aozora", "lines", _CJK_CHARS,
    ),
    Excerpt(
        "ja-held-out", "ja", "jm_kumo", "夢十夜", "夏目漱石", YUME,
        (Chapter("第一夜", "こんな夢を見た。", "［＃５字下げ］第二夜［＃「第二夜」は中見出し］"),
         Chapter("第二夜", "こんな夢を見た。", "［＃５字下げ］第三夜［＃「第三夜」は中見出し］")),
        "aozora", "lines", _CJK_CHARS,
    ),
)  # fmt: skip


def excerpt(key: str) -> Excerpt:
    """The excerpt called ``key`` ("fr", "ja-held-out")."""
    for ex in EXCERPTS:
        if ex.key == key:
            return ex
    raise KeyError(f"no excerpt {key!r}; known: {', '.join(e.key for e in EXCERPTS)}")


# --- reading a mirror ---------------------------------------------------------------------


def git_dir(mirror: Path, repo: str) -> Path:
    """The git directory of ``repo`` in ``mirror``, or :class:`CorpusMissing`."""
    base = mirror / repo.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "objects").is_dir():
            return candidate
    raise CorpusMissing(
        f"{repo} is not mirrored in {mirror}: fetch github:{repo} (its git directory goes "
        f"to {base}) or pass --mirror with the directory that holds it"
    )


def read(mirror: Path, source: Source) -> str:
    """The source file's text at its recorded commit."""
    result = subprocess.run(
        ["git", f"--git-dir={git_dir(mirror, source.repo)}", "show",
         f"{source.commit}:{source.path}"],
        capture_output=True, check=False,
    )  # fmt: skip
    if result.returncode:
        raise CorpusMissing(
            f"{source.repo}: cannot read {source.path} at {source.commit[:12]} "
            f"({result.stderr.decode(errors='replace').strip()}); fetch the repository again"
        )
    return result.stdout.decode(source.encoding).lstrip("\ufeff").replace("\r\n", "\n")


# --- cleaning -----------------------------------------------------------------------------

# Aozora Bunko's notation: ruby readings 《...》 after a base that ｜ may mark, editor's
# notes ［＃...］, and characters outside JIS X 0208 written ※［＃「description」、
# 第3水準1-88-85］ with their JIS X 0213 plane-row-cell (https://www.aozora.gr.jp/annotation/).
_GAIJI = re.compile(r"※［＃[^］]*?(?:第[34]水準)?(\d)-(\d{1,2})-(\d{1,2})］")
_GAIJI_UNICODE = re.compile(r"※［＃[^］]*?U\+([0-9A-Fa-f]{4,5})[^］]*］")
_RUBY = re.compile(r"《[^》]*》")
_NOTE = re.compile(r"［＃[^］]*］")


def _jis_x_0213(plane: str, row: str, cell: str) -> str:
    row_byte, cell_byte = 0xA0 + int(row), 0xA0 + int(cell)
    raw = bytes([row_byte, cell_byte]) if plane == "1" else bytes([0x8F, row_byte, cell_byte])
    return raw.decode("euc_jis_2004")


def clean_aozora(line: str) -> str:
    """A line of Aozora Bunko text as it is read aloud: base text, no readings or notes."""
    line = _GAIJI.sub(lambda m: _jis_x_0213(*m.groups()), line)
    line = _GAIJI_UNICODE.sub(lambda m: chr(int(m[1], 16)), line)
    return _NOTE.sub("", _RUBY.sub("", line)).replace("｜", "")


_ILLUSTRATION = re.compile(r"\[(?:Illustrazione|Illustration|Ilustración|Gravura)[^\]]*\]", re.S)


# Full-width Latin letters and digits (阿Ｑ) read as their ASCII selves; CJK punctuation
# stays as it is.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}
# Note markers of the editions: ⑴ ⑵ ... in the Renmin text; stray kana (え ぉ ヾ) where the
# Project Gutenberg edition of 吶喊 lost its note markers. No Chinese text uses kana.
_NOTE_MARKS = {"zh": re.compile(r"[⑴-⒇\u3040-\u30ff]"), "ja": re.compile(r"[⑴-⒇]")}


def _clean_cjk(paragraph: str, language: str) -> str:
    return _NOTE_MARKS[language].sub("", paragraph).translate(_FULL_WIDTH)


def clean_gutenberg(text: str) -> str:
    """Project Gutenberg plain text without its markup: _italics_, =bold=, #headings#,
    illustration captions."""
    text = _ILLUSTRATION.sub("", text)
    return re.sub(r"[_=#]", "", text)


def paragraphs(lines: list[str], layout: str, *, unspaced: bool) -> list[str]:
    """Unwrapped paragraphs of ``lines`` (see :attr:`Excerpt.layout`)."""
    joiner = "" if unspaced else " "
    stripped = [raw.strip().strip("\u3000") for raw in lines]
    width = max(map(len, stripped), default=0)
    out: list[list[str]] = []
    fresh = True
    for raw, line in zip(lines, stripped, strict=True):
        if not line:
            fresh = layout == "blank" or fresh
            continue
        starts = {"blank": fresh, "lines": True, "indent": raw[:1] in (" ", "\u3000"),
                  "wrapped": fresh}[layout]  # fmt: skip
        if starts or not out:
            out.append([line])
        else:
            out[-1].append(line)
        # A paragraph's first line is two characters short (its lost indent): only a
        # shorter line that ends a sentence ends the paragraph.
        fresh = layout == "wrapped" and len(line) < width - 3 and line[-1] in "。！？”」…：︰"
    return [joiner.join(p) for p in out]


_SENTENCE_END = re.compile(r"(?<=[.!?。！？»”」])\s*")


def _cut(paragraph: str, limit: int) -> str:
    """``paragraph`` cut after its last sentence ending within ``limit`` characters (the
    whole first sentence when even that is longer)."""
    ends = [m.start() for m in _SENTENCE_END.finditer(paragraph) if 0 < m.start() <= limit]
    return paragraph[: ends[-1]] if ends else paragraph


# --- chapters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterText:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The title and the body, as the chapter is spoken."""
        return "\n\n".join((self.title, *self.paragraphs))


def _find(lines: list[str], marker: str, begin: int, what: str, *, heading: bool) -> int:
    for i in range(begin, len(lines)):
        line = lines[i].strip().strip("\u3000")
        if line.startswith(marker) and (
            not heading or line == marker or line[len(marker)].isspace()
        ):
            return i
    raise CorpusMissing(f"{what}: no line starts with {marker!r}; is the mirror at the commit?")


def chapters(mirror: Path, ex: Excerpt) -> list[ChapterText]:
    """The excerpt's chapters, each cut to whole paragraphs within ``ex.max_chars``."""
    unspaced = ex.language in ("zh", "ja")
    out: list[ChapterText] = []
    source, lines, at = None, [], 0
    for chapter in ex.chapters:
        if (chapter.source or ex.source) != source:
            source = chapter.source or ex.source
            lines, at = read(mirror, source).split("\n"), 0
        what = f"{source.repo}/{source.path} ({ex.key}, {chapter.title})"
        first = _find(lines, chapter.start, at, what, heading=False)
        last = _find(lines, chapter.end, first + 1, what, heading=True) if chapter.end else None
        body = lines[first:last]
        if ex.markup == "aozora":
            body = [clean_aozora(line) for line in body]
        elif ex.markup == "gutenberg":
            body = clean_gutenberg("\n".join(body)).split("\n")
        paras = [_clean_cjk(p, ex.language) if unspaced else p
                 for p in paragraphs(body, ex.layout, unspaced=unspaced)]  # fmt: skip
        kept: list[str] = []
        for p in filter(None, paras):
            if sum(map(len, kept)) + len(p) > ex.max_chars:
                if not kept:
                    kept.append(_cut(p, ex.max_chars))
                break
            kept.append(p)
        out.append(ChapterText(chapter.title, tuple(kept)))
        at = first + 1
    return out


def manuscript(ex: Excerpt, texts: list[ChapterText]) -> str:
    """The excerpt as a Markdown manuscript: the book's title, then one ``##`` heading a
    chapter."""
    parts = [f"# {ex.title}"]
    for chapter in texts:
        parts.append(f"## {chapter.title}")
        parts.extend(chapter.paragraphs)
    return "\n\n".join(parts) + "\n"


def book_text(mirror: Path, source: Source, chars: int) -> str:
    """The first ``chars`` characters of the book itself (past any Project Gutenberg
    header, Aozora notation key or front matter), cleaned and unwrapped, for language
    detection."""
    text = read(mirror, source)
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # a Markdown front matter
    start = re.search(r"\*\*\* ?START OF.*\n", text)
    if start:
        text = text[start.end() :]
    if "-------------------------------------------------------" in text:  # Aozora's key
        text = text.split("-------------------------------------------------------")[2]
        text = "\n".join(clean_aozora(line) for line in text.split("\n"))
    else:
        text = clean_gutenberg(text)
    return re.sub(r"\s+", " ", text).strip()[:chars]


# --- language detection on real books -----------------------------------------------------


def _detection_row(
    title: str, language: str, text: str, samples: int, sample_chars: int, misses: list[str]
) -> str:
    from narrator.text.language import detect, primary

    found, whole = detect(text)
    step = max(1, (len(text) - sample_chars) // samples)
    confidences, right = [], 0
    for i in range(samples):
        sample = text[i * step : i * step + sample_chars]
        got, value = detect(sample)
        right += got == primary(language)
        confidences.append(value if got == primary(language) else 0.0)
        if got != primary(language):
            misses.append(f"{title}: {got} {value:.3f} on {sample[:80]!r}")
    return (
        f"| {title} | {language} | {found} {whole:.3f} | {right}/{samples} | "
        f"{min(confidences):.3f} / {statistics.median(confidences):.3f} |"
    )


def detection_report(
    mirror: Path, english: Path | None = None, samples: int = 20, sample_chars: int = 300
) -> str:
    """lingua's confidence on each book: its first 20,000 characters, and ``samples``
    excerpts of ``sample_chars`` characters spread over that text (a wrong language counts
    as confidence 0). English novels come from the Project Dialogism Novel Corpus's git
    directory ``english``. A Markdown table, then the excerpts detected wrong."""
    from narrator.text.language import DETECTION_CHARS

    rows = ["| book | language | first 20,000 chars | excerpts right | confidence min / median |",
            "| --- | --- | --- | --- | --- |"]  # fmt: skip
    misses: list[str] = []
    seen: set[Source] = set()
    for ex in EXCERPTS:
        if ex.source not in seen:
            seen.add(ex.source)
            text = book_text(mirror, ex.source, DETECTION_CHARS)
            rows.append(_detection_row(ex.title, ex.language, text, samples, sample_chars,
                                       misses))  # fmt: skip
    for novel in ENGLISH_NOVELS if english else ():
        text = subprocess.run(
            ["git", f"--git-dir={english}", "show", f"HEAD:data/{novel}/novel_text.txt"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        text = re.sub(r"\s+", " ", text).strip()[:DETECTION_CHARS]
        rows.append(_detection_row(novel, "en", text, samples, sample_chars, misses))
    return "\n".join([*rows, "", *(f"- {m}" for m in misses)])


ENGLISH_NOVELS = ("PrideAndPrejudice", "Emma", "HardTimes", "TheSignOfTheFour",
                  "TheAwakening", "DaisyMiller")  # fmt: skip
"""Project Dialogism Novel Corpus novels whose detection is reported beside the others."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True,
                        help="the directory holding owner+name/repo git directories")  # fmt: skip
    parser.add_argument("--detect", action="store_true", help="report lingua's confidence")
    parser.add_argument(
        "--english",
        type=Path,
        help="the Project Dialogism Novel Corpus git directory, for --detect",
    )
    args = parser.parse_args()
    if args.detect:
        print(detection_report(args.mirror, args.english))
        return
    for ex in EXCERPTS:
        print(f"== {ex.key}: {ex.title} ({ex.author}), voice {ex.voice}; {ex.source.origin}")
        for chapter in chapters(args.mirror, ex):
            body = "".join(chapter.paragraphs)
            print(f"   {chapter.title[:60]}: {len(chapter.paragraphs)} paragraphs, "
                  f"{len(body)} chars: {body[:70]}... {body[-40:]}")  # fmt: skip


if __name__ == "__main__":
    main()
