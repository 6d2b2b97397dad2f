# /team and /invite.

team-title = “{ $workspace }”: { $count ->
        [one] { $count } member
       *[other] { $count } members
    }
team-member = • { $name } — { $role }
invite-choose-role = Which role should the new team member get?
invite-created = The invite as { $role } is ready. Forward this link to them:
    { $link }
    Or have them send me /start { $code }
    The link works once and is valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }.
team-invite-hint = To bring someone in, send /invite and choose their role.
team-manage-hint = Tap a member to change their role or remove them.
member-card = { $name }, role: { $role }
member-make = Make { $role }
member-remove-button = 🚫 Remove from the team
member-remove-confirm = Remove { $name } from the team? They lose access at once.
member-remove-confirm-button = 🚫 Yes, remove
member-role-changed = Done: { $name } is now { $role }.
member-removed = { $name } was removed from the team.
member-not-found = This person is not in your team.
member-last-owner = A company keeps at least one owner: make someone else owner first.
member-your-role = Your role in “{ $workspace }” is now: { $role }. Commands: /help
member-you-were-removed = You were removed from “{ $workspace }”.
