//! The daily summary (F7, F10): at the hour each chat chose (09:00 unless it chose, in the
//! company's zone), yesterday's orders, revenue, payouts, profit, best sellers,
//! cancellations and returns, with two weeks of days for the chart; on Mondays also the
//! week's, next to the week before. Raised once a day per chat or address (the key is the
//! chat and the local day), as figures of that moment: what is shown of them is the
//! reader's (a group that sees no money gets the counts).

use std::collections::HashMap;

use chrono::Datelike;

use crate::app::AppResult;
use crate::domain::alerts::Alert;
use crate::domain::finance::{DayFigures, SummaryFacts};
use crate::domain::{CabinetId, Money, WorkspaceId, Zone};
use crate::storage::outbox;
use crate::storage::summaries::{self, To};

/// Days the daily summary's chart shows, yesterday last.
pub const CHART_DAYS: i64 = 14;

/// The once-a-day key of a summary for one chat or address.
fn dedupe(to: To, day: chrono::NaiveDate, weekly: bool) -> String {
    let kind = if weekly { "summary-week" } else { "summary" };
    match to {
        To::Chat(c) => format!("{kind}:{}:{day}", c.0),
        To::Email(e) => format!("{kind}:mail-{e}:{day}"),
    }
}

fn sum(days: &[DayFigures]) -> (i64, Money) {
    days.iter().fold((0, Money::ZERO), |(n, m), d| {
        (n + d.orders, Money(m.0 + d.revenue.0))
    })
}

impl crate::app::rooms::Finance<'_> {
    /// Raises the daily summary (and on Mondays the weekly one) to every chat and address
    /// whose hour has come today and that has not had today's; returns how many went out.
    pub async fn raise_summaries(&self) -> AppResult<u64> {
        let now = self.now();
        let mut raised = 0;
        let mut zones: HashMap<WorkspaceId, Zone> = HashMap::new();
        let mut made: HashMap<(WorkspaceId, Vec<CabinetId>, bool), Alert> = HashMap::new();
        for r in summaries::recipients(&self.db).await? {
            let zone = match zones.get(&r.workspace) {
                Some(z) => *z,
                None => {
                    let z = self.zone_of(r.workspace).await?;
                    zones.insert(r.workspace, z);
                    z
                }
            };
            let Some(today) = zone.local_day(now) else {
                continue;
            };
            // Today's hour: come, and not before the chat followed the summary.
            let Some(hour) = zone.day_start(today).map(|t| t + r.minute * 60) else {
                continue;
            };
            if now < hour || hour < r.since {
                continue;
            }
            for weekly in [false, true] {
                if weekly && today.weekday() != chrono::Weekday::Mon {
                    continue;
                }
                let key = dedupe(r.to, today, weekly);
                if outbox::was_raised(&self.db, &key).await? {
                    continue;
                }
                let made_key = (r.workspace, r.cabinets.clone(), weekly);
                let alert = match made.get(&made_key) {
                    Some(a) => a.clone(),
                    None => {
                        let a = self
                            .summary_alert(r.workspace, zone, today, weekly, &r.cabinets)
                            .await?;
                        made.insert(made_key, a.clone());
                        a
                    }
                };
                let mut tx = self.db.begin().await?;
                let went = match r.to {
                    To::Chat(chat) => {
                        outbox::raise_to(&mut tx, r.workspace, chat, &alert, &key, now).await?
                    }
                    To::Email(id) => {
                        outbox::raise_to_email(&mut tx, r.workspace, id, &alert, &key, now).await?
                    }
                };
                tx.commit().await?;
                raised += u64::from(went);
            }
        }
        Ok(raised)
    }

    /// Yesterday's summary (or the last 7 days', `weekly`) as of `today` in `zone`.
    async fn summary_alert(
        &self,
        ws: WorkspaceId,
        zone: Zone,
        today: chrono::NaiveDate,
        weekly: bool,
        cabinets: &[CabinetId],
    ) -> AppResult<Alert> {
        let now = self.now();
        let start = |d: chrono::NaiveDate| zone.day_start(d).unwrap_or(now);
        let to = start(today);
        let span = if weekly { 7 } else { 1 };
        let from = start(today - chrono::Duration::days(span));
        let s = self.summarize(ws, zone, (from, to), cabinets).await?;
        let wide_from = start(today - chrono::Duration::days(CHART_DAYS));
        let wide = self.summarize(ws, zone, (wide_from, to), cabinets).await?;
        let split = wide.days.iter().position(|d| d.day >= from).unwrap_or(0);
        let (days, before) = if weekly {
            (wide.days[split..].to_vec(), Some(sum(&wide.days[..split])))
        } else {
            (wide.days.clone(), None)
        };
        let (cancelled, returned) =
            summaries::moved_to_ended(&self.db, ws, cabinets, from, to).await?;
        let (paid_orders, paid) = summaries::paid_between(&self.db, ws, cabinets, from, to).await?;
        let f = &s.figures;
        let facts = SummaryFacts {
            orders: s.orders as i64,
            cancelled,
            returned,
            settled: s.settled as i64,
            revenue: f.revenue,
            charges: Money(f.commission.0 + f.logistics.0 + f.other.0),
            payout: f.payout,
            profit: s.profit,
            margin_bp: s.margin_bp,
            paid_orders,
            paid,
            top: s.top,
            losses: s.losses.len() as i64,
            lost: Money(s.losses.iter().map(|(_, m)| m.0).sum()),
            missing_cost: s.missing_cost,
            days,
            before,
        };
        Ok(Alert::Summary {
            weekly,
            from,
            to,
            facts: Box::new(facts),
        })
    }
}
