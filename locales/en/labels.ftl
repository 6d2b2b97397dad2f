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
labels-reason-not-on-supply = it is not on assembly yet: confirm it (put it in a supply) first
labels-reason-key = the marketplace refused the cabinet's key: replace it in /cabinets
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

command-supplies = WB supplies: create, add orders, hand over, QR code
supplies-no-wb = Supplies are Wildberries' way to hand over FBS orders: connect a WB cabinet in /cabinets first.
supplies-title = 📦 WB supplies
supplies-cabinet = { $cabinet } · stickers { $size } mm
supplies-none = No supplies yet.
supplies-unavailable = ⚠️ Wildberries did not answer for this cabinet just now; try again in a minute.
supply-line-open = 🟢 { $name } · { $count ->
    [one] one order
   *[other] { $count } orders
}
supply-line-done = ✅ { $name } · { $count ->
    [one] one order
   *[other] { $count } orders
} · handed over
supply-new-button = ➕ New supply
supply-size-button = 🏷 Stickers { $size } mm instead
supply-size-set = Stickers are { $size } mm now.
supply-created = Supply created.
supply-gone = That supply or cabinet is gone. Open /supplies again.
supply-state-open = open
supply-state-done = handed over
supply-card = 📦 Supply { $name } ({ $id })
    { $state } · { $count ->
        [one] one order
       *[other] { $count } orders
    }
supply-add-button = ➕ Add orders
supply-labels-button = 🏷 Labels and QR code (one PDF)
supply-labels-only-button = 🏷 Labels (the QR code comes once it is handed over)
supply-qr-button = 🔳 QR code
supply-close-button = 🚚 Close and hand over
supply-close-confirm = Hand over supply { $name } with { $count ->
    [one] one order
   *[other] { $count } orders
} to WB? After that no order can be added to it.
supply-close-yes = 🚚 Yes, hand it over
supply-closed = ✅ Supply handed over.
supply-add-title = New orders of this cabinet: tap one to put it in the supply (it goes on assembly).
supply-add-all = ➕ All { $count }
supply-add-none = No new orders to add.
supply-added = Added: { $count }.
supply-qr-caption = 🔳 Supply { $id }{ $barcode }
