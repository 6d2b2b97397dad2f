//! The Market's order statistics (`stats/orders`) as finance: each order's commissions
//! are billed when it is created (the expected figures, with the sale from the items'
//! prices), its payments come once it is settled (then the payments and commissions are
//! the order's settled lines).

use std::collections::BTreeMap;

use super::{Error, MAX_PAGES, Result, YmClient, ep, ids, wire};
use crate::domain::Money;
use crate::domain::finance::Kind;
use crate::marketplaces::Accrual;

/// What a Market commission type is to a seller (`stats/orders` `commissions[].type`).
fn commission_kind(kind: &str) -> Kind {
    match kind {
        "FEE" | "AGENCY" | "PAYMENT_TRANSFER" => Kind::Commission,
        "DELIVERY_TO_CUSTOMER"
        | "SORTING"
        | "CROSSREGIONAL_DELIVERY"
        | "EXPRESS_DELIVERY_TO_CUSTOMER"
        | "RETURNED_ORDERS_STORAGE"
        | "INTAKE_SORTING"
        | "RETURN_PROCESSING" => Kind::Logistics,
        _ => Kind::Other,
    }
}

fn day(s: &str) -> Option<String> {
    Some(s.chars().take(10).collect::<String>()).filter(|d| !d.is_empty())
}

/// An order's commissions as lines (charged: negative), keyed under `part` (the settled
/// and the expected lines of one order are kept side by side, so their keys differ).
fn commissions(o: &wire::StatsOrder, part: &str, date: &Option<String>) -> Vec<Accrual> {
    o.commissions
        .iter()
        .enumerate()
        .map(|(i, c)| Accrual {
            order_id: o.id.to_string(),
            rid: None,
            key: format!("{}:{part}c{i}", o.id),
            class: commission_kind(&c.kind),
            kind: c.kind.clone(),
            amount: Money(-Money::from_wire_f64(c.actual).unwrap_or_default().0),
            date: date.clone(),
        })
        .collect()
}

impl YmClient {
    /// The statistics of these orders, found in their campaigns.
    async fn stats(&self, order_ids: &[String]) -> Result<Vec<wire::StatsOrder>> {
        let wanted = ids(order_ids)?;
        let mut by_campaign: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for batch in wanted.chunks(50) {
            for o in self.list_orders("FBS", batch, None).await? {
                by_campaign
                    .entry(o.campaign_id)
                    .or_default()
                    .push(o.order_id);
            }
        }
        let mut out = Vec::new();
        for (campaign, orders) in by_campaign {
            let c = campaign.to_string();
            let mut token: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let mut q = vec![("limit", "200".to_owned())];
                if let Some(t) = &token {
                    q.push(("pageToken", t.clone()));
                }
                let page: wire::Wrapped<wire::StatsResult> = self
                    .call(
                        &ep::YM_STATS_EP,
                        &[("campaignId", &c)],
                        &q,
                        Some(&wire::StatsRequest { orders: &orders }),
                        1,
                    )
                    .await?;
                out.extend(page.result.orders);
                match page.result.paging.next_page_token {
                    Some(t) if !t.is_empty() && Some(&t) != token.as_ref() => token = Some(t),
                    _ => break,
                }
            }
        }
        Ok(out)
    }

    /// The settled orders' payments and commissions; an order not paid yet has none.
    pub(super) async fn settled(&self, order_ids: &[String]) -> Result<Vec<Accrual>> {
        let mut out = Vec::new();
        for o in self.stats(order_ids).await? {
            if o.payments.is_empty() {
                continue; // billed, not settled: its commissions are the forecast
            }
            let date = day(&o.status_update_date);
            for (i, p) in o.payments.iter().enumerate() {
                let amount = Money::from_wire_f64(p.total).unwrap_or_default();
                let (signed, class) = if p.kind == "REFUND" {
                    (Money(-amount.0), Kind::Refund)
                } else {
                    (amount, Kind::Sale)
                };
                out.push(Accrual {
                    order_id: o.id.to_string(),
                    rid: None,
                    key: format!("{}:p{i}", o.id),
                    kind: p.kind.clone(),
                    class,
                    amount: signed,
                    date: date.clone(),
                });
            }
            out.extend(commissions(&o, "", &date));
        }
        Ok(out)
    }

    /// An order's expected money before it is settled: the items' prices (what the buyer
    /// pays and the discounts the Market makes up) and the commissions billed at creation.
    /// Nothing once it is paid (its settled lines tell it) or when nothing is billed yet.
    pub(super) async fn expected(&self, order_id: &str) -> Result<Vec<Accrual>> {
        let list = self.stats(&[order_id.to_owned()]).await?;
        let Some(o) = list.into_iter().find(|o| o.id.to_string() == order_id) else {
            return Err(Error::Api {
                status: 404,
                code: "ORDER_NOT_FOUND".into(),
                message: format!("order {order_id} is not in the statistics"),
                endpoint: ep::YM_STATS_EP.name,
            });
        };
        if !o.payments.is_empty() || o.commissions.is_empty() {
            return Ok(Vec::new());
        }
        let date = day(&o.creation_date);
        let sale: f64 = o
            .items
            .iter()
            .flat_map(|i| i.prices.iter().flatten())
            .map(|p| p.total)
            .sum();
        let mut out = vec![Accrual {
            order_id: o.id.to_string(),
            rid: None,
            key: format!("{}:forecast:sale", o.id),
            kind: "ORDER".into(),
            class: Kind::Sale,
            amount: Money::from_wire_f64(sale).unwrap_or_default(),
            date: date.clone(),
        }];
        out.extend(commissions(&o, "forecast:", &date));
        Ok(out)
    }
}
