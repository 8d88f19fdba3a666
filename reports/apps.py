from __future__ import annotations

import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # WeasyPrint logs every rendering step at INFO (even on import); keep logs readable.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        from reports import figures

        figures.connect()
