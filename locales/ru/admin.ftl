# /groups, /subscribe, /api, /audit.

event-new-order = Новые заказы
event-cancellation = Отмены
event-low-stock = Низкий остаток
event-ship-deadline = Скоро срок отгрузки
event-sync-failure = Сбои синхронизации и API
event-key-problem = Проблемы с ключами
event-daily-summary = Ежедневная сводка
event-label-ready = Готовые этикетки (сам файл)
event-price-changed = Применённые изменения цен

subscribe-in-group = /subscribe отправляют в группе, куда должны приходить уведомления. Добавьте меня в группу и отправьте там /subscribe.
subscribe-title = Уведомления для «{ $group }». Нажимайте, чтобы включить или выключить события и кабинеты.
subscription-summary = События: { $events }
    Кабинеты: { $cabinets }
subscribe-no-events = пока никаких
subscribe-all-cabinets = Все кабинеты
subscribe-done-button = ✔️ Готово
subscribe-saved = Сохранено: «{ $group }» будет получать эти уведомления.
groups-title = Группы для уведомлений: { $count }
groups-empty = Групп пока нет. Добавьте меня в групповой чат и отправьте там /subscribe, чтобы выбрать уведомления.
groups-active = активна
groups-inactive = меня удалили из группы: уведомления не отправляются
groups-hint = Чтобы изменить уведомления группы, отправьте /subscribe в этой группе. Суммы и цены видны в уведомлениях группы, только если вы это разрешили: в группе могут быть люди не из компании. Чтобы отпустить группу, нажмите её кнопку ниже.
groups-money-shown = 💰 суммы и цены в уведомлениях видны
groups-money-hidden = 🙈 суммы и цены в уведомлениях скрыты
groups-money-show-button = 💰 Показывать суммы в «{ $group }»
groups-money-hide-button = 🙈 Скрыть суммы в «{ $group }»
groups-release-button = 🔓 Отпустить «{ $group }»
groups-release-confirm = Отпустить «{ $group }»? Её подписки удалятся, уведомления этой компании туда больше не придут, и подключить её сможет владелец или администратор любой компании.
groups-release-confirm-button = 🔓 Да, отпустить
groups-released = «{ $group }» больше не подключена к этой компании, её подписки удалены.

api-title = Каталог API: { $count } запросов, которые я делаю. Выберите маркетплейс:
api-novaposhta = Нова пошта
api-family-title = { $marketplace }: запросы (✏️ — переопределён)
api-family-hint = Чтобы изменить запрос, отправьте /api и его имя, например /api ozon.roles
api-unknown = В каталоге нет запроса «{ $name }». Отправьте /api, чтобы увидеть список.
api-entry = { $name }
    { $method } { $path }
    Сейчас вызывается: { $url }
api-entry-override = Переопределено: хост { $host }, путь { $path }, версия { $version }
api-host-button = Хост
api-path-button = Путь
api-version-button = Версия
api-reset-button = ↩️ Вернуть по умолчанию
api-ask-host = Пришлите новый хост для { $name }: https, на { $hosts }, например { $example }
api-ask-path = Пришлите новый путь для { $name }, начиная с /
api-ask-version = Пришлите новую версию для { $name }, например v4
api-need-text = Пришлите значение текстом или нажмите «Отмена».
api-bad-host = Это не хост: пришлите адрес вида https://api-seller.ozon.ru без параметров.
api-host-not-https = Принимаются только хосты https: в запросе передаётся ключ кабинета, и он не должен идти в открытом виде. Ничего не изменено.
api-host-foreign = Этот хост не принадлежит { $marketplace }: запросы ваших кабинетов могут идти только на { $hosts }, чтобы их ключи не попали никому другому. Ничего не изменено. Другой хост может задать только тот, кто обслуживает бота, и сразу для всей установки.
api-bad-path = Этот путь не подходит: он начинается с /, состоит из латинских букв, цифр, - _ . ~ и одиночных косых черт (без адреса, без %, без .. и пробелов) и сохраняет те же {"{"}параметры{"}"}, что в { $path }. Ничего не изменено.
api-bad-version = Версия — это буква v и число, например v4.
api-override-set = Готово: { $name } теперь вызывает { $url }
api-reset-done = { $name } возвращён к значению по умолчанию.
api-reset-none = У { $name } не было переопределения.

audit-title = Последние изменения ({ $count }):
audit-empty = Изменений пока нет.
audit-system = система
audit-workspace-created = создал(а) компанию
audit-workspace-renamed = переименовал(а) компанию
audit-workspace-time-zone = сменил(а) часовой пояс
audit-workspace-language = сменил(а) язык по умолчанию
audit-member-joined = присоединился(-ась) с ролью
audit-member-role = сменил(а) роль
audit-member-removed = исключил(а) сотрудника
audit-invite-created = создал(а) приглашение с ролью
audit-group-linked = подключил(а) группу
audit-group-unlinked = отпустил(а) группу
audit-group-money = изменил(а), видит ли группа суммы
audit-group-summary-hour = изменил(а) время ежедневной сводки группы
audit-group-subscribed = включил(а) уведомления
audit-group-unsubscribed = выключил(а) уведомления
audit-group-cabinets = изменил(а) кабинеты группы
audit-cabinet-added = подключил(а) кабинет
audit-cabinet-renamed = переименовал(а) кабинет
audit-cabinet-enabled = включил(а) кабинет
audit-cabinet-disabled = отключил(а) кабинет
audit-cabinet-main = сделал(а) кабинет основным
audit-cabinet-key-replaced = заменил(а) ключ кабинета
audit-cabinet-archived = удалил(а) кабинет, данные сохранены
audit-cabinet-deleted = удалил(а) кабинет с данными
audit-api-override = переопределил(а) запрос API
audit-api-reset = сбросил(а) запрос API
audit-status-mapped = изменил(а) сопоставление статуса
audit-workspace-orders = изменил(а) настройки заказов
audit-note-money-on = «{ $group }»: суммы и цены видны
audit-note-money-off = «{ $group }»: суммы и цены скрыты
audit-note-status-default = по умолчанию
audit-note-stock = { $sku }: { $before } → { $after }
audit-note-stock-why = { $sku }: { $before } → { $after } ({ $reason })
audit-note-publish-on = { $sku }: остаток снова публикуется
audit-note-publish-off = { $sku }: остаток не публикуется
audit-note-skus-made = { $count ->
    [one] { $count } SKU создан из непривязанных товаров
    [few] { $count } SKU создано из непривязанных товаров
   *[many] { $count } SKU создано из непривязанных товаров
}
audit-note-linked = { $product } привязан к { $sku }
audit-note-unlinked = { $product } отвязан от { $sku }
audit-note-upload = файл «{ $file }»: { $rows ->
    [one] применена { $rows } строка
    [few] применено { $rows } строки
   *[many] применено { $rows } строк
}
audit-note-prices-chat = в чате: цен { $prices }, правил SKU { $rules }
audit-note-prices-file = из прайс-листа: цен { $prices }, правил SKU { $rules }
audit-note-formula-reset = { $title }: снова по общей формуле
