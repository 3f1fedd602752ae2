"""The diaspora service's messages in Kazakh, Russian and English."""

from shared.i18n import register_messages


def _problem(
    code: str, title: tuple[str, str, str], detail: tuple[str, str, str]
) -> dict[str, dict[str, str]]:
    return {
        f"{code}.title": dict(zip(("kk", "ru", "en"), title, strict=True)),
        f"{code}.detail": dict(zip(("kk", "ru", "en"), detail, strict=True)),
    }


def _field(code: str, kk: str, ru: str, en: str) -> dict[str, dict[str, str]]:
    return {f"validation.{code}": {"kk": kk, "ru": ru, "en": en}}


MESSAGES: dict[str, dict[str, str]] = {
    **_problem(
        "kandas.not_found",
        ("Өтініш табылмады", "Заявление не найдено", "Application not found"),
        (
            "Мұндай қандас мәртебесіне өтініш жоқ.",
            "Такого заявления на статус кандаса нет.",
            "There is no such kandas status application.",
        ),
    ),
    **_problem(
        "kandas.wrong_status",
        (
            "Өтініштің күйі сәйкес емес",
            "Неподходящий статус заявления",
            "The application is in the wrong status",
        ),
        (
            "Өтініштің қазіргі күйінде ({status}) бұл әрекет мүмкін емес.",
            "В текущем статусе заявления ({status}) это действие невозможно.",
            "This is not possible while the application is {status}.",
        ),
    ),
    **_problem(
        "kandas.hearing_required",
        ("Алдымен тыңдау қажет", "Сначала необходимо заслушивание", "A hearing must come first"),
        (
            "Бас тарту алдында өтініш берушіге негіздер айтылып, тыңдау ұсынылуы керек.",
            "Перед отказом заявителю сообщают основания и предлагают заслушивание.",
            "Before any refusal the applicant is told the grounds and offered a hearing.",
        ),
    ),
    **_problem(
        "kandas.hearing_pending",
        (
            "Тыңдау әлі өткен жоқ",
            "Заслушивание ещё не проведено",
            "The hearing has not taken place",
        ),
        (
            "Бас тарту тыңдаудан кейін не тыңдау мерзімі ({hearing_due}) өткен соң ғана мүмкін.",
            "Отказ возможен только после заслушивания или после его срока ({hearing_due}).",
            "A refusal is possible only after the hearing or after its period ({hearing_due}).",
        ),
    ),
    **_problem(
        "kandas.extension_not_available",
        ("Ұзарту қарастырылмаған", "Продление не предусмотрено", "No extension available"),
        (
            "Бұл күні қолданыстағы ережелер мәртебені ұзартуды көздемейді.",
            "Правила, действующие на эту дату, не предусматривают продления статуса.",
            "The rules in force on this date provide no extension of the status.",
        ),
    ),
    **_problem(
        "kandas.extension_used",
        ("Ұзарту пайдаланылған", "Продление уже использовано", "Extension already used"),
        (
            "Мәртебені {times} реттен артық ұзартуға болмайды.",
            "Статус можно продлить не более {times} раз.",
            "The status can be extended at most {times} time(s).",
        ),
    ),
    **_problem(
        "accommodation.not_found",
        ("Тұру табылмады", "Проживание не найдено", "Stay not found"),
        (
            "Уақытша орналастыру орталығында мұндай тұру жоқ.",
            "Такого проживания в центре временного размещения нет.",
            "There is no such stay in a temporary accommodation centre.",
        ),
    ),
    **_problem(
        "accommodation.status_not_eligible",
        (
            "Орталыққа орналастыруға болмайды",
            "Размещение в центре невозможно",
            "Not eligible for the centre",
        ),
        (
            "Уақытша орталықта мәртебе берілгенге дейін ғана тұрады (қазір: {status}).",
            "В центре временного размещения живут только до получения статуса (сейчас: {status}).",
            "A temporary centre is only for the time before the status is granted (now: {status}).",
        ),
    ),
    **_problem(
        "accommodation.already_in_centre",
        ("Отбасы орталықта тұр", "Семья уже в центре", "The family is already in a centre"),
        (
            "Алдымен қазіргі орталықтан шығуды тіркеңіз.",
            "Сначала оформите выезд из текущего центра.",
            "Record the check-out from the current centre first.",
        ),
    ),
    **_problem(
        "accommodation.stay_limit_reached",
        ("Тұру мерзімі бітті", "Срок проживания истёк", "The stay limit is reached"),
        (
            "Орталықта тұру күнтізбелік күндер шегі {until} күні аяқталды.",
            "Предельный срок проживания в центре в календарных днях истёк {until}.",
            "The calendar-day limit of the stay ended on {until}.",
        ),
    ),
    **_problem(
        "accommodation.centre_full",
        ("Орталықта орын жоқ", "В центре нет мест", "The centre is full"),
        (
            "Орталықтың сыйымдылығы: {capacity} орын.",
            "Вместимость центра: {capacity} мест.",
            "The centre has {capacity} places.",
        ),
    ),
    **_problem(
        "accommodation.already_checked_out",
        ("Шығу тіркелген", "Выезд уже оформлен", "Already checked out"),
        ("Бұл тұру аяқталған.", "Это проживание уже завершено.", "This stay has ended."),
    ),
    **_problem(
        "adaptation.not_found",
        ("Орналастыру табылмады", "Размещение не найдено", "Placement not found"),
        (
            "ҚБЫО-да мұндай орналастыру жоқ.",
            "Такого размещения в ЦАИК нет.",
            "There is no such placement in an adaptation centre.",
        ),
    ),
    **_problem(
        "adaptation.status_not_in_force",
        ("Қандас мәртебесі жоқ", "Нет действующего статуса кандаса", "No kandas status in force"),
        (
            "ҚБЫО-ға мәртебесі қолданыстағы отбасы ғана орналасады (қазір: {status}).",
            "В ЦАИК размещают только семьи с действующим статусом (сейчас: {status}).",
            "Only families whose status is in force are placed (now: {status}).",
        ),
    ),
    **_problem(
        "adaptation.already_placed",
        ("Отбасы орналастырылған", "Семья уже размещена", "The family is already placed"),
        (
            "Отбасының белсенді орналастыруы бар.",
            "У семьи уже есть действующее размещение.",
            "The family already has an active placement.",
        ),
    ),
    **_problem(
        "adaptation.centre_full",
        ("Орталықта орын жоқ", "В центре нет мест", "The centre is full"),
        (
            "Орталықтың сыйымдылығы: {capacity} орын.",
            "Вместимость центра: {capacity} мест.",
            "The centre has {capacity} places.",
        ),
    ),
    **_problem(
        "adaptation.ended",
        ("Орналастыру аяқталған", "Размещение завершено", "The placement has ended"),
        (
            "Аяқталған орналастыруды өзгертуге болмайды.",
            "Завершённое размещение изменить нельзя.",
            "An ended placement cannot change.",
        ),
    ),
    **_problem(
        "adaptation.plan_item_not_found",
        ("Жоспар тармағы табылмады", "Пункт плана не найден", "Plan item not found"),
        (
            "Бұл отбасының жоспарында мұндай тармақ жоқ.",
            "В плане этой семьи нет такого пункта.",
            "The family's plan has no such item.",
        ),
    ),
    **_problem(
        "resettlement.not_found",
        ("Өтініш табылмады", "Заявление не найдено", "Application not found"),
        (
            "Мұндай көшіп-қонуға өтініш жоқ.",
            "Такого заявления на переселение нет.",
            "There is no such resettlement application.",
        ),
    ),
    **_problem(
        "resettlement.quota_below_allocated",
        ("Квота бөлінгеннен аз", "Квота меньше распределённого", "Quota below allocation"),
        (
            "Квотаны бөлінген орындар санынан азайтуға болмайды.",
            "Квоту нельзя сделать меньше числа уже распределённых мест.",
            "A quota cannot be set below the places already allocated.",
        ),
    ),
    **_problem(
        "resettlement.status_not_in_force",
        ("Қандас мәртебесі жоқ", "Нет действующего статуса кандаса", "No kandas status in force"),
        (
            "Көшіп-қонуға мәртебесі қолданыстағы отбасы ғана өтініш береді (қазір: {status}).",
            "На переселение подаёт только семья с действующим статусом (сейчас: {status}).",
            "Only a family whose status is in force can apply (now: {status}).",
        ),
    ),
    **_problem(
        "resettlement.already_applied",
        ("Өтініш берілген", "Заявление уже подано", "Already applied"),
        (
            "Отбасының қаралып жатқан немесе мақұлданған өтініші бар.",
            "У семьи уже есть заявление на рассмотрении или одобренное.",
            "The family already has a pending or approved application.",
        ),
    ),
    **_problem(
        "resettlement.already_decided",
        ("Шешім қабылданған", "Решение уже принято", "Already decided"),
        (
            "Бұл өтініш бойынша шешім бар.",
            "По этому заявлению уже есть решение.",
            "This application has already been decided.",
        ),
    ),
    **_problem(
        "resettlement.quota_exhausted",
        ("Квота таусылды", "Квота исчерпана", "The quota is used up"),
        (
            "{region} өңірінің {year} жылғы квотасында бос орын жоқ.",
            "В квоте региона {region} на {year} год нет свободных мест.",
            "No place is left in region {region}'s quota for {year}.",
        ),
    ),
    **_problem(
        "registry.not_found",
        ("Жазба табылмады", "Запись не найдена", "Record not found"),
        (
            "Тізілімде мұндай жазба жоқ.",
            "Такой записи в реестре нет.",
            "There is no such record in the registry.",
        ),
    ),
    **_problem(
        "registry.wrong_status",
        ("Күйі сәйкес емес", "Неподходящий статус", "Wrong status"),
        (
            "{status} күйінен {target} күйіне өтуге болмайды.",
            "Из статуса {status} нельзя перейти в {target}.",
            "Cannot move from {status} to {target}.",
        ),
    ),
    **_problem(
        "registry.consent_withdrawn",
        ("Келісім кері қайтарылған", "Согласие отозвано", "Consent withdrawn"),
        (
            "Отандас келісімін кері қайтарды; оның деректері өшірілген.",
            "Соотечественник отозвал согласие; его данные удалены.",
            "The compatriot withdrew consent; their data was erased.",
        ),
    ),
    **_problem(
        "registry.programme_closed",
        ("Бағдарлама жабық", "Программа закрыта", "The programme is closed"),
        (
            "{status} күйіндегі бағдарламаға қосылуға болмайды.",
            "К программе в статусе {status} присоединиться нельзя.",
            "A programme that is {status} takes no participants.",
        ),
    ),
    **_problem(
        "registry.already_participating",
        ("Қатысушы тіркелген", "Участник уже записан", "Already participating"),
        (
            "Отандас бұл бағдарламаға қосылған.",
            "Соотечественник уже участвует в программе.",
            "The compatriot already takes part in this programme.",
        ),
    ),
    **_problem(
        "case.not_found",
        ("Іс табылмады", "Дело не найдено", "Case not found"),
        (
            "Бұл нөмірмен қандас өтініші жоқ.",
            "Под этим номером нет заявлений кандасов.",
            "No kandas application carries this case number.",
        ),
    ),
    **_field("cursor_invalid", "Курсор дұрыс емес", "Неверный курсор", "The cursor is not valid"),
    **_field(
        "grounds_required",
        "Бас тарту негіздерін көрсетіңіз",
        "Укажите основания отказа",
        "Give the grounds for refusal",
    ),
    **_field(
        "months_over_limit", "Ең көбі {max} ай", "Не более {max} месяцев", "At most {max} months"
    ),
    **_field("centre_unknown", "Мұндай орталық жоқ", "Такого центра нет", "No such centre"),
    **_field(
        "region_not_in_programme",
        "Бұл өңір көшіп-қону бағдарламасында жоқ",
        "Этот регион не входит в программу переселения",
        "This region is not in the resettlement programme",
    ),
    **_field(
        "amount_out_of_range",
        "{min}–{max} аралығында болуы керек",
        "Должно быть от {min} до {max}",
        "Must be between {min} and {max}",
    ),
    **_field(
        "consent_required",
        "Айқын келісім қажет",
        "Требуется явное согласие",
        "Explicit consent is required",
    ),
}

register_messages(MESSAGES)
