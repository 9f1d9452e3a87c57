"""Reading the TOML configuration files into pydantic models, with errors that name the
file, the entry and the key.

Every file has a model (:class:`FileModel`) whose tables are :class:`TableModel` s with
``extra="forbid"`` and strict types, so a misspelt key (``intervall_minutes``), a number
written as text or an address that is not one is refused when the file is read, never
silently ignored. The first fault becomes one :class:`ConfigError` line::

    reminders.toml: [service]: unknown key 'intervall_minutes'; did you mean 'interval_minutes'?
    committees.toml: committee SUD: 'secretariat_email' 'x' is not an e-mail address (...)

A field's ``description`` says what to write ("must be a number above 0, e.g. 5"); a value
check of a field raises ``ValueError`` with its own words, which are used as they are.
"""

from __future__ import annotations

import difflib
import json
import tomllib
import types
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from council.config.errors import ConfigError
from council.config.os_reasons import os_reason

Model = TypeVar("Model", bound="TableModel")


class TableModel(BaseModel):
    """A table of a configuration file: unknown keys and loose types are refused.

    ``entry_word`` names an entry of an array of tables in messages (``committee``), and
    ``named_by`` the key whose value tells the entries apart (``code``): "committee SUD".
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    entry_word: ClassVar[str | None] = None
    named_by: ClassVar[str | None] = None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a missing or malformed file is one ``ConfigError`` line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path}: filen findes ikke; gendan den, eller peg indstillingen på en"
        ) from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: er en mappe, ikke en TOML-fil") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: ikke UTF-8-tekst (byte 0x{exc.object[exc.start]:02x} ved position "
            f"{exc.start}); gem filen som UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: ikke gyldig TOML ({exc}); ret filen") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: kan ikke læses ({os_reason(exc)})") from exc


def read_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` into ``model``; the first fault is one ``ConfigError`` line."""
    return validate(read_toml(path), model, path=path)


def validate(data: dict[str, Any], model: type[Model], *, path: Path) -> Model:
    """``data`` (a parsed file) as ``model``, or one ``ConfigError`` naming file, entry, key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_error(exc, model, data, path=path)) from exc


# ----------------------------------------------------------------------- one line per fault


def describe_error(exc: ValidationError, model: type[TableModel], data: Any, *, path: Path) -> str:
    """A fault of ``exc`` as "file: entry: 'key' what to write"."""
    errors = exc.errors()
    # A misspelt key is also a missing one: the unknown key, with its suggestion, says more.
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = tuple(error["loc"])
    steps = list(_walk(model, loc, data))
    kind = error["type"]
    if kind == "value_error" and (not steps or _model_of(steps[-1].type) is not None):
        entry = _entry_name(steps)  # a check of a whole table (or file) failed
        reason = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{path}: {entry}: {reason}" if entry else f"{path}: {reason}"
    entry_steps = _entry_steps(steps)
    entry = _entry_name(steps[:entry_steps])
    key_steps = steps[entry_steps:]
    where = f"{path}: {entry}" if entry else str(path)
    if kind == "extra_forbidden":
        parent = steps[-2].type if len(steps) > 1 else model
        return f"{where}: {_unknown(str(loc[-1]), parent, top=len(steps) == 1)}"
    field = next((s.field for s in reversed(key_steps) if s.field is not None), None)
    key = _key_name(key_steps)
    if kind == "missing":
        if _model_of(key_steps[-1].type) is not None:
            return f"{where}: tabellen [{_key_path(key_steps)}] mangler; tilføj den"
        hint = f"; den {field.description}" if field and field.description else ""
        return f"{where}: {key} mangler{hint}"
    if kind == "value_error":
        reason = str(error.get("ctx", {}).get("error", error["msg"]))
        if field is not None and field.description and field.description.startswith(reason):
            reason = field.description  # the same words, with the example
        return f"{where}: {key} {reason}"
    if _model_of(key_steps[-1].type) is not None and kind in {"model_type", "dict_type"}:
        return f"{where}: [{_key_path(key_steps)}] skal være en tabel"  # "service = 3"
    if field is not None and field.description:
        key = _key_name([s for s in key_steps if s.field is not None])
        return f"{where}: {key} {field.description}"
    return f"{where}: {key} {_TYPE_WORDS.get(kind, 'har en værdi af forkert type')}"


# What a value of the wrong type should have been, where the field does not say.
_TYPE_WORDS = {
    "string_type": "skal være tekst i anførselstegn",
    "int_type": "skal være et helt tal",
    "float_type": "skal være et tal",
    "bool_type": "skal være true eller false",
    "list_type": "skal være en liste i [ ]",
    "dict_type": "skal være en tabel",
    "model_type": "skal være en tabel",
}


@dataclass(frozen=True)
class _Step:
    """One element of an error's location: a key or index, the type expected there, the
    field it is (when it is one), and the value the file has there."""

    part: str | int
    type: Any
    field: FieldInfo | None
    value: Any


def _walk(model: type[BaseModel], loc: Sequence[str | int], data: Any) -> Iterator[_Step]:
    current: Any = model
    value = data
    for part in loc:
        value = _child(value, part)
        found = _model_of(current)
        if found is not None and isinstance(part, str) and part in found.model_fields:
            field = found.model_fields[part]
            current = field.annotation
            yield _Step(part, current, field, value)
            continue
        args = [a for a in get_args(_unoptional(current)) if a is not type(None)]
        origin = get_origin(_unoptional(current))
        if origin in (list, tuple) and isinstance(part, int) and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        else:
            current = None
        yield _Step(part, current, None, value)


def _child(value: Any, part: str | int) -> Any:
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return None


def _unoptional(annotation: Any) -> Any:
    """``X`` for ``X | None``; the annotation itself otherwise (``Annotated`` is unwrapped
    by pydantic already in ``FieldInfo.annotation``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _model_of(annotation: Any) -> type[TableModel] | None:
    candidate = _unoptional(annotation)
    if isinstance(candidate, type) and issubclass(candidate, TableModel):
        return candidate
    return None


def _entry_steps(steps: list[_Step]) -> int:
    """How many leading steps name the entry: up to the deepest table (or map of values)."""
    count = 0
    for index, step in enumerate(steps):
        is_table = _model_of(step.type) is not None
        is_map = (
            get_origin(_unoptional(step.type)) is dict
            and _model_of((get_args(_unoptional(step.type)) or (None, None))[-1]) is None
        )
        if (is_table or is_map) and index < len(steps) - 1:
            count = index + 1
    return count


def _entry_name(steps: list[_Step]) -> str:
    """``[service]``, ``[recipients.administrations]``, ``[states.udsat]``, ``committee SUD``,
    ``[[transition]] postpone``, ``[[transition]] #3``."""
    name = ""
    for index, step in enumerate(steps):
        if isinstance(step.part, int):
            table = _model_of(step.type)
            title = (table.entry_word if table else None) or f"[[{name.strip('[]')}]]"
            label_key = (table.named_by if table else None) or ""
            label = step.value.get(label_key) if isinstance(step.value, dict) else None
            if isinstance(label, str) and label.strip() and label.isprintable():
                name = f"{title} {label.strip()}"
            else:
                name = f"{title} #{step.part + 1}"
        elif name.startswith("[") and not name.startswith("[["):
            name = f"[{name[1:-1]}.{_toml_key(step.part)}]"
        elif name:
            name = f"{name} {step.part}"
        else:
            name = f"[{_toml_key(step.part)}]"
        if index + 1 < len(steps) and isinstance(steps[index + 1].part, int):
            name = name.strip("[]")
    return name


def _toml_key(part: str | int) -> str:
    text = str(part)
    bare = text.replace("_", "a").replace("-", "a")
    if bare.isascii() and bare.isalnum():
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted as in TOML, line breaks as \n


def quoted(text: str) -> str:
    """``'text'`` for a message, with line breaks and other control characters escaped, so
    a name written in a file can never split the one line of an error."""
    return f"'{text}'" if text.isprintable() else repr(text)


def _key_name(steps: list[_Step]) -> str:
    """``'interval_minutes'``, ``'phrases[1]'``, ``'Socialforvaltningen'``."""
    return quoted(_key_path(steps))


def _key_path(steps: list[_Step]) -> str:
    text = ""
    for step in steps:
        if isinstance(step.part, int):
            text += f"[{step.part}]"
        else:
            text += f".{step.part}" if text else str(step.part)
    return text


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option ``word`` most likely meant: the closest spelling (difflib), else one that
    is the beginning of the other (``destination`` for ``dest``); ``None`` when none is."""
    candidates = list(options)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if close:
        return close[0]
    wanted = word.casefold()
    shared = [
        c
        for c in candidates
        if min(len(c), len(word)) >= 3
        and (wanted.startswith(c.casefold()) or c.casefold().startswith(wanted))
    ]
    return max(shared, key=len) if shared else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for the :func:`closest` of ``options``, or nothing."""
    close = closest(word, options)
    return f"; mente du {quoted(close)}?" if close else ""


def _unknown(key: str, parent: Any, *, top: bool) -> str:
    """ "unknown key 'x'; did you mean 'y'?" with the closest valid key, if one is close."""
    table = _model_of(parent)
    valid = list(table.model_fields) if table is not None else []
    what = "tabel" if top and table is not None and _is_all_tables(table) else "nøgle"
    shown = f"[{_toml_key(key)}]" if what == "tabel" else quoted(key)
    close = closest(key, valid)
    if close:
        suggestion = f"[{close}]" if what == "tabel" else quoted(close)
        return f"ukendt {what} {shown}; mente du {suggestion}?"
    if valid:
        listed = ", ".join(f"[{v}]" if what == "tabel" else v for v in valid)
        return f"ukendt {what} {shown}; forventede en af {listed}"
    return f"ukendt {what} {shown}"


def _is_all_tables(model: type[TableModel]) -> bool:
    return all(
        _model_of(f.annotation) is not None or get_origin(_unoptional(f.annotation)) in (dict, list)
        for f in model.model_fields.values()
    )
