# /settings: workspace name and time zone.

settings-overview = Настройки компании
    Название: { $workspace }
    Часовой пояс: { $timezone }
    Язык по умолчанию: { $language }
settings-timezone-button = 🕒 Часовой пояс
settings-language-button = 🌐 Язык
settings-choose-timezone = Выберите часовой пояс компании: по нему считаются сроки отгрузки, отчёты и ежедневная сводка.
settings-timezone-set = Часовой пояс: { $timezone }
settings-choose-language = Выберите язык по умолчанию: на нём бот пишет в группы и новым сотрудникам.
settings-language-set = Язык по умолчанию: { $language }
settings-rename-button = Переименовать
settings-ask-name = Пришлите новое название компании (до { $max } символов) или нажмите «Отмена».
settings-name-empty = Название не может быть пустым. Пришлите название текстом.
settings-name-too-long = Слишком длинное название: не больше { $max } символов.
settings-name-one-line = Название должно быть в одну строку.
settings-name-need-text = Пришлите название текстом или нажмите «Отмена».
settings-renamed = Готово: компания теперь называется «{ $workspace }».
settings-orders = Заказы: загрузка раз в { $poll } · отмена из карточки в течение { $annul } после заказа · напоминание о сроке за { $deadline }
settings-poll-button = ⏱ Загрузка
settings-annul-button = ❌ Окно отмены
settings-deadline-button = ⏰ Напоминание о сроке
settings-choose-poll = Как часто загружать заказы каждого кабинета? Чаще — быстрее уведомления и больше запросов к маркетплейсу.
settings-choose-annul = Сколько времени после оформления заказ можно отменить из карточки?
settings-choose-deadline = За сколько до срока отгрузки напоминать о неотгруженном заказе?
settings-order-set = Сохранено: { $value }
settings-seconds = { $n } с
settings-minutes = { $n } мин
settings-hours = { $n } ч
settings-stocks = Остатки: выгрузка раз в { $every } · предупреждение о малом остатке ниже { $low }, если у SKU нет своего порога
settings-stocks-button = 📦 Выгрузка остатков
settings-low-button = 📉 Малый остаток
settings-choose-stocks = Как часто выгружать остатки во все кабинеты? Отправляется только изменившееся; чаще — маркетплейсы раньше видят продажу.
settings-choose-low = Ниже скольких штук остаток SKU считается малым? Собственный порог в карточке SKU важнее; «выкл» — предупреждать только о SKU со своим порогом.
settings-low-off = выкл
settings-units = { $n } шт.
settings-stocks-no-low = Остатки: выгрузка раз в { $every } · предупреждения о малом остатке только для SKU со своим порогом
settings-finance = Финансы: чтение каждые { $every } · выплата показывается через { $days } после заказа
settings-finance-button = 💰 Чтение финансов
settings-payout-button = 💸 Выплата через
settings-choose-finance = Как часто читать финансы каждого кабинета? WB отдаёт отчёт раз в минуту; начисления Ozon и Маркета приходят через дни после доставки.
settings-choose-payout = Через сколько дней после заказа показывать его выплату («выплачено: сумма − комиссия»)?
settings-days = { $n } дн.
