//! `/orders` and `/order` (F3): the list ten to a page with its filters (period, unified
//! status, scheme, cabinet), the warehouse's "to assemble", and an order's card with the
//! actions its status and the caller's role allow. A pressed action edits the card to
//! "sending…", then to what the marketplace did; a card shown before the order changed
//! refreshes instead of sending.

mod group;
mod view;

pub use group::{alert_keyboard, open_button};

pub use view::left;

use crate::domain::ids::OrderId;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotError, BotResult, Notice, OrSay, Press};
use super::keyboards::button;
use super::names;
use super::out::Out;
use crate::app::Actor;
use crate::app::order_actions::{Card, ListSpec, Requested};
use crate::domain::order::{Action, Period, UnifiedStatus};
use crate::domain::{CabinetId, Permission, Role, Scheme};
use crate::i18n::msg;

/// Where a list is: its filters and page (carried by its buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListState {
    pub period: Period,
    pub unified: Option<UnifiedStatus>,
    pub scheme: Option<Scheme>,
    /// 0 = every cabinet.
    pub cabinet: i64,
    pub page: i64,
}

impl Default for ListState {
    fn default() -> ListState {
        ListState {
            period: Period::Today,
            unified: None,
            scheme: None,
            cabinet: 0,
            page: 0,
        }
    }
}

impl ListState {
    fn code(&self) -> String {
        let u = self
            .unified
            .and_then(|u| UnifiedStatus::ALL.iter().position(|x| *x == u))
            .map_or('-', |i| char::from(b'0' + u8::try_from(i).unwrap_or(0)));
        let s = match self.scheme {
            Some(Scheme::Fbs) => 'f',
            Some(Scheme::Fbo) => 'o',
            Some(Scheme::Dbs) => 'd',
            None => '-',
        };
        format!(
            "{}{u}{s}:{}:{}",
            self.period.code(),
            self.cabinet,
            self.page
        )
    }

    fn parse(parts: &[&str]) -> Option<ListState> {
        let [flags, cabinet, page] = parts else {
            return None;
        };
        let mut f = flags.chars();
        let period = f.next()?.to_string().parse().ok()?;
        let unified = match f.next()? {
            '-' => None,
            c => Some(*UnifiedStatus::ALL.get(c.to_digit(10)? as usize)?),
        };
        let scheme = match f.next()? {
            'f' => Some(Scheme::Fbs),
            'o' => Some(Scheme::Fbo),
            'd' => Some(Scheme::Dbs),
            '-' => None,
            _ => return None,
        };
        if f.next().is_some() {
            return None;
        }
        let page: i64 = page.parse().ok()?;
        Some(ListState {
            period,
            unified,
            scheme,
            cabinet: cabinet.parse().ok()?,
            page: page.clamp(0, 10_000),
        })
    }

    fn spec(&self) -> ListSpec {
        ListSpec {
            period: self.period,
            unified: self.unified,
            scheme: self.scheme,
            cabinet: (self.cabinet != 0).then_some(CabinetId(self.cabinet)),
            to_assemble: false,
            page: self.page,
        }
    }
}

/// The buttons of the orders list and cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    List(ListState),
    StatusMenu(ListState),
    SchemeMenu(ListState),
    CabinetMenu(ListState),
    Open(OrderId, ListState),
    /// An action on the order at the version its card showed.
    Act(OrderId, i64, Action, ListState),
    /// Cancel: the reasons (or a confirmation) first.
    Cancel(OrderId, i64),
    /// Cancel with the marketplace's reason (0 = none asked).
    CancelWith(OrderId, i64, u32),
    /// Print this order's label.
    Label(OrderId),
    /// "I take it": the presser packs this order.
    Take(OrderId),
    /// The presser lets the order go.
    Release(OrderId),
}

fn action_code(a: Action) -> &'static str {
    match a {
        Action::Confirm => "c",
        Action::Assemble => "a",
        Action::Ship => "s",
        Action::Cancel => "x",
    }
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::List(s) => format!("o:l:{}", s.code()),
            Cb::StatusMenu(s) => format!("o:fs:{}", s.code()),
            Cb::SchemeMenu(s) => format!("o:fm:{}", s.code()),
            Cb::CabinetMenu(s) => format!("o:fc:{}", s.code()),
            Cb::Open(id, s) => format!("o:c:{id}:{}", s.code()),
            Cb::Act(id, v, a, s) => format!("o:a:{id}:{v}:{}:{}", action_code(a), s.code()),
            Cb::Cancel(id, v) => format!("o:x:{id}:{v}"),
            Cb::CancelWith(id, v, r) => format!("o:xr:{id}:{v}:{r}"),
            Cb::Label(id) => format!("o:lb:{id}"),
            Cb::Take(id) => format!("o:tk:{id}"),
            Cb::Release(id) => format!("o:rl:{id}"),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        let action = |s: &str| Action::ALL.into_iter().find(|a| action_code(*a) == s);
        match parts {
            ["o", "l", rest @ ..] => ListState::parse(rest).map(Cb::List),
            ["o", "fs", rest @ ..] => ListState::parse(rest).map(Cb::StatusMenu),
            ["o", "fm", rest @ ..] => ListState::parse(rest).map(Cb::SchemeMenu),
            ["o", "fc", rest @ ..] => ListState::parse(rest).map(Cb::CabinetMenu),
            ["o", "c", id, rest @ ..] => Some(Cb::Open(codec::id(id)?, ListState::parse(rest)?)),
            ["o", "a", id, v, a, rest @ ..] => Some(Cb::Act(
                codec::id(id)?,
                codec::id(v)?,
                action(a)?,
                ListState::parse(rest)?,
            )),
            ["o", "x", id, v] => Some(Cb::Cancel(codec::id(id)?, codec::id(v)?)),
            ["o", "lb", id] => Some(Cb::Label(codec::id(id)?)),
            ["o", "tk", id] => Some(Cb::Take(codec::id(id)?)),
            ["o", "rl", id] => Some(Cb::Release(codec::id(id)?)),
            ["o", "xr", id, v, r] => Some(Cb::CancelWith(
                codec::id(id)?,
                codec::id(v)?,
                r.parse().ok()?,
            )),
            _ => None,
        }
    }
}

/// An order's card for the presser, or "the order is gone" when it is not theirs to see.
async fn card_or_gone(out: &Out, actor: Actor, id: OrderId) -> BotResult<Card> {
    out.svc
        .orders()
        .order_card(actor, id)
        .await
        .or_say("order-gone")
}

/// `/orders` (or a list button): the list, edited in place after a button.
pub async fn show(out: &Out, actor: Actor, state: ListState, edit: Option<MessageId>) -> BotResult {
    let (page, zone) = out.svc.orders().orders_page(actor, state.spec()).await?;
    let cabinets = out.svc.cabinets().list(actor).await?;
    let assemble = actor.role == Role::Warehouse;
    let money = actor.role.can(Permission::ViewFinance);
    let ids: Vec<OrderId> = page.orders.iter().map(|o| o.id).collect();
    let holders = out.svc.orders().holders(actor, &ids).await?;
    let (text, kb) = view::list(
        out,
        state,
        &page,
        (zone, out.svc.clock.unix()),
        &cabinets,
        money,
        assemble,
        &holders,
    );
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

/// An order's card, with the names of who did what in its history; whether it was shown
/// (a private chat the bot may not write to yet is not).
async fn show_card(
    out: &Out,
    card: &Card,
    back: ListState,
    edit: Option<MessageId>,
) -> BotResult<bool> {
    let mut names_by_user = std::collections::HashMap::new();
    for h in &card.history {
        if let Some(u) = h.actor
            && let Ok(Some(name)) = out.svc.session().user_name(u).await
        {
            names_by_user.insert(u, name);
        }
    }
    let who = |h: &crate::domain::order::HistoryEntry| {
        h.actor.and_then(|u| names_by_user.get(&u).cloned())
    };
    let (text, kb) = view::card(out, card, &who, back);
    match edit {
        Some(id) => {
            out.edit(id, text, Some(kb)).await?;
            Ok(true)
        }
        None => Ok(out.send_text(text, Some(kb)).await?.is_some()),
    }
}

/// `/order NUMBER`: that order's card.
pub async fn open_by_number(out: &Out, actor: Actor, args: &str) -> BotResult {
    let number = args.trim();
    if number.is_empty() {
        return Err(BotError::User(msg("order-need-number")));
    }
    let shown: String = number.chars().take(40).collect();
    let card = match out.svc.orders().find_order(actor, number).await {
        Err(crate::app::AppError::NotFound) => {
            return Err(BotError::User(msg("order-not-found").arg("number", shown)));
        }
        other => other?,
    };
    show_card(out, &card, ListState::default(), None).await?;
    Ok(())
}

/// The buttons of the list and the cards.
pub async fn on_press(out: &Out, ctx: &Ctx, alert: &Message, cb: Cb) -> Press {
    let actor = ctx.acting(Permission::ViewData)?;
    let message = alert.id;
    if !ctx.private {
        // On an alert in a group: the alert stays the group's.
        match cb {
            Cb::Open(id, _) => return group::open(out, actor, id, &ctx.first_name).await,
            Cb::Act(id, version, action, _) => {
                return group::act(out, actor, alert, (id, version, action), &ctx.first_name).await;
            }
            Cb::Take(id) => return group::take(out, actor, alert, id).await,
            Cb::Release(id) => return group::release(out, actor, alert, id).await,
            _ => {}
        }
    }
    match cb {
        Cb::List(state) => show(out, actor, state, Some(message)).await?,
        Cb::StatusMenu(state) => {
            let (text, kb) = view::status_menu(out, state);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::SchemeMenu(state) => {
            let (text, kb) = view::scheme_menu(out, state);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::CabinetMenu(state) => {
            let cabinets = out.svc.cabinets().list(actor).await?;
            let (text, kb) = view::cabinet_menu(out, state, &cabinets);
            out.edit(message, text, Some(kb)).await?;
        }
        Cb::Open(id, back) => {
            let card = card_or_gone(out, actor, id).await?;
            show_card(out, &card, back, Some(message)).await?;
        }
        Cb::Act(id, version, action, back) => {
            return act(out, actor, message, id, version, action, None, back).await;
        }
        Cb::Cancel(id, version) => return ask_reason(out, actor, message, id, version).await,
        Cb::Label(id) => {
            let sel = crate::app::labels::Selection::Orders(vec![id]);
            return crate::bot::documents::ask_labels(out, actor, sel).await;
        }
        Cb::Take(id) => {
            let holder = out
                .svc
                .orders()
                .claim_order(actor, id)
                .await
                .or_say("order-gone")?;
            let card = card_or_gone(out, actor, id).await?;
            show_card(out, &card, ListState::default(), Some(message)).await?;
            return Ok(group::holder_notice(&holder));
        }
        Cb::Release(id) => {
            let other = out.svc.orders().release_order(actor, id).await?;
            let card = card_or_gone(out, actor, id).await?;
            show_card(out, &card, ListState::default(), Some(message)).await?;
            return Ok(match other {
                Some(h) => Notice::Alert(msg("claim-theirs").arg("name", h.name)),
                None => Notice::Toast(msg("claim-released")),
            });
        }
        Cb::CancelWith(id, version, reason) => {
            let reason = (reason != 0).then(|| reason.to_string());
            let back = ListState::default();
            return act(
                out,
                actor,
                message,
                id,
                version,
                Action::Cancel,
                reason,
                back,
            )
            .await;
        }
    }
    Ok(Notice::None)
}

/// Cancel: the marketplace's reasons, or one confirmation where it asks for none.
async fn ask_reason(
    out: &Out,
    actor: Actor,
    message: MessageId,
    id: OrderId,
    version: i64,
) -> Press {
    let card = card_or_gone(out, actor, id).await?;
    if card.order.version != version {
        show_card(out, &card, ListState::default(), Some(message)).await?;
        let status = out.t(&names::unified(card.order.unified));
        return Ok(Notice::Alert(msg("order-stale").arg("status", status)));
    }
    let reasons = out.svc.orders().cancel_reasons(actor, id).await?;
    let market = out.t(&names::marketplace(card.order.marketplace));
    let number = card.order.number.clone();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = reasons
        .iter()
        .filter_map(|r| Some((r.id.parse::<u32>().ok()?, r)))
        .take(20)
        .map(|(rid, r)| {
            vec![InlineKeyboardButton::callback(
                r.title.clone(),
                Cb::CancelWith(id, version, rid).data(),
            )]
        })
        .collect();
    let text = if rows.is_empty() {
        rows.push(vec![button(
            out,
            msg("order-cancel-yes"),
            Cb::CancelWith(id, version, 0).data(),
        )]);
        msg("order-confirm-cancel")
    } else {
        msg("order-choose-reason")
    };
    rows.push(vec![button(
        out,
        msg("button-back"),
        Cb::Open(id, ListState::default()).data(),
    )]);
    let text = out.t(&text.arg("number", number).arg("marketplace", market));
    out.edit(message, text, Some(InlineKeyboardMarkup::new(rows)))
        .await?;
    Ok(Notice::None)
}

/// An action pressed on a card: "sending…", then the card as the marketplace left it.
#[allow(clippy::too_many_arguments)]
async fn act(
    out: &Out,
    actor: Actor,
    message: MessageId,
    id: OrderId,
    version: i64,
    action: Action,
    reason: Option<String>,
    back: ListState,
) -> Press {
    if !actor.role.can(action.permission()) {
        // Refused before the message is touched: an alert in a group stays as it was.
        return Err(BotError::User(msg("no-permission")));
    }
    let card = card_or_gone(out, actor, id).await?;
    let market = out.t(&names::marketplace(card.order.marketplace));
    let action_name = out.t(&names::action(action));
    if card.order.version == version && card.actions.contains(&action) {
        let sending = msg("order-sending")
            .arg("action", action_name.clone())
            .arg("marketplace", market.clone());
        out.edit(message, out.t(&sending), None).await?;
    }
    let requested = out
        .svc
        .orders()
        .request_action(actor, id, version, action, reason)
        .await;
    let requested = match requested {
        Ok(r) => r,
        Err(e) => {
            // Refused before anything was sent: the card comes back as it was.
            show_card(out, &card, back, Some(message)).await?;
            return Err(e.into());
        }
    };
    match requested {
        Requested::Done(card) => {
            show_card(out, &card, back, Some(message)).await?;
            Ok(Notice::Toast(names::done(action)))
        }
        Requested::Pending { .. } => {
            show_card(out, &card, back, Some(message)).await?;
            Ok(Notice::Alert(
                msg("order-pending").arg("marketplace", market),
            ))
        }
        Requested::Refused { why } => {
            let card = out.svc.orders().order_card(actor, id).await?;
            show_card(out, &card, back, Some(message)).await?;
            Ok(Notice::Alert(
                names::rejection(why).arg("marketplace", market),
            ))
        }
        Requested::Stale(card) => {
            show_card(out, &card, back, Some(message)).await?;
            let status = out.t(&names::unified(card.order.unified));
            if card.order.unified != action.result() {
                return Ok(Notice::Alert(msg("order-stale").arg("status", status)));
            }
            // What was asked is done already: by this person's first tap, or by someone.
            let by = card
                .history
                .iter()
                .rev()
                .find(|h| h.unified == action.result())
                .and_then(|h| h.actor);
            Ok(match by {
                Some(u) if u == actor.user => Notice::Toast(names::done_by_first_tap(action)),
                Some(u) => {
                    let name = out.svc.session().user_name(u).await?.unwrap_or_default();
                    Notice::Alert(msg("order-done-by").arg("name", name).arg("status", status))
                }
                None => Notice::Alert(msg("order-done-already").arg("status", status)),
            })
        }
        Requested::AlreadyPending => {
            show_card(out, &card, back, Some(message)).await?;
            Ok(Notice::Toast(msg("order-already")))
        }
    }
}
