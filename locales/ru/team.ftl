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
    Ссылка одноразовая и действует { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }.
