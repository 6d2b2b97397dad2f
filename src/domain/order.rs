//! Orders in our own terms: the unified status set every marketplace status maps to, and the
//! mapping that ships by default (a workspace may change it).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Marketplace, UnknownValue};

/// Where an order is, the same for every marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UnifiedStatus {
    /// Placed; the seller has not accepted it yet.
    New,
    /// Accepted; waiting to be assembled.
    Confirmed,
    /// Assembled; waiting to be handed over.
    Packed,
    /// Its label is printed.
    LabelReceived,
    /// Handed over; on its way.
    Shipped,
    Delivered,
    Cancelled,
    Returned,
    /// Under arbitration or a dispute.
    Disputed,
    /// The marketplace reported a status nobody mapped yet.
    NoStatus,
}

impl UnifiedStatus {
    pub const ALL: [UnifiedStatus; 10] = [
        UnifiedStatus::New,
        UnifiedStatus::Confirmed,
        UnifiedStatus::Packed,
        UnifiedStatus::LabelReceived,
        UnifiedStatus::Shipped,
        UnifiedStatus::Delivered,
        UnifiedStatus::Cancelled,
        UnifiedStatus::Returned,
        UnifiedStatus::Disputed,
        UnifiedStatus::NoStatus,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnifiedStatus::New => "new",
            UnifiedStatus::Confirmed => "confirmed",
            UnifiedStatus::Packed => "packed",
            UnifiedStatus::LabelReceived => "label",
            UnifiedStatus::Shipped => "shipped",
            UnifiedStatus::Delivered => "delivered",
            UnifiedStatus::Cancelled => "cancelled",
            UnifiedStatus::Returned => "returned",
            UnifiedStatus::Disputed => "disputed",
            UnifiedStatus::NoStatus => "none",
        }
    }

    /// Whether the seller still has work on it (the order is open).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            UnifiedStatus::New
                | UnifiedStatus::Confirmed
                | UnifiedStatus::Packed
                | UnifiedStatus::LabelReceived
        )
    }

    /// Whether the items were already taken off the shelf (a cancellation now means putting
    /// them back).
    pub fn is_assembled(self) -> bool {
        matches!(
            self,
            UnifiedStatus::Packed | UnifiedStatus::LabelReceived | UnifiedStatus::Shipped
        )
    }
}

impl FromStr for UnifiedStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnifiedStatus::ALL
            .into_iter()
            .find(|u| u.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

impl fmt::Display for UnifiedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A marketplace status as mappings name it: the status and its substatus (`""` = any).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusKey {
    pub marketplace: Marketplace,
    pub status: String,
    pub substatus: String,
}

impl StatusKey {
    pub fn new(marketplace: Marketplace, status: &str, substatus: &str) -> StatusKey {
        StatusKey {
            marketplace,
            status: status.to_owned(),
            substatus: substatus.to_owned(),
        }
    }

    /// The same status with any substatus.
    pub fn any_substatus(&self) -> StatusKey {
        StatusKey {
            substatus: String::new(),
            ..self.clone()
        }
    }

    /// How the key is shown to a person: `status` or `status / substatus`.
    pub fn label(&self) -> String {
        if self.substatus.is_empty() {
            self.status.clone()
        } else {
            format!("{} / {}", self.status, self.substatus)
        }
    }
}

/// The unified status a marketplace status has by default: `None` for one nobody mapped.
/// WB statuses are `supplierStatus` and `wbStatus`; YM ones status and substatus.
pub fn default_mapping(key: &StatusKey) -> Option<UnifiedStatus> {
    use UnifiedStatus::*;
    let (s, sub) = (key.status.as_str(), key.substatus.as_str());
    Some(match key.marketplace {
        Marketplace::Ozon => match s {
            "awaiting_registration"
            | "acceptance_in_progress"
            | "awaiting_approve"
            | "awaiting_verification" => New,
            "awaiting_packaging" => Confirmed,
            "awaiting_deliver" => Packed,
            "delivering" | "driver_pickup" | "sent_by_seller" => Shipped,
            "delivered" => Delivered,
            "cancelled" | "cancelled_from_split_pending" | "not_accepted" => Cancelled,
            "arbitration" | "client_arbitration" => Disputed,
            _ => return None,
        },
        Marketplace::Wildberries => match (s, sub) {
            // FBO rows of the statistics feed.
            ("ordered", _) => New,
            ("cancelled", _) => Cancelled,
            (_, "sold") => Delivered,
            (_, "canceled" | "canceled_by_client" | "declined_by_client") => Cancelled,
            (_, "defect") => Disputed,
            ("cancel", _) => Cancelled,
            ("new", _) => New,
            ("confirm", _) => Confirmed,
            ("complete", "waiting" | "sorted" | "ready_for_pickup" | "postponed_delivery") => {
                Shipped
            }
            _ => return None,
        },
        Marketplace::YandexMarket => match (s, sub) {
            ("UNPAID" | "PENDING", _) => New,
            ("PROCESSING", "STARTED") => Confirmed,
            ("PROCESSING", "READY_TO_SHIP") => Packed,
            ("PROCESSING", "SHIPPED") => Shipped,
            ("DELIVERY" | "PICKUP", _) => Shipped,
            ("DELIVERED", _) => Delivered,
            ("CANCELLED", _) => Cancelled,
            ("RETURNED" | "PARTIALLY_RETURNED", _) => Returned,
            _ => return None,
        },
    })
}

/// A line of a stored order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// The marketplace's product (Ozon SKU, WB size, YM offer).
    pub product: String,
    pub vendor_code: String,
    pub name: String,
    pub quantity: i64,
    /// Price of one unit.
    pub price: super::Money,
    /// The item's barcode, when the marketplace or the catalogue told it.
    pub barcode: Option<String>,
}

/// An order as we keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: super::OrderId,
    pub workspace: super::WorkspaceId,
    pub cabinet: super::CabinetId,
    pub cabinet_name: String,
    pub marketplace: Marketplace,
    pub scheme: super::Scheme,
    /// Ozon posting number, WB order id, YM order id.
    pub external_id: String,
    /// What the seller calls it.
    pub number: String,
    pub shop: Option<String>,
    /// A second id the marketplace knows the order by (WB rid).
    pub alt_id: Option<String>,
    pub status: String,
    pub substatus: String,
    pub unified: UnifiedStatus,
    pub total: super::Money,
    pub created_at: i64,
    pub ship_by: Option<i64>,
    /// The marketplace warehouse it ships from.
    pub warehouse_id: Option<String>,
    pub cancel_reason: Option<String>,
    /// Bumped on every change.
    pub version: i64,
    pub items: Vec<OrderLine>,
}

/// The generic client FBO orders of a marketplace belong to (the marketplace itself).
pub fn fbo_client_name(m: Marketplace) -> &'static str {
    match m {
        Marketplace::Ozon => "ООО «Интернет Решения»",
        Marketplace::Wildberries => "ООО «Вайлдберриз»",
        Marketplace::YandexMarket => "ООО «Яндекс Маркет»",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_statuses_round_trip() {
        for u in UnifiedStatus::ALL {
            assert_eq!(u.code().parse::<UnifiedStatus>(), Ok(u));
        }
    }

    #[test]
    fn every_marketplace_status_the_sandboxes_use_maps_by_default() {
        let cases = [
            (
                Marketplace::Ozon,
                "awaiting_packaging",
                "",
                UnifiedStatus::Confirmed,
            ),
            (
                Marketplace::Ozon,
                "awaiting_deliver",
                "",
                UnifiedStatus::Packed,
            ),
            (
                Marketplace::Ozon,
                "delivering",
                "posting_in_carriage",
                UnifiedStatus::Shipped,
            ),
            (
                Marketplace::Ozon,
                "cancelled",
                "posting_canceled",
                UnifiedStatus::Cancelled,
            ),
            (
                Marketplace::Wildberries,
                "new",
                "waiting",
                UnifiedStatus::New,
            ),
            (
                Marketplace::Wildberries,
                "confirm",
                "waiting",
                UnifiedStatus::Confirmed,
            ),
            (
                Marketplace::Wildberries,
                "complete",
                "sorted",
                UnifiedStatus::Shipped,
            ),
            (
                Marketplace::Wildberries,
                "complete",
                "sold",
                UnifiedStatus::Delivered,
            ),
            (
                Marketplace::Wildberries,
                "new",
                "canceled_by_client",
                UnifiedStatus::Cancelled,
            ),
            (
                Marketplace::Wildberries,
                "cancel",
                "canceled",
                UnifiedStatus::Cancelled,
            ),
            (Marketplace::Wildberries, "ordered", "", UnifiedStatus::New),
            (
                Marketplace::YandexMarket,
                "PROCESSING",
                "STARTED",
                UnifiedStatus::Confirmed,
            ),
            (
                Marketplace::YandexMarket,
                "PROCESSING",
                "READY_TO_SHIP",
                UnifiedStatus::Packed,
            ),
            (
                Marketplace::YandexMarket,
                "DELIVERY",
                "DELIVERY_SERVICE_RECEIVED",
                UnifiedStatus::Shipped,
            ),
            (
                Marketplace::YandexMarket,
                "DELIVERED",
                "DELIVERY_SERVICE_DELIVERED",
                UnifiedStatus::Delivered,
            ),
            (
                Marketplace::YandexMarket,
                "CANCELLED",
                "SHOP_FAILED",
                UnifiedStatus::Cancelled,
            ),
        ];
        for (m, s, sub, want) in cases {
            assert_eq!(
                default_mapping(&StatusKey::new(m, s, sub)),
                Some(want),
                "{s}/{sub}"
            );
        }
        assert_eq!(
            default_mapping(&StatusKey::new(Marketplace::Ozon, "teleported", "")),
            None
        );
    }
}

/// Why a rule cancels an order, in our words; each marketplace's client names it in its
/// own (Ozon's reason ids, Market's substatus; Wildberries asks for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CancelWhy {
    /// The goods ran out on the seller's shelf.
    OutOfStock,
    /// Another reason of the seller's, told in the rule's note.
    Other,
}

impl CancelWhy {
    pub const ALL: [CancelWhy; 2] = [CancelWhy::OutOfStock, CancelWhy::Other];

    pub const fn code(self) -> &'static str {
        match self {
            CancelWhy::OutOfStock => "out-of-stock",
            CancelWhy::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<CancelWhy> {
        CancelWhy::ALL.into_iter().find(|w| w.code() == code)
    }
}

/// What the seller does to an order from its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Accept it (WB: into the open supply; YM: start processing).
    Confirm,
    /// Packed (Ozon: ship the posting; YM: ready to ship).
    Assemble,
    /// Handed over (YM: shipped).
    Ship,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::Confirm,
        Action::Assemble,
        Action::Ship,
        Action::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Assemble => "assemble",
            Action::Ship => "ship",
            Action::Cancel => "cancel",
        }
    }

    /// The permission an action needs: confirming and cancelling are the seller's;
    /// assembling and shipping are the warehouse's too.
    pub fn permission(self) -> super::Permission {
        match self {
            Action::Confirm | Action::Cancel => super::Permission::ManageOrders,
            Action::Assemble | Action::Ship => super::Permission::AssembleOrders,
        }
    }

    /// Whether the marketplace knows the action for an order in this unified status.
    pub fn applies(self, m: Marketplace, scheme: super::Scheme, u: UnifiedStatus) -> bool {
        if scheme == super::Scheme::Fbo {
            return false; // the marketplace handles its own warehouse's orders
        }
        use UnifiedStatus::*;
        match (self, m) {
            (Action::Confirm, Marketplace::Wildberries | Marketplace::YandexMarket) => u == New,
            (Action::Confirm, Marketplace::Ozon) => false,
            (Action::Assemble, Marketplace::Ozon | Marketplace::YandexMarket) => u == Confirmed,
            // WB assembly is physical: we mark it packed; WB moves on when its supply goes.
            (Action::Assemble, Marketplace::Wildberries) => u == Confirmed,
            (Action::Ship, Marketplace::YandexMarket) => matches!(u, Packed | LabelReceived),
            // Ozon hands postings over by acts; WB ships whole supplies.
            (Action::Ship, Marketplace::Ozon | Marketplace::Wildberries) => false,
            (Action::Cancel, _) => matches!(u, New | Confirmed | Packed | LabelReceived),
        }
    }

    /// The unified status an order has once the action is done.
    pub fn result(self) -> UnifiedStatus {
        match self {
            Action::Confirm => UnifiedStatus::Confirmed,
            Action::Assemble => UnifiedStatus::Packed,
            Action::Ship => UnifiedStatus::Shipped,
            Action::Cancel => UnifiedStatus::Cancelled,
        }
    }

    /// The status the marketplace reports once the action is done: (status, substatus).
    pub fn expected_status(self, m: Marketplace) -> (&'static str, &'static str) {
        match (self, m) {
            (Action::Confirm | Action::Assemble, Marketplace::Wildberries) => {
                ("confirm", "waiting")
            }
            (Action::Confirm, _) => ("PROCESSING", "STARTED"),
            (Action::Assemble, Marketplace::Ozon) => ("awaiting_deliver", ""),
            (Action::Assemble, _) => ("PROCESSING", "READY_TO_SHIP"),
            (Action::Ship, _) => ("PROCESSING", "SHIPPED"),
            (Action::Cancel, Marketplace::Ozon) => ("cancelled", "posting_canceled"),
            (Action::Cancel, Marketplace::Wildberries) => ("cancel", "canceled"),
            (Action::Cancel, Marketplace::YandexMarket) => ("CANCELLED", "SHOP_FAILED"),
        }
    }
}

impl FromStr for Action {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// How long is left to ship an order, in whole minutes; negative when overdue.
pub fn minutes_left(ship_by: i64, now: i64) -> i64 {
    (ship_by - now).div_euclid(60)
}

/// The periods the order list is filtered by, as local days of the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Today,
    Yesterday,
    Week,
    Month,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Today,
        Period::Yesterday,
        Period::Week,
        Period::Month,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Period::Today => "d",
            Period::Yesterday => "y",
            Period::Week => "w",
            Period::Month => "m",
        }
    }

    /// [from, to) in unix seconds, for `now` in `zone`.
    pub fn range(self, zone: super::Zone, now: i64) -> (i64, i64) {
        let today = zone
            .local_day(now)
            .and_then(|d| zone.day_start(d))
            .unwrap_or(now - now.rem_euclid(86_400));
        let day = |n: i64| {
            zone.local_day(today - n * 86_400 + 43_200)
                .and_then(|d| zone.day_start(d))
                .unwrap_or(today - n * 86_400)
        };
        match self {
            Period::Today => (today, i64::MAX),
            Period::Yesterday => (day(1), today),
            Period::Week => (day(6), i64::MAX),
            Period::Month => (day(29), i64::MAX),
        }
    }
}

impl FromStr for Period {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::ALL
            .into_iter()
            .find(|p| p.code() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

#[cfg(test)]
mod action_tests {
    use super::*;
    use crate::domain::{Permission, Scheme, Zone};

    #[test]
    fn actions_follow_the_status_the_marketplace_and_the_role() {
        use Marketplace::*;
        use UnifiedStatus::*;
        assert!(Action::Confirm.applies(Wildberries, Scheme::Fbs, New));
        assert!(!Action::Confirm.applies(Ozon, Scheme::Fbs, New));
        assert!(Action::Assemble.applies(Ozon, Scheme::Fbs, Confirmed));
        assert!(!Action::Assemble.applies(Ozon, Scheme::Fbs, Packed));
        assert!(Action::Ship.applies(YandexMarket, Scheme::Fbs, Packed));
        assert!(Action::Cancel.applies(Ozon, Scheme::Fbs, Packed));
        assert!(!Action::Cancel.applies(Ozon, Scheme::Fbs, Shipped));
        assert!(
            !Action::Cancel.applies(Ozon, Scheme::Fbo, New),
            "FBO is the marketplace's"
        );
        assert_eq!(Action::Assemble.permission(), Permission::AssembleOrders);
        assert_eq!(Action::Cancel.permission(), Permission::ManageOrders);
        for a in Action::ALL {
            assert_eq!(a.code().parse::<Action>(), Ok(a));
        }
    }

    #[test]
    fn periods_are_local_days() {
        let moscow = Zone::default();
        // 2026-11-23 09:00 UTC = 12:00 in Moscow; the day began at 21:00 UTC the day before.
        let now = 1_795_424_400;
        let (from, to) = Period::Today.range(moscow, now);
        assert_eq!((from, to), (now - 12 * 3600, i64::MAX));
        assert_eq!(Period::Yesterday.range(moscow, now), (from - 86_400, from));
        assert_eq!(Period::Week.range(moscow, now).0, from - 6 * 86_400);
        assert_eq!(minutes_left(now + 3 * 3600 + 20 * 60, now), 200);
        assert_eq!(minutes_left(now - 40 * 60, now), -40);
    }
}

/// One page of a list, with the count of all it matches, what they sold for (cancelled
/// and returned orders count, their money does not) and what the cancelled and returned
/// ones would have brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    pub count: i64,
    pub sum: super::Money,
    pub lost: super::Money,
}

/// One entry of an order's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: i64,
    pub status: String,
    pub substatus: String,
    pub unified: UnifiedStatus,
    pub source: String,
    pub actor: Option<super::TgUserId>,
}
