"""The registration service's messages in Kazakh, Russian and English (problem titles, details and
field messages). Imported by app.py so they are registered before the first request."""

from shared.i18n import register_messages

register_messages(
    {
        "already_decided.title": {
            "kk": "Шешім қабылданып қойған",
            "ru": "Решение уже принято",
            "en": "Already decided",
        },
        "already_decided.detail": {
            "kk": "Өтініш бойынша шешім бұрын қабылданған (мәртебесі: {status}).",
            "ru": "По заявлению уже принято решение (статус: {status}).",
            "en": "The application has already been decided (status: {status}).",
        },
        "person_not_found.title": {
            "kk": "Тұлға табылмады",
            "ru": "Лицо не найдено",
            "en": "Person not found",
        },
        "person_not_found.detail": {
            "kk": "Бұл тұлғаның келуі туралы хабарлама жоқ.",
            "ru": "О прибытии этого лица уведомлений нет.",
            "en": "No arrival of this person has been notified.",
        },
        "validation.invitation_unknown": {
            "kk": "Мұндай шақыру жоқ немесе ол жарамсыз",
            "ru": "Такого приглашения нет или оно недействительно",
            "en": "No valid invitation has this number",
        },
        "validation.not_invited": {
            "kk": "Өтініш беруші бұл шақыруда көрсетілмеген",
            "ru": "Заявитель не указан в этом приглашении",
            "en": "The applicant is not an invitee of this invitation",
        },
        "validation.reason_required": {
            "kk": "Бас тарту себебін көрсетіңіз",
            "ru": "Укажите причину отказа",
            "en": "A refusal needs a reason",
        },
        "validation.person_identity": {
            "kk": "person_id немесе төлқұжат нөмірін, азаматтықты және туған күнді беріңіз",
            "ru": "Укажите person_id либо номер паспорта, гражданство и дату рождения",
            "en": "Give person_id, or passport number, citizenship and birth date",
        },
        "validation.basis_number": {
            "kk": "Негіздің түріне сәйкес нөмірді беріңіз",
            "ru": "Укажите номер, соответствующий виду основания",
            "en": "Give the number that matches the kind of basis",
        },
        "validation.date_past": {
            "kk": "Күн өткен уақытта болмауы керек",
            "ru": "Дата не может быть в прошлом",
            "en": "The date must not be in the past",
        },
        "validation.before_entry": {
            "kk": "Шығу күні соңғы келу күнінен ({entry}) бұрын болмауы керек",
            "ru": "Дата выезда не может быть раньше последнего въезда ({entry})",
            "en": "The exit date must not be before the last entry ({entry})",
        },
    }
)
