"""Messages of the statistics service in Kazakh, Russian and English."""

from shared.i18n import register_messages

FORECAST_TOO_SHORT = "forecast_series_too_short"
FORECAST_NOT_YEARLY = "forecast_reference_not_yearly"

register_messages(
    {
        f"{FORECAST_TOO_SHORT}.title": {
            "kk": "Болжам жасау үшін қатар тым қысқа",
            "ru": "Ряд слишком короткий для прогноза",
            "en": "The series is too short to forecast",
        },
        f"{FORECAST_TOO_SHORT}.detail": {
            "kk": "Қатарда {points} нүкте бар; болжам мен оның тексерісі үшін кемінде {minimum} "
                  "нүкте ({frequency}) қажет",
            "ru": "В ряду {points} точек; для прогноза и его проверки нужно не меньше {minimum} "
                  "({frequency})",
            "en": "The series has {points} points; a forecast with its back-test needs at least "
                  "{minimum} ({frequency})",
        },
        f"{FORECAST_NOT_YEARLY}.title": {
            "kk": "Анықтамалық қатарда жылдық мәндер жоқ",
            "ru": "В справочном ряду нет годовых значений",
            "en": "The reference series has no yearly values",
        },
        f"{FORECAST_NOT_YEARLY}.detail": {
            "kk": "«{series_id}» қатарында таңдалған өлшемдер бойынша жылдық мәндер жоқ",
            "ru": "В ряду «{series_id}» нет годовых значений для выбранных измерений",
            "en": "The series '{series_id}' has no yearly values for the chosen dimensions",
        },
    }
)
