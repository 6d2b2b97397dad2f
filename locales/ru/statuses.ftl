# /statuses: сопоставление статусов маркетплейсов с едиными.
statuses-title = 🔁 Сопоставление статусов: { $count ->
    [one] { $count } статус
    [few] { $count } статуса
   *[many] { $count } статусов
}{ $unmapped ->
    [0] {""}
   *[other] , без единого статуса: { $unmapped }
}
statuses-empty = Заказы ещё не загружались, сопоставлять пока нечего. Статусы появятся здесь вместе с заказами.
statuses-line = • { $status } → { $unified } · { $orders }
statuses-line-own = • { $status } → { $unified } ✏️ · { $orders }
statuses-line-unmapped = ⚠️ { $status } → { $unified } · { $orders }
statuses-page = Страница { $page } из { $pages }
statuses-hint = ✏️ — ваше сопоставление; число — сколько заказов сейчас в этом статусе. Нажмите на статус, чтобы изменить, чему он соответствует.
statuses-pick = { $status }
    Сейчас: { $unified } (по умолчанию). Заказов в этом статусе: { $orders }.
    Чему он соответствует?
statuses-pick-own = { $status }
    Сейчас: { $unified } (ваше сопоставление; по умолчанию — { $default }). Заказов в этом статусе: { $orders }.
    Чему он соответствует?
statuses-default-button = ↩️ Вернуть по умолчанию ({ $default })
statuses-mapped = ✅ { $status } теперь означает «{ $unified }». { $orders ->
    [0] Ни один заказ менять не пришлось.
    [one] { $orders } заказ перешёл в этот статус.
    [few] { $orders } заказа перешли в этот статус.
   *[many] { $orders } заказов перешли в этот статус.
}
statuses-mapped-toast = Сохранено: { $unified }
