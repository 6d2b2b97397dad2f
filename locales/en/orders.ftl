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
    { $total } · { $deadline }
alert-new-order-fbo = 🆕 New { $marketplace } warehouse order (FBO) { $number } · “{ $cabinet }”
    { $items }
    { $total }
alert-cancelled = ❌ Order { $number } ({ $marketplace } “{ $cabinet }”) was cancelled{ $reason }.
alert-put-back = ↩️ Order { $number } ({ $marketplace } “{ $cabinet }”) was cancelled after it was assembled. Put the items back on the shelf:
    { $items }
alert-reason = : { $reason }
alert-unmapped = ❓ { $marketplace } reports the status “{ $status }”, which no unified status maps. Its orders show “no status” until it is mapped in /statuses.
alert-sync-failing = ⚠️ Syncing “{ $cabinet }” ({ $marketplace }) keeps failing. I keep trying every 10 minutes; the reason is in /cabinets.
alert-key-problem = 🔑 The key of “{ $cabinet }” ({ $marketplace }) no longer works: { $problem }.
alert-digest = 📬 Since I last wrote here:
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
