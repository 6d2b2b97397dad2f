# E-mail for alerts (F7), from /settings.
audit-emails-changed = changed an e-mail address for alerts
emails-button = 📧 E-mail for alerts
emails-title = 📧 E-mail addresses for alerts. Each is confirmed by a code sent to it, then hears the alert kinds you choose and the rules' messages.
emails-empty = No addresses yet.
emails-line = ✅ { $address } — { $kinds }
emails-line-waiting = ⏳ { $address } — waiting for its code
emails-add-button = ➕ Add an address
emails-delete-button = 🗑 Remove
emails-deleted = { $address } is removed.
emails-gone = That address is no longer here.
emails-ask-address = Type the e-mail address, e.g. warehouse@example.com.
emails-bad-address = That is not an e-mail address. Type one, e.g. warehouse@example.com.
emails-code-subject = Your mpbot confirmation code
emails-code-body = Your code to confirm this address for mpbot alerts: { $code }
    It is valid for 30 minutes. If you did not ask for it, ignore this message.
emails-code-sent = 📨 A code went to { $address }. Type it here (it is valid for 30 minutes).
emails-known = { $address } is confirmed already.
emails-not-sent = The mail server did not take the message to { $address }. Check the address and try again later.
emails-confirmed = ✅ { $address } is confirmed. Choose the alerts it hears:
emails-wrong-code = That code is wrong: { $left ->
    [one] one more try
   *[other] { $left } more tries
    }. Type the code from the message, or /cancel.
emails-code-spent = That code no longer works (too many tries or too late). Add the address again for a new one.
rules-act-notify-email = Message → e-mail
rules-do-notify-email = e-mail { $address }: { $text }
rules-ask-email = Which address?
rules-need-email = Confirm an e-mail address in /settings first.
rules-foreign-email = That address is not one of the company's confirmed ones.
