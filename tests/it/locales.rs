//! Locale checks: both languages have the same ids and variables, every id the code uses
//! exists, and every message formats with its arguments.

use std::collections::BTreeSet;
use std::path::Path;

use mpbot::domain::Lang;
use mpbot::i18n::{Arg, I18n, Msg};

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

#[test]
fn both_languages_have_the_same_message_ids_and_variables() {
    let ru = I18n::ids(Lang::Ru);
    let en = I18n::ids(Lang::En);
    let only_ru: Vec<_> = ru.iter().filter(|id| !en.contains(id)).collect();
    let only_en: Vec<_> = en.iter().filter(|id| !ru.contains(id)).collect();
    assert!(
        only_ru.is_empty() && only_en.is_empty(),
        "only in ru: {only_ru:?}; only in en: {only_en:?}"
    );
    for id in &ru {
        let a: BTreeSet<_> = I18n::variables(Lang::Ru, id).into_iter().collect();
        let b: BTreeSet<_> = I18n::variables(Lang::En, id).into_iter().collect();
        assert_eq!(a, b, "{id} uses different variables in ru and en");
    }
}

#[test]
fn every_message_formats_with_its_arguments() {
    let i18n = I18n::load().expect("locales load");
    for lang in Lang::ALL {
        for id in I18n::ids(lang) {
            let mut m = Msg {
                id: leak(&id),
                args: Vec::new(),
            };
            for var in I18n::variables(lang, &id) {
                let value = if ["count", "days", "max"].contains(&var.as_str()) {
                    Arg::Num(2)
                } else {
                    Arg::Str("x".into())
                };
                m.args.push((leak(&var), value));
            }
            let text = i18n
                .try_render(lang, &m)
                .unwrap_or_else(|e| panic!("{lang}/{id}: {e}"));
            assert!(!text.trim().is_empty(), "{lang}/{id} is empty");
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("src dir")
        .filter_map(Result::ok)
    {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every `msg("id")` in the code names a message that exists in both languages.
#[test]
fn every_message_id_used_in_code_exists() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let i18n = I18n::load().expect("locales load");
    let mut used = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        for (i, _) in text.match_indices("msg(\"") {
            let rest = &text[i + 5..];
            if let Some(end) = rest.find('"') {
                used.insert(rest[..end].to_owned());
            }
        }
        // Ids chosen in a match arm: `msg(match x { A => "id", ... })`.
        for (i, _) in text.match_indices("msg(match") {
            let block = &text[i..];
            let end = block.find("})").unwrap_or(block.len());
            for piece in block[..end].split("=> \"").skip(1) {
                if let Some(e) = piece.find('"') {
                    used.insert(piece[..e].to_owned());
                }
            }
        }
    }
    assert!(used.len() > 30, "the scan found too few ids: {used:?}");
    for id in &used {
        for lang in Lang::ALL {
            assert!(
                i18n.has(lang, id),
                "{id} is used in code but missing in {lang}"
            );
        }
    }
}

/// Every audit action the code writes is listed for `/audit` and named in both languages.
#[test]
fn every_audit_action_has_a_localized_name() {
    let i18n = I18n::load().expect("locales load");
    for action in mpbot::domain::AuditAction::ALL {
        let m = mpbot::bot::audit::action_name(action);
        let id = format!("audit-{}", action.code().replace('.', "-"));
        assert_eq!(m.id, id, "{} is named by its own message", action.code());
        for lang in Lang::ALL {
            assert!(i18n.has(lang, &id), "{id} missing in {lang}");
        }
    }
}
