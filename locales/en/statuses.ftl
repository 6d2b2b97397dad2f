# /statuses: how marketplace statuses map to unified ones.
statuses-title = 🔁 Status mapping: { $count ->
    [one] one status seen
   *[other] { $count } statuses seen
}{ $unmapped ->
    [0] {""}
   *[other] , { $unmapped } without a unified status
}
statuses-empty = No orders have been imported yet, so there is nothing to map. Statuses appear here as orders arrive.
statuses-line = • { $status } → { $unified } · { $orders }
statuses-line-own = • { $status } → { $unified } ✏️ · { $orders }
statuses-line-unmapped = ⚠️ { $status } → { $unified } · { $orders }
statuses-page = Page { $page } of { $pages }
statuses-hint = ✏️ marks your own mapping; the number is how many orders are in that status now. Tap a status to change what it maps to.
statuses-pick = { $status }
    Now: { $unified } (the default). Orders in this status: { $orders }.
    What should it mean?
statuses-pick-own = { $status }
    Now: { $unified } (your mapping; the default is { $default }). Orders in this status: { $orders }.
    What should it mean?
statuses-default-button = ↩️ Back to the default ({ $default })
statuses-mapped = ✅ { $status } now means “{ $unified }”. { $orders ->
    [0] No orders had to change.
    [one] One order moved to it.
   *[other] { $orders } orders moved to it.
}
statuses-mapped-toast = Saved: { $unified }
