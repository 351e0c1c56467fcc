"""Types shared by every domain: bilingual text."""

from __future__ import annotations

import strawberry

from coordhub.workflow.inputs import Localized


@strawberry.type(description="Text in Khmer (`km`) and English (`en`).")
class LocalizedText:
    km: str = strawberry.field(description="Khmer.")
    en: str = strawberry.field(description="English.")


@strawberry.input(description="Text in Khmer (`km`) and English (`en`); both are required.")
class LocalizedTextInput:
    km: str = strawberry.field(description="Khmer.")
    en: str = strawberry.field(description="English.")

    def to_localized(self) -> Localized:
        return Localized(km=self.km, en=self.en)
