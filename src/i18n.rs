//! Fluent lookup by user language (ru, en). Every user-facing string comes from
//! `locales/<lang>/*.ftl`, embedded at build time; code refers to messages only through
//! [`msg`], so a test can find every id the code uses.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::domain::Lang;

/// The locale files, embedded: (language, file name, contents).
pub const FILES: &[(&str, &str, &str)] = &[
    ("ru", "common.ftl", include_str!("../locales/ru/common.ftl")),
    ("ru", "start.ftl", include_str!("../locales/ru/start.ftl")),
    (
        "ru",
        "settings.ftl",
        include_str!("../locales/ru/settings.ftl"),
    ),
    ("ru", "team.ftl", include_str!("../locales/ru/team.ftl")),
    (
        "ru",
        "cabinets.ftl",
        include_str!("../locales/ru/cabinets.ftl"),
    ),
    ("ru", "admin.ftl", include_str!("../locales/ru/admin.ftl")),
    ("ru", "orders.ftl", include_str!("../locales/ru/orders.ftl")),
    (
        "ru",
        "statuses.ftl",
        include_str!("../locales/ru/statuses.ftl"),
    ),
    ("ru", "labels.ftl", include_str!("../locales/ru/labels.ftl")),
    ("ru", "stocks.ftl", include_str!("../locales/ru/stocks.ftl")),
    ("ru", "prices.ftl", include_str!("../locales/ru/prices.ftl")),
    ("ru", "rules.ftl", include_str!("../locales/ru/rules.ftl")),
    ("ru", "quiet.ftl", include_str!("../locales/ru/quiet.ftl")),
    ("ru", "emails.ftl", include_str!("../locales/ru/emails.ftl")),
    (
        "ru",
        "finance.ftl",
        include_str!("../locales/ru/finance.ftl"),
    ),
    ("en", "common.ftl", include_str!("../locales/en/common.ftl")),
    ("en", "start.ftl", include_str!("../locales/en/start.ftl")),
    (
        "en",
        "settings.ftl",
        include_str!("../locales/en/settings.ftl"),
    ),
    ("en", "team.ftl", include_str!("../locales/en/team.ftl")),
    (
        "en",
        "cabinets.ftl",
        include_str!("../locales/en/cabinets.ftl"),
    ),
    ("en", "admin.ftl", include_str!("../locales/en/admin.ftl")),
    ("en", "orders.ftl", include_str!("../locales/en/orders.ftl")),
    (
        "en",
        "statuses.ftl",
        include_str!("../locales/en/statuses.ftl"),
    ),
    ("en", "labels.ftl", include_str!("../locales/en/labels.ftl")),
    ("en", "stocks.ftl", include_str!("../locales/en/stocks.ftl")),
    ("en", "prices.ftl", include_str!("../locales/en/prices.ftl")),
    ("en", "rules.ftl", include_str!("../locales/en/rules.ftl")),
    ("en", "quiet.ftl", include_str!("../locales/en/quiet.ftl")),
    ("en", "emails.ftl", include_str!("../locales/en/emails.ftl")),
    (
        "en",
        "finance.ftl",
        include_str!("../locales/en/finance.ftl"),
    ),
];

/// An argument value of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A message to show: a Fluent id and its arguments, rendered per language.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// Names a message by its Fluent id.
pub fn msg(id: &'static str) -> Msg {
    Msg {
        id,
        args: Vec::new(),
    }
}

impl Msg {
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }
}

/// All bundles, one per language.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

/// A problem found in the embedded locale files.
#[derive(Debug, thiserror::Error)]
#[error("locale {lang}/{file}: {problem}")]
pub struct LocaleError {
    pub lang: String,
    pub file: String,
    pub problem: String,
}

impl I18n {
    /// Loads the embedded locales; fails on a syntax error or a duplicate id.
    pub fn load() -> Result<I18n, LocaleError> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let langid = lang.code().parse().map_err(|e| LocaleError {
                lang: lang.code().into(),
                file: String::new(),
                problem: format!("{e:?}"),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            bundle.set_use_isolating(false);
            for (file_lang, file, text) in FILES.iter().filter(|(l, _, _)| *l == lang.code()) {
                let err = |problem: String| LocaleError {
                    lang: (*file_lang).into(),
                    file: (*file).into(),
                    problem,
                };
                let res = FluentResource::try_new((*text).to_owned())
                    .map_err(|(_, errs)| err(format!("{errs:?}")))?;
                bundle
                    .add_resource(res)
                    .map_err(|errs| err(format!("{errs:?}")))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        // Both languages are always loaded by `load`.
        &self.bundles[&lang]
    }

    /// Whether `id` exists in `lang`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// Renders a message; a missing id renders as the id itself (and is caught by tests).
    pub fn render(&self, lang: Lang, m: &Msg) -> String {
        self.try_render(lang, m).unwrap_or_else(|e| {
            tracing::error!(id = m.id, %lang, error = %e, "message does not render");
            m.id.to_owned()
        })
    }

    /// Renders a message, reporting a missing id, a missing value or formatting errors.
    pub fn try_render(&self, lang: Lang, m: &Msg) -> Result<String, String> {
        let bundle = self.bundle(lang);
        let message = bundle
            .get_message(m.id)
            .ok_or_else(|| format!("no message {}", m.id))?;
        let pattern = message
            .value()
            .ok_or_else(|| format!("message {} has no value", m.id))?;
        let mut args = FluentArgs::new();
        for (name, value) in &m.args {
            match value {
                Arg::Str(s) => args.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned();
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(format!("{}: {errors:?}", m.id))
        }
    }

    /// Every message id of `lang`, sorted.
    pub fn ids(lang: Lang) -> Vec<String> {
        let mut ids: Vec<String> = FILES
            .iter()
            .filter(|(l, _, _)| *l == lang.code())
            .flat_map(|(_, _, text)| {
                let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(r, _)| r);
                res.entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        ids.sort();
        ids
    }

    /// The variables a message of `lang` refers to (`{ $name }`), for tests.
    pub fn variables(lang: Lang, id: &str) -> Vec<String> {
        use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

        fn walk_pattern(p: &Pattern<&str>, out: &mut Vec<String>) {
            for el in &p.elements {
                if let PatternElement::Placeable { expression } = el {
                    walk_expr(expression, out);
                }
            }
        }
        fn walk_inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
            match e {
                InlineExpression::VariableReference { id } if !out.iter().any(|v| v == id.name) => {
                    out.push(id.name.to_owned());
                }
                InlineExpression::Placeable { expression } => walk_expr(expression, out),
                _ => {}
            }
        }
        fn walk_expr(e: &Expression<&str>, out: &mut Vec<String>) {
            match e {
                Expression::Inline(i) => walk_inline(i, out),
                Expression::Select { selector, variants } => {
                    walk_inline(selector, out);
                    for v in variants {
                        walk_pattern(&v.value, out);
                    }
                }
            }
        }

        let mut vars = Vec::new();
        for (_, _, text) in FILES.iter().filter(|(l, _, _)| *l == lang.code()) {
            let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(r, _)| r);
            for entry in res.entries() {
                if let Entry::Message(m) = entry
                    && m.id.name == id
                    && let Some(value) = &m.value
                {
                    walk_pattern(value, &mut vars);
                }
            }
        }
        vars
    }
}
