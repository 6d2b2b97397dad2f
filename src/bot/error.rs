//! How handlers fail: a [`BotError`] is either something to tell the user in their language
//! (a refusal, a thing that is gone) or an internal failure, logged with its chain and
//! answered with a reference id. Button presses answer with a [`Notice`].

use crate::app::AppError;
use crate::i18n::{Msg, msg};

/// What dptree endpoints return.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;

/// Why a handler did not do what was asked.
#[derive(Debug)]
pub enum BotError {
    /// Tell the user this (a refusal, something not found); nothing was changed.
    User(Msg),
    /// A failure the user cannot fix: logged, answered with a reference.
    Internal(HandlerError),
}

/// What a handler returns.
pub type BotResult<T = ()> = Result<T, BotError>;

/// What a button press shows the presser.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    None,
    /// A small notice that goes away.
    Toast(Msg),
    /// A notice the presser must dismiss.
    Alert(Msg),
}

/// What a button press handler returns.
pub type Press = BotResult<Notice>;

impl From<AppError> for BotError {
    fn from(e: AppError) -> BotError {
        match e {
            AppError::Forbidden | AppError::NotMember => BotError::User(msg("no-permission")),
            AppError::NotFound => BotError::User(msg("button-stale")),
            AppError::LastOwner => BotError::User(msg("member-last-owner")),
            AppError::TooLate => BotError::User(msg("order-too-late")),
            AppError::InviteInvalid => BotError::User(msg("start-invite-invalid")),
            AppError::Duplicate(name) => BotError::User(msg("connect-duplicate").arg("name", name)),
            other @ (AppError::Marketplace(_)
            | AppError::Vault(_)
            | AppError::Render(_)
            | AppError::Storage(_)) => BotError::Internal(Box::new(other)),
        }
    }
}

impl From<teloxide::RequestError> for BotError {
    fn from(e: teloxide::RequestError) -> BotError {
        BotError::Internal(Box::new(e))
    }
}

impl From<HandlerError> for BotError {
    fn from(e: HandlerError) -> BotError {
        BotError::Internal(e)
    }
}

/// A use case's result where "not found" deserves its own words.
pub trait OrSay<T> {
    /// Maps [`AppError::NotFound`] to the user message `not_found`; any other error as usual.
    fn or_say(self, not_found: &'static str) -> BotResult<T>;
}

impl<T> OrSay<T> for Result<T, AppError> {
    fn or_say(self, not_found: &'static str) -> BotResult<T> {
        self.map_err(|e| match e {
            AppError::NotFound => BotError::User(msg(not_found)),
            other => other.into(),
        })
    }
}

/// A refusal as a notice: the press is answered with an alert.
pub fn refuse(m: Msg) -> Press {
    Err(BotError::User(m))
}
