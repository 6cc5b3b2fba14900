"""Loading and validating the intent files (symptoms, conditions, species, out-of-scope).

The files are read as YAML *nodes* first so that every problem can be reported with the
file and line an agronomist has to open. Loading either returns a complete ``IntentSet``
or raises ``IntentsInvalid`` carrying every problem found; it never half-loads.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.normalize import fold_accents

SYMPTOMS_FILE = "symptoms.yaml"
CONDITIONS_FILE = "conditions.yaml"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
SEVERITIES = ("thap", "trung_binh", "cao")


@dataclass(frozen=True)
class IntentProblem:
    file: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"


class IntentsInvalid(Exception):
    def __init__(self, problems: list[IntentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Symptom:
    id: str
    name: str
    question: str
    examples: tuple[str, ...]
    absent_examples: tuple[str, ...] = ()
    # Where on the fish the sign shows. A clause that names only other parts is not this sign
    # ("hậu môn sưng đỏ lòi ra" is not bulging eyes). Empty: anywhere, no check.
    body_parts: tuple[str, ...] = ()
    line: int = 0
    example_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    description: str
    prior: float
    severity: str
    likelihoods: dict[str, float]
    first_actions: tuple[str, ...]
    sources: tuple[str, ...]
    agent: str = ""
    species_weights: dict[str, float] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # what farmers call it, for questions about the disease itself
    line: int = 0


@dataclass(frozen=True)
class Species:
    id: str
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class IntentSet:
    folder: Path
    symptoms: tuple[Symptom, ...]
    conditions: tuple[Condition, ...]
    species: tuple[Species, ...]
    out_of_scope: tuple[str, ...]
    content_hash: str
    warnings: tuple[IntentProblem, ...] = ()

    def symptom(self, symptom_id: str) -> Symptom:
        return self._symptoms_by_id[symptom_id]

    @functools.cached_property
    def _symptoms_by_id(self) -> dict[str, Symptom]:
        return {s.id: s for s in self.symptoms}

    @property
    def symptom_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.symptoms)


class _Reader:
    """Walks YAML nodes of one file and records problems with line numbers."""

    def __init__(self, path: Path, problems: list[IntentProblem]):
        self.path = path
        self.name = path.name
        self.problems = problems

    def problem(self, node: yaml.Node | None, message: str, level: str = "error") -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(IntentProblem(self.name, line, message, level))

    def compose(self) -> yaml.Node | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(IntentProblem(self.name, 1, "file not found"))
            return None
        except UnicodeDecodeError as exc:
            self.problems.append(IntentProblem(self.name, 1, f"not UTF-8 text ({exc.reason})"))
            return None
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = exc.problem or str(exc)
            self.problems.append(IntentProblem(self.name, line, f"YAML syntax: {problem}"))
            return None

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping (key: value)")
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                self.problem(key_node, f"duplicate key '{key}' in {what}")
            out[key] = value_node
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return []
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str, parent: yaml.Node, required: bool = True) -> str:
        if node is None:
            if required:
                self.problem(parent, f"missing '{what}'")
            return ""
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.problem(node, f"'{what}' must be non-empty text")
            return ""
        return unicodedata.normalize("NFC", str(node.value).strip())

    def texts(self, node: yaml.Node | None, what: str, parent: yaml.Node, required: bool = True) -> list[tuple[str, int]]:
        if node is None:
            if required:
                self.problem(parent, f"missing '{what}'")
            return []
        out = []
        for item in self.sequence(node, what):
            value = self.text(item, f"item of {what}", item)
            if value:
                out.append((value, item.start_mark.line + 1))
        return out

    def number(self, node: yaml.Node | None, what: str, parent: yaml.Node, low: float, high: float) -> float | None:
        if node is None:
            self.problem(parent, f"missing '{what}'")
            return None
        try:
            value = float(node.value) if isinstance(node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if value is None:
            self.problem(node, f"'{what}' must be a number")
            return None
        if not low < value < high:
            self.problem(node, f"'{what}' = {value} must be between {low} and {high} (exclusive)")
            return None
        return value


def _read_symptoms(reader: _Reader) -> list[Symptom]:
    root = reader.compose()
    if root is None:
        return []
    top = reader.mapping(root, "the file")
    if top is None:
        return []
    if "symptoms" not in top:
        reader.problem(root, "missing top-level key 'symptoms'")
        return []
    symptoms: list[Symptom] = []
    seen: dict[str, int] = {}
    for node in reader.sequence(top["symptoms"], "symptoms"):
        fields = reader.mapping(node, "a symptom")
        if fields is None:
            continue
        sid = reader.text(fields.get("id"), "id", node)
        if sid and not sid.replace("_", "").isalnum():
            reader.problem(fields["id"], f"id '{sid}' may only use letters, digits and '_'")
        if sid in seen:
            reader.problem(fields["id"], f"duplicate symptom id '{sid}' (first at line {seen[sid]})")
        seen[sid] = node.start_mark.line + 1
        name = reader.text(fields.get("name"), "name", node)
        question = reader.text(fields.get("question"), "question", node)
        examples = reader.texts(fields.get("examples"), "examples", node)
        if fields.get("examples") is not None and not examples:
            reader.problem(fields["examples"], f"symptom '{sid}' has no examples")
        absent = reader.texts(fields.get("absent_examples"), "absent_examples", node, required=False)
        body_parts = reader.texts(fields.get("body_parts"), "body_parts", node, required=False)
        for key in fields:
            if key not in ("id", "name", "question", "examples", "absent_examples", "body_parts"):
                reader.problem(fields[key], f"unknown key '{key}' in symptom '{sid}'", "warning")
        symptoms.append(
            Symptom(
                id=sid,
                name=name,
                question=question,
                examples=tuple(e for e, _ in examples),
                absent_examples=tuple(e for e, _ in absent),
                body_parts=tuple(w for part, _ in body_parts for w in part.lower().split()),
                line=node.start_mark.line + 1,
                example_lines=tuple(line for _, line in examples),
            )
        )
    return symptoms


def _read_conditions(reader: _Reader, symptom_ids: set[str]) -> tuple[list[Condition], list[Species]]:
    root = reader.compose()
    if root is None:
        return [], []
    top = reader.mapping(root, "the file")
    if top is None:
        return [], []
    if "conditions" not in top:
        reader.problem(root, "missing top-level key 'conditions'")
        return [], []
    species = _read_species(reader, top.get("species"))
    species_ids = {s.id for s in species}
    conditions: list[Condition] = []
    seen: set[str] = set()
    alias_owner: dict[str, str] = {}
    for node in reader.sequence(top["conditions"], "conditions"):
        fields = reader.mapping(node, "a condition")
        if fields is None:
            continue
        cid = reader.text(fields.get("id"), "id", node)
        if cid in seen:
            reader.problem(fields["id"], f"duplicate condition id '{cid}'")
        seen.add(cid)
        likelihoods: dict[str, float] = {}
        sym_node = fields.get("symptoms")
        if sym_node is None:
            reader.problem(node, f"condition '{cid}' has no 'symptoms'")
        else:
            for sign, value_node in (reader.mapping(sym_node, "symptoms") or {}).items():
                if symptom_ids and sign not in symptom_ids:
                    reader.problem(value_node, f"condition '{cid}' uses unknown sign '{sign}'")
                    continue
                p = reader.number(value_node, f"P({sign} | {cid})", node, 0.0, 1.0)
                if p is not None:
                    likelihoods[sign] = p
        weights: dict[str, float] = {}
        if "species" in fields:
            for sp, value_node in (reader.mapping(fields["species"], "species") or {}).items():
                if species_ids and sp not in species_ids:
                    reader.problem(value_node, f"condition '{cid}' names unknown species '{sp}'")
                w = reader.number(value_node, f"species weight {sp}", node, 0.0, 100.0)
                if w is not None:
                    weights[sp] = w
        severity = reader.text(fields.get("severity"), "severity", node)
        if severity and severity not in SEVERITIES:
            reader.problem(fields["severity"], f"severity must be one of {', '.join(SEVERITIES)}")
        actions = reader.texts(fields.get("first_actions"), "first_actions", node)
        sources = reader.texts(fields.get("sources"), "sources", node)
        if fields.get("first_actions") is not None and not actions:
            reader.problem(fields["first_actions"], f"condition '{cid}' has no first actions")
        if fields.get("sources") is not None and not sources:
            reader.problem(fields["sources"], f"condition '{cid}' has no sources")
        prior = reader.number(fields.get("prior"), "prior", node, 0.0, 1.0)
        aliases = reader.texts(fields.get("aliases"), "aliases", node, required=False)
        for alias, line in aliases:
            key = fold_accents(alias.lower())
            if key in alias_owner and alias_owner[key] != cid:
                reader.problem(fields["aliases"], f"alias '{alias}' of '{cid}' is also an alias of '{alias_owner[key]}'")
            alias_owner[key] = cid
        conditions.append(
            Condition(
                id=cid,
                name=reader.text(fields.get("name"), "name", node),
                description=reader.text(fields.get("description"), "description", node),
                prior=prior or 0.0,
                severity=severity,
                likelihoods=likelihoods,
                first_actions=tuple(a for a, _ in actions),
                sources=tuple(s for s, _ in sources),
                agent=reader.text(fields.get("agent"), "agent", node, required=False),
                species_weights=weights,
                aliases=tuple(a for a, _ in aliases),
                line=node.start_mark.line + 1,
            )
        )
    return conditions, species


def _read_species(reader: _Reader, node: yaml.Node | None) -> list[Species]:
    if node is None:
        return []
    out = []
    for item in reader.sequence(node, "species"):
        fields = reader.mapping(item, "a species")
        if fields is None:
            continue
        words = reader.texts(fields.get("words"), "words", item)
        out.append(
            Species(
                id=reader.text(fields.get("id"), "id", item),
                name=reader.text(fields.get("name"), "name", item),
                words=tuple(w.lower() for w, _ in words),
            )
        )
    return out


def _read_out_of_scope(reader: _Reader) -> list[str]:
    if not reader.path.exists():
        return []
    root = reader.compose()
    if root is None:
        return []
    top = reader.mapping(root, "the file")
    if top is None or "examples" not in top:
        if top is not None:
            reader.problem(root, "missing top-level key 'examples'")
        return []
    return [e for e, _ in reader.texts(top["examples"], "examples", root)]


def _check_coverage(symptoms: list[Symptom], conditions: list[Condition], problems: list[IntentProblem]) -> None:
    used = {sign for c in conditions for sign in c.likelihoods}
    for s in symptoms:
        if conditions and s.id and s.id not in used:
            problems.append(IntentProblem(SYMPTOMS_FILE, s.line, f"sign '{s.id}' is not used by any condition"))


def content_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in (SYMPTOMS_FILE, CONDITIONS_FILE, OUT_OF_SCOPE_FILE):
        path = folder / name
        if path.exists():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_intents(folder: str | Path) -> IntentSet:
    """Load and validate every intent file in ``folder``; raise IntentsInvalid listing all problems."""
    folder = Path(folder)
    problems: list[IntentProblem] = []
    if not folder.is_dir():
        raise IntentsInvalid([IntentProblem(str(folder), 1, "intents folder not found")])
    symptoms = _read_symptoms(_Reader(folder / SYMPTOMS_FILE, problems))
    conditions, species = _read_conditions(_Reader(folder / CONDITIONS_FILE, problems), {s.id for s in symptoms})
    out_of_scope = _read_out_of_scope(_Reader(folder / OUT_OF_SCOPE_FILE, problems))
    _check_coverage(symptoms, conditions, problems)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise IntentsInvalid(errors)
    return IntentSet(
        folder=folder,
        symptoms=tuple(symptoms),
        conditions=tuple(conditions),
        species=tuple(species),
        out_of_scope=tuple(out_of_scope),
        content_hash=content_hash(folder),
        warnings=tuple(p for p in problems if p.level != "error"),
    )
