//! Slash commands: the caller's role checked once, then each command routed to its feature
//! by an exhaustive match. Commands are matched before any dialogue step, so `/cancel` and
//! `/help` work everywhere.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::Me;

use super::context::Ctx;
use super::error::{BotResult, HandlerResult};
use super::out::{Out, guarded};
use super::state::{BotDialogue, State};
use super::{
    api, audit, cabinets, catalogue, groups, labels, my_alerts, orders, settings, start, statuses,
    stocks, supplies, team, uploads,
};
use crate::app::Services;
use crate::domain::{Command, ParsedCommand, Permission};
use crate::i18n::msg;

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn on_command(
    bot: Bot,
    svc: Arc<Services>,
    ctx: Ctx,
    message: Message,
    dialogue: BotDialogue,
    cmd: ParsedCommand,
    me: Me,
) -> HandlerResult {
    let out = Out::new(bot, svc, message.chat.id, ctx.lang);
    guarded(&out, run(&out, &ctx, &dialogue, &cmd, &me, &message)).await
}

/// Runs a command that shows money in the caller's private chat instead of the group.
async fn answer_in_private(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    cmd: &ParsedCommand,
    me: &Me,
    message: &Message,
) -> BotResult {
    let private = out.to_chat(ChatId(ctx.user_id.0), ctx.lang);
    let group = message.chat.title().unwrap_or_default().to_owned();
    let head = private
        .say(msg("money-in-private-head").arg("group", group))
        .await;
    if !matches!(head, Ok(Some(_))) {
        out.say(
            msg("money-in-private-start")
                .arg("name", ctx.first_name.clone())
                .arg("bot", me.username().to_owned()),
        )
        .await?;
        return Ok(());
    }
    let mut own = ctx.clone();
    own.chat = crate::domain::TgChatId(ctx.user_id.0);
    own.private = true;
    // In the private chat the caller acts in their current company, as there; the group's
    // company is theirs too (they are its member), so nothing is shown they may not see.
    let result = Box::pin(run(&private, &own, dialogue, cmd, me, message)).await;
    if let Err(e) = result {
        private.fail(e).await;
    }
    out.say(msg("money-in-private-note").arg("name", ctx.first_name.clone()))
        .await?;
    Ok(())
}

async fn run(
    out: &Out,
    ctx: &Ctx,
    dialogue: &BotDialogue,
    cmd: &ParsedCommand,
    me: &Me,
    message: &Message,
) -> BotResult {
    // Someone outside the company that linked this group is answered once in a while,
    // not once per message: their commands would spend the group's Telegram budget.
    if ctx.hushed(&out.svc) {
        return Ok(());
    }
    let Some(command) = cmd.command() else {
        let name = format!("/{}", shorten(&cmd.name, 32));
        out.say(msg("unknown-command").arg("command", name)).await?;
        return Ok(());
    };
    if command == Command::Subscribe {
        // In a group nobody linked yet, an owner or admin links it by subscribing.
        return groups::subscribe(out, ctx, message).await;
    }
    let role = ctx.member.as_ref().map(|m| m.role);
    let allowed = match role {
        Some(r) => r.can(command.permission()),
        None => command.permission() == Permission::UseBot,
    };
    if !allowed {
        let m = match (role, ctx.private) {
            (Some(_), _) => msg("no-permission"),
            (None, true) => msg("need-start"),
            (None, false) => msg("group-not-member"),
        };
        out.say(m).await?;
        return Ok(());
    }
    let private_only = matches!(
        command,
        Command::Settings
            | Command::Statuses
            | Command::Alerts
            | Command::Invite
            | Command::Cabinets
            | Command::Groups
            | Command::Api
            | Command::Audit
            | Command::Rules
            | Command::Queue
    );
    if private_only && !ctx.private {
        out.say(msg("private-only").arg("bot", me.username().to_owned()))
            .await?;
        return Ok(());
    }
    // A group may hold people outside the company: what shows sums or prices is answered
    // in the caller's private chat, and the group hears only that it was.
    let shows_money = match command {
        Command::Price | Command::Prices | Command::Finance => true,
        Command::Orders | Command::Order => ctx
            .member
            .as_ref()
            .is_some_and(|m| m.role.can(Permission::ViewFinance)),
        _ => false,
    };
    if shows_money && !ctx.private {
        return answer_in_private(out, ctx, dialogue, cmd, me, message).await;
    }
    // A price being typed is left by any other command: what is typed next answers that
    // command, never the price asked before it.
    if command != Command::Cancel && matches!(dialogue.get().await?, Some(State::PriceInput { .. }))
    {
        dialogue.exit().await?;
    }
    let actor = ctx.actor();
    match (command, actor) {
        (Command::Start, _) => start::start(out, ctx, dialogue, &cmd.args).await,
        (Command::Help, _) => start::help(out, ctx, me).await,
        (Command::Lang, _) => start::lang(out).await,
        (Command::Cancel, actor) => {
            // A preview with Apply on screen is closed too: nothing of it is applied.
            let closed = match actor {
                Some(a) => uploads::cancel_previews(out, a).await?,
                None => false,
            };
            start::cancel(out, dialogue, closed).await
        }
        (Command::Subscribe, _) => groups::subscribe(out, ctx, message).await,
        // Every other command needs a member, which the permission check ensured.
        (_, None) => Ok(()),
        (Command::Orders, Some(a)) => orders::show(out, a, Default::default(), None).await,
        (Command::Order, Some(a)) => orders::open_by_number(out, a, &cmd.args).await,
        (Command::Labels, Some(a)) => labels::command(out, a, &cmd.args).await,
        (Command::Supplies, Some(a)) => supplies::show(out, a, None).await,
        (Command::Stock, Some(a)) => stocks::command(out, a, dialogue, &cmd.args).await,
        (Command::LowStock, Some(a)) => stocks::low(out, a, None).await,
        (Command::Count, Some(a)) => stocks::count(out, a, dialogue).await,
        (Command::Chart, Some(a)) => stocks::chart_command(out, a, &cmd.args).await,
        (Command::Reconcile, Some(a)) => stocks::reconcile(out, a).await,
        (Command::Warehouses, Some(a)) => stocks::warehouses::overview(out, a, None).await,
        (Command::Price, Some(a)) => super::prices::command(out, a, &cmd.args).await,
        (Command::Prices, Some(a)) => super::prices::list(out, a).await,
        (Command::Catalogue, Some(a)) => catalogue::show(out, a, None).await,
        (Command::Sync, Some(a)) => catalogue::sync(out, a, catalogue::sync_what(&cmd.args)).await,
        (Command::Settings, Some(a)) => settings::show(out, a, None).await,
        (Command::Alerts, Some(a)) => my_alerts::show(out, a).await,
        (Command::Statuses, Some(a)) => statuses::show(out, a, 0, None).await,
        (Command::Team, Some(a)) => team::show(out, ctx, a, None).await,
        (Command::Invite, Some(a)) => team::invite(out, a).await,
        (Command::Cabinets, Some(a)) => cabinets::show_list(out, a, None).await,
        (Command::Groups, Some(a)) => groups::list(out, a).await,
        (Command::Api, Some(a)) => api::show(out, a, &cmd.args).await,
        (Command::Audit, Some(a)) => audit::show(out, a).await,
        (Command::Rules, Some(a)) => super::rules::show(out, a, None).await,
        (Command::Queue, Some(a)) => super::queue::show(out, a, None).await,
        (Command::Quiet, Some(_)) => super::quiet::show(out, ctx, None).await,
        (Command::Finance, Some(a)) => match super::finance::view_of(&cmd.args) {
            Some(view) => super::finance::show(out, a, view, None).await,
            None => {
                let words: String = cmd.args.trim().chars().take(40).collect();
                out.say(msg("finance-period-unknown").arg("words", words))
                    .await?;
                Ok(())
            }
        },
    }
}
