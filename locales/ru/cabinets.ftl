# /cabinets: список, подключение кабинета, карточка кабинета.

marketplace-ozon = Ozon
marketplace-wb = Wildberries
marketplace-ym = Яндекс Маркет
scheme-fbs = FBS (со своего склада)
scheme-fbo = FBO (со склада маркетплейса)
scheme-both = FBS и FBO

cabinets-title = Кабинеты: { $count }
cabinets-empty = Кабинетов пока нет. Кабинет — это ваш личный кабинет продавца на Ozon, Wildberries или Яндекс Маркете.
cabinets-ask-admin = Подключить его может владелец или администратор.
cabinets-add-button = ➕ Добавить кабинет
cabinets-back-button = « Все кабинеты
cabinets-private-only = Это делается в личном чате со мной.
cabinet-line = { $state } { $marketplace } «{ $name }» · { $scheme }{ $main }
cabinet-state-ok = 🟢
cabinet-state-error = 🔴
cabinet-state-disabled = ⏸ отключён ·
cabinet-main-mark = основной
cabinet-synced = последняя синхронизация { $time }
cabinet-never-synced = ещё не синхронизировался
cabinet-last-error = последняя ошибка { $time }: { $error }
cabinet-error-key-wrong = маркетплейс больше не принимает ключ: замените его (🔑)
cabinet-error-sync = синхронизация с маркетплейсом раз за разом не проходит; я продолжаю пытаться
cabinet-error-api = маркетплейс отклонил сам запрос проверки ключа ({ $status }): ключ ни при чём; проверьте переопределения в /api
cabinet-error-key-refused = маркетплейс отказывает в доступе с этим ключом: замените его (🔑)
cabinet-error-key-scopes = у токена больше нет нужных категорий: замените его (🔑)
cabinet-error-key-read-only = токен стал только для чтения: замените его (🔑)
cabinet-error-key-roles = у ключа больше нет нужных ролей: замените его (🔑)
cabinet-error-key-no-campaigns = с этим ключом магазин больше не доступен: замените его (🔑)
cabinet-error-key-unreadable = сохранённый ключ не расшифровывается этим мастер-ключом: замените его (🔑)
cabinet-key-expires = ключ действует до { $date }
cabinet-key-expires-soon = ⚠️ ключ истекает { $date }, через { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }: замените его (🔑)
cabinet-key-expired = ⚠️ ключ истёк { $date }: замените его (🔑)
cabinet-account = Аккаунт: { $account }
cabinet-shop = Магазин: { $name } ({ $shop })
cabinet-scheme = Схема: { $scheme }
cabinet-rename-button = ✏️ Переименовать
cabinet-disable-button = ⏸ Отключить
cabinet-enable-button = ▶️ Включить
cabinet-main-button = ⭐ Сделать основным
cabinet-key-button = 🔑 Заменить ключ
cabinet-delete-button = 🗑 Удалить
cabinet-not-found = Кабинет не найден: он удалён или принадлежит другой компании.
cabinet-enabled = Кабинет включён.
cabinet-disabled = Кабинет отключён: я не буду с ним работать, пока вы его снова не включите.
cabinet-now-main = Теперь это основной кабинет маркетплейса.
cabinet-ask-name = Пришлите новое название для «{ $name }» (до { $max } символов) или нажмите «Отмена».
cabinet-renamed = Готово: кабинет теперь называется «{ $name }».
cabinet-name-empty = Название не может быть пустым. Пришлите название текстом.
cabinet-name-too-long = Слишком длинное название: не больше { $max } символов.
cabinet-name-one-line = Название должно быть в одну строку.
cabinet-replace-intro = Новый ключ для «{ $name }». Старый ключ работает, пока новый не проверен.
cabinet-key-replaced = Готово: «{ $name }» работает с новым ключом.
cabinet-delete-confirm = Удалить кабинет «{ $name }»?
    Сохранить данные: заказы, товары и история останутся для отчётов, ключ будет стёрт.
    Удалить всё: кабинет и все его данные будут удалены безвозвратно.
cabinet-delete-keep = Удалить, данные сохранить
cabinet-delete-purge = Удалить вместе с данными
cabinet-deleted-kept = Кабинет «{ $name }» удалён: ключ стёрт, данные сохранены.
cabinet-deleted-purged = Кабинет «{ $name }» удалён вместе со всеми данными.
cabinet-saved = Готово: кабинет «{ $name }» подключён, ключ хранится в зашифрованном виде. Все кабинеты: /cabinets

connect-choose-market = На каком маркетплейсе кабинет?
connect-ask-client-id = Пришлите Client-Id вашего кабинета Ozon: число в разделе Настройки → Seller API.
connect-ask-key-ozon = Теперь пришлите Api-Key для этого Client-Id (Настройки → Seller API). Я удалю сообщение с ключом сразу после прочтения.
connect-ask-key-wb = Пришлите токен API Wildberries (Настройки → Доступ к API). Нужны категории «Контент», «Цены и скидки», «Маркетплейс» и «Статистика» с правом записи. Я удалю сообщение с токеном сразу после прочтения.
connect-ask-key-ym = Пришлите Api-Key Яндекс Маркета (кабинет партнёра → Настройки → API и модули). Я удалю сообщение с ключом сразу после прочтения.
connect-client-id-invalid = Client-Id — это число, например 100500.
idle-key-deleted = 🔒 Это похоже на ключ, поэтому я удалил сообщение из чата. Чтобы подключить кабинет, откройте /cabinets: там я попрошу ключ.
connect-key-deleted = 🔒 Я удалил из чата ваше сообщение с ключом.
connect-key-not-deleted = ⚠️ Не получилось удалить ваше сообщение с ключом: удалите его, пожалуйста, сами.
connect-key-need-text = Пришлите ключ текстовым сообщением.
connect-key-empty = В сообщении нет ключа.
connect-key-too-short = Для ключа это слишком коротко. Скопируйте ключ целиком.
connect-key-too-long = Для ключа это слишком длинно. Пришлите только ключ.
connect-key-bad-characters = В ключе только латинские буквы, цифры и знаки, без пробелов. Скопируйте сам ключ.
connect-key-ok = ✅ Ключ работает.
connect-wrong-ozon = ❌ Ozon не принял этот Client-Id и Api-Key: один из них неверен, либо ключ отозван или истёк. Ничего не сохранено.
connect-wrong-wb = ❌ Wildberries не принял этот токен: он введён с ошибкой, отозван или истёк. Ничего не сохранено.
connect-wrong-ym = ❌ Яндекс Маркет не принял этот Api-Key: он введён с ошибкой или отозван. Ничего не сохранено.
connect-refused = ❌ Маркетплейс знает этот ключ, но отказывает в доступе: возможно, ключ отозван или заблокирован. Создайте новый ключ. Ничего не сохранено.
connect-wb-scopes = ❌ У токена нет нужных категорий: { $missing }. Создайте токен с категориями «Контент», «Цены и скидки», «Маркетплейс» и «Статистика». Ничего не сохранено.
connect-wb-read-only = ❌ Токен только для чтения, а мне нужно подтверждать заказы и менять цены и остатки. Создайте токен с правом записи. Ничего не сохранено.
connect-ozon-roles = ❌ У этого Api-Key нет доступа к { $count ->
        [one] { $count } нужному методу
       *[other] { $count } нужным методам
    } ({ $methods }). Создайте ключ с ролью Admin или добавьте недостающие роли. Ничего не сохранено.
connect-ym-no-campaigns = ❌ С этим Api-Key не доступен ни один магазин с доступом к API. Проверьте права ключа в кабинете партнёра. Ничего не сохранено.
connect-unreachable = ⏳ { $marketplace } сейчас не отвечает, поэтому проверить ключ не удалось. Ничего не сохранено. Повторите через минуту или отмените.
connect-api-problem = ⚠️ { $marketplace } отклонил сам запрос проверки ({ $status }), поэтому не понять, верен ли ключ. Дело в запросе, а не в ключе: переопределение в /api или изменение у { $marketplace }. Ничего не сохранено. Повторите или отмените.
connect-retry-button = 🔁 Повторить
connect-choose-campaign = { $count ->
        [one] С этим ключом доступен { $count } магазин
        [few] С этим ключом доступно { $count } магазина
       *[many] С этим ключом доступно { $count } магазинов
    }. Какой из них этот кабинет?
connect-ask-scheme = С какими заказами работает этот кабинет?
connect-ask-name = Как назвать кабинет? Пришлите название (до { $max } символов) или возьмите «{ $name }».
connect-use-name-button = Назвать «{ $name }»
connect-name-need-text = Пришлите название текстом или нажмите «Отмена».
connect-name-taken = Кабинет «{ $name }» уже есть. Выберите другое название.
connect-ask-main = У вас уже есть кабинеты на { $marketplace }. Сделать этот основным? Основной кабинет используется, когда нужно выбрать один (прайс-листы, новые товары).
connect-main-yes = ⭐ Да, основной
connect-main-no = Нет
connect-summary = Проверьте новый кабинет:
    Маркетплейс: { $marketplace }
    Название: { $name }
    Аккаунт: { $account }
    Схема: { $scheme }
    Основной: { $main }
connect-save-button = 💾 Сохранить
connect-nothing-to-save = Сохранять нечего: кабинет уже сохранён или диалог отменён.
connect-duplicate = Этот аккаунт уже подключён как «{ $name }». Чтобы сменить его ключ, откройте его в /cabinets.
connect-replace-other-account = Этот ключ от другого аккаунта, не от «{ $name }». Ничего не изменено; чтобы подключить тот аккаунт, добавьте его как новый кабинет.
connect-use-buttons = Нажмите одну из кнопок выше или /cancel.

wb-scope-content = «Контент»
wb-scope-prices = «Цены и скидки»
wb-scope-marketplace = «Маркетплейс»
wb-scope-statistics = «Статистика»
cabinet-stock-refused = ⚠️ остатки: маркетплейс отклонил { $count ->
    [one] { $count } позицию
    [few] { $count } позиции
   *[many] { $count } позиций
} при последней выгрузке
cabinet-refused-button = ⚠️ Отклонённые остатки
cabinet-refused-title = ⚠️ { $cabinet }: отклонено позиций остатков при последней выгрузке: { $count }
cabinet-refused-line = • { $vendor } · { $warehouse }: { $error } ({ $time })
cabinet-refused-more = …и ещё { $count }.
cabinet-refused-none = Сейчас ничего не отклонено: все позиции прошли при последней выгрузке.
alert-key-expiring = 🔑 Ключ кабинета «{ $cabinet }» ({ $marketplace }) истекает { $days ->
    [one] через { $days } день
    [few] через { $days } дня
   *[many] через { $days } дней
}, { $date }. Выпустите новый в личном кабинете продавца и замените его в /cabinets, иначе синхронизация остановится.
cabinet-error-key-expired = срок ключа истёк: выпустите новый в личном кабинете продавца и замените его здесь
failure-request-status = запрос { $request } отвечает { $status }
failure-request = запрос { $request } не проходит
failure-status = { $marketplace } отвечает { $status }
failure-not-found = { $marketplace } его не знает: мог измениться путь или версия.
failure-refused = { $marketplace } отказал в нём в таком виде.
failure-key = ключ кабинета не может этого или больше не работает: проверьте его в /cabinets.
failure-limit = { $marketplace } просит притормозить — жду и пробую снова.
failure-unavailable = { $marketplace } не ответил.
failure-unsupported = У { $marketplace } нет такого запроса.
failure-unexpected = { $marketplace } ответил так, что я не смог прочитать ответ.
failure-see-api = Посмотрите его в /api { $request }: там можно поменять путь или версию.
