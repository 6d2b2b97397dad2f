//! Typed errors of the marketplace clients.

use std::time::Duration;

/// What went wrong talking to a marketplace.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum Error {
    /// The key or token is wrong, expired or revoked (401, or the marketplace's equivalent).
    #[error("unauthorized: {message}")]
    Unauthorized { message: String },
    /// The key works but may not do this (403): a missing role or scope.
    #[error("forbidden: {message}")]
    Forbidden { message: String },
    /// Still rate limited after the retries we allow.
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited { retry_after: Option<Duration> },
    /// The marketplace refused the request with its own error.
    #[error("{status} {code}: {message}")]
    Api {
        status: u16,
        code: String,
        message: String,
        /// The catalogue name of the request it answered (`ozon.fbs-list`), when known.
        endpoint: &'static str,
    },
    /// The response did not have the shape we expect; `path` names the JSON field.
    #[error("unexpected response from {endpoint} at {path}: {message}")]
    Decode {
        endpoint: String,
        path: String,
        message: String,
    },
    /// The request never got an answer (connection, timeout).
    #[error("transport: {message}")]
    Transport {
        message: String,
        /// The request may have reached the marketplace (a timeout, a dropped answer),
        /// unlike a connection that was never made.
        maybe_sent: bool,
    },
    /// The operation does not exist on this marketplace.
    #[error("{0} is not supported by this marketplace")]
    Unsupported(&'static str),
    /// A request we refuse to send (bad input caught before the wire).
    #[error("invalid request: {0}")]
    Invalid(String),
}

impl Error {
    /// Why the marketplace did not do it, in the terms a person is told.
    pub fn rejection(&self) -> crate::domain::Rejection {
        use crate::domain::Rejection as R;
        match self {
            Error::Unauthorized { .. } | Error::Forbidden { .. } => R::Key,
            Error::RateLimited { .. } => R::Limit,
            Error::Api {
                status,
                code,
                message,
                ..
            } if *status == 404
                || code.to_uppercase().contains("NOT_FOUND")
                || message.to_uppercase().contains("NOT_FOUND") =>
            {
                R::NotFound
            }
            Error::Api {
                status: 500..=599, ..
            }
            | Error::Transport { .. } => R::Unavailable,
            Error::Api { .. } | Error::Invalid(_) => R::Refused,
            Error::Unsupported(_) => R::Unsupported,
            Error::Decode { .. } => R::Unexpected,
        }
    }

    /// The catalogue name of the request that failed, when known.
    pub fn endpoint(&self) -> Option<&str> {
        match self {
            Error::Api { endpoint, .. } if !endpoint.is_empty() => Some(endpoint),
            Error::Decode { endpoint, .. } => Some(endpoint),
            _ => None,
        }
    }

    /// The HTTP status the marketplace answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } if *status != 200 => Some(*status),
            Error::Unauthorized { .. } => Some(401),
            Error::Forbidden { .. } => Some(403),
            Error::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether the request may have taken effect although no success came back: a timeout
    /// or a dropped answer, a 5xx, or a 2xx we could not read. Only a re-read of the
    /// marketplace's state tells.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Transport { maybe_sent, .. } => *maybe_sent,
            Error::Api { status, .. } => (500..=599).contains(status),
            Error::Decode { .. } => true,
            _ => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
