# /settings: workspace name and time zone.

settings-overview = Настройки компании
    Название: { $workspace }
    Часовой пояс: { $timezone }
settings-rename-button = Переименовать
settings-ask-name = Пришлите новое название компании (до { $max } символов) или нажмите «Отмена».
settings-name-empty = Название не может быть пустым. Пришлите название текстом.
settings-name-too-long = Слишком длинное название: не больше { $max } символов.
settings-name-one-line = Название должно быть в одну строку.
settings-name-need-text = Пришлите название текстом или нажмите «Отмена».
settings-renamed = Готово: компания теперь называется «{ $workspace }».
