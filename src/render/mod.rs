//! Files the bot makes: label PDFs merged with lopdf (`labels.rs`), pick and packing
//! lists with genpdf and real barcodes (`lists.rs`), spreadsheets read and written
//! (`sheets.rs`). Nothing here knows the domain: the
//! callers hand over plain rows and the words in the reader's language.

pub mod charts;
pub mod days;
pub mod labels;
pub mod lists;
pub mod sheets;

/// Renders off the async runtime (PDFs take CPU for tens of milliseconds and more).
pub async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| RenderError::Pdf(format!("rendering stopped: {e}")))?
}

/// A file that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("pdf: {0}")]
    Pdf(String),
    #[error("png: {0}")]
    Png(String),
    #[error("xlsx: {0}")]
    Xlsx(String),
    #[error("nothing to put in the file")]
    Empty,
}

pub type Result<T> = std::result::Result<T, RenderError>;
