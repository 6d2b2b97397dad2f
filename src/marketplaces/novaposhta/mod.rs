//! Nova Poshta parcel tracking (`TrackingDocument.getStatusDocuments`): up to 100 waybills
//! (TTN) per request, status codes mapped to a few buckets the product acts on.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::endpoints::{self as ep, Catalogue};
use super::http::{Http, Request};
use super::{Error, Result, Secret};

/// What a Nova Poshta status code means for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParcelBucket {
    /// The waybill exists; the parcel is not handed over yet.
    Created,
    /// Deleted or not found.
    Gone,
    InTransit,
    /// At the branch or in a parcel locker.
    Arrived,
    Delivered,
    /// Refused by the recipient, return ordered, storage stopped.
    Refused,
    /// A failed delivery attempt or a moved date.
    Problem,
    /// A code not in the published list.
    Unknown,
}

impl ParcelBucket {
    /// Maps a `StatusCode` (a string on the wire) per the list in specs/README.md §2.4.
    pub fn from_code(code: &str) -> ParcelBucket {
        match code.trim() {
            "1" | "12" => ParcelBucket::Created,
            "2" | "3" => ParcelBucket::Gone,
            "4" | "41" | "5" | "6" | "101" | "104" => ParcelBucket::InTransit,
            "7" | "8" | "14" | "107" => ParcelBucket::Arrived,
            "9" | "10" | "11" | "106" => ParcelBucket::Delivered,
            "102" | "103" | "105" | "108" => ParcelBucket::Refused,
            "111" | "112" => ParcelBucket::Problem,
            _ => ParcelBucket::Unknown,
        }
    }
}

/// A waybill to track; the phone (sender's or recipient's) unlocks personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waybill {
    pub number: String,
    pub phone: Option<String>,
}

/// The state of one parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    pub number: String,
    pub status_code: String,
    pub status: String,
    pub bucket: ParcelBucket,
    pub scheduled_delivery: Option<String>,
    pub actual_delivery: Option<String>,
    pub city_recipient: Option<String>,
}

/// What one tracking call found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackingReport {
    pub parcels: Vec<Tracking>,
    /// Numbers Nova Poshta refused as malformed, with its warning.
    pub invalid: Vec<(String, String)>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    api_key: &'a str,
    model_name: &'static str,
    called_method: &'static str,
    method_properties: Properties,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Properties {
    documents: Vec<Document>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document {
    document_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Answer {
    success: bool,
    data: Vec<Item>,
    errors: Vec<String>,
    warnings: Vec<serde_json::Value>,
    error_codes: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Item {
    number: String,
    status_code: String,
    status: String,
    scheduled_delivery_date: String,
    actual_delivery_date: String,
    city_recipient: String,
}

/// Nova Poshta answers 200 with `success: false` for most failures.
fn map_error(status: u16, body: &[u8]) -> Error {
    Error::Api {
        status,
        code: String::new(),
        message: String::from_utf8_lossy(body).chars().take(200).collect(),
        endpoint: "",
    }
}

pub struct NovaPoshtaClient {
    http: Http,
    catalogue: Arc<Catalogue>,
    api_key: Secret,
}

impl NovaPoshtaClient {
    pub fn new(http: Http, catalogue: Arc<Catalogue>, api_key: Secret) -> NovaPoshtaClient {
        NovaPoshtaClient {
            http,
            catalogue,
            api_key,
        }
    }

    /// Tracks waybills, 100 per request.
    pub async fn track(&self, waybills: &[Waybill]) -> Result<TrackingReport> {
        let mut report = TrackingReport::default();
        for batch in waybills.chunks(ep::NP_TRACKING.batch_max.unwrap_or(100)) {
            let env = Envelope {
                api_key: self.api_key.expose(),
                model_name: "TrackingDocument",
                called_method: "getStatusDocuments",
                method_properties: Properties {
                    documents: batch
                        .iter()
                        .map(|w| Document {
                            document_number: w.number.clone(),
                            phone: w.phone.clone(),
                        })
                        .collect(),
                },
            };
            let url = self.catalogue.url(&ep::NP_TRACKING, &[])?;
            let body = serde_json::to_vec(&env).map_err(|e| Error::Invalid(e.to_string()))?;
            let answer: Answer = self
                .http
                .json(
                    Request::new(&ep::NP_TRACKING, url, "novaposhta", Vec::new(), Some(body)),
                    map_error,
                )
                .await?;
            if !answer.success {
                let message = answer.errors.join("; ");
                let auth = message.to_lowercase().contains("api")
                    && (message.contains("auth") || message.contains("key"));
                return Err(if auth {
                    Error::Unauthorized { message }
                } else {
                    Error::Api {
                        status: 200,
                        code: answer.error_codes.join(","),
                        message,
                        endpoint: "",
                    }
                });
            }
            for w in answer.warnings {
                let text = match &w {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if let Some(n) = batch.iter().find(|b| text.contains(&b.number)) {
                    report.invalid.push((n.number.clone(), text));
                }
            }
            report
                .parcels
                .extend(answer.data.into_iter().map(|i| Tracking {
                    bucket: ParcelBucket::from_code(&i.status_code),
                    number: i.number,
                    status_code: i.status_code,
                    status: i.status,
                    scheduled_delivery: Some(i.scheduled_delivery_date).filter(|s| !s.is_empty()),
                    actual_delivery: Some(i.actual_delivery_date).filter(|s| !s.is_empty()),
                    city_recipient: Some(i.city_recipient).filter(|s| !s.is_empty()),
                }));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_fall_into_buckets() {
        let cases = [
            ("1", ParcelBucket::Created),
            ("3", ParcelBucket::Gone),
            ("41", ParcelBucket::InTransit),
            ("101", ParcelBucket::InTransit),
            ("8", ParcelBucket::Arrived),
            ("9", ParcelBucket::Delivered),
            ("106", ParcelBucket::Delivered),
            ("103", ParcelBucket::Refused),
            ("112", ParcelBucket::Problem),
            ("80", ParcelBucket::Unknown),
        ];
        for (code, bucket) in cases {
            assert_eq!(ParcelBucket::from_code(code), bucket, "{code}");
        }
    }
}
