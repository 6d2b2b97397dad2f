# /groups, /subscribe, /api, /audit.

event-new-order = New orders
event-cancellation = Cancellations
event-low-stock = Low stock
event-ship-deadline = Ship-by deadline near
event-sync-failure = Sync and API failures
event-key-problem = Key problems
event-daily-summary = Daily summary
event-label-ready = Labels ready (the file itself)
event-price-changed = Price changes applied

subscribe-in-group = /subscribe is sent in the group that should receive alerts. Add me to the group, then send /subscribe there.
subscribe-title = Alerts for “{ $group }”. Tap to turn events and cabinets on or off.
subscription-summary = Events: { $events }
    Cabinets: { $cabinets }
subscribe-no-events = none yet
subscribe-all-cabinets = All cabinets
subscribe-done-button = ✔️ Done
subscribe-saved = Saved: “{ $group }” will receive these alerts.
groups-title = Alert groups: { $count }
groups-empty = No groups yet. Add me to a group chat, then send /subscribe there to choose its alerts.
groups-active = active
groups-inactive = I was removed from it: no alerts are sent
groups-hint = To change a group's alerts, send /subscribe in that group. Sums and prices show in a group's alerts only where you allow it: a group may hold people outside the company. To let a group go, press its button below.
groups-money-shown = 💰 sums and prices are shown in its alerts
groups-money-hidden = 🙈 sums and prices are hidden in its alerts
groups-money-show-button = 💰 Show sums in “{ $group }”
groups-money-hide-button = 🙈 Hide sums in “{ $group }”
groups-release-button = 🔓 Let “{ $group }” go
groups-release-confirm = Let “{ $group }” go? Its subscriptions are deleted, it receives no more alerts of this company, and any company's owner or admin can then link it.
groups-release-confirm-button = 🔓 Yes, let it go
groups-released = “{ $group }” is no longer linked to this company; its subscriptions are deleted.

api-title = API catalogue: { $count } requests I make. Choose a marketplace:
api-novaposhta = Nova Poshta
api-family-title = { $marketplace }: requests (✏️ = overridden)
api-family-hint = To change one, send /api and its name, e.g. /api ozon.roles
api-unknown = There is no request called “{ $name }” in the catalogue. Send /api to see the list.
api-entry = { $name }
    { $method } { $path }
    Now calls: { $url }
api-entry-override = Override: host { $host }, path { $path }, version { $version }
api-host-button = Host
api-path-button = Path
api-version-button = Version
api-reset-button = ↩️ Reset to default
api-ask-host = Send the new host for { $name }: https, on { $hosts }, e.g. { $example }
api-ask-path = Send the new path for { $name }, starting with /
api-ask-version = Send the new version for { $name }, e.g. v4
api-need-text = Send the value as text or press Cancel.
api-bad-host = That is not a host: send an address like https://api-seller.ozon.ru without a query.
api-host-not-https = Only https hosts are accepted: the request carries the cabinet's key, and it must not travel unencrypted. Nothing was changed.
api-host-foreign = That host is not one of { $marketplace }'s: a request from your cabinets may only go to { $hosts }, so that their keys reach nobody else. Nothing was changed. Any other host can be set only for the whole installation, by the person who runs the bot.
api-bad-path = That is not a usable path: it starts with /, is made of letters, digits, - _ . ~ and single slashes (no address, no %, no .. and no spaces), and keeps the same {"{"}placeholders{"}"} as { $path }. Nothing was changed.
api-bad-version = A version is the letter v and a number, like v4.
api-override-set = Done: { $name } now calls { $url }
api-reset-done = { $name } is back to its default.
api-reset-none = { $name } had no override.

audit-title = Latest changes ({ $count }):
audit-empty = No changes recorded yet.
audit-system = system
audit-workspace-created = created the workspace
audit-workspace-renamed = renamed the company
audit-workspace-time-zone = changed the time zone
audit-workspace-language = changed the default language
audit-member-joined = joined as
audit-member-role = changed a role
audit-member-removed = removed a member
audit-invite-created = created an invite as
audit-group-linked = linked a group
audit-group-unlinked = let a group go
audit-group-money = changed whether a group sees sums
audit-group-summary-hour = changed when a group hears the daily summary
audit-group-subscribed = turned on alerts
audit-group-unsubscribed = turned off alerts
audit-group-cabinets = changed a group's cabinets
audit-cabinet-added = connected a cabinet
audit-cabinet-renamed = renamed a cabinet
audit-cabinet-enabled = enabled a cabinet
audit-cabinet-disabled = disabled a cabinet
audit-cabinet-main = made a cabinet main
audit-cabinet-key-replaced = replaced a cabinet's key
audit-cabinet-archived = deleted a cabinet, data kept
audit-cabinet-deleted = deleted a cabinet with its data
audit-api-override = overrode an API request
audit-api-reset = reset an API request
audit-status-mapped = changed a status mapping
audit-workspace-orders = changed the order settings
audit-note-money-on = «{ $group }»: sums and prices shown
audit-note-money-off = «{ $group }»: sums and prices hidden
audit-note-status-default = the default
audit-note-stock = { $sku }: { $before } → { $after }
audit-note-stock-why = { $sku }: { $before } → { $after } ({ $reason })
audit-note-publish-on = { $sku }: its stock is published again
audit-note-publish-off = { $sku }: its stock is not published
audit-note-skus-made = { $count ->
    [one] { $count } SKU made from unlinked products
   *[other] { $count } SKUs made from unlinked products
}
audit-note-linked = { $product } linked to { $sku }
audit-note-unlinked = { $product } unlinked from { $sku }
audit-note-upload = file «{ $file }»: { $rows ->
    [one] { $rows } row applied
   *[other] { $rows } rows applied
}
audit-note-prices-chat = in chat: prices { $prices }, SKU rules { $rules }
audit-note-prices-file = from a price list: prices { $prices }, SKU rules { $rules }
audit-note-formula-reset = { $title }: back to the formula it follows
