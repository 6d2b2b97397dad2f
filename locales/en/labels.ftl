# Labels, pick and packing lists, claims (F4).

command-labels = labels and pick lists: /labels, or /labels 12345 67890
labels-desk = 🏷 Printing. What do you need?
labels-unlabelled-button = 🏷 Labels for everything packed
list-pick-button = 📋 Pick list (to assemble)
list-packing-button = 📦 Packing list (to assemble)
labels-one-button = 🏷 Label
labels-queued = 🏷 Preparing { $count ->
    [one] the label
   *[other] { $count } labels
}: the file comes here.
labels-already = ⏳ These labels are being prepared already.
labels-nothing = Nothing to print: labels exist for FBS orders that are confirmed or packed.
labels-too-many = At most { $max } numbers at once.
labels-unknown = Not found: { $numbers }
labels-done = 🏷 Labels: { $count }.
labels-part = 🏷 Labels, file { $part } of { $parts }.
labels-none = 🏷 No labels could be printed.
labels-failed = ⚠️ No label for { $count ->
    [one] one order
   *[other] { $count } orders
}:
labels-reason-not-ready = the marketplace has not made it yet, try again in a minute
labels-reason-refused = the marketplace refused
labels-reason-unavailable = the marketplace did not answer
labels-reason-gone = its cabinet was removed
alert-label-ready = 🏷 Label for order { $number } · { $marketplace } · { $cabinet }
    { $items }

list-pick-title = Pick list
list-packing-title = Packing list
list-subtitle = { $date } · { $company } · { $count ->
    [one] one order
   *[other] { $count } orders
}
list-sku = SKU
list-name = Item
list-location = Ships from
list-barcode = Barcode
list-quantity = Qty
list-order = Order
list-total = Units in all:
list-pick-caption = 📋 Pick list for { $count ->
    [one] one order
   *[other] { $count } orders
} to assemble.
list-packing-caption = 📦 Packing list for { $count ->
    [one] one order
   *[other] { $count } orders
} to assemble.
list-nothing = Nothing is waiting to be assembled.

claim-take-button = 🙋 I take it
claim-release-button = ↩️ Let it go
claim-line = 🙋 { $name } is packing
claim-taken = It is yours. Others see that you are packing it.
claim-yours = You have it already.
claim-theirs = { $name } has it already.
claim-released = Let go: anyone can take it now.
