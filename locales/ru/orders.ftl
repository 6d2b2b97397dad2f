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
    { $total } · { $deadline }
alert-new-order-fbo = 🆕 Новый заказ со склада { $marketplace } (FBO) { $number } · «{ $cabinet }»
    { $items }
    { $total }
alert-cancelled = ❌ Заказ { $number } ({ $marketplace } «{ $cabinet }») отменён{ $reason }.
alert-put-back = ↩️ Заказ { $number } ({ $marketplace } «{ $cabinet }») отменён после сборки. Верните товары на полку:
    { $items }
alert-reason = : { $reason }
alert-unmapped = ❓ { $marketplace } сообщает статус «{ $status }», которому не сопоставлен ни один единый статус. Его заказы будут «без статуса», пока его не сопоставят в /statuses.
alert-sync-failing = ⚠️ Синхронизация «{ $cabinet }» ({ $marketplace }) раз за разом не проходит. Я пробую каждые 10 минут; причина — в /cabinets.
alert-key-problem = 🔑 Ключ «{ $cabinet }» ({ $marketplace }) больше не работает: { $problem }.
alert-digest = 📬 С тех пор как я писал сюда в последний раз:
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
