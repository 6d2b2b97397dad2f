# Orders (F3) and their alerts (F7).
status-new = new
status-confirmed = confirmed
status-packed = packed
status-label = label received
status-shipped = shipped
status-delivered = delivered
status-cancelled = cancelled
status-returned = returned
status-disputed = disputed
status-none = no status
order-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
order-ship-by = ship by { $time }
alert-new-order = 🆕 New order { $number } · { $marketplace } “{ $cabinet }”
    { $items }
    { $summary }
alert-new-order-fbo = 🆕 New { $marketplace } warehouse order (FBO) { $number } · “{ $cabinet }”
    { $items }
    { $summary }
alert-cancelled = ❌ Order { $number } ({ $marketplace } “{ $cabinet }”) was cancelled{ $reason }.
alert-put-back = ↩️ Order { $number } ({ $marketplace } “{ $cabinet }”) was cancelled after it was assembled. Put the items back on the shelf:
    { $items }
alert-reason = : { $reason }
alert-unmapped = ❓ { $marketplace } reports the status “{ $status }”, which no unified status maps. Its orders show “no status” until it is mapped in /statuses.
alert-deadline = ⏰ Order { $number } · { $marketplace } “{ $cabinet }”: the deadline is near, { $deadline }, { $left }
    { $items }
alert-sync-failing = ⚠️ Syncing “{ $cabinet }” ({ $marketplace }) keeps failing; I keep trying every 10 minutes, and /cabinets shows how it stands.
alert-key-problem = 🔑 The key of “{ $cabinet }” ({ $marketplace }) no longer works: { $problem }.
alert-digest = 📬 Meanwhile (the orders are in /orders):
alert-digest-new = { $count ->
    [one] { $count } new order
   *[other] { $count } new orders
}
alert-digest-cancelled = { $count ->
    [one] { $count } cancellation
   *[other] { $count } cancellations
}
alert-digest-put-back = { $count ->
    [one] { $count } order cancelled after assembly: put its items back on the shelf
   *[other] { $count } orders cancelled after assembly: put their items back on the shelf
}
alert-digest-other = { $count ->
    [one] { $count } other notice
   *[other] { $count } other notices
}
command-orders = orders: list, filters, actions
command-order = one order by its number: /order 12345
orders-title = 📦 Orders · { $period } — { $count } · sold for { $sum }
orders-title-lost = {" "}· cancelled or returned: { $sum }
orders-title-assemble = 📦 To assemble — { $count }
orders-empty = No orders here.
orders-filters = Status: { $status } · scheme: { $scheme } · cabinet: { $cabinet }
orders-all = all
period-d = today
period-y = yesterday
period-w = 7 days
period-m = 30 days
orders-status-button = Status ▾
orders-scheme-button = Scheme ▾
orders-cabinet-button = Cabinet ▾
orders-choose-status = Show orders with the status:
orders-choose-scheme = Show orders of the scheme:
orders-choose-cabinet = Show orders of the cabinet:
orders-all-button = All
orders-line = { $n }. { $marketplace } “{ $cabinet }” · { $number } · { $items } · { $sum } · { $status }{ $left }
orders-line-assemble = { $n }. { $marketplace } “{ $cabinet }” · { $number } · { $items }{ $left }
orders-prev = ◀️
orders-next = ▶️
orders-assemble-button = 📦 { $number }
order-left = ⏳ { $time } left
order-overdue = ⌛ overdue by { $time }
order-hm = { $h } h { $m } min
order-m = { $m } min
order-title = 🛒 { $marketplace } “{ $cabinet }” · order { $number }
order-external = posting / order id: { $id }
order-alt-id = Also known as: { $id }
order-status = Status: { $unified } ({ $status })
order-deadline = Ship by { $time }{ $left }
order-items-title = Items:
order-item = • { $name } × { $quantity }
order-item-price = • { $name } × { $quantity } — { $price }
order-total = Total: { $sum }
order-history = History:
order-history-line = • { $time } { $unified } — { $who }
history-import = imported
history-marketplace = changed at the marketplace
history-mapping = mapping changed
order-not-found = There is no order { $number } in your company. Send /orders to see the list.
order-need-number = Send the order's number after the command, for example /order 12345.
order-too-late = Too late to cancel this order from here: the annulment window is over.
order-sending = ⏳ Sending “{ $action }” to { $marketplace }…
done-confirm = The order is confirmed.
done-assemble = The order is packed.
done-ship = The order is shipped.
done-cancel = The order is cancelled.
order-done-first-tap = { $action ->
    [confirm] Your first tap did it: the order is confirmed.
    [assemble] Your first tap did it: the order is packed.
    [ship] Your first tap did it: the order is shipped.
   *[cancel] Your first tap did it: the order is cancelled.
}
order-done-by = { $name } did it already: the order is “{ $status }”.
order-done-already = Done already: the order is “{ $status }”.
order-alert-done = ✅ { $action } — { $who }
order-sent-private = I sent you the order's card in our private chat.
order-start-private = { $name }, open a private chat with me and press Start first: then I can send you the order's card.
order-cancel-in-private = Orders are cancelled from their card: press Open, then cancel it there.
order-pending = ⏳ { $marketplace } did not answer yet. I will keep trying and say if it fails for good.
order-refused = { $marketplace } refused this step for the order as it stands now. I read its orders again: check the card.
order-refused-not-found = { $marketplace } does not know this order any more (cancelled, or moved). I read its orders again: check the card.
order-refused-key = { $marketplace } did not let this cabinet's key do it: the key lacks a permission or no longer works. Check the cabinet in /cabinets.
order-refused-limit = { $marketplace } asked to slow down. Try again in a minute.
order-refused-unavailable = { $marketplace } did not answer. Try again in a minute.
order-refused-unsupported = { $marketplace } has no such step for this order.
order-refused-unexpected = { $marketplace } answered something I could not read. Try again in a minute; it is in my log.
order-stale = The order changed since this card was shown: it is now “{ $status }”. Check the card and press again.
order-already = An action on this order is being sent already; wait for its result.
order-refresh-button = 🔄 Refresh
order-back-button = ⬅️ List
order-choose-reason = Why cancel order { $number }? { $marketplace } asks for a reason. The cancellation goes at once and cannot be undone:
order-confirm-cancel = Cancel order { $number } at { $marketplace }? This cannot be undone.
order-cancel-yes = ❌ Yes, cancel it
order-open-button = Open
action-confirm = Confirm
action-assemble = Assemble
action-ship = Ship
action-cancel = Cancel the order
alert-action-failed = ⚠️ I could not “{ $action }” order { $number } ({ $marketplace } “{ $cabinet }”): the marketplace did not answer, however often I tried. Open the order to try again.
order-gone = That order is no longer here.

# /alerts: a member's own alerts in their private chat.
my-alerts-title = 🔔 Alerts for you here, in this chat: { $events }
    They come on top of what your company's groups get (an owner or admin sets those with /subscribe in the group). Tap a kind to turn it on or off.
my-alerts-none = none yet
my-alerts-on = On: { $event }
my-alerts-off = Off: { $event }
alert-deadlines = ⏰ The deadline is near for { $count ->
    [one] { $count } order
   *[other] { $count } orders
}:
alert-low-stocks = ⚠️ Running low: { $count ->
    [one] { $count } SKU
   *[other] { $count } SKUs
}
alert-low-stock-line = • { $sku }: { $count } left to sell (below { $threshold }){ $days }
alert-oversells = 🚨 Oversell risk: { $count ->
    [one] { $count } SKU
   *[other] { $count } SKUs
}
alert-oversell-line = • { $sku }: open orders want { $ordered }, the shelf has { $stock } ({ $orders })
alert-group-more = … and { $count } more: { $command }
