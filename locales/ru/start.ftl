# /start: first visit, return, invites.

start-default-workspace = Компания { $name }
start-welcome-new = Здравствуйте, { $name }! Я создал рабочее пространство «{ $workspace }», вы в нём владелец. Здесь вы будете управлять заказами, ценами и остатками на Ozon, Wildberries и Яндекс Маркете. Список команд: /help
start-welcome-back = С возвращением, { $name }! Рабочее пространство «{ $workspace }», ваша роль: { $role }. Список команд: /help
start-joined = Вы присоединились к «{ $workspace }» с ролью «{ $role }». Список команд: /help
start-invite-invalid = Приглашение не найдено: оно уже использовано, истекло или код набран с ошибкой. Попросите новое приглашение.
