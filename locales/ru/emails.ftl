# Почта для уведомлений (F7), из /settings.
audit-emails-changed = изменил(а) адрес почты для уведомлений
emails-button = 📧 Почта для уведомлений
emails-title = 📧 Адреса почты для уведомлений. Каждый подтверждается кодом из письма, затем получает выбранные уведомления и сообщения правил.
emails-empty = Адресов пока нет.
emails-line = ✅ { $address } — { $kinds }
emails-line-waiting = ⏳ { $address } — ждёт код
emails-add-button = ➕ Добавить адрес
emails-delete-button = 🗑 Удалить
emails-deleted = { $address } удалён.
emails-gone = Этого адреса больше нет.
emails-ask-address = Введите адрес почты, например sklad@example.com.
emails-bad-address = Это не адрес почты. Введите адрес, например sklad@example.com.
emails-code-subject = Код подтверждения mpbot
emails-code-body = Ваш код подтверждения адреса для уведомлений mpbot: { $code }
    Он действует 30 минут. Если вы его не запрашивали, не отвечайте на это письмо.
emails-code-sent = 📨 Код отправлен на { $address }. Введите его здесь (он действует 30 минут).
emails-known = { $address } уже подтверждён.
emails-not-sent = Почтовый сервер не принял письмо на { $address }. Проверьте адрес и попробуйте позже.
emails-confirmed = ✅ { $address } подтверждён. Выберите уведомления для него:
emails-wrong-code = Код неверный: { $left ->
    [one] осталась { $left } попытка
    [few] осталось { $left } попытки
   *[other] осталось { $left } попыток
    }. Введите код из письма или /cancel.
emails-code-spent = Этот код больше не действует (слишком много попыток или истёк срок). Добавьте адрес заново, чтобы получить новый.
rules-act-notify-email = Сообщение → почта
rules-do-notify-email = письмо на { $address }: { $text }
rules-ask-email = Какой адрес?
rules-need-email = Сначала подтвердите адрес почты в /settings.
rules-foreign-email = Этот адрес не из подтверждённых адресов компании.
