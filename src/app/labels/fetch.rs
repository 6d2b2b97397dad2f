//! Reading labels from the marketplaces: kept ones as they are, the rest per cabinet
//! (Ozon's task polled to its end, WB's PNG stickers turned into pages of the cabinet's
//! size, YM's PDF), a refused batch asked order by order, a batch file cut into its
//! orders' pages; each order's label kept once read.

use crate::domain::ids::OrderId;
use std::collections::HashMap;

use super::{
    CabinetId, FileFormat, LabelFile, Labels, Marketplace, MarketplaceApi, ONE_BY_ONE_MAX, Order,
    POLL_EVERY, POLLS, StickerSize, WorkspaceId, cabinets, labels, pdf,
};
use crate::app::{AppError, AppResult};
use crate::domain::alerts::LabelFailure;

/// Labels read for a set of orders.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Each order's label (one or more pages).
    pub pdfs: HashMap<OrderId, Vec<u8>>,
    pub failed: Vec<LabelFailure>,
    /// Orders whose label the marketplace is still making.
    pub pending: Vec<OrderId>,
}

pub(super) fn failure(o: &Order, reason: &str, detail: impl Into<String>) -> LabelFailure {
    LabelFailure {
        order: o.id,
        number: o.number.clone(),
        reason: reason.to_owned(),
        detail: detail.into(),
    }
}

/// Why the marketplace gave no label, as a reason code.
fn reason_of(e: &crate::marketplaces::Error) -> &'static str {
    use crate::marketplaces::Error;
    match e {
        Error::Api {
            status: 400..=499,
            message,
            ..
        } if message.contains("aren't ready") => "not-ready",
        Error::Api {
            status: 400..=499, ..
        }
        | Error::Invalid(_)
        | Error::Unsupported(_) => "refused",
        Error::Unauthorized { .. } | Error::Forbidden { .. } => "key",
        _ => "unavailable",
    }
}

impl crate::app::rooms::Labels<'_> {
    /// Each order's label: kept ones as they are, the rest from the marketplaces.
    pub async fn fetch_labels(&self, ws: WorkspaceId, list: &[Order]) -> AppResult<Fetched> {
        let ids: Vec<OrderId> = list.iter().map(|o| o.id).collect();
        let mut out = Fetched {
            pdfs: labels::labels_of(&self.db, ws, &ids)
                .await?
                .into_iter()
                .collect(),
            ..Fetched::default()
        };
        let mut by_cabinet: Vec<(CabinetId, Vec<&Order>)> = Vec::new();
        for o in list.iter().filter(|o| !out.pdfs.contains_key(&o.id)) {
            match by_cabinet.iter_mut().find(|(c, _)| *c == o.cabinet) {
                Some((_, v)) => v.push(o),
                None => by_cabinet.push((o.cabinet, vec![o])),
            }
        }
        for (cabinet, group) in by_cabinet {
            self.fetch_cabinet(ws, cabinet, &group, &mut out).await?;
        }
        Ok(out)
    }

    async fn fetch_cabinet(
        &self,
        ws: WorkspaceId,
        cabinet: CabinetId,
        group: &[&Order],
        out: &mut Fetched,
    ) -> AppResult<()> {
        let Some(c) = cabinets::live(&self.db, cabinet).await? else {
            out.failed
                .extend(group.iter().map(|o| failure(o, "gone", "")));
            return Ok(());
        };
        let size = StickerSize::parse(&labels::label_size(&self.db, cabinet).await?);
        let client = match self.cabinets().client_for(&c).await {
            Ok(cl) => cl.with_sticker_size(size),
            Err(e) => {
                out.failed.extend(
                    group
                        .iter()
                        .map(|o| failure(o, "unavailable", e.to_string())),
                );
                return Ok(());
            }
        };
        let ids: Vec<String> = group.iter().map(|o| o.external_id.clone()).collect();
        let mut answers = match read_labels(&client, &ids).await {
            Ok(r) => vec![(ids.clone(), Ok(r))],
            // The marketplace refused the batch: ask per order, so one order's refusal
            // does not cost the others their labels.
            Err(e)
                if ids.len() > 1
                    && ids.len() <= ONE_BY_ONE_MAX
                    && matches!(reason_of(&e), "refused" | "not-ready") =>
            {
                let mut each = Vec::new();
                for id in &ids {
                    each.push((
                        vec![id.clone()],
                        read_labels(&client, std::slice::from_ref(id)).await,
                    ));
                }
                each
            }
            Err(e) => vec![(ids.clone(), Err(e))],
        };
        let by_ext: HashMap<&str, &Order> =
            group.iter().map(|o| (o.external_id.as_str(), *o)).collect();
        let now = self.now();
        while let Some((asked, answer)) = answers.pop() {
            match answer {
                // Not made yet (Ozon's labels come some time after assembly): the batch
                // waits and asks again rather than telling the chat it failed.
                Err(e) if reason_of(&e) == "not-ready" => {
                    out.pending.extend(
                        asked
                            .iter()
                            .filter_map(|id| by_ext.get(id.as_str()).map(|o| o.id)),
                    );
                }
                Err(e) => {
                    let reason = reason_of(&e);
                    // The marketplace's own words are shown; ours are not (not localized).
                    let detail = match &e {
                        crate::marketplaces::Error::Api { message, .. } => message.clone(),
                        _ => String::new(),
                    };
                    for id in &asked {
                        if let Some(o) = by_ext.get(id.as_str()) {
                            out.failed.push(failure(o, reason, detail.clone()));
                        }
                    }
                }
                Ok(Read::Pending) => {
                    out.pending.extend(
                        asked
                            .iter()
                            .filter_map(|id| by_ext.get(id.as_str()).map(|o| o.id)),
                    );
                }
                Ok(Read::Ready { files, failed }) => {
                    for (id, why) in failed {
                        if let Some(o) = by_ext.get(id.as_str()) {
                            // WB and YM refuse in our words (no sticker until the order is
                            // on assembly); Ozon's unprinted postings come with its own.
                            let (reason, detail) = match o.marketplace {
                                Marketplace::Wildberries => ("not-on-supply", String::new()),
                                Marketplace::YandexMarket => ("refused", String::new()),
                                Marketplace::Ozon => ("refused", why),
                            };
                            out.failed.push(failure(o, reason, detail));
                        }
                    }
                    let (pages, uneven) = pages_of(files, size)?;
                    for (ext, page) in pages {
                        if let Some(o) = by_ext.get(ext.as_str()) {
                            labels::put_label(&self.db, ws, o.id, &page, now).await?;
                            out.pdfs.insert(o.id, page);
                        }
                    }
                    // A batch file whose pages do not tell its orders apart (a posting of
                    // several boxes): each of those orders is asked for on its own.
                    for id in uneven {
                        let one = vec![id];
                        let answer = read_labels(&client, &one).await;
                        answers.push((one, answer));
                    }
                    // Asked for and neither printed nor refused: say so.
                    for id in &asked {
                        if let Some(o) = by_ext.get(id.as_str())
                            && !out.pdfs.contains_key(&o.id)
                            && !out.failed.iter().any(|f| f.order == o.id)
                        {
                            out.failed.push(failure(o, "refused", ""));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A marketplace's answer, with Ozon's pending task polled to its end.
enum Read {
    Ready {
        files: Vec<LabelFile>,
        failed: Vec<(String, String)>,
    },
    Pending,
}

async fn read_labels(
    client: &crate::marketplaces::client::Client,
    ids: &[String],
) -> Result<Read, crate::marketplaces::Error> {
    let mut answer = client.request_labels(ids).await?;
    for _ in 0..POLLS {
        match answer {
            Labels::Ready { files, failed } => return Ok(Read::Ready { files, failed }),
            Labels::Pending(token) => {
                tokio::time::sleep(POLL_EVERY).await;
                answer = client.poll_labels(&token).await?;
            }
        }
    }
    Ok(match answer {
        Labels::Ready { files, failed } => Read::Ready { files, failed },
        Labels::Pending(_) => Read::Pending,
    })
}

/// One PDF per order from the files a marketplace gave: a PNG sticker becomes a page of
/// the sticker size, a batch PDF is cut into its orders' pages.
/// Orders of a file whose pages are not one per order come back to be asked for alone.
#[allow(clippy::type_complexity)]
fn pages_of(
    files: Vec<LabelFile>,
    size: StickerSize,
) -> AppResult<(Vec<(String, Vec<u8>)>, Vec<String>)> {
    let mut out = Vec::new();
    let mut uneven = Vec::new();
    let (w, h) = size.mm();
    for f in files {
        match (f.format, f.orders.as_slice()) {
            (_, []) => {}
            (FileFormat::Png, [one, ..]) => {
                out.push((one.clone(), pdf::png_page(&f.bytes, w as f32, h as f32)?));
            }
            (FileFormat::Svg, _) => {
                return Err(AppError::Marketplace(
                    crate::marketplaces::Error::Unsupported("SVG stickers (PNG is asked for)"),
                ));
            }
            (FileFormat::Pdf, [one]) => out.push((one.clone(), f.bytes)),
            (FileFormat::Pdf, many) => {
                let pages = pdf::split(&f.bytes)?;
                if pages.len() == many.len() {
                    out.extend(many.iter().cloned().zip(pages));
                } else {
                    uneven.extend(many.iter().cloned());
                }
            }
        }
    }
    Ok((out, uneven))
}
