//! What is checked about a SQLite database file before the app opens its pool: that a
//! file which existed is still there (a missing or empty file beside the company's key is
//! data lost, not a new install), that it is a SQLite database, and that another program
//! does not hold it locked. Each is said at once in words, instead of a pool that times
//! out after 30 s or a new empty database that greets the company as strangers. While the
//! bot runs, [`FileWatch`] notices the file deleted or replaced under it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::{ConnectOptions, Connection, Executor};

/// What is wrong with a database file.
#[derive(Debug, thiserror::Error)]
pub enum DbFileError {
    #[error(
        "the database file {path} is missing, but {evidence} shows a database was here: the company's data would start anew. Restore the file from a backup, or set {NEW_DATABASE_VAR}=1 to create an empty one on purpose"
    )]
    Missing { path: PathBuf, evidence: PathBuf },
    #[error(
        "the database file {path} is empty, but {evidence} shows a database was here: the company's data would start anew. Restore the file from a backup, or set {NEW_DATABASE_VAR}=1 to start an empty one on purpose"
    )]
    Empty { path: PathBuf, evidence: PathBuf },
    #[error(
        "the database file {path} is not a SQLite database (it begins with other bytes): it is damaged or another file; restore it from a backup"
    )]
    NotSqlite { path: PathBuf },
    #[error(
        "the database file {path} is damaged ({detail}); restore it from a backup or repair it with sqlite3's .recover"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "the database file {path} is locked by another program (another mpbot, or a tool holding a write transaction); stop it and start again"
    )]
    Locked { path: PathBuf },
    #[error("the database file {path} cannot be read or written: {detail}")]
    Unusable { path: PathBuf, detail: String },
}

/// Set to `1` to have a missing or empty database file created anew on purpose.
pub const NEW_DATABASE_VAR: &str = "MPBOT_NEW_DATABASE";

/// The file path of a SQLite URL (`sqlite://mpbot.db`, `sqlite:data/x.db?mode=rwc`), or
/// `None` for another database or an in-memory one.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// The files that show a database lived at `path`: its write-ahead log and shared memory
/// (left by a crash), and whatever the caller names (the key file sealed beside it).
fn evidence(path: &Path, markers: &[PathBuf]) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = ["-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut name = path.as_os_str().to_owned();
            name.push(s);
            PathBuf::from(name)
        })
        .collect();
    candidates.extend(markers.iter().cloned());
    candidates
        .into_iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
}

/// Checks the SQLite file of `url` before the app opens it; `markers` are files that exist
/// only beside a database that was created (its key file). Nothing is created here.
pub async fn check(url: &str, markers: &[PathBuf], allow_new: bool) -> Result<(), DbFileError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    let size = match std::fs::metadata(&path) {
        Ok(m) => Some(m.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(DbFileError::Unusable {
                path,
                detail: e.to_string(),
            });
        }
    };
    if size.unwrap_or(0) == 0 {
        if allow_new {
            return Ok(());
        }
        return match (evidence(&path, markers), size) {
            (Some(evidence), None) => Err(DbFileError::Missing { path, evidence }),
            (Some(evidence), Some(_)) => Err(DbFileError::Empty { path, evidence }),
            (None, _) => Ok(()),
        };
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(&path).and_then(|mut f| {
        use std::io::Read;
        f.read(&mut head)
    });
    match read {
        Ok(16) if &head == b"SQLite format 3\0" => {}
        Ok(_) => return Err(DbFileError::NotSqlite { path }),
        Err(e) => {
            return Err(DbFileError::Unusable {
                path,
                detail: e.to_string(),
            });
        }
    }
    probe(&path).await
}

/// Opens one connection, reads the schema and takes the write lock for a moment: a
/// damaged file or one another program holds locked answers within two seconds.
async fn probe(path: &Path) -> Result<(), DbFileError> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(2));
    let classify = |e: sqlx::Error| {
        let detail = e.to_string();
        let lower = detail.to_lowercase();
        if lower.contains("locked") || lower.contains("busy") {
            DbFileError::Locked {
                path: path.to_owned(),
            }
        } else if lower.contains("malformed")
            || lower.contains("not a database")
            || lower.contains("corrupt")
        {
            DbFileError::Damaged {
                path: path.to_owned(),
                detail,
            }
        } else {
            DbFileError::Unusable {
                path: path.to_owned(),
                detail,
            }
        }
    };
    let mut conn = options.connect().await.map_err(classify)?;
    let result = async {
        conn.execute("SELECT COUNT(*) FROM sqlite_master").await?;
        conn.execute("BEGIN IMMEDIATE").await?;
        conn.execute("ROLLBACK").await?;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    let _ = conn.close().await;
    result.map_err(classify)
}

/// The identity of the database file the app opened, to notice it deleted or replaced
/// while the bot runs (the open handle keeps writing into a file nobody will find again).
#[derive(Debug, Clone)]
pub struct FileWatch {
    path: PathBuf,
    #[cfg(unix)]
    id: (u64, u64),
}

impl FileWatch {
    /// Watches the SQLite file of `url`, if it is one.
    pub fn of(url: &str) -> Option<FileWatch> {
        let path = sqlite_path(url)?;
        let meta = std::fs::metadata(&path).ok()?;
        #[cfg(not(unix))]
        let _ = meta;
        Some(FileWatch {
            #[cfg(unix)]
            id: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file at the path is still the one opened.
    pub fn intact(&self) -> bool {
        match std::fs::metadata(&self.path) {
            #[cfg(unix)]
            Ok(meta) => {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino()) == self.id
            }
            #[cfg(not(unix))]
            Ok(_) => true,
            Err(_) => false,
        }
    }
}
