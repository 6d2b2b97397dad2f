# /team and /invite.

team-title = «{ $workspace }»: { $count ->
        [one] { $count } сотрудник
        [few] { $count } сотрудника
       *[many] { $count } сотрудников
    }
team-member = • { $name } — { $role }
invite-choose-role = С какой ролью пригласить сотрудника?
invite-created = Приглашение с ролью «{ $role }» готово. Перешлите сотруднику ссылку:
    { $link }
    Или пусть он отправит мне /start { $code }
    Ссылка одноразовая и действует { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
       *[many] { $hours } часов
    }.
team-invite-hint = Чтобы пригласить сотрудника, отправьте /invite и выберите его роль.
team-manage-hint = Нажмите на сотрудника, чтобы сменить ему роль или исключить его.
member-card = { $name }, роль: { $role }
member-make = Сделать: { $role }
member-remove-button = 🚫 Исключить из команды
member-remove-confirm = Исключить { $name } из команды? Доступ пропадёт сразу.
member-remove-confirm-button = 🚫 Да, исключить
member-role-changed = Готово: у { $name } теперь роль «{ $role }».
member-removed = { $name } исключён из команды.
member-not-found = Этого человека нет в вашей команде.
member-last-owner = В компании должен остаться хотя бы один владелец: сначала сделайте владельцем кого-то другого.
member-your-role = Ваша роль в «{ $workspace }» теперь: { $role }. Команды: /help
member-you-were-removed = Вас исключили из «{ $workspace }».
