# /quiet: quiet hours (F7).
command-quiet = quiet hours for alerts
quiet-off = 🌙 Quiet hours are off for this chat: alerts come at once.
quiet-on = 🌙 Quiet hours for this chat: { $from }–{ $to } (the company's time). Held then, and told in one message when they end: { $kinds }. Failures and key problems always come at once.
quiet-no-kinds = nothing
quiet-set-button = 🌙 Set quiet hours
quiet-change-button = 🕙 Change the hours
quiet-off-button = 🔔 Turn off
quiet-ask = Type the quiet hours in the company's time, e.g. 22:00-08:00.
quiet-bad-span = That is not a span of hours. Type two times of day, e.g. 22:00-08:00.
quiet-turned-off = Quiet hours are off.
