# Заказы (F3) и уведомления о них (F7).
status-new = новый
status-confirmed = подтверждён
status-packed = собран
status-label = этикетка получена
status-shipped = отгружен
status-delivered = доставлен
status-cancelled = отменён
status-returned = возвращён
status-disputed = спор
status-none = без статуса
order-items = { $count ->
    [one] { $count } товар
    [few] { $count } товара
   *[many] { $count } товаров
}
order-ship-by = отгрузить до { $time }
alert-new-order = 🆕 Новый заказ { $number } · { $marketplace } «{ $cabinet }»
    { $items }
    { $summary }
alert-new-order-fbo = 🆕 Новый заказ со склада { $marketplace } (FBO) { $number } · «{ $cabinet }»
    { $items }
    { $summary }
alert-cancelled = ❌ Заказ { $number } ({ $marketplace } «{ $cabinet }») отменён{ $reason }.
alert-put-back = ↩️ Заказ { $number } ({ $marketplace } «{ $cabinet }») отменён после сборки. Верните товары на полку:
    { $items }
alert-reason = : { $reason }
alert-unmapped = ❓ { $marketplace } сообщает статус «{ $status }», которому не сопоставлен ни один единый статус. Его заказы будут «без статуса», пока его не сопоставят в /statuses.
alert-deadline = ⏰ Заказ { $number } · { $marketplace } «{ $cabinet }»: срок близко, { $deadline }, { $left }
    { $items }
alert-sync-failing = ⚠️ Синхронизация «{ $cabinet }» ({ $marketplace }) раз за разом не проходит; я пробую каждые 10 минут, а в /cabinets видно, как обстоят дела.
alert-key-problem = 🔑 Ключ «{ $cabinet }» ({ $marketplace }) больше не работает: { $problem }.
alert-digest = 📬 Тем временем (заказы — в /orders):
alert-digest-new = { $count ->
    [one] { $count } новый заказ
    [few] { $count } новых заказа
   *[many] { $count } новых заказов
}
alert-digest-cancelled = { $count ->
    [one] { $count } отмена
    [few] { $count } отмены
   *[many] { $count } отмен
}
alert-digest-put-back = { $count ->
    [one] { $count } заказ отменён после сборки: верните товары на полку
    [few] { $count } заказа отменены после сборки: верните товары на полку
   *[many] { $count } заказов отменены после сборки: верните товары на полку
}
alert-digest-other = { $count ->
    [one] { $count } другое уведомление
    [few] { $count } других уведомления
   *[many] { $count } других уведомлений
}
command-orders = заказы: список, фильтры, действия
command-order = заказ по номеру: /order 12345
orders-title = 📦 Заказы · { $period } — { $count } · продано на { $sum }
orders-title-lost = {" "}· отменено и возвращено на { $sum }
orders-title-assemble = 📦 К сборке — { $count }
orders-empty = Заказов здесь нет.
orders-filters = Статус: { $status } · схема: { $scheme } · кабинет: { $cabinet }
orders-all = все
period-d = сегодня
period-y = вчера
period-w = 7 дней
period-m = 30 дней
orders-status-button = Статус ▾
orders-scheme-button = Схема ▾
orders-cabinet-button = Кабинет ▾
orders-choose-status = Показать заказы в статусе:
orders-choose-scheme = Показать заказы по схеме:
orders-choose-cabinet = Показать заказы кабинета:
orders-all-button = Все
orders-line = { $n }. { $marketplace } «{ $cabinet }» · { $number } · { $items } · { $sum } · { $status }{ $left }
orders-line-assemble = { $n }. { $marketplace } «{ $cabinet }» · { $number } · { $items }{ $left }
orders-prev = ◀️
orders-next = ▶️
orders-assemble-button = 📦 { $number }
order-left = ⏳ осталось { $time }
order-overdue = ⌛ просрочен на { $time }
order-hm = { $h } ч { $m } мин
order-m = { $m } мин
order-title = 🛒 { $marketplace } «{ $cabinet }» · заказ { $number }
order-external = номер отправления / заказа: { $id }
order-alt-id = Другой номер: { $id }
order-status = Статус: { $unified } ({ $status })
order-deadline = Отгрузить до { $time }{ $left }
order-items-title = Товары:
order-item = • { $name } × { $quantity }
order-item-price = • { $name } × { $quantity } — { $price }
order-total = Итого: { $sum }
order-history = История:
order-history-line = • { $time } { $unified } — { $who }
history-import = загружен
history-marketplace = изменён на маркетплейсе
history-mapping = изменено сопоставление
order-not-found = Заказа { $number } в вашей компании нет. Отправьте /orders, чтобы увидеть список.
order-need-number = Укажите номер заказа после команды, например /order 12345.
order-too-late = Отменить этот заказ отсюда уже нельзя: срок аннулирования прошёл.
order-sending = ⏳ Отправляю «{ $action }» в { $marketplace }…
done-confirm = Заказ подтверждён.
done-assemble = Заказ собран.
done-ship = Заказ отгружен.
order-done-first-tap = { $action ->
    [confirm] Сделано первым нажатием: заказ подтверждён.
    [assemble] Сделано первым нажатием: заказ собран.
    [ship] Сделано первым нажатием: заказ отгружен.
   *[cancel] Сделано первым нажатием: заказ отменён.
}
order-done-by = { $name } уже сделал(а) это: заказ «{ $status }».
order-done-already = Уже сделано: заказ «{ $status }».
done-cancel = Заказ отменён.
order-alert-done = ✅ { $action } — { $who }
order-sent-private = Я прислал вам карточку заказа в личный чат.
order-start-private = { $name }, откройте личный чат со мной и нажмите «Старт»: тогда я смогу прислать вам карточку заказа.
order-cancel-in-private = Заказ отменяют из его карточки: нажмите «Открыть» и отмените там.
order-pending = ⏳ { $marketplace } пока не ответил. Я буду пробовать ещё и сообщу, если не получится совсем.
order-refused = { $marketplace } не принял этот шаг для заказа в его нынешнем состоянии. Я перечитал его заказы — посмотрите карточку.
order-refused-not-found = { $marketplace } больше не знает этот заказ (отменён или перенесён). Я перечитал его заказы — посмотрите карточку.
order-refused-key = { $marketplace } не позволил ключу этого кабинета сделать это: у ключа нет прав или он больше не работает. Проверьте кабинет в /cabinets.
order-refused-limit = { $marketplace } попросил притормозить. Попробуйте через минуту.
order-refused-unavailable = { $marketplace } не ответил. Попробуйте через минуту.
order-refused-unsupported = У { $marketplace } нет такого шага для этого заказа.
order-refused-unexpected = { $marketplace } ответил так, что я не смог прочитать ответ. Попробуйте через минуту — подробности в журнале.
order-stale = Заказ изменился с тех пор, как показана эта карточка: теперь он «{ $status }». Посмотрите карточку и нажмите ещё раз.
order-already = Действие с этим заказом уже отправляется; дождитесь результата.
order-refresh-button = 🔄 Обновить
order-back-button = ⬅️ Список
order-choose-reason = Почему отменяете заказ { $number }? { $marketplace } просит указать причину. Отмена уйдёт сразу, вернуть заказ будет нельзя:
order-confirm-cancel = Отменить заказ { $number } на { $marketplace }? Это необратимо.
order-cancel-yes = ❌ Да, отменить
order-open-button = Открыть
action-confirm = Подтвердить
action-assemble = Собрать
action-ship = Отгрузить
action-cancel = Отменить заказ
alert-action-failed = ⚠️ Не удалось выполнить «{ $action }» для заказа { $number } ({ $marketplace } «{ $cabinet }»): маркетплейс так и не ответил. Откройте заказ, чтобы попробовать снова.
order-gone = Этого заказа больше нет.

# /alerts: личные уведомления сотрудника в чате с ботом.
my-alerts-title = 🔔 Уведомления лично вам, в этот чат: { $events }
    Они приходят в дополнение к уведомлениям в группах компании (их настраивает владелец или администратор командой /subscribe в группе). Нажмите на вид, чтобы включить или выключить его.
my-alerts-none = пока никаких
my-alerts-on = Включено: { $event }
my-alerts-off = Выключено: { $event }
alert-deadlines = ⏰ Подходит срок отгрузки: { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[many] { $count } заказов
}
alert-low-stocks = ⚠️ Заканчивается: { $count } SKU
alert-low-stock-line = • { $sku }: осталось { $count } для продажи (порог { $threshold }){ $days }
alert-oversells = 🚨 Риск перепродажи: { $count } SKU
alert-oversell-line = • { $sku }: открытые заказы хотят { $ordered }, на полке { $stock } ({ $orders })
alert-group-more = … и ещё { $count }: { $command }
