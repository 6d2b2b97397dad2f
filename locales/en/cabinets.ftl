# /cabinets: the list, the connect dialogue, each cabinet's card.

marketplace-ozon = Ozon
marketplace-wb = Wildberries
marketplace-ym = Yandex Market
scheme-fbs = FBS (from my warehouse)
scheme-fbo = FBO (from the marketplace's warehouse)
scheme-both = FBS and FBO

cabinets-title = Cabinets: { $count }
cabinets-empty = No cabinets connected yet. A cabinet is your seller account on Ozon, Wildberries or Yandex Market.
cabinets-ask-admin = The owner or an admin can connect one.
cabinets-add-button = ➕ Add a cabinet
cabinets-back-button = « All cabinets
cabinets-private-only = This is done in a private chat with me.
cabinet-line = { $state } { $marketplace } “{ $name }” · { $scheme }{ $main }
cabinet-state-ok = 🟢
cabinet-state-error = 🔴
cabinet-state-disabled = ⏸ disabled ·
cabinet-main-mark = main
cabinet-synced = last sync { $time }
cabinet-never-synced = not synced yet
cabinet-last-error = last error { $time }: { $error }
cabinet-error-key-wrong = the marketplace no longer accepts the key: replace it (🔑)
cabinet-error-sync = syncing with the marketplace keeps failing; I keep trying
cabinet-error-api = the marketplace refused the key check request itself ({ $status }): the key is not at fault; check the /api overrides
cabinet-error-key-refused = the marketplace refuses access with the key: replace it (🔑)
cabinet-error-key-scopes = the token lost categories I need: replace it (🔑)
cabinet-error-key-read-only = the token became read-only: replace it (🔑)
cabinet-error-key-roles = the key lost roles I need: replace it (🔑)
cabinet-error-key-no-campaigns = the key no longer reaches this shop: replace it (🔑)
cabinet-error-key-unreadable = the stored key cannot be decrypted with this master key: replace it (🔑)
cabinet-key-expires = key valid until { $date }
cabinet-key-expires-soon = ⚠️ the key expires { $date }, in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }: replace it (🔑)
cabinet-key-expired = ⚠️ the key expired { $date }: replace it (🔑)
cabinet-account = Account: { $account }
cabinet-shop = Shop: { $name } ({ $shop })
cabinet-scheme = Scheme: { $scheme }
cabinet-rename-button = ✏️ Rename
cabinet-disable-button = ⏸ Disable
cabinet-enable-button = ▶️ Enable
cabinet-main-button = ⭐ Make main
cabinet-key-button = 🔑 Replace key
cabinet-delete-button = 🗑 Delete
cabinet-not-found = This cabinet was not found: it was deleted or belongs to another company.
cabinet-enabled = Cabinet enabled.
cabinet-disabled = Cabinet disabled: I will not use it until you enable it again.
cabinet-now-main = This is now the main cabinet of its marketplace.
cabinet-ask-name = Send a new name for “{ $name }” (up to { $max } characters) or press Cancel.
cabinet-renamed = Done: the cabinet is now called “{ $name }”.
cabinet-name-empty = The name can't be empty. Send the name as text.
cabinet-name-too-long = That name is too long: { $max } characters at most.
cabinet-name-one-line = The name must fit on one line.
cabinet-replace-intro = A new key for “{ $name }”. The old key keeps working until the new one is checked.
cabinet-key-replaced = Done: “{ $name }” now uses the new key.
cabinet-delete-confirm = Delete the cabinet “{ $name }”?
    Keep its data: orders, products and history stay for reports; the key is erased.
    Remove everything: the cabinet and all its data are deleted for good.
cabinet-delete-keep = Delete, keep the data
cabinet-delete-purge = Delete with all data
cabinet-deleted-kept = The cabinet “{ $name }” is deleted; its key is erased and its data kept.
cabinet-deleted-purged = The cabinet “{ $name }” and all its data are deleted.
cabinet-saved = Done: the cabinet “{ $name }” is connected and its key is stored encrypted. All cabinets: /cabinets

connect-choose-market = Which marketplace is the cabinet on?
connect-ask-client-id = Send the Client-Id of your Ozon seller account: the number in Seller → Settings → Seller API.
connect-ask-key-ozon = Now send the Api-Key for this Client-Id (Seller → Settings → Seller API). I will delete your message with the key right after reading it.
connect-ask-key-wb = Send the Wildberries API token (Seller portal → Settings → API access). It needs the categories Content, Prices and discounts, Marketplace and Statistics, with write access. I will delete your message with the token right after reading it.
connect-ask-key-ym = Send the Yandex Market Api-Key (Partner portal → Settings → API and modules). I will delete your message with the key right after reading it.
connect-client-id-invalid = A Client-Id is a number, like 100500.
idle-key-deleted = 🔒 That looked like a key, so I deleted it from the chat. To connect a cabinet, use /cabinets: I will ask for the key there.
connect-key-deleted = 🔒 I deleted your message with the key from this chat.
connect-key-not-deleted = ⚠️ I could not delete your message with the key: please delete it yourself.
connect-key-need-text = Send the key as a text message.
connect-key-empty = The message holds no key.
connect-key-too-short = That is too short for a key. Copy the whole key.
connect-key-too-long = That is too long for a key. Send only the key.
connect-key-bad-characters = A key has only Latin letters, digits and signs, no spaces. Copy the key itself.
connect-key-ok = ✅ The key works.
connect-wrong-ozon = ❌ Ozon did not accept this Client-Id and Api-Key: one of them is wrong, or the key was revoked or has expired. Nothing was saved.
connect-wrong-wb = ❌ Wildberries did not accept this token: it is mistyped, revoked or expired. Nothing was saved.
connect-wrong-ym = ❌ Yandex Market did not accept this Api-Key: it is mistyped or revoked. Nothing was saved.
connect-refused = ❌ The marketplace knows this key but refuses access with it: it may be revoked or blocked. Create a new key. Nothing was saved.
connect-wb-scopes = ❌ This token lacks categories I need: { $missing }. Create a token with Content, Prices and discounts, Marketplace and Statistics. Nothing was saved.
connect-wb-read-only = ❌ This token is read-only, and I need to confirm orders and change prices and stocks. Create a token with write access. Nothing was saved.
connect-ozon-roles = ❌ This Api-Key lacks access to { $count ->
        [one] { $count } method
       *[other] { $count } methods
    } I need ({ $methods }). Create a key with the Admin role or add the missing roles. Nothing was saved.
connect-ym-no-campaigns = ❌ This Api-Key reaches no shop with API access. Check the key's permissions in the partner portal. Nothing was saved.
connect-unreachable = ⏳ { $marketplace } is not answering right now, so I couldn't check the key. Nothing was saved. Try again in a minute or cancel.
connect-api-problem = ⚠️ { $marketplace } refused the check request itself ({ $status }), so I could not tell whether the key is right. This is a problem of the request, not of your key: an /api override or a change at { $marketplace }. Nothing was saved. Try again or cancel.
connect-retry-button = 🔁 Try again
connect-choose-campaign = The key reaches { $count ->
        [one] { $count } shop
       *[other] { $count } shops
    }. Which one is this cabinet?
connect-ask-scheme = Which orders does this cabinet work with?
connect-ask-name = How should I call the cabinet? Send a name (up to { $max } characters) or take “{ $name }”.
connect-use-name-button = Use “{ $name }”
connect-name-need-text = Send the name as text or press Cancel.
connect-name-taken = There is already a cabinet called “{ $name }”. Choose another name.
connect-ask-main = You already have cabinets on { $marketplace }. Make this one the main cabinet? The main cabinet is used when a choice is needed (price lists, new products).
connect-main-yes = ⭐ Yes, main
connect-main-no = No
connect-summary = Check the new cabinet:
    Marketplace: { $marketplace }
    Name: { $name }
    Account: { $account }
    Scheme: { $scheme }
    Main: { $main }
connect-save-button = 💾 Save
connect-nothing-to-save = Nothing to save: the cabinet was already saved or the dialogue was cancelled.
connect-duplicate = This account is already connected as “{ $name }”. To change its key, open it in /cabinets.
connect-replace-other-account = This key belongs to another account, not to “{ $name }”. Nothing was changed; to connect that account, add it as a new cabinet.
connect-use-buttons = Press one of the buttons above, or /cancel.

wb-scope-content = Content
wb-scope-prices = Prices and discounts
wb-scope-marketplace = Marketplace
wb-scope-statistics = Statistics
cabinet-stock-refused = ⚠️ stock: the marketplace refused { $count ->
    [one] { $count } item
   *[other] { $count } items
} at the last push
cabinet-refused-button = ⚠️ Refused stock items
cabinet-refused-title = ⚠️ { $cabinet }: { $count ->
    [one] { $count } stock item
   *[other] { $count } stock items
} refused at their last push
cabinet-refused-line = • { $vendor } · { $warehouse }: { $error } ({ $time })
cabinet-refused-more = …and { $count } more.
cabinet-refused-none = Nothing is refused now: every item went through at its last push.
alert-key-expiring = 🔑 The key of “{ $cabinet }” ({ $marketplace }) expires { $days ->
    [one] tomorrow
   *[other] in { $days } days
}, { $date }. Make a new one in the seller portal and replace it in /cabinets, or this cabinet stops syncing.
cabinet-error-key-expired = the key has expired: make a new one in the seller portal and replace it here
failure-request-status = the request { $request } answers { $status }
failure-request = the request { $request } fails
failure-status = { $marketplace } answers { $status }
failure-not-found = { $marketplace } does not know it: its path or version may have changed.
failure-refused = { $marketplace } refused it as it was asked.
failure-key = the cabinet's key may not do it, or no longer works: check it in /cabinets.
failure-limit = { $marketplace } asks to slow down; I wait and try again.
failure-unavailable = { $marketplace } did not answer.
failure-unsupported = { $marketplace } has no such request.
failure-unexpected = { $marketplace } answered something I could not read.
failure-see-api = Look at it in /api { $request }: a path or version can be changed there.
