//! Command menus (setMyCommands): a default menu per language for people who have not
//! started yet, and a per-chat menu matching each member's role and language.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use crate::domain::{Command, Lang, Role};
use crate::i18n::{I18n, Msg, msg};

use super::out::with_retry;

/// The Fluent id describing a command in menus and /help.
pub fn description(c: Command) -> Msg {
    msg(match c {
        Command::Start => "command-start",
        Command::Help => "command-help",
        Command::Lang => "command-lang",
        Command::Cancel => "command-cancel",
        Command::Orders => "command-orders",
        Command::Order => "command-order",
        Command::Labels => "command-labels",
        Command::Supplies => "command-supplies",
        Command::Stock => "command-stock",
        Command::LowStock => "command-lowstock",
        Command::Count => "command-count",
        Command::Chart => "command-chart",
        Command::Reconcile => "command-reconcile",
        Command::Warehouses => "command-warehouses",
        Command::Price => "command-price",
        Command::Prices => "command-prices",
        Command::Catalogue => "command-catalogue",
        Command::Sync => "command-sync",
        Command::Cabinets => "command-cabinets",
        Command::Team => "command-team",
        Command::Invite => "command-invite",
        Command::Groups => "command-groups",
        Command::Subscribe => "command-subscribe",
        Command::Alerts => "command-alerts",
        Command::Settings => "command-settings",
        Command::Statuses => "command-statuses",
        Command::Api => "command-api",
        Command::Audit => "command-audit",
        Command::Rules => "command-rules",
        Command::Queue => "command-queue",
        Command::Quiet => "command-quiet",
        Command::Finance => "command-finance",
    })
}

/// A private chat's menu: the role's commands except those used in groups only.
fn commands(i18n: &I18n, lang: Lang, role: Option<Role>) -> Vec<BotCommand> {
    Command::for_role(role)
        .into_iter()
        .filter(|c| *c != Command::Subscribe)
        .map(|c| BotCommand::new(c.name(), i18n.render(lang, &description(c))))
        .collect()
}

/// What works in a group chat: the group menu and its /help.
pub const GROUP_COMMANDS: [Command; 2] = [Command::Help, Command::Subscribe];

/// The menu in group chats: what is done there.
fn group_commands(i18n: &I18n, lang: Lang) -> Vec<BotCommand> {
    GROUP_COMMANDS
        .into_iter()
        .map(|c| BotCommand::new(c.name(), i18n.render(lang, &description(c))))
        .collect()
}

/// Sets the default menus: Russian for everyone, English for English-speaking clients.
pub async fn set_defaults(bot: &Bot, i18n: &I18n) -> Result<(), teloxide::RequestError> {
    let ru = commands(i18n, Lang::Ru, None);
    with_retry(|| bot.set_my_commands(ru.clone()).into_future()).await?;
    let en = commands(i18n, Lang::En, None);
    with_retry(|| {
        bot.set_my_commands(en.clone())
            .language_code("en")
            .into_future()
    })
    .await?;
    for lang in Lang::ALL {
        let list = group_commands(i18n, lang);
        with_retry(|| {
            let req = bot
                .set_my_commands(list.clone())
                .scope(BotCommandScope::AllGroupChats);
            match lang {
                Lang::Ru => req.into_future(),
                other => req.language_code(other.code()).into_future(),
            }
        })
        .await?;
    }
    Ok(())
}

/// Sets the menu of one private chat for the member's role and language.
pub async fn set_for_chat(bot: &Bot, i18n: &I18n, chat: ChatId, lang: Lang, role: Option<Role>) {
    let list = commands(i18n, lang, role);
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(chat),
    };
    let result = with_retry(|| {
        bot.set_my_commands(list.clone())
            .scope(scope.clone())
            .into_future()
    })
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, chat = chat.0, "could not set the command menu");
    }
}
