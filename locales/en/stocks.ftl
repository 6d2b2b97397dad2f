# Catalogue and stocks (F2, F5).

store-main-name = Main warehouse
audit-catalogue-changed = changed the catalogue
audit-prices-changed = changed prices
audit-stock-changed = changed a stock level

command-stock = a SKU's stock: /stock, /stock SKU code or barcode
command-lowstock = SKUs running out
command-count = inventory: scan a barcode, enter the count
command-catalogue = catalogue: SKUs and marketplace products, links
command-sync = sync now: /sync catalogue, /sync stocks or /sync orders

catalogue-summary = 📚 Catalogue
    SKUs: { $skus } · marketplace products: { $products }
    Linked: { $linked } (by barcode { $barcode }, by vendor code { $vendor }, by hand { $manual }, made from products { $created })
    Not linked: { $unlinked } · fit several SKUs: { $ambiguous }
catalogue-empty = No marketplace products yet: they come with the next catalogue sync (/sync catalogue).
catalogue-unlinked-button = 🔗 Not linked ({ $count })
catalogue-ambiguous-button = ⚖️ Several matches ({ $count })
catalogue-create-button = ➕ Create SKUs for the unlinked ({ $count })
catalogue-open-button = 📚 Open the catalogue
catalogue-back-button = ◀️ Back
catalogue-unlinked-title = 🔗 Products linked to no SKU: { $count }. Tap one to link it.
catalogue-ambiguous-title = ⚖️ Products that fit several SKUs: { $count }. Tap one to choose.
catalogue-list-empty = Nothing here.
catalogue-product = { $marketplace } · { $cabinet }
    Vendor code: { $vendor }
    { $name }
    Barcodes: { $barcodes }
catalogue-no-barcodes = none
catalogue-link-ask = Type part of the SKU's name, its code or a barcode to link this product to it.
catalogue-link-choose = Which SKU is it?
catalogue-linked = 🔗 Linked
catalogue-unlinked = Unlinked: it will not be linked again by itself
catalogue-links-title = 🔗 { $code } is sold as { $count ->
    [0] nothing yet
    [one] one product
   *[other] { $count } products
}
catalogue-links-button = 🔗 Links
catalogue-unlink-button = ✖️ Unlink { $vendor }
catalogue-create-confirm = Create a SKU for each of the { $count } unlinked products? Products with the same barcode on several marketplaces become one SKU.
catalogue-create-yes = ✅ Create
catalogue-created = ✅ SKUs created: { $count }.
catalogue-nothing-unlinked = Every product is linked.
catalogue-product-gone = That product or SKU is no longer in the catalogue.
search-too-short = Type at least 2 characters.
search-nothing = Nothing found for “{ $query }”. Try another part of the name or a barcode.

sync-usage = What should I sync now?
sync-catalogue-button = 🔄 Sync the catalogue
sync-stocks-button = 🔄 Push stocks
sync-catalogue-queued = 🔄 Reading the products of every cabinet: the report comes here.
sync-orders-button = 📥 Import orders
sync-orders-queued = 📥 Importing the orders of every cabinet now: the result comes here.
alert-orders-imported = 📥 Orders imported: { $new } new, { $moved } changed status.
sync-stocks-queued = 🔄 Pushing stocks to every cabinet: the result comes here.
sync-already = ⏳ That sync is already on its way.
sync-no-cabinets = Connect a cabinet first: /cabinets
sync-failed-cabinets = ⚠️ Did not answer: { $cabinets }. They will be tried again on schedule.
alert-catalogue-report = 📚 Catalogue synced: { $products } products, { $skus } SKUs.
    Linked: { $linked } (by barcode { $barcode }, by vendor code { $vendor }).
    Not linked: { $unlinked } · fit several SKUs: { $ambiguous }
alert-stocks-pushed = 📦 Stocks pushed: { $pushed } updated{ $refused ->
    [0] {""}
   *[other] , { $refused } refused by the marketplace
}.
alert-stocks-unchanged = 📦 Stocks are up to date: nothing changed since the last push.

stock-find-ask = Type part of the name, the SKU code or a barcode.
stock-unknown-sku = No SKU “{ $query }”. Try part of its name, its code or a barcode: { $command }
stock-found = Found { $count }: which one?
stock-sku-gone = That SKU is no longer in the catalogue.
stock-card-barcodes = Barcodes: { $barcodes }
stock-card-untracked = Stock not set yet: it is not published until it is.
stock-card-held = Held by open orders: { $count } ({ $orders })
stock-card-available = To sell: { $count } · low below { $threshold }
stock-card-available-unwatched = To sell: { $count } · no low-stock alert
stock-card-velocity = Sold in 14 days: { $sold } · lasts about { $days } days
stock-card-no-sales = No sales in 14 days.
stock-card-not-published = 🚫 Marked “do not publish”.
stock-card-not-sold = Not linked to any marketplace product.
stock-card-sold-as = Sold as:
stock-card-button = 📦 Stock card
stock-set-button = ✏️ Set
stock-add-button = ➕ Add
stock-subtract-button = ➖ Subtract
stock-choose-store = Which warehouse?
stock-choose-store-hint = Press the warehouse whose count changes, in the message above, or Cancel.
stock-ask-set = { $sku } · { $store }: send the new count. A reason may follow it: “12 inventory”.
stock-ask-add = { $sku } · { $store }: how many came in? A reason may follow: “5 from the supplier”.
stock-ask-subtract = { $sku } · { $store }: how many to take off? A reason may follow: “2 damaged”.
stock-not-a-number = Send a whole number, for example 12 (a reason may follow it).
stock-negative = A count cannot be negative: send 0 or more.
stock-too-large = That is more than a warehouse holds: at most 10 000 000.
stock-below-zero = There are only { $count }: the stock cannot go below zero.
stock-changed = ✅ Stock: { $before } → { $after }{ $reason }

lowstock-title = ⚠️ Running low: { $count }
lowstock-line = • { $sku }: { $count } left (below { $threshold }){ $days }
lowstock-days = , about { $days } days
lowstock-none = ✅ Nothing is below its threshold.
lowstock-refresh = 🔄 Refresh
alert-low-stock = ⚠️ Running low: { $sku }
    { $count } left to sell (below { $threshold }){ $days }
alert-oversell = 🚨 Oversell risk: { $sku }
    Open orders on all marketplaces want { $ordered }, the shelf has { $stock }.
    Orders at risk: { $orders }

count-start = 📋 Inventory at { $store }. Scan or type a barcode (or a SKU code), then send the count. /cancel ends it.
count-unknown = No SKU with the barcode or code “{ $code }”. Scan again, or /cancel.
count-ask = { $sku }: { $count } on record. Send the counted number.
count-saved = ✅ Saved: { $before } → { $after }. Next barcode, or /cancel to finish.
count-reason = inventory
count-finished = ✅ Inventory finished: every count is saved.

catalogue-export-button = 📤 Nomenclature as XLSX
catalogue-linked-to = 🔗 { $vendor } is linked to { $code }.
sheet-col-code = SKU
sheet-col-name = Name
sheet-col-barcodes = Barcodes
sheet-col-vendor = Vendor code
sheet-col-weight = Weight, g
sheet-nomenclature-file = nomenclature
sheet-nomenclature-caption = 📤 The nomenclature. Edit it and send it back: new SKUs are added, changed ones updated.

upload-stock-preview = 📄 { $name }: a stock list, { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }.
    Changes: { $changes } · unchanged: { $unchanged } · refused: { $rejected }
upload-skus-preview = 📄 { $name }: a nomenclature, { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }.
    New SKUs: { $created } · changed: { $updated } · unchanged: { $unchanged } · refused: { $rejected }
upload-largest = The largest changes:
upload-rejected = Refused rows:
upload-rejected-line = • Row { $row }, column { $column }: “{ $value }” — { $reason }
upload-reason-empty = no count
upload-reason-not-a-number = not a whole number
upload-reason-negative = a count cannot be negative
upload-reason-too-large = more than a warehouse holds
upload-reason-unknown-sku = no such SKU (by code, barcode or vendor code)
upload-reason-unknown-store = no warehouse of ours by that name
upload-reason-twice = already on row { $row }
upload-reason-no-name = no name
upload-nothing = Nothing to change.
upload-apply-button = { $count ->
    [one] ✅ Apply 1 change
   *[other] ✅ Apply { $count } changes
}
upload-applied = ✅ Applied: { $count }.
upload-already = Applied already: nothing was done twice.
upload-dropped = ✖️ Cancelled: nothing was changed.
upload-unreadable = This is not a spreadsheet I can read: send XLSX, XLS, ODS or CSV.
upload-empty = The file has no rows.
upload-too-large = The file is larger than 20 MB: split it in parts.
upload-too-unpacked = This file unpacks to more than { $limit } MB, more than I read from one list. Keep only the sheet with the list (or save it as CSV) and send it again. Nothing was changed.
upload-too-wide = This sheet has something in column { $column }; I read lists up to { $limit } columns wide. Delete what stands far to the right (or copy the list to a new sheet) and send it again. Nothing was changed.
upload-too-many-cells = This file spans more than { $limit } cells (rows × columns), more than I read from one file. Keep only the sheet with the list, delete what stands far below or to the right, or split it in parts. Nothing was changed.
upload-too-long = This list has { $rows } rows; I read up to { $limit } at a time: split it in parts. Nothing was changed.
upload-left-dialogue = The previous question is closed; reading the file.
upload-no-header = This is not a stock list, a nomenclature or a price list: row { $row } has no column for the SKU (SKU, Barcode) with the count (Quantity), the name (Name) or a cabinet's price ("Cabinet · Price", as in the list /prices sends). Found: { $found }.

command-chart = stock chart: /chart SKU [14|30|90], /chart warehouse
chart-button = 📈 Chart
chart-title = { $sku }: stock over { $days } days
chart-caption = 📈 { $sku }: stock over { $days } days, sales in red.
chart-sales = Sales
chart-units = units
chart-days-button = { $days } days
chart-no-history = { $sku } has no stock history yet: set its stock first (/stock).
chart-usage = Which chart? /chart SKU (and 14, 30 or 90 days), or /chart warehouse.
chart-bad-period = A chart covers { $offered } days, not { $days }: for example /chart KR-0001 90.
chart-warehouse-title = Warehouse: top SKUs
chart-by-stock = By stock, units
chart-by-days = By days of stock left
chart-warehouse-empty = No stock set yet: nothing to chart.
chart-no-sales = No sales in 14 days

command-reconcile = our stock against what the marketplaces show
reconcile-title = 🔎 Reconciliation: { $checked } items compared, { $count ->
    [0] no differences
    [one] one difference
   *[other] { $count } differences
}.
reconcile-line = • { $cabinet } · { $vendor } · “{ $warehouse }”: ours { $ours }, theirs { $theirs }
reconcile-missing = not listed
reconcile-nothing = Nothing to compare yet: set stock for SKUs linked to marketplace products.
reconcile-push-button = 📤 Push ours ({ $count })
reconcile-pushing = 📤 Pushing ours for { $count } items: the result comes here.
reconcile-none = ✅ No differences any more.
reconcile-sheet = reconciliation
reconcile-file-caption = 🔎 Every difference between our stock and the marketplaces', { $count ->
    [one] { $count } row
   *[other] { $count } rows
}: cabinet, vendor code, warehouse, ours, theirs.
reconcile-col-cabinet = Cabinet
reconcile-col-vendor = Vendor code
reconcile-col-warehouse = Warehouse
reconcile-col-ours = Ours
reconcile-col-theirs = Marketplace

stock-unpublish-button = 🚫 Do not publish
stock-publish-button = ✅ Publish
stock-threshold-button = 🔔 Low-stock threshold
stock-published = ✅ Published to the marketplaces again
stock-unpublished = 🚫 Not published any more: the marketplaces keep what they show
stock-threshold-ask = { $sku }: below how many should I warn? 0 turns the warning off, “-” takes the company's default.
stock-threshold-set = 🔔 Warning below { $count }.
stock-threshold-default = 🔔 The company's default threshold applies.
audit-warehouses-changed = changed warehouses or a stock formula
command-warehouses = our warehouses, stock formulas, FBO stock
warehouses-title = 🏬 Warehouses
warehouses-ours = Ours:
warehouses-store-line = • { $name }: { $skus ->
    [one] { $skus } SKU
   *[other] { $skus } SKUs
}, { $units } pcs
warehouses-shipping = What each cabinet's warehouses show:
warehouses-no-shipping = No cabinet warehouses yet: they come with the catalogue (/sync catalogue).
warehouses-fbo = On the marketplaces' own warehouses (FBO):
warehouses-fbo-line = • { $cabinet } · { $name }: { $products ->
    [one] { $products } product
   *[other] { $products } products
}, { $units } pcs{ $reserved } · read { $time }
warehouses-fbo-reserved = , { $count } on the way
warehouses-no-fbo = nothing read back yet.
warehouses-add-button = ➕ Add a warehouse
warehouses-rename-button = ✏️ Rename “{ $name }”
warehouses-ask-name = Send the new warehouse's name (up to { $max } characters) or press Cancel.
warehouses-ask-rename = Send the new name for “{ $name }” (up to { $max } characters) or press Cancel.
warehouses-name-taken = There is already a warehouse called “{ $name }”. Send another name or press Cancel.
warehouses-added = ✅ Warehouse “{ $name }” added. Set its stock with /stock or a file; stock formulas sum it unless told otherwise.
warehouses-renamed = ✅ The warehouse is now called “{ $name }”.
formula-all-stores = all our warehouses
formula-less-orders = less open orders
formula-less-buffer = less { $n } kept back
formula-zero-below = 0 when under { $n }
formula-cap = at most { $n }
formula-inherited = the cabinet's
formula-title = ⚙️ Stock formula · { $name }
formula-own = Its own formula.
formula-from-cabinet = The cabinet's formula: a change here makes it this warehouse's own.
formula-from-warehouses = Each warehouse's formula applies: a change here gives this SKU its own, wherever it is sold.
formula-shows = Shows: { $formula }
formula-starts-from = A change here starts from: { $formula }, on every warehouse
warehouses-fbo-more = • { $cabinet }: { $count } smaller warehouses not shown
formula-orders-button = Less open orders
formula-buffer-button = Keep back: { $n }
formula-zero-button = Zero under: { $n }
formula-zero-off-button = Zero under: off
formula-cap-button = Max: { $n }
formula-no-cap-button = Max: none
formula-no-cap = none
formula-reset-warehouse = ↩️ Use the cabinet's formula
formula-reset-sku = ↩️ Use each warehouse's formula
formula-back-button = ⬅️ Back
formula-choose-buffer = { $name }: how many units to always keep back?
formula-choose-zero = { $name }: below how many units to show 0?
formula-choose-cap = { $name }: the most to ever show?
formula-needs-a-store = At least one of our warehouses must be counted.
formula-saved = Saved: it goes out with the next stock push.
stock-formula-button = ⚙️ Stock formula
stock-card-own-formula = Own formula: { $formula }
stock-card-fbo = • FBO { $cabinet } · { $warehouse }: { $count }
