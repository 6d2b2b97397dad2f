# Этикетки, листы подбора и упаковки, «беру» (F4).

command-labels = этикетки и листы подбора: /labels или /labels 12345 67890
labels-desk = 🏷 Печать. Что нужно?
labels-unlabelled-button = 🏷 Этикетки для всего собранного
list-pick-button = 📋 Лист подбора (к сборке)
list-packing-button = 📦 Упаковочный лист (к сборке)
labels-one-button = 🏷 Этикетка
labels-queued = 🏷 Готовлю { $count ->
    [one] этикетку
   *[other] этикетки: { $count } шт.
}, файл придёт сюда.
labels-already = ⏳ Эти этикетки уже готовятся.
labels-nothing = Печатать нечего: этикетки бывают у заказов FBS, подтверждённых или собранных.
labels-too-many = Не больше { $max } номеров за раз.
labels-unknown = Не найдены: { $numbers }
labels-done = 🏷 Этикеток: { $count }.
labels-part = 🏷 Этикетки, файл { $part } из { $parts }.
labels-none = 🏷 Ни одной этикетки получить не удалось.
labels-failed = ⚠️ Без этикетки { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
}:
labels-reason-not-ready = маркетплейс её ещё не сделал, попробуйте через минуту
labels-reason-refused = маркетплейс отказал
labels-reason-unavailable = маркетплейс не ответил
labels-reason-gone = кабинет удалён
labels-reason-not-on-supply = заказ ещё не на сборке: сначала подтвердите его (добавьте в поставку)
labels-reason-key = маркетплейс не принял ключ кабинета: замените его в /cabinets
alert-label-ready = 🏷 Этикетка заказа { $number } · { $marketplace } · { $cabinet }
    { $items }

list-pick-title = Лист подбора
list-packing-title = Упаковочный лист
list-subtitle = { $date } · { $company } · { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
}
list-sku = Артикул
list-name = Товар
list-location = Откуда отгрузка
list-barcode = Штрихкод
list-quantity = Кол-во
list-order = Заказ
list-total = Всего единиц:
list-pick-caption = 📋 Лист подбора: { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
} к сборке.
list-packing-caption = 📦 Упаковочный лист: { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
} к сборке.
list-nothing = К сборке ничего не ждёт.

claim-take-button = 🙋 Беру
claim-release-button = ↩️ Отпустить
claim-line = 🙋 Собирает { $name }
claim-taken = Заказ ваш. Остальные видят, что его собираете вы.
claim-yours = Он уже у вас.
claim-theirs = Его уже взял(а) { $name }.
claim-released = Отпущен: теперь его может взять любой.

command-supplies = поставки WB: создать, добавить заказы, передать, QR-код
supplies-no-wb = Поставки — способ Wildberries передавать заказы FBS: сначала подключите кабинет WB в /cabinets.
supplies-title = 📦 Поставки WB
supplies-cabinet = { $cabinet } · стикеры { $size } мм
supplies-none = Поставок пока нет.
supplies-unavailable = ⚠️ Wildberries сейчас не ответил по этому кабинету; попробуйте через минуту.
supply-line-open = 🟢 { $name } · { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
}
supply-line-done = ✅ { $name } · { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
} · передана
supply-new-button = ➕ Новая поставка
supply-size-button = 🏷 Стикеры { $size } мм
supply-size-set = Теперь стикеры { $size } мм.
supply-created = Поставка создана.
supply-gone = Этой поставки или кабинета уже нет. Откройте /supplies заново.
supply-state-open = открыта
supply-state-done = передана
supply-card = 📦 Поставка { $name } ({ $id })
    { $state } · { $count ->
        [one] { $count } заказ
        [few] { $count } заказа
       *[other] { $count } заказов
    }
supply-add-button = ➕ Добавить заказы
supply-labels-button = 🏷 Этикетки и QR-код (один PDF)
supply-labels-only-button = 🏷 Этикетки (QR-код — после передачи)
supply-qr-button = 🔳 QR-код
supply-close-button = 🚚 Закрыть и передать
supply-close-confirm = Передать поставку { $name } ({ $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
}) в WB? После этого добавить в неё заказы будет нельзя.
supply-close-yes = 🚚 Да, передать
supply-closed = ✅ Поставка передана.
supply-add-title = Новые заказы этого кабинета: нажмите на заказ, чтобы добавить его в поставку (он уйдёт на сборку).
supply-add-all = ➕ Все ({ $count })
supply-add-none = Новых заказов для поставки нет.
supply-added = Добавлено: { $count }.
supply-qr-caption = 🔳 Поставка { $id }{ $barcode }
