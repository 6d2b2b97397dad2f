# /settings: workspace name and time zone.

settings-overview = Company settings
    Name: { $workspace }
    Time zone: { $timezone }
    Default language: { $language }
settings-timezone-button = 🕒 Time zone
settings-language-button = 🌐 Language
settings-choose-timezone = Choose the company's time zone: deadlines, reports and the daily summary use it.
settings-timezone-set = Time zone: { $timezone }
settings-choose-language = Choose the default language: group chats and new members get it.
settings-language-set = Default language: { $language }
settings-rename-button = Rename
settings-ask-name = Send the company's new name (up to { $max } characters) or press Cancel.
settings-name-empty = The name can't be empty. Send the name as text.
settings-name-too-long = That name is too long: { $max } characters at most.
settings-name-one-line = The name must fit on one line.
settings-name-need-text = Send the name as text or press Cancel.
settings-renamed = Done: the company is now called “{ $workspace }”.
settings-orders = Orders: imported every { $poll } · cancelled from a card within { $annul } of the order · deadline alerts { $deadline } ahead
settings-poll-button = ⏱ Import
settings-annul-button = ❌ Cancel window
settings-deadline-button = ⏰ Deadline alert
settings-choose-poll = How often should I import each cabinet's orders? More often means faster alerts and more requests to the marketplace.
settings-choose-annul = For how long after an order is placed may it be cancelled from its card?
settings-choose-deadline = How long before the ship-by deadline should I warn about an order not yet shipped?
settings-order-set = Saved: { $value }
settings-seconds = { $n } s
settings-minutes = { $n } min
settings-hours = { $n } h
settings-stocks = Stocks: published every { $every } · low-stock alert below { $low } unless a SKU has its own threshold
settings-stocks-button = 📦 Stock push
settings-low-button = 📉 Low stock
settings-choose-stocks = How often should I publish stock to every cabinet? Only what changed is sent; more often means the marketplaces see a sale sooner.
settings-choose-low = Below how many units is a SKU's stock low? A SKU's own threshold on its card wins; “off” alerts only SKUs with their own.
settings-low-off = off
settings-units = { $n } pcs
settings-stocks-no-low = Stocks: published every { $every } · low-stock alerts only for SKUs with their own threshold
settings-finance = Finance: read every { $every } · payout shown { $days } after the order
settings-finance-button = 💰 Finance reading
settings-payout-button = 💸 Payout after
settings-choose-finance = How often should each cabinet's finance be read? WB gives its report once a minute; the Market's and Ozon's accruals come days after delivery.
settings-choose-payout = How many days after an order is its payout shown (“paid: sum − commission”)?
settings-days = { $n } d
