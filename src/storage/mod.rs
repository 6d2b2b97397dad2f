//! The sqlx pool and one repository module per aggregate. The SQL is portable: it runs
//! unchanged on SQLite and PostgreSQL through sqlx's `Any` driver (numbered `$N`
//! parameters, `ON CONFLICT`, `RETURNING`, integers for times and flags).

pub mod api_overrides;
pub mod audit;
pub mod book;
pub mod cabinets;
pub mod catalogue;
pub mod chats;
pub mod dialogues;
pub mod emails;
pub mod finance;
pub mod groups;
mod ids;
pub mod invites;
pub mod jobs;
pub mod labels;
pub mod members;
pub mod orders;
pub mod outbox;
pub mod personal;
pub mod preflight;
pub mod price_changes;
pub mod prices;
pub mod quiet;
pub mod rate_buckets;
pub mod rules;
pub mod statuses;
pub mod stock_marks;
pub mod stocks;
pub mod summaries;
pub mod ticks;
pub mod uploads;
pub mod users;
pub mod warehouses;
pub mod workspaces;

use std::borrow::Cow;
use std::str::FromStr;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A storage failure; always internal from the user's point of view.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite:// or postgres://")]
    UnsupportedUrl(String),
    #[error("stored value in {column} is not understood: {value:?}")]
    Corrupt { column: &'static str, value: String },
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// One migration, in both dialects.
struct Versioned {
    version: i64,
    description: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Versioned] = &[
    Versioned {
        version: 1,
        description: "foundation",
        sqlite: include_str!("../../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../../migrations/postgres/0001_foundation.sql"),
    },
    Versioned {
        version: 2,
        description: "api_overrides",
        sqlite: include_str!("../../migrations/sqlite/0002_api_overrides.sql"),
        postgres: include_str!("../../migrations/postgres/0002_api_overrides.sql"),
    },
    Versioned {
        version: 3,
        description: "cabinets",
        sqlite: include_str!("../../migrations/sqlite/0003_cabinets.sql"),
        postgres: include_str!("../../migrations/postgres/0003_cabinets.sql"),
    },
    Versioned {
        version: 4,
        description: "workspace_api_overrides",
        sqlite: include_str!("../../migrations/sqlite/0004_workspace_api_overrides.sql"),
        postgres: include_str!("../../migrations/postgres/0004_workspace_api_overrides.sql"),
    },
    Versioned {
        version: 5,
        description: "jobs_orders",
        sqlite: include_str!("../../migrations/sqlite/0005_jobs_orders.sql"),
        postgres: include_str!("../../migrations/postgres/0005_jobs_orders.sql"),
    },
    Versioned {
        version: 6,
        description: "labels",
        sqlite: include_str!("../../migrations/sqlite/0006_labels.sql"),
        postgres: include_str!("../../migrations/postgres/0006_labels.sql"),
    },
    Versioned {
        version: 7,
        description: "catalogue",
        sqlite: include_str!("../../migrations/sqlite/0007_catalogue.sql"),
        postgres: include_str!("../../migrations/postgres/0007_catalogue.sql"),
    },
    Versioned {
        version: 8,
        description: "fbo",
        sqlite: include_str!("../../migrations/sqlite/0008_fbo.sql"),
        postgres: include_str!("../../migrations/postgres/0008_fbo.sql"),
    },
    Versioned {
        version: 9,
        description: "prices",
        sqlite: include_str!("../../migrations/sqlite/0009_prices.sql"),
        postgres: include_str!("../../migrations/postgres/0009_prices.sql"),
    },
    Versioned {
        version: 10,
        description: "price_changes",
        sqlite: include_str!("../../migrations/sqlite/0010_price_changes.sql"),
        postgres: include_str!("../../migrations/postgres/0010_price_changes.sql"),
    },
    Versioned {
        version: 11,
        description: "group_safety",
        sqlite: include_str!("../../migrations/sqlite/0011_group_safety.sql"),
        postgres: include_str!("../../migrations/postgres/0011_group_safety.sql"),
    },
    Versioned {
        version: 12,
        description: "hot_paths",
        sqlite: include_str!("../../migrations/sqlite/0012_hot_paths.sql"),
        postgres: include_str!("../../migrations/postgres/0012_hot_paths.sql"),
    },
    Versioned {
        version: 13,
        description: "preview_messages",
        sqlite: include_str!("../../migrations/sqlite/0013_preview_messages.sql"),
        postgres: include_str!("../../migrations/postgres/0013_preview_messages.sql"),
    },
    Versioned {
        version: 14,
        description: "stock_marks",
        sqlite: include_str!("../../migrations/sqlite/0014_stock_marks.sql"),
        postgres: include_str!("../../migrations/postgres/0014_stock_marks.sql"),
    },
    Versioned {
        version: 15,
        description: "engine",
        sqlite: include_str!("../../migrations/sqlite/0015_engine.sql"),
        postgres: include_str!("../../migrations/postgres/0015_engine.sql"),
    },
    Versioned {
        version: 16,
        description: "rules",
        sqlite: include_str!("../../migrations/sqlite/0016_rules.sql"),
        postgres: include_str!("../../migrations/postgres/0016_rules.sql"),
    },
    Versioned {
        version: 17,
        description: "quiet_hours",
        sqlite: include_str!("../../migrations/sqlite/0017_quiet_hours.sql"),
        postgres: include_str!("../../migrations/postgres/0017_quiet_hours.sql"),
    },
    Versioned {
        version: 18,
        description: "email",
        sqlite: include_str!("../../migrations/sqlite/0018_email.sql"),
        postgres: include_str!("../../migrations/postgres/0018_email.sql"),
    },
    Versioned {
        version: 19,
        description: "engine",
        sqlite: include_str!("../../migrations/sqlite/0019_engine.sql"),
        postgres: include_str!("../../migrations/postgres/0019_engine.sql"),
    },
    Versioned {
        version: 20,
        description: "finance",
        sqlite: include_str!("../../migrations/sqlite/0020_finance.sql"),
        postgres: include_str!("../../migrations/postgres/0020_finance.sql"),
    },
    Versioned {
        version: 21,
        description: "summary",
        sqlite: include_str!("../../migrations/sqlite/0021_summary.sql"),
        postgres: include_str!("../../migrations/postgres/0021_summary.sql"),
    },
];

/// The database handle shared by the whole app.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects to `url` (`sqlite://file.db` or `postgres://...`); a SQLite file is created
    /// when missing and runs in WAL mode with a busy timeout.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StorageError::UnsupportedUrl(redact_url(url)));
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        Ok(Db { pool, backend })
    }

    /// A SQLite URL for a file path.
    pub fn sqlite_url(path: &std::path::Path) -> String {
        format!("sqlite://{}", path.display())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one
    /// failing with "database is locked" when it turns from reading to writing.
    pub async fn begin(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Applies the migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Applies the migrations up to `version` only (an upgrade is tested from the schema
    /// an older release left).
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        let mut m = self.migrator();
        m.migrations = std::borrow::Cow::Owned(
            m.migrations
                .iter()
                .filter(|x| x.version <= version)
                .cloned()
                .collect(),
        );
        m.run(&self.pool).await?;
        Ok(())
    }

    fn migrator(&self) -> Migrator {
        let list = MIGRATIONS
            .iter()
            .map(|m| {
                let sql = match self.backend {
                    Backend::Sqlite => m.sqlite,
                    Backend::Postgres => m.postgres,
                };
                Migration::new(
                    m.version,
                    Cow::Borrowed(m.description),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(sql),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(list)
    }

    /// The versions of the migrations embedded for each backend, for the parity test.
    pub fn embedded_versions() -> Vec<(i64, &'static str)> {
        MIGRATIONS
            .iter()
            .map(|m| (m.version, m.description))
            .collect()
    }

    /// Runs one read-only query returning a single value, rendered as text (for test
    /// expectations about database facts).
    pub async fn scalar_text(&self, sql: &str) -> Result<Option<String>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        if let Ok(v) = row.try_get::<Option<i64>, _>(0) {
            return Ok(v.map(|v| v.to_string()));
        }
        if let Ok(v) = row.try_get::<Option<String>, _>(0) {
            return Ok(v);
        }
        let v: Option<f64> = row.try_get(0)?;
        Ok(v.map(|v| v.to_string()))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Hides a password in a database URL before it is shown anywhere.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Placeholders of a multi-row `VALUES` list: `rows` tuples of `cols` parameters each,
/// numbered from `$first` (both backends take one statement instead of a row each).
/// The VALUES rows of a multi-row insert whose first `shared` columns are the same in
/// every row (`$1`..`$shared`), followed by `cols` columns of their own, numbered on:
/// `rows_with_shared(2, 1, 2)` is `($1, $2, $3), ($1, $4, $5)`.
pub(crate) fn rows_with_shared(rows: usize, shared: usize, cols: usize) -> String {
    let head: Vec<String> = (1..=shared).map(|i| format!("${i}")).collect();
    (0..rows)
        .map(|r| {
            let own = (0..cols).map(|c| format!("${}", shared + 1 + r * cols + c));
            let all: Vec<String> = head.iter().cloned().chain(own).collect();
            format!("({})", all.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn values_list(rows: usize, cols: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(first + r * cols + c).to_string());
        }
        out.push(')');
    }
    out
}

/// The rows `sql` reads for these ids, 500 ids to a statement: `{ids}` in `sql` becomes
/// the list and `$1` is bound to `scope` (the workspace or cabinet the ids must belong to).
pub(crate) async fn rows_for_ids<T: Copy + Into<i64>>(
    db: &Db,
    sql: &str,
    scope: i64,
    ids: &[T],
) -> Result<Vec<AnyRow>> {
    let mut out = Vec::new();
    for part in ids.chunks(500) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.replace("{ids}", &id_list(part))))
            .bind(scope)
            .fetch_all(db.pool())
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Ids written into a statement as a list (integers only, so nothing can be injected).
pub(crate) fn id_list<T: Copy + Into<i64>>(ids: &[T]) -> String {
    ids.iter()
        .map(|&id| Into::<i64>::into(id).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a text column and parses it into a domain enum, naming the column on failure.
pub(crate) fn parse_col<T: FromStr>(row: &AnyRow, column: &'static str) -> Result<T> {
    let raw: String = row.try_get(column)?;
    raw.parse()
        .map_err(|_| StorageError::Corrupt { column, value: raw })
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_lists_number_their_placeholders() {
        assert_eq!(super::values_list(2, 3, 2), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(super::id_list(&[3, 10]), "3,10");
        assert_eq!(
            super::rows_with_shared(2, 1, 2),
            "($1, $2, $3), ($1, $4, $5)"
        );
    }

    use super::*;

    #[test]
    fn passwords_never_show_in_urls() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite://mpbot.db"), "sqlite://mpbot.db");
    }
}
