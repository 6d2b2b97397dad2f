//! `/warehouses` (F5): our warehouses with what they hold, added and renamed; the
//! warehouses each cabinet ships from, each with the formula of what it shows, edited by
//! buttons (which of ours to sum, less open orders, less a buffer, zero below, a cap), the
//! same editor for a SKU's own formula; and what the marketplaces report in their own (FBO)
//! warehouses.

use crate::bot::context::answering;
use crate::domain::ids::StoreId;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::Cb as StockCb;
use crate::app::stocks::warehouses::{FormulaView, NameRefused, Target};
use crate::app::{Actor, Services};
use crate::bot::codec;
use crate::bot::context::Ctx;
use crate::bot::error::{BotError, BotResult, HandlerResult, Notice, OrSay, Press};
use crate::bot::keyboards::{self, button, plain};
use crate::bot::names;
use crate::bot::out::Out;
use crate::bot::state::{BotDialogue, State};
use crate::domain::stock::{BUFFERS, CAPS, Formula, Part, ZERO_BELOW};
use crate::domain::{CabinetId, Permission, WorkspaceName, Zone};
use crate::i18n::msg;

/// A formula's knob with several values, chosen from a menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    Buffer,
    ZeroBelow,
    Cap,
}

impl Knob {
    fn code(self) -> &'static str {
        match self {
            Knob::Buffer => "b",
            Knob::ZeroBelow => "z",
            Knob::Cap => "c",
        }
    }

    fn parse(s: &str) -> Option<Knob> {
        [Knob::Buffer, Knob::ZeroBelow, Knob::Cap]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// The buttons of the warehouse screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cb {
    Overview,
    AddStore,
    RenameStore(StoreId),
    Formula(Target),
    Menu(Target, Knob),
    Set(Target, Part),
    Reset(Target),
}

/// A marketplace warehouse id fits a button when it is short and plain.
fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 24
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn target_code(t: &Target) -> String {
    match t {
        Target::Sku(s) => format!("s{s}"),
        Target::Warehouse { cabinet, warehouse } => format!("w{}.{warehouse}", cabinet.0),
    }
}

fn parse_target(s: &str) -> Option<Target> {
    if let Some(id) = s.strip_prefix('s') {
        return codec::id(id).map(Target::Sku);
    }
    let (cabinet, warehouse) = s.strip_prefix('w')?.split_once('.')?;
    let cabinet = CabinetId(codec::id(cabinet)?);
    plain_id(warehouse).then(|| Target::Warehouse {
        cabinet,
        warehouse: warehouse.to_owned(),
    })
}

fn part_code(p: Part) -> String {
    match p {
        Part::Store(id) => format!("s{id}"),
        Part::Reserve(on) => format!("r{}", codec::bit(on)),
        Part::Buffer(n) => format!("b{n}"),
        Part::ZeroBelow(n) => format!("z{n}"),
        Part::Cap(Some(n)) => format!("c{n}"),
        Part::Cap(None) => "c-".to_owned(),
    }
}

fn parse_part(s: &str) -> Option<Part> {
    let (kind, rest) = s.split_at_checked(1)?;
    let part = match kind {
        "s" => Part::Store(codec::id(rest)?),
        "r" => Part::Reserve(codec::flag(rest)?),
        "b" => Part::Buffer(codec::id(rest)?),
        "z" => Part::ZeroBelow(codec::id(rest)?),
        "c" if rest == "-" => Part::Cap(None),
        "c" => Part::Cap(Some(codec::id(rest)?)),
        _ => return None,
    };
    part.offered().then_some(part)
}

impl Cb {
    pub fn data(&self) -> String {
        codec::data(match self {
            Cb::Overview => "wh".to_owned(),
            Cb::AddStore => "wh:a".to_owned(),
            Cb::RenameStore(s) => format!("wh:r:{s}"),
            Cb::Formula(t) => format!("wh:f:{}", target_code(t)),
            Cb::Menu(t, k) => format!("wh:m:{}:{}", target_code(t), k.code()),
            Cb::Set(t, p) => format!("wh:p:{}:{}", target_code(t), part_code(*p)),
            Cb::Reset(t) => format!("wh:x:{}", target_code(t)),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        Some(match parts {
            ["wh"] => Cb::Overview,
            ["wh", "a"] => Cb::AddStore,
            ["wh", "r", s] => Cb::RenameStore(codec::id(s)?),
            ["wh", "f", t] => Cb::Formula(parse_target(t)?),
            ["wh", "m", t, k] => Cb::Menu(parse_target(t)?, Knob::parse(k)?),
            ["wh", "p", t, p] => Cb::Set(parse_target(t)?, parse_part(p)?),
            ["wh", "x", t] => Cb::Reset(parse_target(t)?),
            _ => return None,
        })
    }
}

/// A formula in words (see [`names::formula`]), its warehouses named from `stores`.
pub fn describe(out: &Out, f: &Formula, stores: &[crate::domain::stock::Store]) -> String {
    let counted: Vec<String> = stores
        .iter()
        .filter(|s| f.counts(s.id))
        .map(|s| s.name.clone())
        .collect();
    names::formula(out, f, &counted)
}

/// `/warehouses`: ours, each cabinet's with its formula, the marketplaces' own.
pub async fn overview(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let o = out.svc.stocks().warehouses_overview(actor).await?;
    let zone = Zone::or_default(&out.svc.settings().workspace(actor).await?.time_zone);
    let stores: Vec<_> = o.stores.iter().map(|l| l.store.clone()).collect();
    let mut lines = vec![
        out.t(&msg("warehouses-title")),
        out.t(&msg("warehouses-ours")),
    ];
    for l in &o.stores {
        lines.push(
            out.t(&msg("warehouses-store-line")
                .arg("name", l.store.name.clone())
                .arg("skus", l.skus)
                .arg("units", l.units)),
        );
    }
    let can_edit = actor.role.can(Permission::ManagePrices);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let mut formula_buttons = Vec::new();
    let mut fbo_lines = Vec::new();
    for c in &o.cabinets {
        let cabinet = format!("{} · {}", out.t(&names::marketplace(c.marketplace)), c.name);
        for r in &c.shipping {
            let own = if r.own {
                String::new()
            } else {
                format!(" ({})", out.t(&msg("formula-inherited")))
            };
            lines.push(format!(
                "• {cabinet} · {}: {}{own}",
                r.warehouse.name,
                describe(out, &r.formula, &stores)
            ));
            if can_edit && plain_id(&r.warehouse.id) {
                let target = Target::Warehouse {
                    cabinet: c.id,
                    warehouse: r.warehouse.id.clone(),
                };
                formula_buttons.push(plain(
                    format!("⚙️ {} · {}", c.name, r.warehouse.name)
                        .chars()
                        .take(60)
                        .collect::<String>(),
                    Cb::Formula(target).data(),
                ));
            }
        }
        const FBO_SHOWN: usize = 12;
        if c.fbo.len() > FBO_SHOWN {
            fbo_lines.push(
                out.t(&msg("warehouses-fbo-more")
                    .arg("cabinet", cabinet.clone())
                    .arg("count", c.fbo.len() - FBO_SHOWN)),
            );
        }
        for f in c.fbo.iter().take(FBO_SHOWN) {
            fbo_lines.push(
                out.t(&msg("warehouses-fbo-line")
                    .arg("cabinet", cabinet.clone())
                    .arg("name", f.name.clone())
                    .arg("products", f.products)
                    .arg("units", f.present)
                    .arg(
                        "reserved",
                        if f.reserved > 0 {
                            out.t(&msg("warehouses-fbo-reserved").arg("count", f.reserved))
                        } else {
                            String::new()
                        },
                    )
                    .arg("time", zone.format(f.read_at))),
            );
        }
    }
    if o.cabinets.iter().all(|c| c.shipping.is_empty()) {
        lines.push(out.t(&msg("warehouses-no-shipping")));
    } else {
        lines.insert(o.stores.len() + 2, out.t(&msg("warehouses-shipping")));
    }
    lines.push(out.t(&msg("warehouses-fbo")));
    if fbo_lines.is_empty() {
        lines.push(out.t(&msg("warehouses-no-fbo")));
    } else {
        lines.extend(fbo_lines);
    }
    if can_edit {
        rows.push(vec![button(
            out,
            msg("warehouses-add-button"),
            Cb::AddStore.data(),
        )]);
        for l in &o.stores {
            rows.push(vec![plain(
                out.t(&msg("warehouses-rename-button").arg("name", l.store.name.clone())),
                Cb::RenameStore(l.store.id).data(),
            )]);
        }
        rows.extend(formula_buttons.into_iter().map(|b| vec![b]));
    }
    let kb = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    out.show(edit, lines.join("\n"), kb).await?;
    Ok(())
}

/// A formula's screen: what it shows in words, and a button for each part.
async fn formula_screen(
    out: &Out,
    actor: Actor,
    target: &Target,
    edit: Option<MessageId>,
) -> BotResult {
    let v: FormulaView = out
        .svc
        .stocks()
        .formula(actor, target)
        .await
        .or_say("button-stale")?;
    let f = &v.formula;
    let whose = match (target, v.own) {
        (_, true) => msg("formula-own"),
        (Target::Warehouse { .. }, false) => msg("formula-from-cabinet"),
        (Target::Sku(_), false) => msg("formula-from-warehouses"),
    };
    let text = [
        out.t(&msg("formula-title").arg("name", v.title.clone())),
        out.t(&whose),
        out.t(
            &msg(if v.own || matches!(target, Target::Warehouse { .. }) {
                "formula-shows"
            } else {
                "formula-starts-from"
            })
            .arg("formula", describe(out, f, &v.stores)),
        ),
    ]
    .join("\n");
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if actor.role.can(Permission::ManagePrices) {
        for s in &v.stores {
            let mark = if f.counts(s.id) { "✅" } else { "▫️" };
            rows.push(vec![plain(
                format!("{mark} {}", s.name),
                Cb::Set(target.clone(), Part::Store(s.id)).data(),
            )]);
        }
        let mark = if f.reserve { "✅" } else { "▫️" };
        rows.push(vec![plain(
            format!("{mark} {}", out.t(&msg("formula-orders-button"))),
            Cb::Set(target.clone(), Part::Reserve(!f.reserve)).data(),
        )]);
        rows.push(vec![
            plain(
                out.t(&msg("formula-buffer-button").arg("n", f.buffer)),
                Cb::Menu(target.clone(), Knob::Buffer).data(),
            ),
            plain(
                out.t(&if f.zero_below > 0 {
                    msg("formula-zero-button").arg("n", f.zero_below)
                } else {
                    msg("formula-zero-off-button")
                }),
                Cb::Menu(target.clone(), Knob::ZeroBelow).data(),
            ),
            plain(
                out.t(&match f.cap {
                    Some(n) => msg("formula-cap-button").arg("n", n),
                    None => msg("formula-no-cap-button"),
                }),
                Cb::Menu(target.clone(), Knob::Cap).data(),
            ),
        ]);
        if v.own {
            let reset = match target {
                Target::Warehouse { .. } => msg("formula-reset-warehouse"),
                Target::Sku(_) => msg("formula-reset-sku"),
            };
            rows.push(vec![button(out, reset, Cb::Reset(target.clone()).data())]);
        }
    }
    let back = match target {
        Target::Warehouse { .. } => Cb::Overview.data(),
        Target::Sku(s) => StockCb::Card(*s).data(),
    };
    rows.push(vec![button(out, msg("formula-back-button"), back)]);
    out.show(edit, text, Some(InlineKeyboardMarkup::new(rows)))
        .await?;
    Ok(())
}

/// A knob's values, the current one ticked.
async fn menu(
    out: &Out,
    actor: Actor,
    target: &Target,
    knob: Knob,
    message: MessageId,
) -> BotResult {
    let v = out
        .svc
        .stocks()
        .formula(actor, target)
        .await
        .or_say("button-stale")?;
    let f = &v.formula;
    let tick = |on: bool, label: String| if on { format!("✓ {label}") } else { label };
    let buttons: Vec<InlineKeyboardButton> = match knob {
        Knob::Buffer => BUFFERS
            .iter()
            .map(|n| {
                plain(
                    tick(f.buffer == *n, n.to_string()),
                    Cb::Set(target.clone(), Part::Buffer(*n)).data(),
                )
            })
            .collect(),
        Knob::ZeroBelow => ZERO_BELOW
            .iter()
            .map(|n| {
                plain(
                    tick(f.zero_below == *n, n.to_string()),
                    Cb::Set(target.clone(), Part::ZeroBelow(*n)).data(),
                )
            })
            .collect(),
        Knob::Cap => std::iter::once(plain(
            tick(f.cap.is_none(), out.t(&msg("formula-no-cap"))),
            Cb::Set(target.clone(), Part::Cap(None)).data(),
        ))
        .chain(CAPS.iter().map(|n| {
            plain(
                tick(f.cap == Some(*n), n.to_string()),
                Cb::Set(target.clone(), Part::Cap(Some(*n))).data(),
            )
        }))
        .collect(),
    };
    let ask = match knob {
        Knob::Buffer => "formula-choose-buffer",
        Knob::ZeroBelow => "formula-choose-zero",
        Knob::Cap => "formula-choose-cap",
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(4).map(<[_]>::to_vec).collect();
    rows.push(vec![button(
        out,
        msg("formula-back-button"),
        Cb::Formula(target.clone()).data(),
    )]);
    out.edit(
        message,
        out.t(&msg(ask).arg("name", v.title)),
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: &Message,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    match cb {
        Cb::Overview => overview(out, actor, Some(message.id)).await?,
        Cb::Formula(t) => formula_screen(out, actor, &t, Some(message.id)).await?,
        Cb::Menu(t, k) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            menu(out, actor, &t, k, message.id).await?
        }
        Cb::Set(t, part) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            let changed = out
                .svc
                .stocks()
                .change_formula(actor, &t, part)
                .await
                .or_say("button-stale")?;
            if changed.is_none() {
                return Ok(Notice::Alert(msg("formula-needs-a-store")));
            }
            formula_screen(out, actor, &t, Some(message.id)).await?;
            return Ok(Notice::Toast(msg("formula-saved")));
        }
        Cb::Reset(t) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            out.svc
                .stocks()
                .reset_formula(actor, &t)
                .await
                .or_say("button-stale")?;
            formula_screen(out, actor, &t, Some(message.id)).await?;
            return Ok(Notice::Toast(msg("formula-saved")));
        }
        Cb::AddStore | Cb::RenameStore(_) => {
            let actor = ctx.acting(Permission::ManagePrices)?;
            if !ctx.private {
                return Ok(Notice::Alert(msg("button-stale")));
            }
            let store = match cb {
                Cb::RenameStore(s) => Some(
                    out.svc
                        .stocks()
                        .store(actor, s)
                        .await
                        .or_say("button-stale")?,
                ),
                _ => None,
            };
            dialogue
                .update(State::StoreName {
                    workspace: actor.workspace.0,
                    store: store.as_ref().map(|s| s.id),
                })
                .await
                .map_err(BotError::Internal)?;
            let ask = match &store {
                Some(s) => msg("warehouses-ask-rename").arg("name", s.name.clone()),
                None => msg("warehouses-ask-name"),
            };
            out.send_text(
                out.t(&ask.arg("max", WorkspaceName::MAX_CHARS)),
                Some(keyboards::cancel(out)),
            )
            .await?;
        }
    }
    Ok(Notice::None)
}

/// A message while a warehouse's name is awaited (a new one, or `store` renamed).
pub async fn name_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    (workspace, store): (i64, Option<StoreId>),
) -> HandlerResult {
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManagePrices,
        async |out, actor| {
            let Some(text) = message.text() else {
                return Err(BotError::User(msg("settings-name-need-text")));
            };
            let name = WorkspaceName::parse(text)
                .map_err(|e| BotError::User(crate::bot::settings::name_refusal(e)))?;
            let done = match store {
                Some(s) => out.svc.stocks().rename_store(actor, s, &name).await,
                None => out
                    .svc
                    .stocks()
                    .add_store(actor, &name)
                    .await
                    .map(|r| r.map(|_| ())),
            };
            let done = match done.or_say("button-stale") {
                Ok(d) => d,
                Err(e) => {
                    dialogue.exit().await?;
                    return Err(e);
                }
            };
            if let Err(NameRefused::Taken) = done {
                return Err(BotError::User(
                    msg("warehouses-name-taken").arg("name", name.as_str().to_owned()),
                ));
            }
            dialogue.exit().await?;
            out.say(
                msg(if store.is_some() {
                    "warehouses-renamed"
                } else {
                    "warehouses-added"
                })
                .arg("name", name.as_str().to_owned()),
            )
            .await?;
            overview(out, actor, None).await
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SkuId;

    #[test]
    fn buttons_round_trip() {
        let w = Target::Warehouse {
            cabinet: CabinetId(12),
            warehouse: "1020000000000000".into(),
        };
        for cb in [
            Cb::Overview,
            Cb::AddStore,
            Cb::RenameStore(StoreId(3)),
            Cb::Formula(w.clone()),
            Cb::Formula(Target::Sku(SkuId(9))),
            Cb::Menu(w.clone(), Knob::Cap),
            Cb::Set(w.clone(), Part::Store(StoreId(4))),
            Cb::Set(Target::Sku(SkuId(9)), Part::Reserve(false)),
            Cb::Set(w.clone(), Part::Buffer(10)),
            Cb::Set(w.clone(), Part::ZeroBelow(3)),
            Cb::Set(w.clone(), Part::Cap(None)),
            Cb::Set(w.clone(), Part::Cap(Some(100))),
            Cb::Reset(w.clone()),
        ] {
            let data = cb.data();
            assert!(data.len() <= codec::MAX_LEN, "{data}");
            let parts = codec::parts(&data).expect("parts");
            assert_eq!(Cb::parse(&parts), Some(cb), "{data}");
        }
        // Values not offered are not taken.
        assert_eq!(Cb::parse(&["wh", "p", "s9", "b7"]), None);
        assert_eq!(Cb::parse(&["wh", "p", "s9", "c0"]), None);
        assert_eq!(Cb::parse(&["wh", "f", "w1.a:b"]), None);
    }
}
