# Shared messages: languages, help, errors, groups.

lang-name = English
lang-choose = Choose the interface language:
lang-changed = Done: I speak English now.

help-group-title = In this group I can:
help-group-private = Cabinets, the team and settings are in a private chat with me: @{ $bot }
help-title = What I can do:
help-start-hint = Send /start to create your company's workspace or to enter yours.

command-start = get started
command-help = list of commands
command-lang = change language
command-cancel = leave the current dialogue
command-cabinets = marketplace cabinets
command-team = team members
command-invite = invite a team member
command-groups = alert groups
command-subscribe = choose this group's alerts
command-alerts = alerts for you in this chat
command-settings = company settings
command-statuses = how marketplace statuses map to ours
command-api = API catalogue
command-audit = who changed what

role-owner = owner
role-admin = admin
role-manager = manager
role-warehouse = warehouse
role-viewer = viewer

button-cancel = Cancel
button-back = « Back
word-yes = yes
word-no = no
button-stale = This button is out of date. Open the section again from the menu.

cancel-closed = Closed.
nothing-changed = Nothing has changed since.
cancel-done = Dialogue cancelled. Nothing was changed.
cancel-nothing = There is nothing to cancel.

unknown-command = I don't know the command { $command }. Commands: /help
unknown-text = I didn't understand that. Pick a command from the menu or send /help.
unknown-text-new = I didn't understand that. Send /start to begin.
unsupported-message = I can't handle this kind of message. Pick a command from the menu or send /help.
document-unexpected = I read tables, XLSX or CSV: a stock list, a nomenclature or a price list. This file is none of them.
no-permission = Your role doesn't allow this. Ask the owner or an admin.
not-a-member = These buttons are for the team of the company this group belongs to. Ask its owner for an invite.
need-start = Send /start first to create a workspace or enter yours.
private-only = This is done in a private chat with me: @{ $bot }
money-in-private-note = { $name }, I answered you in our private chat: the answer has sums and prices, and a group may hold people outside the company.
money-in-private-start = { $name }, this answer has sums and prices, so I give it only in a private chat, and you have not started one with me yet: open @{ $bot }, press Start, then ask again.
money-in-private-head = You asked in “{ $group }”; the answer is here, as it has sums and prices:
error-internal = Something went wrong and nothing was saved. Please try again; if it happens again, report code { $reference }.
dialogue-reset = An unfinished dialogue was reset after a bot update. Please start it again.
dialogue-expired = An unfinished dialogue was closed after a day without an answer. Nothing was changed.

group-linked = This group is now linked to “{ $workspace }”. To choose which alerts arrive here, the owner or an admin sends /subscribe in this group.
group-not-linked = Only the company's owner or an admin can link a group: have one of them add me to it.
group-paused = This group is linked to a company, and it stays so until that company lets it go: I link it to no one else and send no alerts here for now. An owner or admin of that company resumes them by sending /subscribe in this group, or lets the group go in /groups.
group-start-linked = This group is linked to “{ $workspace }”. Commands: /help
group-start-unlinked = This group is not linked to any company. An owner or admin can add me again to link it.
group-not-member = You are not a member of the company this group is linked to.
group-unknown-text = I only answer commands here. Commands: /help
