//! The use cases, grouped by feature: `svc.prices().preview_price(…)` names the room a
//! call lives in. A room borrows the services and sees everything they hold, so a use case
//! reaches the database, the clock and the other rooms as before.

use std::ops::Deref;

use super::Services;

macro_rules! rooms {
    ($($(#[$doc:meta])* $accessor:ident => $Room:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy)]
            pub struct $Room<'a>(&'a Services);

            impl Deref for $Room<'_> {
                type Target = Services;

                fn deref(&self) -> &Services {
                    self.0
                }
            }
        )*

        impl Services {
            $(
                $(#[$doc])*
                pub fn $accessor(&self) -> $Room<'_> {
                    $Room(self)
                }
            )*
        }
    };
}

rooms! {
    /// Alerts: the outbox's deliveries, what each alert shows, who follows what (F7).
    alerts => Alerts,
    /// The marketplace request overrides an owner may set (`/api`).
    api => Api,
    /// The workspace's audit log.
    audit => Audit,
    /// Cabinets: connecting, checking keys, renaming, switching off (F1).
    cabinets => Cabinets,
    /// The catalogue: SKUs, products and their links (F2).
    catalogue => Catalogue,
    /// E-mail addresses for alerts and rules (F7).
    emails => Emails,
    /// Group chats: binding, what each hears, whether money is shown.
    groups => Groups,
    /// The background jobs the scheduler runs.
    jobs => Jobs,
    /// Labels, pick lists and packing lists (F4).
    labels => Labels,
    /// Orders: imports, cards, actions and who is packing what (F3).
    orders => Orders,
    /// Finance: what each order earns, its payout and profit, and a period's sums (F10).
    finance => Finance,
    /// Prices: cards, changes, price lists and pushes (F6).
    prices => Prices,
    /// Automation rules and their queue (F8).
    rules => Rules,
    /// Who is calling and in which workspace.
    session => Session,
    /// Workspace settings.
    settings => Settings,
    /// Marketplace statuses and how they map to ours.
    statuses => Statuses,
    /// Stocks: levels, warehouses, formulas, pushes, charts and reconciliation (F5).
    stocks => Stocks,
    /// WB supplies (F4).
    supplies => Supplies,
    /// Members, roles and invites.
    team => Team,
    /// Files read and applied after a preview (F2, F5, F6).
    uploads => Uploads,
}
