"""The typed report model: immutable attrs classes, one per section, table and row kind.

The 2019 and 2021 templates have their own classes where their shapes differ
(:mod:`.v2019`, :mod:`.v2021`) and share the rest (:mod:`.common`).
"""

from disclosure_schema.model.cells import (
    TEMPLATES,
    CellValue,
    Report,
    Template,
    cell_kinds,
    cell_value,
    cells,
    empty_report,
    report_class,
)
from disclosure_schema.model.common import (
    AppealRow,
    Appeals,
    ApplicantRow,
    ExtraRow,
    Meta,
    NotProcessed,
    Prose,
    ProsePart,
    Unavailable,
    Withheld,
    WrittenValue,
)
from disclosure_schema.model.v2019 import (
    FeeItemRow2019,
    ItemRow2019,
    Outcomes2019,
    Proactive2019,
    ProcurementRow2019,
    PublicationRow2019,
    Report2019,
    Requests2019,
)
from disclosure_schema.model.v2021 import (
    DecisionRow2021,
    FeeAmountRow2021,
    OtherProcessing2021,
    Outcomes2021,
    Proactive2021,
    PublicationRow2021,
    Report2021,
    Requests2021,
)

__all__ = [
    "TEMPLATES",
    "AppealRow",
    "Appeals",
    "ApplicantRow",
    "CellValue",
    "DecisionRow2021",
    "ExtraRow",
    "FeeAmountRow2021",
    "FeeItemRow2019",
    "ItemRow2019",
    "Meta",
    "NotProcessed",
    "OtherProcessing2021",
    "Outcomes2019",
    "Outcomes2021",
    "Proactive2019",
    "Proactive2021",
    "ProcurementRow2019",
    "Prose",
    "ProsePart",
    "PublicationRow2019",
    "PublicationRow2021",
    "Report",
    "Report2019",
    "Report2021",
    "Requests2019",
    "Requests2021",
    "Template",
    "Unavailable",
    "Withheld",
    "WrittenValue",
    "cell_kinds",
    "cell_value",
    "cells",
    "empty_report",
    "report_class",
]
