//! Companies and the people in them: a workspace, its members with their roles, and the
//! Telegram users behind them.

use super::{Lang, Role, TgUserId, WorkspaceId};

/// One company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    /// An IANA zone name (see [`super::Zone`]).
    pub time_zone: String,
    /// The language of group chats and of members who never chose one.
    pub default_lang: Lang,
    pub created_at: i64,
}

/// A user's role in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub workspace: WorkspaceId,
    pub user: TgUserId,
    pub role: Role,
    pub first_name: String,
    pub username: Option<String>,
}

impl Member {
    /// The name shown in lists: first name and @username when there is one.
    pub fn display(&self) -> String {
        match &self.username {
            Some(u) => format!("{} (@{u})", self.first_name),
            None => self.first_name.clone(),
        }
    }
}

/// A Telegram user as we know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: TgUserId,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    /// The language the user chose with /lang, if any.
    pub lang: Option<Lang>,
    pub current_workspace: Option<WorkspaceId>,
}

impl User {
    /// The language to talk in: the chosen one, else Telegram's, else Russian.
    pub fn effective_lang(&self) -> Lang {
        self.lang
            .unwrap_or_else(|| Lang::from_telegram(self.language_code.as_deref()))
    }
}

/// What Telegram tells us about a user on each update.
#[derive(Debug, Clone)]
pub struct Profile<'a> {
    pub id: TgUserId,
    pub first_name: &'a str,
    pub username: Option<&'a str>,
    pub language_code: Option<&'a str>,
}

/// A chat the bot talks in: a private chat or a group, with the company it belongs to and
/// whether the bot may write there (a group's alerts go there only while it is active).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    pub id: super::TgChatId,
    pub workspace: Option<WorkspaceId>,
    pub kind: String,
    pub title: String,
    pub active: bool,
}
