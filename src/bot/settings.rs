//! `/settings` (F14): the company's name (a dialogue), time zone, default language, and how
//! its orders are watched (import interval, annulment window, deadline warning).

use crate::bot::context::answering;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::codec;
use super::context::Ctx;
use super::error::{BotResult, HandlerError, HandlerResult, Notice, Press};
use super::keyboards::{self, button, plain};
use super::names;
use super::out::Out;
use super::state::{BotDialogue, SettingsStep, State};
use crate::app::{Actor, Services};
use crate::domain::time::OFFERED;
use crate::domain::workspace::SettingSection;
use crate::domain::{Lang, Permission, WatchSetting, WorkspaceName, WorkspaceNameError, Zone};
use crate::i18n::msg;

/// The buttons of `/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Rename,
    TimeZoneMenu,
    /// A zone of the offered list, by name (an index would name another zone once the list
    /// changes).
    SetTimeZone(&'static str),
    DefaultLangMenu,
    SetDefaultLang(Lang),
    /// The offered values of an order setting.
    OrderMenu(WatchSetting),
    SetOrder(WatchSetting, i64),
    /// Back from a menu to the overview.
    Back,
}

impl Cb {
    pub fn data(self) -> String {
        codec::data(match self {
            Cb::Rename => "s:rn".to_owned(),
            Cb::TimeZoneMenu => "s:tz".to_owned(),
            Cb::SetTimeZone(zone) => format!("s:tz:{zone}"),
            Cb::DefaultLangMenu => "s:dl".to_owned(),
            Cb::SetDefaultLang(l) => format!("s:dl:{}", l.code()),
            Cb::OrderMenu(s) => format!("s:o:{}", s.code()),
            Cb::SetOrder(s, v) => format!("s:o:{}:{v}", s.code()),
            Cb::Back => keyboards::SETTINGS_BACK.to_owned(),
        })
    }

    pub fn parse(parts: &[&str]) -> Option<Cb> {
        match parts {
            ["s", "rn"] => Some(Cb::Rename),
            ["s", "bk"] => Some(Cb::Back),
            ["s", "tz"] => Some(Cb::TimeZoneMenu),
            ["s", "tz", zone] => OFFERED
                .iter()
                .find(|z| *z == zone)
                .map(|z| Cb::SetTimeZone(z)),
            ["s", "dl"] => Some(Cb::DefaultLangMenu),
            ["s", "dl", l] => l.parse().ok().map(Cb::SetDefaultLang),
            ["s", "o", s] => s.parse().ok().map(Cb::OrderMenu),
            ["s", "o", s, v] => {
                let setting: WatchSetting = s.parse().ok()?;
                let value: i64 = v.parse().ok()?;
                setting
                    .choices()
                    .contains(&value)
                    .then_some(Cb::SetOrder(setting, value))
            }
            _ => None,
        }
    }
}

/// `/settings`: the overview with its actions (edits `edit` in place after a change).
pub async fn show(out: &Out, actor: Actor, edit: Option<MessageId>) -> BotResult {
    let ws = out.svc.settings().workspace(actor).await?;
    let mut text = out.t(&msg("settings-overview")
        .arg("workspace", ws.name)
        .arg("timezone", ws.time_zone)
        .arg("language", names::lang(out, ws.default_lang)));
    text.push('\n');
    text.push_str(
        &out.t(&msg("settings-orders")
            .arg(
                "poll",
                names::setting_value(out, WatchSetting::Poll, ws.watch.poll_secs),
            )
            .arg(
                "annul",
                names::setting_value(out, WatchSetting::Annul, ws.watch.annul_hours),
            )
            .arg(
                "deadline",
                names::setting_value(out, WatchSetting::Deadline, ws.watch.deadline_hours),
            )),
    );
    text.push('\n');
    text.push_str(
        &out.t(&if ws.watch.low_stock > 0 {
            msg("settings-stocks").arg(
                "low",
                names::setting_value(out, WatchSetting::LowStock, ws.watch.low_stock),
            )
        } else {
            msg("settings-stocks-no-low")
        }
        .arg(
            "every",
            names::setting_value(out, WatchSetting::Stocks, ws.watch.stocks_secs),
        )),
    );
    text.push('\n');
    text.push_str(
        &out.t(&msg("settings-finance")
            .arg(
                "every",
                names::setting_value(out, WatchSetting::Finance, ws.watch.finance_secs),
            )
            .arg(
                "days",
                names::setting_value(out, WatchSetting::Payout, ws.watch.payout_days),
            )),
    );
    let mut rows = vec![
        vec![button(
            out,
            msg("settings-rename-button"),
            Cb::Rename.data(),
        )],
        vec![
            button(
                out,
                msg("settings-timezone-button"),
                Cb::TimeZoneMenu.data(),
            ),
            button(
                out,
                msg("settings-language-button"),
                Cb::DefaultLangMenu.data(),
            ),
        ],
        row(out, SettingSection::Orders),
        row(out, SettingSection::Stocks),
        row(out, SettingSection::Finance),
    ];
    // E-mail only where the deployment names an SMTP server.
    if out.svc.emails().available() {
        rows.push(vec![button(
            out,
            msg("emails-button"),
            super::emails::Cb::List.data(),
        )]);
    }
    let kb = InlineKeyboardMarkup::new(rows);
    out.show(edit, text, Some(kb)).await?;
    Ok(())
}

/// The buttons of one part of the settings.
fn row(out: &Out, section: SettingSection) -> Vec<teloxide::types::InlineKeyboardButton> {
    WatchSetting::ALL
        .into_iter()
        .filter(|s| s.section() == section)
        .map(|s| button(out, names::setting_name(s), Cb::OrderMenu(s).data()))
        .collect()
}

/// The buttons of `/settings`, re-checked against the caller's role.
pub async fn on_press(
    out: &Out,
    ctx: &Ctx,
    message: MessageId,
    dialogue: &BotDialogue,
    cb: Cb,
) -> Press {
    let actor = ctx.acting(Permission::ManageSettings)?;
    match cb {
        Cb::Rename => {
            if !ctx.private {
                return Ok(Notice::Alert(msg("button-stale")));
            }
            out.drop_buttons(message).await;
            dialogue
                .update(State::Settings(SettingsStep::AwaitWorkspaceName {
                    workspace: actor.workspace.0,
                }))
                .await?;
            let ask = msg("settings-ask-name").arg("max", WorkspaceName::MAX_CHARS);
            out.send_text(out.t(&ask), Some(keyboards::cancel(out)))
                .await?;
            Ok(Notice::None)
        }
        Cb::TimeZoneMenu => {
            let now = out.svc.clock.unix();
            let zones = OFFERED.iter().map(|z| {
                let offset = Zone::or_default(z).offset_label(now);
                plain(format!("{z} ({offset})"), Cb::SetTimeZone(z).data())
            });
            let text = out.t(&msg("settings-choose-timezone"));
            let mut rows: Vec<_> = zones.map(|b| vec![b]).collect();
            rows.push(vec![back(out)]);
            out.edit(message, text, Some(InlineKeyboardMarkup::new(rows)))
                .await?;
            Ok(Notice::None)
        }
        Cb::SetTimeZone(zone) => {
            out.svc.settings().set_time_zone(actor, zone).await?;
            show(out, actor, Some(message)).await?;
            Ok(Notice::Toast(
                msg("settings-timezone-set").arg("timezone", zone),
            ))
        }
        Cb::DefaultLangMenu => {
            let row: Vec<_> = Lang::ALL
                .into_iter()
                .map(|l| plain(names::lang(out, l), Cb::SetDefaultLang(l).data()))
                .collect();
            let text = out.t(&msg("settings-choose-language"));
            out.edit(
                message,
                text,
                Some(InlineKeyboardMarkup::new(vec![row, vec![back(out)]])),
            )
            .await?;
            Ok(Notice::None)
        }
        Cb::OrderMenu(s) => {
            let current = out.svc.settings().workspace(actor).await?.watch.get(s);
            let row: Vec<_> = s
                .choices()
                .iter()
                .map(|v| {
                    let label = names::setting_value(out, s, *v);
                    let label = if *v == current {
                        format!("✓ {label}")
                    } else {
                        label
                    };
                    plain(label, Cb::SetOrder(s, *v).data())
                })
                .collect();
            let id = match s {
                WatchSetting::Poll => "settings-choose-poll",
                WatchSetting::Annul => "settings-choose-annul",
                WatchSetting::Deadline => "settings-choose-deadline",
                WatchSetting::Stocks => "settings-choose-stocks",
                WatchSetting::LowStock => "settings-choose-low",
                WatchSetting::Finance => "settings-choose-finance",
                WatchSetting::Payout => "settings-choose-payout",
            };
            let text = out.t(&msg(id));
            let mut rows: Vec<Vec<_>> = row.chunks(4).map(<[_]>::to_vec).collect();
            rows.push(vec![back(out)]);
            out.edit(message, text, Some(InlineKeyboardMarkup::new(rows)))
                .await?;
            Ok(Notice::None)
        }
        Cb::Back => {
            show(out, actor, Some(message)).await?;
            Ok(Notice::None)
        }
        Cb::SetOrder(s, v) => {
            out.svc.settings().set_watch_setting(actor, s, v).await?;
            show(out, actor, Some(message)).await?;
            Ok(Notice::Toast(
                msg("settings-order-set").arg("value", names::setting_value(out, s, v)),
            ))
        }
        Cb::SetDefaultLang(l) => {
            out.svc.settings().set_default_lang(actor, l).await?;
            show(out, actor, Some(message)).await?;
            Ok(Notice::Toast(
                msg("settings-language-set").arg("language", names::lang(out, l)),
            ))
        }
    }
}

/// The Back button of a settings menu.
fn back(out: &Out) -> teloxide::types::InlineKeyboardButton {
    button(out, msg("button-back"), Cb::Back.data())
}

/// Why a typed name (a company's, a warehouse's) was refused.
pub fn name_refusal(e: WorkspaceNameError) -> crate::i18n::Msg {
    match e {
        WorkspaceNameError::Empty => msg("settings-name-empty"),
        WorkspaceNameError::TooLong => {
            msg("settings-name-too-long").arg("max", WorkspaceName::MAX_CHARS)
        }
        WorkspaceNameError::MultiLine => msg("settings-name-one-line"),
    }
}

/// The settings dialogue's branch of the handler tree.
pub fn messages() -> UpdateHandler<HandlerError> {
    dptree::case![State::Settings(step)].endpoint(name_message)
}

/// A message while the new company name is awaited.
async fn name_message(
    bot: Bot,
    svc: std::sync::Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    step: SettingsStep,
) -> HandlerResult {
    let SettingsStep::AwaitWorkspaceName { workspace } = step;
    answering(
        bot,
        svc,
        &ctx,
        &message,
        &dialogue,
        workspace,
        Permission::ManageSettings,
        async |out, actor| {
            let Some(text) = message.text() else {
                out.say(msg("settings-name-need-text")).await?;
                return Ok(());
            };
            let name = match WorkspaceName::parse(text) {
                Ok(n) => n,
                Err(e) => {
                    out.send_text(out.t(&name_refusal(e)), Some(keyboards::cancel(out)))
                        .await?;
                    return Ok(());
                }
            };
            out.svc.settings().rename_workspace(actor, &name).await?;
            dialogue.exit().await?;
            out.say(msg("settings-renamed").arg("workspace", name.as_str().to_owned()))
                .await?;
            Ok(())
        },
    )
    .await
}
