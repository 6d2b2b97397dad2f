# Каталог и остатки (F2, F5).

store-main-name = Основной склад
audit-catalogue-changed = изменил(а) каталог
audit-prices-changed = изменил(а) цены
audit-stock-changed = изменил(а) остаток

command-stock = остаток товара: /stock, /stock артикул или штрихкод
command-lowstock = товары, которые заканчиваются
command-count = инвентаризация: штрихкод, затем количество
command-catalogue = каталог: наши товары и товары маркетплейсов, связи
command-sync = синхронизировать сейчас: /sync каталог, /sync остатки или /sync заказы

catalogue-summary = 📚 Каталог
    Наших товаров: { $skus } · товаров маркетплейсов: { $products }
    Связано: { $linked } (по штрихкоду { $barcode }, по артикулу { $vendor }, вручную { $manual }, созданы из товаров { $created })
    Без связи: { $unlinked } · подходят к нескольким: { $ambiguous }
catalogue-empty = Товаров маркетплейсов пока нет: они появятся при следующей синхронизации каталога (/sync каталог).
catalogue-unlinked-button = 🔗 Без связи ({ $count })
catalogue-ambiguous-button = ⚖️ Несколько совпадений ({ $count })
catalogue-create-button = ➕ Создать товары для несвязанных ({ $count })
catalogue-open-button = 📚 Открыть каталог
catalogue-back-button = ◀️ Назад
catalogue-unlinked-title = 🔗 Товары без связи: { $count }. Нажмите на товар, чтобы связать.
catalogue-ambiguous-title = ⚖️ Подходят к нескольким нашим товарам: { $count }. Нажмите, чтобы выбрать.
catalogue-list-empty = Здесь пусто.
catalogue-product = { $marketplace } · { $cabinet }
    Артикул: { $vendor }
    { $name }
    Штрихкоды: { $barcodes }
catalogue-no-barcodes = нет
catalogue-link-ask = Введите часть названия нашего товара, его артикул или штрихкод, чтобы связать с ним этот товар.
catalogue-link-choose = Какой это товар?
catalogue-linked = 🔗 Связано
catalogue-unlinked = Связь снята: сама она больше не появится
catalogue-links-title = 🔗 { $code } продаётся как { $count ->
    [0] пока ничего
    [one] { $count } товар
    [few] { $count } товара
   *[other] { $count } товаров
}
catalogue-links-button = 🔗 Связи
catalogue-unlink-button = ✖️ Отвязать { $vendor }
catalogue-create-confirm = Создать наш товар для каждого из { $count } несвязанных? Товары с одним штрихкодом на разных маркетплейсах станут одним товаром.
catalogue-create-yes = ✅ Создать
catalogue-created = ✅ Создано товаров: { $count }.
catalogue-nothing-unlinked = Все товары связаны.
catalogue-product-gone = Этого товара уже нет в каталоге.
search-too-short = Введите хотя бы 2 символа.
search-nothing = По запросу «{ $query }» ничего не нашлось. Попробуйте другую часть названия или штрихкод.

sync-usage = Что синхронизировать сейчас?
sync-catalogue-button = 🔄 Синхронизировать каталог
sync-stocks-button = 🔄 Выгрузить остатки
sync-catalogue-queued = 🔄 Читаю товары всех кабинетов: отчёт придёт сюда.
sync-orders-button = 📥 Загрузить заказы
sync-orders-queued = 📥 Загружаю заказы всех кабинетов: результат придёт сюда.
alert-orders-imported = 📥 Заказы загружены: новых { $new }, сменили статус { $moved }.
sync-stocks-queued = 🔄 Выгружаю остатки во все кабинеты: результат придёт сюда.
sync-already = ⏳ Эта синхронизация уже идёт.
sync-no-cabinets = Сначала подключите кабинет: /cabinets
sync-failed-cabinets = ⚠️ Не ответили: { $cabinets }. Повторю по расписанию.
alert-catalogue-report = 📚 Каталог синхронизирован: товаров маркетплейсов { $products }, наших товаров { $skus }.
    Связано: { $linked } (по штрихкоду { $barcode }, по артикулу { $vendor }).
    Без связи: { $unlinked } · подходят к нескольким: { $ambiguous }
alert-stocks-pushed = 📦 Остатки выгружены: обновлено { $pushed }{ $refused ->
    [0] {""}
   *[other] , маркетплейс отклонил { $refused }
}.
alert-stocks-unchanged = 📦 Остатки актуальны: с прошлой выгрузки ничего не изменилось.

stock-find-ask = Введите часть названия, артикул или штрихкод.
stock-unknown-sku = Товара «{ $query }» нет. Попробуйте часть названия, артикул или штрихкод: { $command }
stock-found = Нашлось { $count }: какой?
stock-sku-gone = Этого товара уже нет в каталоге.
stock-card-barcodes = Штрихкоды: { $barcodes }
stock-card-untracked = Остаток ещё не задан: пока его нет, он не выгружается.
stock-card-held = В открытых заказах: { $count } ({ $orders })
stock-card-available = Можно продать: { $count } · мало, если меньше { $threshold }
stock-card-available-unwatched = Можно продать: { $count } · без предупреждения о малом остатке
stock-card-velocity = Продано за 14 дней: { $sold } · хватит примерно на { $days } дн.
stock-card-no-sales = За 14 дней продаж не было.
stock-card-not-published = 🚫 Отмечен «не выгружать».
stock-card-not-sold = Не связан ни с одним товаром маркетплейсов.
stock-card-sold-as = Продаётся как:
stock-card-button = 📦 Карточка остатка
stock-set-button = ✏️ Задать
stock-add-button = ➕ Приход
stock-subtract-button = ➖ Списать
stock-choose-store = На каком складе?
stock-choose-store-hint = Нажмите склад, где меняется остаток, в сообщении выше, или «Отмена».
stock-ask-set = { $sku } · { $store }: пришлите новое количество. Можно указать причину после числа: «12 инвентаризация».
stock-ask-add = { $sku } · { $store }: сколько пришло? Можно указать причину: «5 от поставщика».
stock-ask-subtract = { $sku } · { $store }: сколько списать? Можно указать причину: «2 брак».
stock-not-a-number = Пришлите целое число, например 12 (после него можно указать причину).
stock-negative = Количество не может быть отрицательным: пришлите 0 или больше.
stock-too-large = Столько на складе не помещается: не больше 10 000 000.
stock-below-zero = Сейчас только { $count }: остаток не может стать меньше нуля.
stock-changed = ✅ Остаток: { $before } → { $after }{ $reason }

lowstock-title = ⚠️ Заканчиваются: { $count }
lowstock-line = • { $sku }: осталось { $count } (меньше { $threshold }){ $days }
lowstock-days = , примерно на { $days } дн.
lowstock-none = ✅ Ничего не опустилось ниже порога.
lowstock-refresh = 🔄 Обновить
alert-low-stock = ⚠️ Заканчивается: { $sku }
    Можно продать { $count } (меньше { $threshold }){ $days }
alert-oversell = 🚨 Риск перепродажи: { $sku }
    Открытые заказы на всех маркетплейсах просят { $ordered }, на полке { $stock }.
    Заказы под риском: { $orders }

count-start = 📋 Инвентаризация: { $store }. Отсканируйте или введите штрихкод (или артикул), затем пришлите количество. /cancel — закончить.
count-unknown = Товара со штрихкодом или артикулом «{ $code }» нет. Отсканируйте ещё раз или /cancel.
count-ask = { $sku }: по учёту { $count }. Пришлите посчитанное количество.
count-saved = ✅ Сохранено: { $before } → { $after }. Следующий штрихкод или /cancel, чтобы закончить.
count-reason = инвентаризация
count-finished = ✅ Инвентаризация закончена: все подсчёты сохранены.

catalogue-export-button = 📤 Номенклатура в XLSX
catalogue-linked-to = 🔗 { $vendor } связан с { $code }.
sheet-col-code = Артикул
sheet-col-name = Наименование
sheet-col-barcodes = Штрихкод
sheet-col-vendor = Артикул продавца
sheet-col-weight = Вес, г
sheet-nomenclature-file = номенклатура
sheet-nomenclature-caption = 📤 Номенклатура. Измените её и пришлите обратно: новые товары добавятся, изменённые обновятся.

upload-stock-preview = 📄 { $name }: список остатков, строк: { $rows }.
    Изменений: { $changes } · без изменений: { $unchanged } · отклонено: { $rejected }
upload-skus-preview = 📄 { $name }: номенклатура, строк: { $rows }.
    Новых товаров: { $created } · изменённых: { $updated } · без изменений: { $unchanged } · отклонено: { $rejected }
upload-largest = Самые большие изменения:
upload-rejected = Отклонённые строки:
upload-rejected-line = • Строка { $row }, столбец { $column }: «{ $value }» — { $reason }
upload-reason-empty = нет количества
upload-reason-not-a-number = не целое число
upload-reason-negative = количество не может быть отрицательным
upload-reason-too-large = больше, чем помещается на складе
upload-reason-unknown-sku = такого товара нет (по артикулу, штрихкоду или артикулу продавца)
upload-reason-unknown-store = нашего склада с таким названием нет
upload-reason-twice = уже есть в строке { $row }
upload-reason-no-name = нет наименования
upload-nothing = Менять нечего.
upload-apply-button = ✅ Применить изменения: { $count }
upload-applied = ✅ Применено: { $count }.
upload-already = Уже применено: второй раз ничего не сделано.
upload-dropped = ✖️ Отменено: ничего не изменилось.
upload-unreadable = Это не таблица, которую я могу прочитать: пришлите XLSX, XLS, ODS или CSV.
upload-empty = В файле нет строк.
upload-too-large = Файл больше 20 МБ: разделите его на части.
upload-too-unpacked = В распакованном виде этот файл больше { $limit } МБ — больше, чем я читаю из одного списка. Оставьте только лист со списком (или сохраните его в CSV) и пришлите снова. Ничего не изменено.
upload-too-wide = На этом листе что-то есть в столбце { $column }, а я читаю списки шириной до { $limit } столбцов. Удалите то, что стоит далеко справа (или скопируйте список на новый лист), и пришлите снова. Ничего не изменено.
upload-too-many-cells = Этот файл занимает больше { $limit } ячеек (строки × столбцы) — больше, чем я читаю из одного файла. Оставьте только лист со списком, удалите то, что стоит далеко внизу или справа, или разделите файл на части. Ничего не изменено.
upload-too-long = В этом списке { $rows } строк, а я читаю до { $limit } за раз: разделите его на части. Ничего не изменено.
upload-left-dialogue = Предыдущий вопрос закрыт — читаю файл.
upload-no-header = Это не список остатков, не номенклатура и не прайс-лист: в строке { $row } нет столбца с товаром (Артикул, Штрихкод) и количеством (Остаток), наименованием (Наименование) или ценой кабинета («Кабинет · Цена», как в списке из /prices). Нашлось: { $found }.

command-chart = график остатка: /chart артикул [14|30|90], /chart склад
chart-button = 📈 График
chart-title = { $sku }: остаток за { $days } дн.
chart-caption = 📈 { $sku }: остаток за { $days } дн., продажи красным.
chart-sales = Продажи
chart-units = шт.
chart-days-button = { $days } дн.
chart-no-history = У { $sku } ещё нет истории остатков: сначала задайте остаток (/stock).
chart-usage = Какой график? /chart артикул (и 14, 30 или 90 дней) или /chart склад.
chart-bad-period = График строится за { $offered } дней, не за { $days }: например, /chart KR-0001 90.
chart-warehouse-title = Склад: главные товары
chart-by-stock = По остатку, шт.
chart-by-days = По дням запаса
chart-warehouse-empty = Остатки ещё не заданы: строить нечего.
chart-no-sales = За 14 дней продаж не было

command-reconcile = сверка наших остатков с маркетплейсами
reconcile-title = 🔎 Сверка: сравнено { $checked }, { $count ->
    [0] расхождений нет
    [one] { $count } расхождение
    [few] { $count } расхождения
   *[other] { $count } расхождений
}.
reconcile-line = • { $cabinet } · { $vendor } · «{ $warehouse }»: у нас { $ours }, у маркетплейса { $theirs }
reconcile-missing = нет
reconcile-nothing = Сравнивать пока нечего: задайте остатки товаров, связанных с маркетплейсами.
reconcile-push-button = 📤 Выгрузить наши ({ $count })
reconcile-pushing = 📤 Выгружаю наши остатки для { $count } позиций: результат придёт сюда.
reconcile-none = ✅ Расхождений больше нет.
reconcile-sheet = сверка
reconcile-file-caption = 🔎 Все расхождения наших остатков с маркетплейсами, { $count ->
    [one] { $count } строка
    [few] { $count } строки
   *[many] { $count } строк
}: кабинет, артикул, склад, у нас, у маркетплейса.
reconcile-col-cabinet = Кабинет
reconcile-col-vendor = Артикул продавца
reconcile-col-warehouse = Склад
reconcile-col-ours = У нас
reconcile-col-theirs = У маркетплейса

stock-unpublish-button = 🚫 Не выгружать
stock-publish-button = ✅ Выгружать
stock-threshold-button = 🔔 Порог остатка
stock-published = ✅ Снова выгружается на маркетплейсы
stock-unpublished = 🚫 Больше не выгружается: на маркетплейсах останется то, что там есть
stock-threshold-ask = { $sku }: ниже какого количества предупреждать? 0 — не предупреждать, «-» — порог компании.
stock-threshold-set = 🔔 Предупрежу, когда останется меньше { $count }.
stock-threshold-default = 🔔 Действует порог компании.
audit-warehouses-changed = изменил(а) склады или формулу остатков
command-warehouses = наши склады, формулы остатков, остатки FBO
warehouses-title = 🏬 Склады
warehouses-ours = Наши:
warehouses-store-line = • { $name }: { $skus } SKU, { $units } шт.
warehouses-shipping = Что показывают склады кабинетов:
warehouses-no-shipping = Складов кабинетов пока нет: они приходят с каталогом (/sync catalogue).
warehouses-fbo = На складах маркетплейсов (FBO):
warehouses-fbo-line = • { $cabinet } · { $name }: { $products ->
    [one] { $products } товар
    [few] { $products } товара
   *[many] { $products } товаров
}, { $units } шт.{ $reserved } · на { $time }
warehouses-fbo-reserved = , { $count } в пути
warehouses-no-fbo = пока ничего не прочитано.
warehouses-add-button = ➕ Добавить склад
warehouses-rename-button = ✏️ Переименовать «{ $name }»
warehouses-ask-name = Пришлите название нового склада (до { $max } символов) или нажмите «Отмена».
warehouses-ask-rename = Пришлите новое название для «{ $name }» (до { $max } символов) или нажмите «Отмена».
warehouses-name-taken = Склад «{ $name }» уже есть. Пришлите другое название или нажмите «Отмена».
warehouses-added = ✅ Склад «{ $name }» добавлен. Остатки на нём задаются через /stock или файлом; формулы остатков учитывают его, если не указано иное.
warehouses-renamed = ✅ Склад теперь называется «{ $name }».
formula-all-stores = все наши склады
formula-less-orders = минус открытые заказы
formula-less-buffer = минус страховой запас { $n }
formula-zero-below = 0, если меньше { $n }
formula-cap = не больше { $n }
formula-inherited = формула кабинета
formula-title = ⚙️ Формула остатков · { $name }
formula-own = Своя формула.
formula-from-cabinet = Формула кабинета: изменение здесь сделает её собственной для этого склада.
formula-from-warehouses = Действуют формулы складов: изменение здесь даст этому SKU свою формулу везде, где он продаётся.
formula-shows = Показывает: { $formula }
formula-starts-from = Изменение здесь начнётся с: { $formula }, на всех складах
warehouses-fbo-more = • { $cabinet }: ещё { $count } складов поменьше не показаны
formula-orders-button = Минус открытые заказы
formula-buffer-button = Страховой запас: { $n }
formula-zero-off-button = Обнулять: нет
formula-zero-button = Обнулять при < { $n }
formula-cap-button = Макс.: { $n }
formula-no-cap-button = Макс.: нет
formula-no-cap = нет
formula-reset-warehouse = ↩️ Формула кабинета
formula-reset-sku = ↩️ Формулы складов
formula-back-button = ⬅️ Назад
formula-choose-buffer = { $name }: сколько штук всегда оставлять страховым запасом (не показывать)?
formula-choose-zero = { $name }: если штук меньше скольких, показывать 0?
formula-choose-cap = { $name }: сколько показывать самое большее?
formula-needs-a-store = Должен учитываться хотя бы один наш склад.
formula-saved = Сохранено: уйдёт со следующей выгрузкой остатков.
stock-formula-button = ⚙️ Формула остатков
stock-card-own-formula = Своя формула: { $formula }
stock-card-fbo = • FBO { $cabinet } · { $warehouse }: { $count }
