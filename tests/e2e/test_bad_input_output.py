"""What the CLI prints of hostile text: never markup, never control characters, never a
closed item's secrets, never a formula for a spreadsheet to run."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")

# What the terminal must never receive: C0 controls but line feed, DEL, C1, bidi controls.
TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` as a terminal must show it: a tab is a space, a CRLF a line feed, every
    other control character is gone."""
    return TERMINAL_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\t", " "))


def assert_terminal_safe(result: CliResult) -> None:
    for stream in (result.out, result.err):
        assert TERMINAL_CONTROLS.search(stream) is None, repr(stream)
        assert "Traceback" not in stream, stream


def ok(council: Council, *args: str) -> CliResult:
    result = council(*args)
    assert result.code == 0, (args, result.err)
    assert_terminal_safe(result)
    return result


def committees_file(tmp_path: Path, name: str, *, code: str = "TST") -> Path:
    """A committees file with one committee named ``name`` (every character escaped)."""
    path = tmp_path / f"committees-{code}.toml"
    path.write_text(
        "[[committee]]\n"
        f'code = "{code}"\n'
        f"name = {json.dumps(name)}\n"  # ASCII only: TOML reads JSON's \\uXXXX escapes
        'administration = "Forvaltningen"\n'
        'secretariat_email = "sekretariat@kk.example"\n',
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------------------ markup


MARKUP_TITLE = "[/bold] oops"


def test_a_title_that_looks_like_markup_is_printed_as_typed_and_every_view_of_it_works(
    council: Council,
) -> None:
    ok(council, "init", *A)
    created = ok(council, "case", "new", "--number", "2010-1", "--title", MARKUP_TITLE,
                 "--owner", "Ejer [/]", *A)  # fmt: skip
    assert f"sag 2010-1 oprettet: {MARKUP_TITLE}" in created.out
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A)
    drafted = ok(council, "item", "draft", "--case", "2010-1", "--committee", "BIU",
                 "--kind", "beslutning", "--title", MARKUP_TITLE, *A)  # fmt: skip
    assert MARKUP_TITLE in drafted.out
    ok(council, "item", "present", "1", "--meeting", "1", *A)
    decided = ok(council, "item", "decide", "1", "godkendt", "--text", "[bold]Godkendt[/]", *A)
    assert "«[bold]Godkendt[/]»" in decided.out

    case = ok(council, "case", "show", "2010-1")
    assert f"Sag 2010-1: {MARKUP_TITLE}" in case.out and "Ejer: Ejer [/]" in case.out
    assert MARKUP_TITLE in ok(council, "item", "show", "1").out
    meeting = ok(council, "meeting", "show", "1")
    assert MARKUP_TITLE in meeting.out and "[bold]Godkendt[/]" in meeting.out
    assert "[bold]Godkendt[/]" in ok(council, "history", "2010-1").out


@pytest.mark.parametrize(
    "title",
    [
        "Orientering [udkast] om budget",
        "[link=file:///etc/passwd]x[/link]",
        "Møde :thumbs_up: [red]rød[/red] \\[escaped]",
    ],
)
def test_brackets_and_emoji_codes_in_user_text_are_never_eaten(
    council: Council, title: str
) -> None:
    ok(council, "init", *A)
    ok(council, "case", "new", "--number", "2010-1", "--title", title, "--owner", "SOF", *A)
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23",
       "--place", title, *A)  # fmt: skip
    ok(council, "item", "draft", "--case", "2010-1", "--committee", "BIU", "--kind",
       "orientering", "--title", title, *A)  # fmt: skip
    ok(council, "item", "present", "1", "--meeting", "1", *A)
    assert title in ok(council, "case", "show", "2010-1").out
    meeting = ok(council, "meeting", "show", "1")
    assert title in meeting.out
    assert f", {title} (ikke afholdt)" in meeting.out


def test_the_closed_marker_shows_in_an_internal_meeting_view(council: Council) -> None:
    ok(council, "init", *A)
    ok(council, "case", "new", "--number", "2010-1", "--title", "Sag", "--owner", "SOF", *A)
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A)
    ok(council, "item", "draft", "--case", "2010-1", "--committee", "BIU", "--kind",
       "beslutning", "--title", "Personsag", "--closed", *A)  # fmt: skip
    ok(council, "item", "present", "1", "--meeting", "1", *A)
    internal = ok(council, "meeting", "show", "1", "--internal")
    assert "Personsag (lukket punkt)" in internal.out


def test_an_actor_and_a_committee_name_in_markup_are_printed_as_written(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "[/bold]Udvalget [for] :smile: teknik"
    monkeypatch.setenv("COUNCIL_COMMITTEES_FILE", str(committees_file(tmp_path, name)))
    actor = ("--actor", "[/] Anna [sekretariatet]")
    ok(council, "init", *actor)
    ok(council, "case", "new", "--number", "2010-1", "--title", "Sag", "--owner", "SOF", *actor)
    ok(council, "meeting", "new", "--committee", "TST", "--date", "2010-02-23", *actor)
    ok(council, "item", "draft", "--case", "2010-1", "--committee", "TST", "--kind",
       "orientering", "--title", "Status", *actor)  # fmt: skip
    ok(council, "item", "present", "1", "--meeting", "1", *actor)
    ok(council, "item", "decide", "1", "taget til efterretning", *actor)
    assert name in ok(council, "meeting", "show", "1").out
    item = ok(council, "item", "show", "1")
    assert f"{name} (TST)" in item.out and "[/] Anna [sekretariatet]" in item.out
    assert "[/] Anna" in ok(council, "history", "2010-1").out  # a table cell may wrap
    rows = json.loads(ok(council, "history", "2010-1", "--json").out)
    assert {row["actor"] for row in rows} == {"[/] Anna [sekretariatet]"}


def test_an_imported_file_whose_title_looks_like_markup_imports_and_prints(
    council: Council, shared_dir: Path, tmp_path: Path
) -> None:
    seed = (shared_dir / "seeds" / "agenda-item-biu-2010-4130.txt").read_text(encoding="utf-8")
    original = "Status på partnerskabsaftale med Dansk Flytningshjælp"
    assert original in seed
    hostile = tmp_path / "agenda-item-biu-2010-4130.txt"
    hostile.write_text(seed.replace(original, "[/bold] Status [udkast]", 1), encoding="utf-8")
    ok(council, "init", *A)
    imported = ok(council, "import", "text", str(hostile), "--actor", "[/] import")
    assert "[/bold] Status [udkast]" in imported.out
    assert "[/bold] Status [udkast]" in ok(council, "case", "show", "2010-4130").out
    assert "[/] import" in ok(council, "history", "2010-4130").out


# ------------------------------------------------------------------------------ controls


def test_control_characters_in_user_text_never_reach_the_terminal(council: Council) -> None:
    title = "Klar\x1b[2J\x1b]8;;x\x07skærm\r\u202eLIF\x9b1m\tslut"
    ok(council, "init", *A)
    created = ok(council, "case", "new", "--number", "2010-1", "--title", title,
                 "--owner", "SOF\x1b[31m", *A)  # fmt: skip
    assert visible(title) in created.out
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A)
    ok(council, "item", "draft", "--case", "2010-1", "--committee", "BIU", "--kind",
       "beslutning", "--title", title, "--problem", f"Linje et\r\n{title}", *A)  # fmt: skip
    ok(council, "item", "present", "1", "--meeting", "1", *A)
    ok(council, "item", "decide", "1", "godkendt", "--text", f"Godkendt\x1b[8m{title}", *A)
    item = ok(council, "item", "show", "1")
    assert f"Linje et\n{visible(title)}" in item.out  # a multi-line text keeps its lines
    for args in (
        ("case", "show", "2010-1"),
        ("meeting", "show", "1"),
        ("history", "2010-1"),
        ("render", "item", "1"),
        ("render", "minutes", "1"),
    ):
        assert visible(title) in ok(council, *args).out, args
    # the machine formats keep the text as recorded, escaped where JSON escapes
    rows = json.loads(ok(council, "history", "2010-1", "--json").out)
    assert rows[-1]["text"] == f"Godkendt\x1b[8m{title}"


def test_an_error_quoting_hostile_input_is_one_clean_line(council: Council) -> None:
    ok(council, "init", *A)
    result = council("case", "show", "[/bold]\x1b[2J:smile:")
    assert result.code != 0
    assert result.err == "fejl: ukendt sag '[/bold][2J:smile:'; opret den med 'council case new'\n"


# ------------------------------------------------------------------------------ property

SPECIAL = st.sampled_from(
    [
        "[", "]", "[/]", "[b]", "[/bold]", "[link=x]", "[/link]", ":smile:", "\\[",
        "\x1b[31m", "\x1b]8;;", "\x07", "\x08", "\t", "\r", "\x0b", "\x7f", "\x85", "\x9b",
        "\u202e", "\u2066", "<b>", "&amp;", "%s", "{0}", "{{", "'", '"', "=", "@",
    ]
)  # fmt: skip
PLAIN = st.text(alphabet="abcxyzæøåÆØÅéü€— -_./#*()|~^+!?0123456789", max_size=4)
HOSTILE = st.lists(st.one_of(SPECIAL, PLAIN), min_size=1, max_size=3).map(
    lambda parts: "A" + "".join(parts) + "Z"  # letters at both ends: nothing to strip
)
SHORT_HOSTILE = st.lists(st.one_of(SPECIAL, PLAIN), min_size=1, max_size=2).map(
    lambda parts: "A" + "".join(parts) + "Z"
)
# An actor name with a control or invisible character is refused when it is given
# (tests/e2e/test_bad_input_destructive.py); one in markup is recorded and shown as written.
HOSTILE_ACTOR = st.lists(
    st.one_of(SPECIAL.filter(str.isprintable), PLAIN), min_size=1, max_size=2
).map(lambda parts: "A" + "".join(parts) + "Z")


@pytest.fixture
def fresh() -> Iterator[int]:
    return count(1)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=HOSTILE, actor=HOSTILE_ACTOR, name=SHORT_HOSTILE)
def test_every_command_prints_hostile_text_verbatim_without_controls_and_never_crashes(
    council: Council,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh: Iterator[int],
    text: str,
    actor: str,
    name: str,
) -> None:
    n = next(fresh)
    monkeypatch.setenv("COUNCIL_COMMITTEES_FILE", str(committees_file(tmp_path, f"U{name}")))
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    who = ("--actor", actor)
    case = f"2010-{n}"
    on = date(2010, 1, 1) + timedelta(days=n)

    def run(*args: str) -> str:
        result = council(*args)
        assert result.code == 0, (args, result.err)
        assert_terminal_safe(result)
        return result.out

    def shows(out: str, *texts: str) -> None:
        for shown in texts:
            assert visible(shown) in out, (visible(shown), out)

    run("init", *who)
    shows(run("case", "new", "--number", case, "--title", text, "--owner", text, *who), text)
    shows(run("case", "show", case), text)
    item = run("item", "draft", "--case", case, "--committee", "TST", "--kind", "beslutning",
               "--title", text, "--summary", text, "--point", text, "--problem", text,
               "--signature", text, "--attachment", text, *who)  # fmt: skip
    shows(item, text)
    item_id = re.search(r"punkt-id (\d+) oprettet som udkast", item).group(1)  # type: ignore[union-attr]
    meeting = run("meeting", "new", "--committee", "TST", "--date", on.isoformat(),
                  "--place", text, *who)  # fmt: skip
    meeting_id = re.search(r"møde (\d+) oprettet", meeting).group(1)  # type: ignore[union-attr]
    run("item", "present", item_id, "--meeting", meeting_id, *who)
    shows(run("item", "decide", item_id, "godkendt", "--text", text, *who), text)

    shows(run("item", "show", item_id), text, f"U{name}", actor)
    shows(run("meeting", "show", meeting_id), text, f"U{name}")
    shows(run("history", case), text, actor)
    shows(run("render", "item", item_id), text)
    shows(run("render", "minutes", meeting_id), text)
    shows(run("render", "history", case), text, actor)
    records = json.loads(run("history", case, "--json"))
    assert records[-1]["text"] == text and records[-1]["actor"] == actor
    cells = list(csv.reader(io.StringIO(run("history", case, "--csv"), newline="")))
    assert cells[-1][10] in (visible(text), "'" + visible(text))
    assert cells[-1][12] in (visible(actor), "'" + visible(actor))

    run("obligation", "add", "--case", case, "--committee", "TST", "--from", "2009-01-01",
        "--to", "2009-12-31", "--about", text, "--recipient", "a@kk.example", *who)  # fmt: skip
    run("obligations", "--at", "2009-11-01")
    swept = run("reminders", "run", "--now", "2009-11-01T08:00")
    shows(swept, " ".join(f"U{name}".split()))  # a subject is one line, its spaces single
    run("reminders", "list")  # a table whose subjects wrap: it must print, safely


# ------------------------------------------------------------------------------ closed items

SECRET_TITLE = "HEMMELIG TITEL om NN"
SECRET_TEXT = "HEMMELIG BESLUTNING om NN"
SECRET_CASE = "2010-77"


@pytest.fixture
def closed_case(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """Case 2010-77 with an open item 1 and a closed item 2 (linked to a status obligation),
    both before BIU on 26.01.2010; item 2 postponed there with a secret decision text, and
    offered to the next BIU meeting; one reminder sweep delivered to a Maildir."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    steps = [
        ("init", *A),
        ("case", "new", "--number", SECRET_CASE, "--title", "Offentlig sag", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-01-26", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        ("item", "draft", "--case", SECRET_CASE, "--committee", "BIU", "--kind",
         "orientering", "--title", "Åbent punkt", *A),
        ("item", "draft", "--case", SECRET_CASE, "--committee", "BIU", "--kind", "beslutning",
         "--title", SECRET_TITLE, "--closed", "--summary", SECRET_TITLE, *A),
        ("obligation", "add", "--case", SECRET_CASE, "--committee", "BIU", "--from",
         "2008-08-01", "--to", "2010-12-31", *A),
        ("obligation", "link", "1", "--item", "2", *A),
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "present", "2", "--meeting", "1", *A),
        ("item", "decide", "1", "taget til efterretning", *A),
        ("item", "decide", "2", "udsat", "--text", SECRET_TEXT, *A),
        ("meeting", "close", "1", *A),
        ("reminders", "run", "--now", "2010-02-01T08:00"),
    ]  # fmt: skip
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
        assert SECRET_TITLE not in result.out + result.err, step
        assert SECRET_TEXT not in result.out + result.err, step
    return council


PUBLIC_COMMANDS = [
    ("history", SECRET_CASE),
    ("history", SECRET_CASE, "--csv"),
    ("history", SECRET_CASE, "--excel"),
    ("history", SECRET_CASE, "--json"),
    ("case", "show", SECRET_CASE),
    ("item", "show", "2"),
    ("meeting", "show", "1"),
    ("meeting", "show", "2"),
    ("render", "agenda", "1"),
    ("render", "minutes", "1"),
    ("render", "minutes", "1", "--format", "html"),
    ("render", "history", SECRET_CASE),
    ("render", "history", SECRET_CASE, "--format", "html"),
    ("render", "item", "2"),
    ("obligations", "--at", "2010-02-01"),
    ("reminders", "list"),
]


def mails(folder: Path) -> list[Message]:
    return [message_from_bytes(path.read_bytes()) for path in sorted((folder / "new").iterdir())]


def body_of(message: Message) -> str:
    return "\n".join(
        part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for part in message.walk()
        if not part.is_multipart()
    )


def test_no_public_output_and_no_mail_holds_a_closed_items_title_or_decision(
    closed_case: Council, tmp_path: Path
) -> None:
    for args in PUBLIC_COMMANDS:
        result = closed_case(*args)
        assert result.code == 0, (args, result.err)
        everything = result.out + result.err
        assert SECRET_TITLE not in everything, args
        assert SECRET_TEXT not in everything, args
    sent = mails(tmp_path / "mail")
    assert sent, "the sweep delivered no reminder"
    for message in sent:
        body = body_of(message)
        assert SECRET_TITLE not in body and SECRET_TEXT not in body
        assert "punkt 2: Lukket punkt" in body
        assert SECRET_TITLE not in str(message["Subject"])


def test_a_closed_item_is_shown_publicly_only_by_its_number_and_lukket_punkt(
    closed_case: Council,
) -> None:
    case = closed_case("case", "show", SECRET_CASE).out
    assert re.search(r"│ 2 +│ BIU +│ Lukket punkt +│ +│ +│", case), case
    item = closed_case("item", "show", "2").out
    assert item.startswith("Lukket punkt\n") and "--internal" in item
    meeting = closed_case("meeting", "show", "1").out
    assert re.search(r"│ 2 +│ 2 +│ +│ Lukket punkt +│ +│ +│", meeting), meeting
    offered = closed_case("meeting", "show", "2").out
    assert "udsat punkt: punkt-id 2 Lukket punkt — udsat fra mødet den 26.01.2010" in offered
    table = closed_case("history", SECRET_CASE).out
    assert table.count("Lukket punkt") == 2  # its presentation and its decision
    rows = json.loads(closed_case("history", SECRET_CASE, "--json").out)
    closed = [row for row in rows if row["item"] == 2]
    assert [row["closed"] for row in closed] == [True, True]
    assert {row["text"] for row in closed} == {None}
    assert {row["to_state"] for row in closed} == {None}
    assert [row["agenda_number"] for row in closed] == [2, 2]


def test_internal_output_shows_the_closed_item_in_full_and_marks_it(
    closed_case: Council,
) -> None:
    for args in (
        ("history", SECRET_CASE, "--internal"),
        ("history", SECRET_CASE, "--json", "--internal"),
        ("history", SECRET_CASE, "--csv", "--internal"),
        ("item", "show", "2", "--internal"),
        ("meeting", "show", "1", "--internal"),
        ("render", "minutes", "1", "--internal"),
    ):
        result = closed_case(*args)
        assert result.code == 0, (args, result.err)
        assert SECRET_TEXT in result.out, args
    assert f"{SECRET_TITLE} (lukket punkt)" in closed_case("case", "show", SECRET_CASE,
                                                           "--internal").out  # fmt: skip
    assert f"{SECRET_TITLE} (lukket punkt)" in closed_case("meeting", "show", "1",
                                                           "--internal").out  # fmt: skip
    assert "(lukket punkt)" in closed_case("history", SECRET_CASE, "--internal").out
    rows = json.loads(closed_case("history", SECRET_CASE, "--json", "--internal").out)
    assert [row["text"] for row in rows if row["item"] == 2] == [None, SECRET_TEXT]
    assert [row["closed"] for row in rows if row["item"] == 2] == [True, True]


# ------------------------------------------------------------------------------ spreadsheets

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def formulas(council: Council) -> Council:
    """Case 2010-5: one item decided once per formula-like decision text (by a formula-like
    actor), each on its own meeting."""
    steps: list[tuple[str, ...]] = [
        ("init", *A),
        ("case", "new", "--number", "2010-5", "--title", "Sag", "--owner", "SOF", *A),
    ]
    for n, formula in enumerate(FORMULAS, start=1):
        steps += [
            ("meeting", "new", "--committee", "BIU", "--date", f"2010-03-{n:02d}", *A),
            ("item", "draft", "--case", "2010-5", "--committee", "BIU", "--kind",
             "beslutning", "--title", formula, *A),
            ("item", "present", str(n), "--meeting", str(n), *A),
            ("item", "decide", str(n), "godkendt", "--text", formula,
             "--actor", "=cmd|' /C calc'!A0"),
        ]  # fmt: skip
    for step in steps:
        assert council(*step).code == 0, step
    return council


def test_history_csv_prefixes_every_cell_a_spreadsheet_would_run_as_a_formula(
    formulas: Council,
) -> None:
    stored = json.loads(formulas("history", "2010-5", "--json").out)
    out = formulas("history", "2010-5", "--csv").out
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [row["seq"] for row in rows] == [str(record["seq"]) for record in stored]
    decided = [(row, record) for row, record in zip(rows, stored, strict=True) if record["text"]]
    assert len(decided) == len(FORMULAS)
    for row, record in decided:
        assert record["text"] in FORMULAS  # the record keeps what was typed
        assert row["text"] == "'" + visible(record["text"])  # a tab is a space in a cell
        assert row["actor"] == "'=cmd|' /C calc'!A0"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_history_for_a_danish_excel_is_utf8_with_bom_semicolons_danish_and_local_time(
    formulas: Council,
) -> None:
    result = formulas("history", "2010-5", "--excel")
    assert result.code == 0, result.err
    raw = result.out.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "\r\n" in result.out
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [
        "Nr.", "Punkt-id", "Udvalg", "Møde-id", "Mødedato", "Dagsordenspunkt", "Handling",
        "Fra status", "Til status", "Udfald", "Beslutning", "Beslutningsdato",
        "Registreret af", "Registreret", "Lukket punkt",
    ]  # fmt: skip
    stored = {r["seq"]: r for r in json.loads(formulas("history", "2010-5", "--json").out)}
    copenhagen = ZoneInfo("Europe/Copenhagen")
    decisions = []
    for cells in body:
        row = dict(zip(header, cells, strict=True))
        record = stored[int(row["Nr."])]
        local = datetime.fromisoformat(record["recorded_at"]).astimezone(copenhagen)
        assert row["Registreret"] == local.strftime("%Y-%m-%d %H:%M:%S")
        assert row["Udvalg"] == "BIU" and row["Lukket punkt"] == "nej"
        assert row["Mødedato"] == record["meeting_date"]
        if record["text"] is not None:
            decisions.append(row)
            assert row["Handling"] == "Beslutning" and row["Til status"] == "Godkendt"
            assert row["Beslutning"] == "'" + visible(record["text"])
            assert row["Registreret af"] == "'=cmd|' /C calc'!A0"
        else:
            assert row["Handling"] == "Forelagt" and row["Til status"] == "Forelagt"
    assert len(decisions) == len(FORMULAS)
