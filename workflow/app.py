"""Wiring real parts together: settings, the database and the shared rulebook."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from council.cases.db import Database
from council.cases.errors import AttachmentStoreError
from council.config.settings import Settings, load_settings
from council.workflow.machine import Rulebook, shared_rulebook

if TYPE_CHECKING:
    from council.cases.attachment_files import AttachmentStore
    from council.cases.importers.phrases import PhraseTable


@dataclass
class App:
    """What a face (the CLI, later the web app) needs, built lazily from one Settings."""

    settings: Settings = field(default_factory=load_settings)

    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_url, busy_timeout_ms=self.settings.busy_timeout_ms)

    @cached_property
    def rulebook(self) -> Rulebook:
        return shared_rulebook(self.settings.workflow_file)

    @cached_property
    def phrase_table(self) -> PhraseTable:
        """The decision phrases (``decision_phrases.toml``), each outcome a workflow state."""
        from council.cases.importers.phrases import load_phrase_table

        return load_phrase_table(
            self.settings.decision_phrases_file, known_outcomes=self.rulebook.definition.states
        )

    def attachment_store(self) -> AttachmentStore:
        """The folder of the attachments' files: ``COUNCIL_ATTACHMENT_DIR``, else beside
        an SQLite database (``council.db`` -> ``council.attachments/``); refused for
        another database without the setting."""
        store = self.attachment_store_if_any()
        if store is None:
            raise AttachmentStoreError(
                "bilagenes filer kræver en mappe: sæt COUNCIL_ATTACHMENT_DIR (databasen "
                f"i {self.database.describe()} er ingen SQLite-fil, de kunne ligge ved siden af)"
            )
        return store

    def attachment_store_if_any(self) -> AttachmentStore | None:
        from council.cases.attachment_files import AttachmentStore

        if self.settings.attachment_dir is not None:
            return AttachmentStore(self.settings.attachment_dir.expanduser())
        path = self.database.path
        if path is None:
            return None
        return AttachmentStore(path.with_name(path.stem + ".attachments"))

    def initialised_database(self) -> Database:
        """The database, refusing with a hint if it has not been initialised."""
        self.database.require_initialised()
        return self.database
