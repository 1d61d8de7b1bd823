"""The words and written conventions of French, Spanish, Italian and Portuguese that
``narrator.text.spoken_romance`` reads numbers, money, titles and Roman numerals with."""

from __future__ import annotations

from dataclasses import dataclass, field

UPPER = "A-ZÀ-ÖØ-Þ"
"""Capital letters of these languages, for a character class."""


@dataclass(frozen=True)
class Currency:
    """A currency's names in one language, and whether they are feminine."""

    one: str
    many: str
    sub_one: str = ""
    sub_many: str = ""
    feminine: bool = False


@dataclass(frozen=True)
class Locale:
    """One language's words for the rules of ``narrator.text.spoken_romance``."""

    comma: str  # the decimal comma: "3,14"
    point: str  # a decimal point: "3.14"
    percent: str
    degrees: tuple[str, str]
    cents_and: str  # "quinze euros et cinquante centimes"
    of: str  # "un million d'euros"
    and_: str  # "&"
    hours: tuple[str, str] | None  # the word in "14 h 30", or None where "h" is not written
    time_join: str  # between hours and minutes: "siete y cinco"; "" in French
    currencies: dict[str, Currency]
    # Abbreviations as written (a regular expression) -> the words said; a said form that
    # ends in a full stop keeps it only where the sentence ends ("etc. Puis").
    abbreviations: tuple[tuple[str, str], ...]
    # Words after which a Roman numeral is a number ("Chapitre II"); True when feminine.
    headings: dict[str, bool]
    heading_ordinal: bool  # Italian "Capitolo quarto"; the others "Chapitre quatre"
    regnal_ordinal_up_to: int  # ordinals up to this number after a ruler's name
    feminine_names: frozenset[str] = field(default_factory=frozenset)
    months: str = ""
    first_of_month: bool = False  # "1 janvier" -> "premier janvier"
    address: dict[str, str] = field(default_factory=dict)
    to: str = ""  # a range: "12-15" -> "douze à quinze"; "" leaves the dash (Italian)
    time_words: str = ""  # words before a time written with a stop: "alle 8.30"


_FR = Locale(
    comma="virgule",
    point="point",
    percent="pour cent",
    degrees=("degré", "degrés"),
    cents_and="et",
    of="de",
    and_="et",
    hours=("heure", "heures"),
    time_join="",
    currencies={
        "€": Currency("euro", "euros", "centime", "centimes"),
        "$": Currency("dollar", "dollars", "cent", "cents"),
        "£": Currency("livre", "livres", "penny", "pence", feminine=True),
        "R$": Currency("réal", "reais", "centavo", "centavos"),
        "₹": Currency("roupie", "roupies", "paisa", "paisas", feminine=True),
        "¥": Currency("yen", "yens"),
    },
    abbreviations=(
        (rf"\bM\.(?=\s+(?:[{UPPER}]|et\s))", "Monsieur"),  # "M. Fogg", "M. et Mme"
        (r"\bMM\.(?=\s)", "Messieurs"),
        (r"\bMmes\b\.?", "Mesdames"),
        (r"\bMme\b\.?", "Madame"),
        (r"\bMlles\b\.?", "Mesdemoiselles"),
        (r"\bMlle\b\.?", "Mademoiselle"),
        (r"\bDr\b\.?(?=\s)", "Docteur"),
        (r"\bPr\b\.?(?=\s)", "Professeur"),
        (r"\bMgr\b\.?(?=\s)", "Monseigneur"),
        (r"\bSte\b\.?(?=[\s-])", "Sainte"),
        (r"\bSt\b\.?(?=[\s-])", "Saint"),
        (r"\bav\. J\.-C\.", "avant Jésus-Christ."),
        (r"\bapr\. J\.-C\.", "après Jésus-Christ."),
        (r"\bJ\.-C\.", "Jésus-Christ."),
        (r"\bc\.-à-d\.", "c'est-à-dire"),
        (r"\bcf\.", "confer"),
        (r"\betc\.", "et cetera."),
        (r"(?<![\w.])[nN][°º]\s?(?=\d)", "numéro "),
        (r"(?<![\w.])pp\.\s?(?=\d)", "pages "),
        (r"(?<![\w.])p\.\s?(?=\d)", "page "),
    ),
    headings={
        "chapitre": False,
        "livre": False,
        "partie": True,
        "tome": False,
        "acte": False,
        "scène": True,
        "volume": False,
        "section": True,
        "annexe": True,
        "titre": False,
        "article": False,
        "épisode": False,
        "leçon": True,
        "chant": False,
    },  # fmt: skip
    heading_ordinal=False,
    regnal_ordinal_up_to=1,
    months="janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    first_of_month=True,
    to="à",
    address={".": "point", "/": "barre oblique", "-": "tiret", "_": "tiret bas", "@": "arobase"},
)

_ES = Locale(
    comma="coma",
    point="punto",
    percent="por ciento",
    degrees=("grado", "grados"),
    cents_and="con",
    of="de",
    and_="y",
    hours=None,
    time_join="y",
    currencies={
        "€": Currency("euro", "euros", "céntimo", "céntimos"),
        "$": Currency("dólar", "dólares", "centavo", "centavos"),
        "£": Currency("libra", "libras", "penique", "peniques", feminine=True),
        "R$": Currency("real", "reales", "centavo", "centavos"),
        "₹": Currency("rupia", "rupias", "paisa", "paisas", feminine=True),
        "¥": Currency("yen", "yenes"),
    },
    abbreviations=(
        (r"\bSrta\.", "Señorita"),
        (r"\bSras\.", "Señoras"),
        (r"\bSra\.", "Señora"),
        (r"\bSres\.", "Señores"),
        (r"\bSr\.", "Señor"),
        (r"\bDra\.", "Doctora"),
        (r"\bDr\.", "Doctor"),
        (r"\bDña\.", "Doña"),
        (r"\bProfa\.", "Profesora"),
        (r"\bProf\.", "Profesor"),
        (r"\bUds\.", "ustedes"),
        (r"\bUd\.", "usted"),
        (r"\bVds\.", "ustedes"),
        (r"\bVd\.", "usted"),
        (r"\bSta\.(?=\s)", "Santa"),
        (r"\bSto\.(?=\s)", "Santo"),
        (r"\bEE\.\s?UU\.", "Estados Unidos."),
        (r"\ba\.\s?C\.", "antes de Cristo."),
        (r"\bd\.\s?C\.", "después de Cristo."),
        (r"\betc\.", "etcétera."),
        (r"(?<![\w.])(?:[nN]\.?\s?[°º]|[nN]úm\.)\s?(?=\d)", "número "),
        (r"(?<![\w.])págs\.\s?(?=\d)", "páginas "),
        (r"(?<![\w.])pág\.\s?(?=\d)", "página "),
    ),
    headings={
        "capítulo": False,
        "parte": True,
        "libro": False,
        "tomo": False,
        "acto": False,
        "escena": True,
        "volumen": False,
        "sección": True,
        "anexo": False,
        "artículo": False,
        "lección": True,
        "canto": False,
        "siglo": False,
    },  # fmt: skip
    heading_ordinal=False,
    regnal_ordinal_up_to=10,
    feminine_names=frozenset({"Isabel", "Juana", "María", "Catalina", "Leonor", "Urraca"}),
    months="enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre",
    to="a",
    address={".": "punto", "/": "barra", "-": "guion", "_": "guion bajo", "@": "arroba"},
)

_IT = Locale(
    comma="virgola",
    point="punto",
    percent="per cento",
    degrees=("grado", "gradi"),
    cents_and="e",
    of="di",
    and_="e",
    hours=None,
    time_join="e",
    currencies={
        "€": Currency("euro", "euro", "centesimo", "centesimi"),
        "$": Currency("dollaro", "dollari", "centesimo", "centesimi"),
        "£": Currency("sterlina", "sterline", "penny", "pence", feminine=True),
        "R$": Currency("real", "real", "centavo", "centavos"),
        "₹": Currency("rupia", "rupie", "paisa", "paise", feminine=True),
        "¥": Currency("yen", "yen"),
    },
    abbreviations=(
        (r"\bSig\.ra\b\.?", "Signora"),
        (r"\bSig\.na\b\.?", "Signorina"),
        (r"\bSigg\.", "Signori"),
        (r"\bSig\.", "Signor"),
        (r"\bDott\.ssa\b\.?", "Dottoressa"),
        (r"\bDott\.", "Dottor"),
        (r"\bDr\.", "Dottor"),
        (r"\bProf\.ssa\b\.?", "Professoressa"),
        (r"\bProf\.", "Professor"),
        (r"\bAvv\.", "Avvocato"),
        (r"\bIng\.", "Ingegner"),
        (r"\ba\.\s?C\.", "avanti Cristo."),
        (r"\bd\.\s?C\.", "dopo Cristo."),
        (r"\becc\.", "eccetera."),
        (r"\betc\.", "eccetera."),
        (r"(?<![\w.])(?:[nN][°º]|[nN]\.)\s?(?=\d)", "numero "),
        (r"(?<![\w.])pagg\.\s?(?=\d)", "pagine "),
        (r"(?<![\w.])(?:pag|p)\.\s?(?=\d)", "pagina "),
    ),
    headings={
        "capitolo": False,
        "parte": True,
        "libro": False,
        "tomo": False,
        "atto": False,
        "scena": True,
        "volume": False,
        "sezione": True,
        "appendice": True,
        "articolo": False,
        "lezione": True,
        "canto": False,
        "secolo": False,
    },  # fmt: skip
    heading_ordinal=True,
    regnal_ordinal_up_to=39,
    feminine_names=frozenset({"Elisabetta", "Maria", "Caterina", "Giovanna", "Vittoria"}),
    months="gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|"
    "novembre|dicembre",
    first_of_month=True,
    time_words="ore|alle|dalle|fino alle|verso le|le",
    address={".": "punto", "/": "barra", "-": "trattino", "_": "trattino basso", "@": "chiocciola"},
)

_PT = Locale(
    comma="vírgula",
    point="ponto",
    percent="por cento",
    degrees=("grau", "graus"),
    cents_and="e",
    of="de",
    and_="e",
    hours=("hora", "horas"),
    time_join="e",
    currencies={
        "€": Currency("euro", "euros", "centavo", "centavos"),
        "$": Currency("dólar", "dólares", "centavo", "centavos"),
        "£": Currency("libra", "libras", "pêni", "pence", feminine=True),
        "R$": Currency("real", "reais", "centavo", "centavos"),
        "₹": Currency("rupia", "rupias", "paisa", "paisas", feminine=True),
        "¥": Currency("iene", "ienes"),
    },
    abbreviations=(
        (r"\bSrta\.", "Senhorita"),
        (r"\bSras\.", "Senhoras"),
        (r"\bSra\.", "Senhora"),
        (r"\bSrs\.", "Senhores"),
        (r"\bSr\.", "Senhor"),
        (r"\bDra\.", "Doutora"),
        (r"\bDr\.", "Doutor"),
        (r"\bProfa\.", "Professora"),
        (r"\bProf\.", "Professor"),
        (r"\bV\.\s?Ex\.?[ªa]\.?", "Vossa Excelência"),
        # "D. Pedro", "D. Maria" (not an initial: "J. D. Salinger").
        (r"(?<![A-Z]\. )\bD\.(?= (?:Maria|Isabel|Leonor|Catarina|Beatriz|Teresa)\b)", "Dona"),
        (rf"(?<![A-Z]\. )\bD\.(?= [{UPPER}][a-zà-ÿ])", "Dom"),
        (r"\bSta\.(?=\s)", "Santa"),
        (r"\bSto\.(?=\s)", "Santo"),
        (r"\ba\.\s?C\.", "antes de Cristo."),
        (r"\bd\.\s?C\.", "depois de Cristo."),
        (r"\betc\.", "etcétera."),
        (r"(?<![\w.])(?:[nN]\.?\s?[°º]|[nN]úm\.)\s?(?=\d)", "número "),
        (r"(?<![\w.])págs\.\s?(?=\d)", "páginas "),
        (r"(?<![\w.])pág\.\s?(?=\d)", "página "),
    ),
    headings={
        "capítulo": False,
        "parte": True,
        "livro": False,
        "tomo": False,
        "ato": False,
        "acto": False,
        "cena": True,
        "volume": False,
        "seção": True,
        "secção": True,
        "anexo": False,
        "artigo": False,
        "lição": True,
        "canto": False,
        "século": False,
    },  # fmt: skip
    heading_ordinal=False,
    regnal_ordinal_up_to=10,
    feminine_names=frozenset({"Isabel", "Maria", "Leonor", "Catarina", "Beatriz", "Teresa"}),
    months="janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|"
    "dezembro",
    first_of_month=True,
    to="a",
    address={".": "ponto", "/": "barra", "-": "hífen", "_": "sublinhado", "@": "arroba"},
)

LOCALES: dict[str, Locale] = {"fr": _FR, "es": _ES, "it": _IT, "pt": _PT}
