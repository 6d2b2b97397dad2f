//! WB's commission by category (`GET /api/v1/tariffs/commission`): the seller-warehouse
//! percent (`kgvpMarketplace`) of each subject, what an FBS order is expected to pay before
//! the weekly report settles it.

use serde::Deserialize;

use super::WbClient;
use crate::marketplaces::endpoints as ep;
use crate::marketplaces::http::Request;
use crate::marketplaces::{CommissionRate, Result};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Fees {
    report: Vec<Fee>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Fee {
    #[serde(rename = "subjectName")]
    subject_name: String,
    /// Percent on the seller's own warehouse (FBS).
    kgvp_marketplace: f64,
}

impl WbClient {
    /// Every subject's FBS commission, named in Russian as the cards name their subject.
    pub(super) async fn rates(&self) -> Result<Vec<CommissionRate>> {
        let url = self.url(&ep::WB_COMMISSIONS, &[], &[("locale", "ru".to_owned())])?;
        // Once a minute: a read whose turn has not come is left to the next run rather
        // than holding a lane for the minute.
        let mut request = Request::new(
            &ep::WB_COMMISSIONS,
            url,
            &self.cabinet,
            self.headers(),
            None,
        );
        request.no_wait = true;
        let fees: Fees = self.http.json(request, super::map_error).await?;
        Ok(fees
            .report
            .into_iter()
            .filter(|f| !f.subject_name.is_empty() && f.kgvp_marketplace.is_finite())
            .map(|f| CommissionRate {
                category: f.subject_name,
                bp: (f.kgvp_marketplace * 100.0).round() as i64,
            })
            .collect())
    }
}
