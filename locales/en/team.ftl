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
    The link works once and is valid for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
