# /start: first visit, return, invites.

start-default-workspace = { $name }'s company
start-welcome-new = Hello, { $name }! I created the workspace “{ $workspace }” with you as its owner. Here you will manage orders, prices and stocks on Ozon, Wildberries and Yandex Market. Commands: /help
start-welcome-back = Welcome back, { $name }! Workspace “{ $workspace }”, your role: { $role }. Commands: /help
start-joined = You joined “{ $workspace }” as { $role }. Commands: /help
start-invite-invalid = This invite was not found: it was used, it expired or the code is mistyped. Ask for a new invite.
