"""Reading an organisation file: bounded YAML, positions, the schema check and the errors.

Nothing here imports the CDK: ``adopt`` and the command line read the schema and check files
with it, and :mod:`.builder` turns a checked :class:`Document` into constructs.

The file is checked against the JSON Schema shipped beside this module (``schema.json``, Draft
2020-12, :func:`organisation_json_schema`); every error names the file, line and column, the path
in the document and what is allowed::

    organisation.yaml:7:33: contacts.incident-responder.channels[1].sms: ...

Every problem the schema finds is reported at once (:func:`check_document` returns them, so that
the builder reports them with the construct problems of the entries it can still build). Reading is bounded before anything walks the
document: the file size (:data:`MAX_FILE_BYTES`), the nesting (:data:`MAX_DEPTH`) and the number
of values once YAML aliases are expanded (:data:`MAX_NODES`) are checked while the YAML is
composed; keys must be text, values of JSON's types; a file that is not UTF-8 or is empty is
refused. A runbook ``file:`` must lie in the organisation file's folder (or the
``runbook_directory`` given), and nothing of its content appears in a message. Channel addresses
are masked in every message, whatever YAML type they arrived as.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import dataclasses
import functools
import json
import pathlib
import re
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

import yaml

from ..core.masking import mask_value
from ..errors import ValidationError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Document",
    "OrganisationFileError",
    "OrganisationProblem",
    "load_document",
    "load_organisation",
    "organisation_json_schema",
]

PathPart = str | int

# -- the schema ------------------------------------------------------------------------------

#: The schema's file name in this package.
SCHEMA_FILE = "schema.json"


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = resources.files(__package__ or "incident_constructs.organisation").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def organisation_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of organisation files, for editors and validators: a copy
    of the package's ``incident_constructs/organisation/schema.json``."""
    return copy.deepcopy(_schema())


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # 40-80 ms: only when a file is checked

    jsonschema.Draft202012Validator.check_schema(_schema())
    return jsonschema.Draft202012Validator(_schema())


def _sections() -> str:
    return ", ".join(_schema()["properties"])


# -- errors ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OrganisationProblem:
    """One problem of an organisation file."""

    #: The file, as given.
    file: str
    #: 1-based line and column of the value (or key) at fault.
    line: int
    column: int
    #: Where in the document, like ``contacts.incident-responder.channels[1].sms``.
    path: str
    #: What is wrong and what is allowed.
    message: str
    #: The path as its keys and indexes (empty when the problem is about the whole file); not
    #: compared, not shown (a key may be personal).
    parts: tuple[PathPart, ...] = dataclasses.field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class OrganisationFileError(ValidationError):
    """An organisation file breaks the schema or a rule of the service.

    The message has one line per problem, each naming the file, line and column, the path in
    the document and what is allowed; :attr:`problems` holds them one by one. The message shows
    the first :attr:`SHOWN` problems and counts the others.
    """

    #: How many problems the message lists (:attr:`problems` has them all).
    SHOWN = 50

    def __init__(self, problems: Sequence[OrganisationProblem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[: self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(f"... and {len(self.problems) - self.SHOWN} more problems")
        super().__init__("\n".join(lines))


def format_path(path: Sequence[PathPart]) -> str:
    """``contacts.alice.channels[1].sms``; a key under a channel that does not look like a field
    name (an address written as a key, say) is masked, and control characters of a key (an alarm
    name may hold any) are written as escapes, never sent to the terminal."""
    text = ""
    for index, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        if index >= 4 and _is_personal(path[: index + 1]) and not _PLAIN_KEY.fullmatch(part):
            part = mask_value(part).strip("'")
        if not part.isprintable():
            part = part.encode("unicode_escape").decode("ascii")
        part = _short_text(part)
        text += f".{part}" if text else str(part)
    return text


# -- the document ----------------------------------------------------------------------------

#: The largest organisation file (and runbook file) read, in bytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: How deeply lists and mappings may nest in an organisation file (a runbook step's inputs
#: included); checked while the YAML is composed, before anything walks it.
MAX_DEPTH = 50
#: How many values (scalars, lists, mappings) a file may hold once its aliases (``*name``) are
#: expanded; checked while the YAML is composed, so a "billion laughs" file of a few hundred
#: bytes is refused in milliseconds instead of expanding to gigabytes.
MAX_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
#: Scalars read as text, numbers, booleans and null; timestamps stay text (a rotation's start
#: is wall-clock time), ``=`` too.
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value"))
#: Keys: text only (timestamps and ``=`` are kept as text).
_KEY_TAGS = frozenset(_TAG + t for t in ("str", "timestamp", "value"))
_MERGE_TAG = _TAG + "merge"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


class _FileProblem(Exception):
    """A problem found while composing the YAML, at a mark."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML with timestamps kept as strings (a rotation's start_time is local wall-clock
    time), and bounds checked while the node graph is composed: nesting depth
    (:data:`MAX_DEPTH`), the number of values once aliases are expanded (:data:`MAX_NODES`), and
    aliases that refer to the node containing them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}
        self._open: set[str] = set()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _FileProblem(
                    event.start_mark,
                    f"the alias *{_short_text(str(event.anchor))} refers to the value that contains it (a recursive "
                    "alias); an alias must refer to a value defined before it, outside it.",
                )
            node: yaml.Node = super().compose_node(parent, index)
            return node
        anchor = getattr(event, "anchor", None)
        nests = not isinstance(event, yaml.ScalarEvent)
        self._depth += nests
        try:
            if self._depth > MAX_DEPTH:
                raise _FileProblem(
                    event.start_mark,
                    f"lists and mappings nest more than {MAX_DEPTH} levels deep here; an organisation file needs far fewer.",
                )
            if anchor is not None:
                self._open.add(anchor)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= nests
            if anchor is not None:
                self._open.discard(anchor)
        size = 1
        if isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(item), 1) for item in node.value)
        if size > MAX_NODES:
            raise _FileProblem(
                node.start_mark,
                f"this value holds more than {MAX_NODES:,} values once its aliases (*name) are expanded; "
                "an organisation file holds far fewer (aliases of aliases multiply: a 'billion laughs' file?).",
            )
        self._sizes[id(node)] = size
        return node


_Loader.add_constructor(_TAG + "timestamp", lambda loader, node: loader.construct_scalar(node))
_Loader.add_constructor(_TAG + "value", lambda loader, node: loader.construct_scalar(node))


def _short_text(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_personal(path: Sequence[PathPart]) -> bool:
    """True for values that may hold a channel address: anything under a contact's ``channels``
    (an address may be written in the wrong key, or as a channel), and the principals of a
    ``share_with`` list (digits alone may be a phone number typed there by mistake; the
    constructs mask them too)."""
    if len(path) >= 3 and path[0] == "contacts" and path[2] == "channels":
        return True
    return len(path) in (3, 4) and path[2] == "share_with"


def _show(value: Any, path: Sequence[PathPart]) -> str:
    """A value for a message: masked where it may be personal (but for numbers of at most six
    characters, too short for an address), short everywhere."""
    if _is_personal(path):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and len(repr(value)) <= 6:
            return repr(value)
        return mask_value(value)
    return _short(value)


def _show_key(key: str, path: Sequence[PathPart]) -> str:
    """A key for a message: keys under a channel are shown only when they look like a field name."""
    if _is_personal(path) and not _PLAIN_KEY.fullmatch(key):
        return mask_value(key)
    return repr(_short_text(key))


@dataclasses.dataclass
class Document:
    file: str
    directory: pathlib.Path
    data: dict[str, Any]
    root: yaml.Node | None

    def node(self, path: Sequence[PathPart], *, key: bool = False) -> yaml.Node | None:
        """The node at ``path`` (or, with ``key``, the key node of its last part)."""
        node = self.root
        key_node: yaml.Node | None = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                # The last one: a key given after a merge (<<) overrides the merged one.
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        found = (k, v)
                if found is None:
                    return node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                return node
        if key_node is not None and (key or isinstance(node, (yaml.MappingNode, yaml.SequenceNode))):
            # A mapping or list is pointed at by its key: the line that names it.
            return key_node
        return node

    def problem(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> OrganisationProblem:
        node = self.node(path, key=key)
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        return OrganisationProblem(self.file, line, column, format_path(path), message, tuple(path))

    def fail(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> OrganisationFileError:
        return OrganisationFileError([self.problem(path, message, key=key)])

    @contextlib.contextmanager
    def at(self, path: Sequence[PathPart]) -> Iterator[None]:
        """Re-raise a construct's :class:`ValidationError` as a problem at ``path``."""
        try:
            yield
        except OrganisationFileError:
            raise
        except ValidationError as error:
            raise self.fail(path, str(error)) from None


def _mark_problem(
    file: str, mark: yaml.Mark | None, message: str, path: Sequence[PathPart] = ()
) -> OrganisationProblem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return OrganisationProblem(file, line, column, format_path(path), message, tuple(path))


def blocks(problem: OrganisationProblem, parts: Sequence[PathPart]) -> bool:
    """True when ``problem`` lies at, inside or above ``parts`` (``("contacts", "alice")``: a
    problem of the whole file, of the section, or anywhere in that entry)."""
    size = min(len(problem.parts), len(parts))
    return problem.parts[:size] == tuple(parts)[:size]


def _key_problem(file: str, key: yaml.Node, path: list[PathPart]) -> OrganisationProblem | None:
    """A key that is not text (a number, a boolean, null, a list or a mapping)."""
    if isinstance(key, yaml.ScalarNode) and key.tag in _KEY_TAGS:
        return None
    if not isinstance(key, yaml.ScalarNode):
        return _mark_problem(file, key.start_mark, "a key must be text, not a list or a mapping.", path)
    text = str(key.value)
    shown = mask_value(text) if _is_personal(path + [text]) else repr(_short_text(text))
    if key.tag == _TAG + "bool":
        what = f"the key {shown} is read as a boolean (YAML reads yes, no, on, off, true and false so)"
    elif key.tag == _TAG + "null":
        what = "the key is empty or null"
    elif key.tag in (_TAG + "int", _TAG + "float"):
        what = f"the key {shown} is read as a number"
    else:
        what = f"the key {shown} is tagged {_short_text(str(key.tag))}"
    return _mark_problem(file, key.start_mark, f"{what}; keys are text: put it in quotes.", path + [text])


def _check_nodes(file: str, root: yaml.Node) -> tuple[list[OrganisationProblem], bool]:
    """Keys that are not text, tags outside JSON's types, overlong numbers and duplicate keys,
    each node visited once (aliases are not expanded again). The flag is True when the data
    cannot be checked against the schema (a key or a value of another type)."""
    checker = _NodeChecker(file)
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, list[PathPart]]] = [(root, [])]
    while pending:
        node, path = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        pending.extend(reversed(checker.children(node, path)))
    return checker.problems, checker.fatal


class _NodeChecker:
    """The checks of :func:`_check_nodes`, one kind of node each."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[OrganisationProblem] = []
        #: True once a problem keeps the data from the schema check.
        self.fatal = False

    def add(self, mark: yaml.Mark | None, message: str, path: Sequence[PathPart], *, fatal: bool = True) -> None:
        self.fatal = self.fatal or fatal
        self.problems.append(_mark_problem(self.file, mark, message, path))

    def children(self, node: yaml.Node, path: list[PathPart]) -> list[tuple[yaml.Node, list[PathPart]]]:
        """Check ``node``; return its children, in document order."""
        if isinstance(node, yaml.ScalarNode):
            self.scalar(node, path)
            return []
        if isinstance(node, yaml.SequenceNode):
            self.tag(node, path, _TAG + "seq", "use a plain list")
            return [(item, path + [index]) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self.tag(node, path, _TAG + "map", "use a plain mapping")
            return self.mapping(node, path)
        return []

    def scalar(self, node: yaml.ScalarNode, path: list[PathPart]) -> None:
        if node.tag not in _SCALAR_TAGS:
            self.add(
                node.start_mark,
                f"the tag {_short_text(str(node.tag))} is not allowed: values are text, numbers, booleans, "
                "lists and mappings.",
                path,
            )
        elif node.tag in (_TAG + "int", _TAG + "float") and len(str(node.value)) > 40:
            self.add(node.start_mark, "a number of more than 40 characters is not allowed.", path)

    def tag(self, node: yaml.Node, path: list[PathPart], plain: str, advice: str) -> None:
        if node.tag != plain:
            self.add(node.start_mark, f"the tag {_short_text(str(node.tag))} is not allowed: {advice}.", path)

    def mapping(self, node: yaml.MappingNode, path: list[PathPart]) -> list[tuple[yaml.Node, list[PathPart]]]:
        keys: set[str] = set()
        children: list[tuple[yaml.Node, list[PathPart]]] = []
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag == _MERGE_TAG:
                # The merged mapping's keys count as this mapping's, and may be overridden here.
                children.append((value, path))
                continue
            problem = _key_problem(self.file, key, path)
            if problem is not None:
                self.fatal = True
                self.problems.append(problem)
                continue
            name = str(key.value)
            if name in keys:
                self.add(
                    key.start_mark,
                    f"key {_show_key(name, path + [name])} appears more than once in this mapping; each key at most once.",
                    path + [name],
                    fatal=False,
                )
            keys.add(name)
            children.append((value, path + [name]))
        return children


def _decode(name: str, raw: bytes) -> str:
    """The text of a UTF-8 file; an :class:`OrganisationFileError` at the first byte that is not."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            raise OrganisationFileError(
                [
                    OrganisationProblem(
                        name,
                        1,
                        1,
                        "",
                        f"the file is {encoding} text (it starts with a {encoding} byte order mark); save it as UTF-8.",
                    )
                ]
            )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X} here); save it as UTF-8.",
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    "the file holds NUL characters (UTF-16 text without a byte order mark?); save it as UTF-8.",
                )
            ]
        )
    return text


def _read(name: str, path: pathlib.Path, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OrganisationFileError(
                [
                    OrganisationProblem(
                        name, 1, 1, "", f"the {what} is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read."
                    )
                ]
            )
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"cannot read the {what}: {error.strerror or type(error).__name__}.")]
        ) from None


def _parse(name: str, text: str) -> tuple[yaml.Node | None, Any, list[OrganisationProblem]]:
    """The node graph, the data and the problems of a YAML text, bounded (see :class:`_Loader`).

    The node graph is checked (:func:`_check_nodes`) before it is constructed: constructing
    merges ``<<`` keys into the mappings, and a key or tag of the wrong kind must not reach
    the schema. The data is None when a problem makes it unreadable.
    """
    problems: list[OrganisationProblem] = []
    try:
        loader = _Loader(text)  # the reader refuses control characters here
        try:
            root = loader.get_single_node()
            data = None
            if root is not None:
                problems, fatal = _check_nodes(name, root)
                if not fatal:
                    data = loader.construct_document(root)
        finally:
            loader.dispose()
    except _FileProblem as problem:
        raise OrganisationFileError([_mark_problem(name, problem.mark, problem.message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or error.context or "not YAML"
        raise OrganisationFileError([_mark_problem(name, mark, f"not valid YAML: {detail}.")]) from None
    except yaml.reader.ReaderError as error:
        at = min(max(int(error.position), 0), len(text))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name,
                    line,
                    column,
                    "",
                    f"not valid YAML: the character #x{int(error.character):04x} is not allowed.",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"not valid YAML: {_short_text(str(error), 200)}")]
        ) from None
    except (RecursionError, ValueError, TypeError, OverflowError) as error:
        # Merge keys chained too far, or a value the constructor cannot build.
        raise OrganisationFileError(
            [OrganisationProblem(name, 1, 1, "", f"not valid YAML: a value cannot be read ({type(error).__name__}).")]
        ) from None
    return root, data, problems


def load_organisation(
    file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None
) -> dict[str, Any]:
    """Read and check an organisation file against the schema; return its data.

    :param runbook_directory: the folder that runbook ``file:`` entries must lie in (symbolic
        links resolved). Default: the organisation file's folder.
    :raises OrganisationFileError: the file cannot be read, is not UTF-8 YAML within the bounds
        (:data:`MAX_FILE_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_NODES`), or breaks the schema;
        every problem found is listed, each at its file:line:column.
    """
    return load_document(file, runbook_directory=runbook_directory).data


def load_document(file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None) -> Document:
    """The checked :class:`Document` of an organisation file (see :func:`load_organisation`): its
    data and the YAML nodes that place each value at its line and column."""
    document, problems = check_document(file, runbook_directory=runbook_directory)
    if problems:
        raise OrganisationFileError(problems)
    return document


def check_document(
    file: str | pathlib.Path, *, runbook_directory: str | pathlib.Path | None = None
) -> tuple[Document, list[OrganisationProblem]]:
    """The :class:`Document` of an organisation file and the problems the schema (and the runbook
    file checks) found in it, sorted by line, so that the entries without a problem can still be
    built and their problems reported with these (:mod:`.builder`).

    :raises OrganisationFileError: when nothing of the file can be checked: it cannot be read, is
        not UTF-8 YAML within the bounds, is empty, is not a mapping, or holds a key or a value
        of a type other than JSON's.
    """
    path = pathlib.Path(file)
    name = str(file)
    text = _decode(name, _read(name, path, "organisation file"))
    root, data, problems = _parse(name, text)
    if root is None or (data is None and not problems):
        raise OrganisationFileError(
            [
                OrganisationProblem(
                    name, 1, 1, "", f"the file is empty: it must hold a mapping of sections ({_sections()})."
                )
            ]
        )
    document = Document(name, path.parent, data if isinstance(data, dict) else {}, root)
    if not isinstance(root, yaml.MappingNode):
        raise document.fail(
            [], f"the file must hold a mapping of sections ({_sections()}), not {_describe_node(root)}."
        )
    if data is None:
        raise OrganisationFileError(sorted(problems, key=lambda p: (p.line, p.column)))
    problems.extend(_schema_problem(document, e) for e in _validator().iter_errors(document.data))
    if not data and not problems:
        problems.append(document.problem([], f"the file defines nothing: give at least one section ({_sections()})."))
    problems.extend(_runbook_file_problems(document, runbook_directory, problems))
    # The schema reports a keyword once per item (``required``: once per missing key): the same
    # problem at the same place is listed once.
    return document, sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.column))


def _describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return {_TAG + "str": "text", _TAG + "bool": "a boolean", _TAG + "null": "null"}.get(str(node.tag), "a number")
    return "a mapping"


# -- runbook files ---------------------------------------------------------------------------


def _runbook_file_problems(
    document: Document, runbook_directory: str | pathlib.Path | None, found: Sequence[OrganisationProblem]
) -> list[OrganisationProblem]:
    """Runbook files: inside the allowed folder, readable, UTF-8, and YAML or JSON within the
    bounds, for the runbooks without a problem in ``found``. Nothing of a file's content is
    written in a message: the file may be anything."""
    section = document.data.get("runbooks") or {}
    if not isinstance(section, dict):
        return []
    runbooks = {
        name: spec
        for name, spec in section.items()
        if not any(blocks(p, ("runbooks", name)) for p in found) and "file" in spec
    }
    if not runbooks:
        return []
    base_given = pathlib.Path(runbook_directory) if runbook_directory is not None else document.directory
    try:
        base = base_given.resolve()
    except (OSError, RuntimeError):
        base = base_given.absolute()
    problems = [
        _runbook_file_problem(document, base, ["runbooks", runbook_name, "file"], spec["file"])
        for runbook_name, spec in runbooks.items()
    ]
    return [p for p in problems if p is not None]


def _runbook_file_problem(
    document: Document, base: pathlib.Path, where: list[PathPart], given: str
) -> OrganisationProblem | None:
    """The problem of one runbook file (where it lies, whether it reads), or None."""
    try:
        resolved = (document.directory / given).resolve()
        inside = resolved.is_relative_to(base)
    except (OSError, RuntimeError, ValueError):
        inside = False
    if not inside:
        return document.problem(
            where,
            f"the runbook file {_short(given)} is not inside {base}; runbook files must lie in that folder or below it.",
        )
    if not resolved.is_file():
        return document.problem(
            where,
            f"cannot read runbook file {_short(given)}: it does not exist (paths are relative to {document.directory}).",
        )
    try:
        content_text = _decode(document.file, _read(document.file, resolved, "runbook file"))
    except OrganisationFileError as error:
        reason = error.problems[0].message if error.problems else "cannot be read"
        return document.problem(where, f"runbook file {_short(given)}: {reason}")
    problem = _json_problem(content_text) if resolved.suffix.lower() == ".json" else _yaml_problem(given, content_text)
    return None if problem is None else document.problem(where, f"runbook file {_short(given)} {problem}")


def _json_problem(text: str) -> str | None:
    try:
        json.loads(text)
    except RecursionError:
        return "nests values too deeply."
    except json.JSONDecodeError as error:
        return f"is not valid JSON ({error.msg} at its line {error.lineno}, column {error.colno})."
    return None


def _yaml_problem(given: str, text: str) -> str | None:
    try:
        _, _, inner_problems = _parse(str(given), text)
        if inner_problems:
            raise OrganisationFileError(inner_problems)
    except OrganisationFileError as error:
        inner = error.problems[0]
        # The parser's own words only: never a line of the file.
        return f"at its line {inner.line}, column {inner.column}: {inner.message}"
    return None


# -- schema errors as problems ---------------------------------------------------------------


def _schema_problem(document: Document, error: Any) -> OrganisationProblem:
    path: list[PathPart] = list(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    validator = error.validator
    instance = error.instance
    custom = (schema.get("x-error") or {}).get(validator)
    rule = schema.get("x-rule")
    personal = _is_personal(path)
    if custom:
        return document.problem(path, custom)
    if validator == "additionalProperties" and isinstance(instance, dict):
        keys = sorted(schema.get("properties", {}))
        extras = [k for k in instance if k not in keys]
        key = str(extras[0]) if extras else "?"
        allowed_text = ", ".join(keys) if keys else "none"
        return document.problem(
            path + [key], f"unknown key {_show_key(key, path + [key])}; allowed keys: {allowed_text}.", key=True
        )
    if "propertyNames" in error.absolute_schema_path:
        text = rule or error.message
        return document.problem(
            path + [str(instance)], f"name {_show(instance, path)} is not allowed: {text}", key=True
        )
    if validator == "required":
        missing = [k for k in schema.get("required", []) if not isinstance(instance, dict) or k not in instance]
        return document.problem(
            path, f"missing key {missing[0] if missing else '?'!r} (required: {', '.join(schema.get('required', []))})."
        )
    shown = _show(instance, path)
    if validator == "type":
        hint = _as_read(document, path, instance) if "string" in str(error.validator_value) else ""
        return document.problem(path, f"{shown}{hint} is not allowed: {_a(error.validator_value)} is required.")
    if validator in ("enum", "const"):
        values = error.validator_value if validator == "enum" else [error.validator_value]
        return document.problem(path, f"{shown} is not allowed: one of {', '.join(map(str, values))}.")
    if validator == "pattern" and rule:
        return document.problem(path, f"{shown} is not allowed: {rule}")
    if validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        allowed = (
            f"{low} to {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        return document.problem(path, f"{shown} is not allowed: {allowed}.")
    if validator in ("minLength", "maxLength", "minItems", "maxItems", "maxProperties", "minProperties", "uniqueItems"):
        words = {
            "minLength": f"at least {error.validator_value} characters",
            "maxLength": f"at most {error.validator_value} characters",
            "minItems": f"at least {error.validator_value} items",
            "maxItems": f"at most {error.validator_value} items",
            "minProperties": f"at least {error.validator_value} keys",
            "maxProperties": f"at most {error.validator_value} keys",
            "uniqueItems": "each item at most once",
        }
        suffix = f" ({rule.rstrip('.')})" if rule else ""
        return document.problem(path, f"{shown} is not allowed: {words[validator]}{suffix}.")
    suffix = f" ({rule.rstrip('.')})" if rule else ""
    if personal:
        return document.problem(path, f"{shown} is not allowed here{suffix}.")
    return document.problem(path, f"{_short_text(error.message, 200)}{suffix}.")


def _a(type_name: Any) -> str:
    names = type_name if isinstance(type_name, list) else [type_name]
    words = {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "a boolean",
    }
    return " or ".join(words.get(str(n), f"a {n}") for n in names)


def _as_read(document: Document, path: Sequence[PathPart], instance: Any) -> str:
    """Where text is required and YAML read a plain scalar as a number, a boolean or null: the
    text as written (unless personal) and the advice to quote it."""
    if not isinstance(instance, (bool, int, float, type(None))):
        return ""
    node = document.node(path)
    if not isinstance(node, yaml.ScalarNode) or node.style is not None:
        return ""
    written = str(node.value)
    if written != str(instance) and not _is_personal(path):
        return f" (written {_short_text(written, 40)}; put it in quotes to keep it as text)"
    return " (put it in quotes to keep it as text)"


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - values are bounded when read
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def pascal(key: str) -> str:
    """``incident-responder`` -> ``IncidentResponder``; ``EC2HighCPU`` stays."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_.\s]+", key) if part)
