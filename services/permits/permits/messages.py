"""The permits service's problem messages in Kazakh, Russian and English."""

from shared.i18n import register_messages

register_messages(
    {
        "quota.not_set.title": {
            "kk": "Квота белгіленбеген",
            "ru": "Квота не установлена",
            "en": "No quota is set",
        },
        "quota.not_set.detail": {
            "kk": "{year} жылға {region} өңірі мен «{category}» санатына квота белгіленбеген.",
            "ru": "На {year} год для региона {region}, категории «{category}» квоты нет.",
            "en": "No quota is set for {year}, region {region}, category '{category}'.",
        },
        "quota.exhausted.title": {
            "kk": "Квота таусылды",
            "ru": "Квота исчерпана",
            "en": "The quota is exhausted",
        },
        "quota.exhausted.detail": {
            "kk": "{year} жылғы {region} өңірінің «{category}» санаты бойынша бос орын жоқ.",
            "ru": "В квоте {year} года, регион {region}, категория «{category}», мест нет.",
            "en": "The {year} quota of region {region}, category '{category}', has no place left.",
        },
        "quota.below_committed.title": {
            "kk": "Квота бос емес орындардан аз",
            "ru": "Квота меньше занятых мест",
            "en": "The limit is below the places taken",
        },
        "quota.below_committed.detail": {
            "kk": "{limit} шегі брондалған және пайдаланылған {committed} орыннан аз.",
            "ru": "Лимит {limit} меньше уже зарезервированных и использованных мест: {committed}.",
            "en": "The limit {limit} is below the {committed} places already reserved or used.",
        },
        "permit.state.title": {
            "kk": "Бұл күйде әрекет мүмкін емес",
            "ru": "Действие невозможно в текущем статусе",
            "en": "Not possible in the current status",
        },
        "permit.state.detail": {
            "kk": "Қазіргі күйі: «{status}»; «{action}» әрекеті мүмкін емес.",
            "ru": "Текущий статус «{status}»; действие «{action}» невозможно.",
            "en": "The status is '{status}'; '{action}' is not possible.",
        },
        "permit.refused.title": {
            "kk": "Рұқсат беруден бас тартылды",
            "ru": "В выдаче разрешения отказано",
            "en": "The permit is refused",
        },
        "permit.refused.detail": {
            "kk": "Ереже бойынша {count} шарт орындалмады; ештеңе жазылмады.",
            "ru": "Не выполнено условий: {count}; ничего не записано.",
            "en": "{count} condition(s) of the rules are not met; nothing was recorded.",
        },
        "fee.deadline_passed.title": {
            "kk": "Алымды төлеу мерзімі өтті",
            "ru": "Срок оплаты сбора истёк",
            "en": "The fee payment deadline has passed",
        },
        "fee.deadline_passed.detail": {
            "kk": "Алым {deadline} дейін төленуі тиіс еді; төленбеген рұқсат күшін жояды.",
            "ru": "Сбор нужно было оплатить до {deadline}; без оплаты разрешение утрачивает силу.",
            "en": "The fee was due by {deadline}; an unpaid permit lapses.",
        },
        "validation.fee_amount": {
            "kk": "Сома {expected} теңге болуы керек",
            "ru": "Сумма должна составлять {expected} тенге",
            "en": "The amount must be {expected} tenge",
        },
        "validation.region_first_level": {
            "kk": "Облыстың немесе республикалық маңызы бар қаланың ӘАОЖ коды күтілген",
            "ru": "Ожидается код КАТО области или города республиканского значения",
            "en": "The KATO code of a region or city of republican significance is expected",
        },
        "validation.sector_unknown": {
            "kk": "Бұл ЭҚЖЖ секциясына алым мөлшерлемесі жоқ",
            "ru": "Для этой секции ОКЭД нет ставки сбора",
            "en": "No fee rate exists for this OKED section",
        },
        "validation.validity_years": {
            "kk": "Бұл санат үшін ең көбі {max} жыл",
            "ru": "Для этой категории не более {max} лет",
            "en": "At most {max} year(s) for this category",
        },
        "validation.not_present": {
            "kk": "Шетелдіктің келуі туралы қолданыстағы хабарлама жоқ",
            "ru": "Нет действующего уведомления о прибытии иностранца",
            "en": "The foreigner has no current arrival notification",
        },
        "validation.citizenship_mismatch": {
            "kk": "Азаматтық келу туралы хабарламадағыдан өзгеше",
            "ru": "Гражданство не совпадает с уведомлением о прибытии",
            "en": "The citizenship differs from the arrival notification's",
        },
        "validation.citizenship_not_eligible": {
            "kk": "Бұл азаматтыққа рұқсат берілмейді",
            "ru": "Разрешение гражданам этого государства не выдаётся",
            "en": "No permit is issued to citizens of this state",
        },
        "validation.employer_limit": {
            "kk": "Жеке жұмыс беруші ең көбі {max} еңбекші көшіп келушіні жұмысқа ала алады",
            "ru": "Физическое лицо может нанять не более {max} трудовых иммигрантов",
            "en": "An individual employer may hire at most {max} labour immigrants",
        },
        "validation.already_permitted": {
            "kk": "Бұл адамның қолданыстағы рұқсаты бар",
            "ru": "У этого лица уже есть действующее разрешение",
            "en": "This person already holds a current permit",
        },
        "validation.months_range": {
            "kk": "Ай саны {min} мен {max} аралығында болуы керек",
            "ru": "Число месяцев должно быть от {min} до {max}",
            "en": "The months must be between {min} and {max}",
        },
        "validation.months_total": {
            "kk": "Төленген кезең барлығы {max} айдан аспауы керек",
            "ru": "Оплаченный период не может превышать {max} месяцев",
            "en": "The paid period may not exceed {max} months in all",
        },
        "validation.revival_not_allowed": {
            "kk": "Төленген кезең аяқталғаннан кейінгі төлем рұқсатты қалпына келтірмейді",
            "ru": "Платёж после окончания оплаченного периода не восстанавливает разрешение",
            "en": "A payment after the paid period ended does not revive the permit",
        },
        "validation.duplicate": {
            "kk": "Бұл төлем бұрын тіркелген",
            "ru": "Этот платёж уже учтён",
            "en": "This payment is already recorded",
        },
        "validation.extension_too_late": {
            "kk": "Ұзарту мерзім біткенге дейін кемінде {days} күн бұрын беріледі",
            "ru": "Продление подаётся не позднее чем за {days} дней до окончания срока",
            "en": "An extension is filed at least {days} days before expiry",
        },
        "validation.extension_limit": {
            "kk": "Рұқсат ең көбі {max} рет ұзартылады",
            "ru": "Разрешение продлевается не более {max} раз",
            "en": "A permit is extended at most {max} times",
        },
    }
)
