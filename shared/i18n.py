"""Messages in Kazakh, Russian and English, chosen by `Accept-Language`."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"

_MESSAGES: dict[str, dict[str, str]] = {}


def register_messages(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Adds a catalogue of `code -> {kk, ru, en}`; every message must have all three languages."""
    for code, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {code!r} lacks {missing}")
        _MESSAGES[code] = dict(texts)


def has_message(code: str) -> bool:
    return code in _MESSAGES


def translate(code: str, language: str, **params: object) -> str:
    texts = _MESSAGES.get(code)
    if texts is None:
        return code
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def negotiate_language(accept_language: str | None) -> str:
    """The best of kk, ru, en for an `Accept-Language` header (q-values respected)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary == "kz":  # a common mistake for Kazakh
            primary = "kk"
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


register_messages(
    {
        "validation.title": {
            "kk": "Сұраныс дұрыс емес",
            "ru": "Некорректный запрос",
            "en": "The request is not valid",
        },
        "validation.detail": {
            "kk": "Сұраныстың {count} өрісінде қате бар; ештеңе өзгертілмеді.",
            "ru": "В запросе ошибок: {count}; ничего не изменено.",
            "en": "The request has {count} invalid field(s); nothing was changed.",
        },
        "validation.missing": {
            "kk": "Міндетті өріс толтырылмаған",
            "ru": "Обязательное поле не заполнено",
            "en": "This field is required",
        },
        "validation.invalid": {
            "kk": "Мәні дұрыс емес",
            "ru": "Недопустимое значение",
            "en": "The value is not valid",
        },
        "validation.choice": {
            "kk": "Рұқсат етілген мәндердің бірі болуы керек: {expected}",
            "ru": "Допустимые значения: {expected}",
            "en": "Must be one of: {expected}",
        },
        "validation.date": {
            "kk": "Күн ЖЖЖЖ-АА-КК пішімінде болуы керек",
            "ru": "Дата должна быть в формате ГГГГ-ММ-ДД",
            "en": "A date in the form YYYY-MM-DD is expected",
        },
        "validation.number": {
            "kk": "Сан күтілген",
            "ru": "Ожидается число",
            "en": "A number is expected",
        },
        "validation.text": {
            "kk": "Мәтін күтілген",
            "ru": "Ожидается строка",
            "en": "A text value is expected",
        },
        "validation.too_short": {
            "kk": "Тым қысқа (кемінде {min_length})",
            "ru": "Слишком коротко (минимум {min_length})",
            "en": "Too short (at least {min_length})",
        },
        "validation.too_long": {
            "kk": "Тым ұзын (ең көбі {max_length})",
            "ru": "Слишком длинно (максимум {max_length})",
            "en": "Too long (at most {max_length})",
        },
        "validation.pattern": {
            "kk": "Мәннің пішімі дұрыс емес",
            "ru": "Неверный формат значения",
            "en": "The value does not have the expected format",
        },
        "validation.extra": {
            "kk": "Белгісіз өріс",
            "ru": "Неизвестное поле",
            "en": "Unknown field",
        },
        "validation.json": {
            "kk": "Сұраныс денесі жарамды JSON емес",
            "ru": "Тело запроса не является корректным JSON",
            "en": "The request body is not valid JSON",
        },
        "not_found.title": {
            "kk": "Табылмады",
            "ru": "Не найдено",
            "en": "Not found",
        },
        "not_found.detail": {
            "kk": "Сұралған ресурс жоқ",
            "ru": "Запрошенный ресурс не существует",
            "en": "The requested resource does not exist",
        },
        "idempotency.conflict.title": {
            "kk": "Idempotency-Key басқа сұраныспен қолданылған",
            "ru": "Idempotency-Key уже использован с другим запросом",
            "en": "Idempotency-Key already used with a different request",
        },
        "idempotency.conflict.detail": {
            "kk": "Бұл кілт басқа мазмұнды сұраныс үшін пайдаланылған; жаңа кілт жіберіңіз.",
            "ru": "Этот ключ уже использован для запроса с другим содержимым; пришлите новый ключ.",
            "en": "This key was used for a request with other content; send a new key.",
        },
        "unavailable.title": {
            "kk": "Қызмет уақытша қолжетімсіз",
            "ru": "Сервис временно недоступен",
            "en": "The service is temporarily unavailable",
        },
        "unavailable.detail": {
            "kk": "Дерекқор уақытша қолжетімсіз; ештеңе өзгертілмеді. Кейінірек қайталаңыз.",
            "ru": "База данных временно недоступна; ничего не изменено. Повторите позже.",
            "en": "The database is temporarily unavailable; nothing was changed. Retry later.",
        },
        "conflict.title": {
            "kk": "Бір уақыттағы өзгеріс",
            "ru": "Одновременное изменение",
            "en": "Concurrent change",
        },
        "conflict.detail": {
            "kk": "Бұл жазба дәл қазір басқа сұраныспен өзгертілді; ештеңе өзгертілмеді. "
            "Қайталаңыз.",
            "ru": "Эту запись только что изменил другой запрос; ничего не изменено. Повторите.",
            "en": "Another request changed this record at the same moment; nothing was changed. "
            "Retry.",
        },
        "internal.title": {
            "kk": "Ішкі қате",
            "ru": "Внутренняя ошибка",
            "en": "Internal error",
        },
        "internal.detail": {
            "kk": "Күтпеген қате; ол тіркелді.",
            "ru": "Непредвиденная ошибка; она зарегистрирована.",
            "en": "An unexpected error occurred; it has been logged.",
        },
        "method_not_allowed.title": {
            "kk": "Әдіс рұқсат етілмеген",
            "ru": "Метод не разрешён",
            "en": "Method not allowed",
        },
    }
)

register_messages(
    {
        "validation.iin_invalid": {
            "kk": "ЖСН 12 цифрдан тұруы және бақылау цифры дұрыс болуы керек",
            "ru": "ИИН должен состоять из 12 цифр с верной контрольной цифрой",
            "en": "An IIN has 12 digits and a valid control digit",
        },
        "validation.bin_invalid": {
            "kk": "БСН 12 цифрдан тұруы және бақылау цифры дұрыс болуы керек",
            "ru": "БИН должен состоять из 12 цифр с верной контрольной цифрой",
            "en": "A BIN has 12 digits and a valid control digit",
        },
        "validation.citizenship_unknown": {
            "kk": "Азаматтық ISO 3166-1 alpha-3 кодымен берілуі керек (мысалы, UZB)",
            "ru": "Гражданство указывается кодом ISO 3166-1 alpha-3 (например, UZB)",
            "en": "Citizenship is an ISO 3166-1 alpha-3 code (for example UZB)",
        },
        "validation.region_unknown": {
            "kk": "ӘАОЖ (КАТО) коды белгісіз",
            "ru": "Неизвестный код КАТО",
            "en": "Unknown KATO code",
        },
        "validation.date_order": {
            "kk": "Күн {after} күнінен кейін болуы керек",
            "ru": "Дата должна быть не раньше, чем {after}",
            "en": "The date must not be before {after}",
        },
        "validation.date_future": {
            "kk": "Күн болашақта болмауы керек",
            "ru": "Дата не может быть в будущем",
            "en": "The date must not be in the future",
        },
    }
)
