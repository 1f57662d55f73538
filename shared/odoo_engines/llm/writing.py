"""Spanish text written from a prompt's own facts: what the offline generator says.

A prompt such as "Producto: Taladro percutor\nMarca: Bosch\nPalabras clave: 18 V,
inalámbrico" is read as facts (`Key: value` lines) plus free text; descriptions are
templated from those facts, or else extracted from the free text's first sentences.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.schema import shorten

# Fact keys (accent-free, lower case) that name the same thing.
_ROLES = {
    "name": ("nombre", "producto", "product", "name", "titulo", "title", "articulo", "item"),
    "brand": ("marca", "brand", "fabricante"),
    "category": ("categoria", "category", "familia", "rubro"),
    "keywords": (
        "palabras clave", "keywords", "etiquetas", "tags", "caracteristicas", "features",
    ),
    "attributes": ("atributos", "attributes", "variante", "variantes", "variants", "opciones"),
    "description": ("descripcion", "description", "descripcion actual", "detalle"),
}  # fmt: skip
_FACT = re.compile(r"^\s*[-*•]?\s*([^:=\n]{1,40}?)\s*[:=]\s*(.+?)\s*$")
# Words of four letters or more that say nothing on their own (shorter ones are skipped).
_STOPWORDS = frozenset(
    {"ante", "como", "desde", "entre", "esta", "este", "para", "sobre", "from", "that", "this",
     "with"}
)  # fmt: skip


def normalise_key(text: str) -> str:
    """Lower case, accents removed, single spaces: `Categoría ` → `categoria`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().replace("_", " ").split())


def role_of(key: str) -> str | None:
    """The role (brand, category, …) a normalised fact or property name plays, if any."""
    for role, keys in _ROLES.items():
        if key in keys:
            return role
    return None


@dataclass
class Facts:
    """What a prompt says: `Key: value` facts by normalised key, and its free text."""

    values: dict[str, str] = field(default_factory=dict)
    free_text: str = ""

    def role(self, role: str) -> str:
        """The value of the first fact whose key plays `role` (name, brand, …), or ""."""
        for key in _ROLES[role]:
            if self.values.get(key):
                return self.values[key]
        return ""

    @property
    def name(self) -> str:
        """The product's (or subject's) name: a name fact, else the first free line."""
        first_line = self.free_text.strip().split("\n", 1)[0]
        return self.role("name") or shorten(first_line, 80)

    def keywords(self) -> list[str]:
        """Keywords given as a list fact, else salient words of the name and free text."""
        given = self.role("keywords")
        if given:
            return [k.strip() for k in re.split(r"[,;|/]", given) if k.strip()]
        chunks = [c.strip() for c in re.split(r"[,;\n]", self.free_text) if c.strip()]
        if len(chunks) > 1:  # "Polera de algodón, talla M, color rojo"
            return chunks
        words = re.findall(r"[\wáéíóúñü]+", f"{self.name} {self.free_text}".lower())
        seen = dict.fromkeys(w for w in words if len(w) > 3 and w not in _STOPWORDS)
        return list(seen)

    def text(self) -> str:
        """All of it as plain text (for similarity)."""
        facts = ". ".join(f"{k}: {v}" for k, v in self.values.items())
        return f"{facts}. {self.free_text}".strip(". ")


def read_facts(text: str) -> Facts:
    """Split a prompt into `Key: value` facts and the remaining free text."""
    facts = Facts()
    free = []
    for line in text.splitlines():
        match = _FACT.match(line)
        if match and not match.group(1).strip().startswith("http"):
            facts.values.setdefault(normalise_key(match.group(1)), match.group(2))
        elif line.strip():
            free.append(line.strip())
    facts.free_text = "\n".join(free)
    return facts


def join_es(items: list[str]) -> str:
    """`a, b y c` (`e` before an i- sound, as Spanish writes it)."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    conjunction = "e" if re.match(r"(?i)h?i(?![aeiouáéó])", last) else "y"
    return f"{', '.join(items[:-1])} {conjunction} {last}"


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def describe(facts: Facts, max_length: int = 600) -> str:
    """A product-card description in Spanish, most important sentence first."""
    if not facts.values:  # plain prose: its own first sentences say it best
        return summarise(facts.free_text, max_length)
    name = facts.name
    brand, category = facts.role("brand"), facts.role("category")
    opening = name + (f" de {brand}" if brand else "")
    if category:
        opening += f", de la línea {category.split('/')[-1].strip()}"
    sentences = [_sentence(opening)]
    keywords = [k for k in facts.keywords() if k.lower() not in name.lower()][:5]
    if keywords:
        sentences.append(_sentence(f"Destaca por: {join_es(keywords)}"))
    attributes = facts.role("attributes")
    if attributes:
        sentences.append(_sentence(f"Disponible en {attributes}"))
    # Without a name fact the first free line is the name: the rest still says something.
    rest = facts.free_text if facts.role("name") else facts.free_text.partition("\n")[2]
    existing = facts.role("description") or rest
    if existing:
        sentences.append(_sentence(existing))
    return compose(sentences, max_length)


def summarise(text: str, max_length: int = 600) -> str:
    """The first sentences of `text` that fit in `max_length` (extractive)."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return compose([_sentence(s) for s in sentences], max_length)


def compose(sentences: list[str], max_length: int) -> str:
    """Whole sentences in order while they fit; the first one shortened if it alone does not."""
    out = ""
    for sentence in filter(None, sentences):
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > max_length:
            break
        out = candidate
    if not out and sentences:
        out = shorten(next(filter(None, sentences), ""), max_length)
    return out
