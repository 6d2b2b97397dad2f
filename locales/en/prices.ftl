command-price = a SKU's prices on every marketplace
price-usage = Send /price with a SKU code, a barcode or part of the name, for example /price ART-00040.
price-none = No prices read yet: the SKU is not linked to a marketplace product, or its cabinets' prices have not been read (they are read every hour).
price-line = • { $marketplace } · { $cabinet } · { $vendor }: { $price }
price-before-discount = {" "}(before discount { $price }, −{ $discount }%)
price-min = {" "}· promotions not below { $price }
price-promo = {" "}· in promotions { $price }
price-read-at = As the marketplaces reported at { $time }.
price-button = 💰 Prices
command-prices = the price list as XLSX: download, edit, send back
price-bad-number = That is not a price.
price-bad-zero = A price must be above zero.
price-bad-negative = A price cannot be negative.
price-bad-precise = At most two decimals (kopecks).
price-bad-large = Too high a price: at most 10,000,000 ₽.
price-bad-small = A price under 1 ₽. A change in percent is written with its sign: −10%.
upload-reason-small = a price under 1 ₽: a change in percent is written with its sign, in Excel as text ('-10%), or Excel keeps it as a fraction
price-bad-discount = That is not a discount: a whole percent from 0 to 95.
price-bad-percent = A change in percent is from −99% to +1000%, a discount from 0 to 95%.
price-below-guard = Below the SKU's minimum price ({ $guard }).
price-no-current = The current price has not been read yet: give the price as a number.
price-not-sold = The SKU is not sold on this cabinet.
price-same-card = a size of the same WB card as row { $row }, but at another price: all sizes of a card share one price
price-example = For example: 1299.50 or 1 299,50 or 1 299 ₽; −10% or +5% changes the current price.
price-example-discount = For example: 15 or 15% (a discount from 0 to 95%).
price-change-line = { $cabinet }: { $old } → { $new } ({ $jump }%)
price-change-first = { $cabinet }: → { $new }
price-margin = {" "}· margin { $margin } ({ $percent }%)
price-margin-loss = {" "}· ⚠️ below cost: margin { $margin } ({ $percent }%)
price-pick = ✏️ New price for { $sku }. Choose the cabinets:
price-not-sold-on = Not sold on: { $cabinets }.
price-pick-none = No cabinet chosen.
price-ask-button = 💰 Enter the price
price-discount-button = 🏷 Change the discount
price-ask = The new price buyers pay for { $sku } ({ $cabinets }). The discount stays.
    For example: 1299.50, or −10% / +5% of the current one. /cancel to stop.
price-ask-discount = The new discount for { $sku } in percent ({ $cabinets }); the price before discount stays. /cancel to stop.
price-preview = 👀 Check { $sku }:
price-refused-retry = Nothing was sent: send another price or /cancel.
price-unchanged = The prices are like that already: nothing to change.
price-jumps = ⚠️ Changes of more than { $threshold }%: { $count }. Applying asks to confirm once more.
price-apply-button = ✅ Apply
price-confirm-button = ⚠️ Yes, apply
price-confirm-jump = { $count ->
    [one] A price changes by more than the threshold (up to { $largest }%). Press “Yes, apply” if it is right.
   *[other] Prices change by more than the threshold ({ $count } changes, up to { $largest }%). Press “Yes, apply” if it is right.
}
price-change-button = ✏️ Change the price
price-read-button = 🔄 Read prices now
price-read-done = Prices read: { $count }
price-read-failed = Prices read: { $count }. Not answering: { $cabinets }; their last read prices are shown.
price-cost = Cost: { $price }
price-guard = Our minimum price (no price is set below it): { $price }
price-no-upload = Price lists leave this SKU alone.
price-history = Latest changes:
price-history-line = • { $time } · { $cabinet }: { $old } → { $new } · { $who } · { $state }
price-state-queued = queued
price-state-pending = waiting for the marketplace
price-state-applied = applied
price-state-rejected = rejected
price-state-superseded = replaced by a later one
price-col-cost = Cost
price-col-guard = Min price
price-col-no-upload = Do not upload
price-col-price = Price
price-col-discount = Discount, %
price-col-yes = yes
price-whole-roubles = {" "}· WB keeps whole roubles before the discount, so { $asked } becomes { $new }
upload-prices-rounded = { $count ->
    [one] { $count } price on WB will be
   *[other] { $count } prices on WB will be
} a few kopecks off what the list asks: WB keeps whole roubles before the discount (the largest moves show each).
price-col-waiting = Confirmed, on its way to
price-list-file = Price list
price-list-caption-view = 💰 Current prices: a row per SKU, two columns per cabinet (the price buyers pay and the discount).
price-list-caption = 💰 Current prices: a row per SKU, two columns per cabinet (the price buyers pay and the discount). A price someone confirmed that the marketplace has not shown yet is listed as it was confirmed, its cabinet named in the last column. Edit prices, cost, minimum price or "Do not upload" and send the file back: I will show what changes.
upload-prices-preview = 📄 { $name }: a price list, { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }.
    Price changes: { $changes } · unchanged: { $unchanged } · refused: { $rejected }
upload-prices-rules = SKU rules changed (cost, min price, "do not upload"): { $count }.
upload-prices-skipped = Skipped as "Do not upload" ({ $count }): { $skus }
upload-prices-unknown-columns = Left unread, as they name no cabinet of this company ({ $count }): { $columns }. The names of your cabinets are in /cabinets; a renamed cabinet needs its new name in the header.
alert-prices = 💰 Prices · { $cabinet }: applied { $applied }, rejected { $rejected }, waiting for the marketplace { $pending }.
alert-prices-pending = The marketplace still shows the old price of some products: I will check at the next price reading.
alert-prices-waiting = ⏳ { $count } wait for Ozon's limit (10 price changes per product an hour) and go at { $time }.
price-reason-cabinet-off = the cabinet is switched off or removed
price-reason-unreachable = the marketplace did not answer after every try
price-confirmed = ✅ Confirmed: { $count }. Sending.
price-stale = ⚠️ Nothing was sent: these prices have changed since this check (another change was confirmed after it, or the marketplace shows another price now). Send the file or the price again to see the check as things are now.
price-stale-short = Prices have changed since this check: nothing was sent.
price-queued = ✅ Price changes confirmed: { $count }. Sending them to the marketplaces: what they apply comes here.
price-reason-same-card = another SKU of the same WB card got a different price in the same push
alert-prices-changed = 💰 Prices changed on { $marketplace } “{ $cabinet }”: applied { $applied }, rejected { $rejected }, waiting for the marketplace { $pending }. Confirmed by { $who }.
