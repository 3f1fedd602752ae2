"""Messages of the cases module in Kazakh, Russian and English.

Registration registers the same code with the same texts: in the embedded default every service
shares one process and one catalogue."""

from shared.i18n import register_messages

register_messages(
    {
        "case.not_found.title": {
            "kk": "Іс табылмады",
            "ru": "Дело не найдено",
            "en": "Case not found",
        },
        "case.not_found.detail": {
            "kk": "Бұл нөмірмен «бір терезе» ісі жоқ.",
            "ru": "Дела «одного окна» с таким номером нет.",
            "en": "There is no one-window case with this number.",
        },
    }
)
