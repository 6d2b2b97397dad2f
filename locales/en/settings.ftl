# /settings: workspace name and time zone.

settings-overview = Company settings
    Name: { $workspace }
    Time zone: { $timezone }
settings-rename-button = Rename
settings-ask-name = Send the company's new name (up to { $max } characters) or press Cancel.
settings-name-empty = The name can't be empty. Send the name as text.
settings-name-too-long = That name is too long: { $max } characters at most.
settings-name-one-line = The name must fit on one line.
settings-name-need-text = Send the name as text or press Cancel.
settings-renamed = Done: the company is now called “{ $workspace }”.
