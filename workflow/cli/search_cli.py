"""``council search TEXT``: cases and items by their words, ranked, with a snippet."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import INTERNAL_OPTION
from council.workflow.cli.usage import UsageMistake


def search(
    text: str = typer.Argument(
        None,
        metavar="TEXT",
        help='Ord at finde (dem alle); "ord sammen", a or b, -ord for at udelade.',
    ),
    as_json: bool = typer.Option(False, "--json", help="Fundene som JSON, til maskiner."),
    limit: int = typer.Option(20, "--limit", help="Højst så mange fund (1 til 200)."),
    reindex: bool = typer.Option(
        False, "--reindex", help="Byg søgeindekset igen ud fra registreringerne, og stop så."
    ),
    internal: bool = INTERNAL_OPTION,
) -> None:
    app = runtime.app()
    if reindex:
        if text is not None:
            raise UsageMistake("--reindex tager ingen søgetekst")
        from council.workflow.services.search import reindex as rebuild

        count = rebuild(app.initialised_database().unit_of_work())
        terminal.say(
            f"søgeindekset er bygget igen: {count} dele (sager, punkter, beslutninger, bilag)"
        )
        return
    if text is None:
        raise UsageMistake("angiv en TEKST at søge efter (eller --reindex)")
    from council.workflow.read_models.search import search as find
    from council.workflow.visibility import audience

    hits = find(
        app.initialised_database(),
        app.rulebook,
        text,
        audience=audience(internal=internal),
        limit=limit,
    )
    if as_json:
        from council.workflow.read_models.json_form import json_text

        runtime.write_bytes(json_text([hit.as_record() for hit in hits]))
        return
    if not hits:
        terminal.say(f"intet fundet for «{text.strip()}»")
        return
    terminal.say(f"{len(hits)} fundet for «{text.strip()}», det bedste først:")
    for hit in hits:
        if hit.item_id is None:
            terminal.say(f"\n{hit.rank}. ", (f"Sag {hit.case_number}: {hit.case_title}", "bold"))
        else:
            terminal.say(
                f"\n{hit.rank}. ",
                (hit.title, "bold"),
                f"  (punkt-id {hit.item_id} · {hit.committee_code} · sag {hit.case_number} · "
                f"{hit.state})",
            )
        parts: list[terminal.Part] = [f"   {hit.found_in}: "]
        parts += [(f.text, "bold underline") if f.found else f.text for f in hit.snippet]
        terminal.say(*parts)
