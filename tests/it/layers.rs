//! The layers keep their promises (ARCHITECTURE.md): the Telegram front shows domain types
//! and names storage only for the dialogue store it is given at start-up, the alert sender
//! never reaches the front, and the use cases hold no SQL.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir),
        &mut out,
    );
    assert!(!out.is_empty(), "src/{dir} has sources");
    out
}

/// Lines of code (comments left out) that contain any of `needles`.
fn offending(dir: &str, needles: &[&str], except: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(dir) {
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if needles.iter().any(|n| code.contains(n)) && !except.iter().any(|e| code.contains(e))
            {
                found.push(format!("{}:{}: {}", path.display(), i + 1, code));
            }
        }
    }
    found
}

#[test]
fn the_front_names_storage_only_for_its_dialogue_store() {
    let found = offending(
        "bot",
        &["storage::"],
        &["use crate::storage::dialogues::DialogueStore;"],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_alert_sender_does_not_reach_the_front() {
    let found = offending("notify", &["crate::bot", "super::bot"], &[]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_use_cases_hold_no_sql() {
    let found = offending(
        "app",
        &[
            "sqlx::query",
            "\"SELECT ",
            "\"INSERT ",
            "\"UPDATE ",
            "\"DELETE ",
            " FROM ",
        ],
        &[],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_use_case_lives_in_its_room() {
    // Only the core (clock, wake-ups) is on `Services` itself; a feature's use cases are
    // on its room, so `svc.prices().…` says where a call lives.
    let found: Vec<String> = sources("app")
        .into_iter()
        .filter(|(path, text)| {
            !path.ends_with("app/mod.rs") && text.lines().any(|l| l.starts_with("impl Services {"))
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(found.is_empty(), "use cases outside a room: {found:?}");
}

#[test]
fn ids_are_typed_where_they_are_passed() {
    // A SKU, a product, an order and a store are their own types in every signature, so
    // one cannot be passed for another.
    let mut found = Vec::new();
    for dir in ["app", "storage", "bot", "domain"] {
        for name in ["sku", "product", "order", "store", "stores"] {
            for ty in ["i64", "&[i64]", "Vec<i64>", "Option<i64>"] {
                let needle = format!("{name}: {ty}");
                for f in offending(dir, &[needle.as_str()], &[]) {
                    // `sku` on a marketplace wire is the marketplace's own number.
                    if !f.contains("marketplace") {
                        found.push(f);
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{}", found.join("\n"));
}
