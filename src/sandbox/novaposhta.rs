//! The Nova Poshta sandbox: `POST /v2.0/json/` with the `TrackingDocument` /
//! `getStatusDocuments` envelope. Parcels advance through status codes as the clock
//! moves; malformed numbers come back in `warnings`, unknown ones with code 3.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::DateTime;
use serde_json::{Value, json};

use super::common::{Emulator, Incoming, Recorder, Reply, serve};
use crate::clock::SharedClock;

pub const DEMO_API_KEY: &str = "b7d0c1e2f3a4958677a1b2c3d4e5f601";

/// The status path a parcel follows, with hours spent in each step.
const PATH: &[(&str, &str, i64)] = &[
    (
        "1",
        "Відправник самостійно створив цю накладну, але ще не надав до відправки",
        6,
    ),
    ("4", "Відправлення у місті Київ", 6),
    ("5", "Відправлення прямує до міста Львів", 12),
    (
        "6",
        "Відправлення у місті Львів, орієнтовна доставка до ВІДДІЛЕННЯ-12",
        12,
    ),
    ("7", "Прибув на відділення", 24),
    ("9", "Відправлення отримано", i64::MAX),
];

pub struct NovaPoshtaSandbox {
    clock: SharedClock,
    recorder: Recorder,
    /// Parcels: number → creation time (unix).
    parcels: Mutex<BTreeMap<String, i64>>,
}

fn np_date(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%d-%m-%Y %H:%M:%S").to_string())
        .unwrap_or_default()
}

impl NovaPoshtaSandbox {
    pub fn new(clock: SharedClock) -> Arc<NovaPoshtaSandbox> {
        Arc::new(NovaPoshtaSandbox {
            clock,
            recorder: Recorder::new(4),
            parcels: Mutex::new(BTreeMap::new()),
        })
    }

    pub async fn start(self: &Arc<Self>) -> std::io::Result<String> {
        serve(self.clone()).await
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// Creates a waybill now and returns its 14-digit number.
    pub fn create_parcel(&self) -> String {
        let mut p = self.parcels.lock().unwrap_or_else(|e| e.into_inner());
        let number = format!("204500{:08}", 48_799_000 + p.len());
        p.insert(number.clone(), self.clock.unix());
        number
    }

    fn envelope(
        success: bool,
        data: Vec<Value>,
        errors: Vec<String>,
        warnings: Vec<Value>,
        codes: Vec<&str>,
    ) -> Reply {
        Reply::ok(
            json!({"success": success, "data": data, "errors": errors, "warnings": warnings, "info": [],
                         "messageCodes": [], "errorCodes": codes, "warningCodes": [], "infoCodes": []}),
        )
    }
}

impl Emulator for NovaPoshtaSandbox {
    fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    fn error(&self, status: u16, message: &str) -> Reply {
        Reply::Json {
            status,
            body: json!({"success": false, "data": [], "errors": [message], "warnings": []}),
            retry_after: None,
        }
    }

    fn handle(&self, req: &Incoming) -> Reply {
        if req.method != "POST" || req.path != "/v2.0/json/" {
            return Reply::Empty { status: 404 };
        }
        let Ok(body) = req.json() else {
            return Self::envelope(
                false,
                vec![],
                vec!["Data is not valid JSON".into()],
                vec![],
                vec!["20000100008"],
            );
        };
        if body["apiKey"].as_str() != Some(DEMO_API_KEY) || self.recorder.revoked() {
            return Self::envelope(
                false,
                vec![],
                vec!["API auth fail".into()],
                vec![],
                vec!["20000200068"],
            );
        }
        if body["modelName"] != "TrackingDocument" || body["calledMethod"] != "getStatusDocuments" {
            return Self::envelope(
                false,
                vec![],
                vec!["Model or method not found".into()],
                vec![],
                vec!["20000100016"],
            );
        }
        let docs = body["methodProperties"]["Documents"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if docs.len() > 100 {
            return Self::envelope(
                false,
                vec![],
                vec!["Documents: at most 100 per request".into()],
                vec![],
                vec!["20000900746"],
            );
        }
        let now = self.clock.unix();
        let parcels = self.parcels.lock().unwrap_or_else(|e| e.into_inner());
        let mut data = Vec::new();
        let mut warnings = Vec::new();
        for d in docs {
            let number = d["DocumentNumber"].as_str().unwrap_or_default().to_owned();
            if number.len() != 14 || !number.bytes().all(|b| b.is_ascii_digit()) {
                warnings.push(json!(format!("Invalid DocumentNumber: {number}")));
                continue;
            }
            let Some(created) = parcels.get(&number) else {
                data.push(
                    json!({"Number": number, "StatusCode": "3", "Status": "Номер не знайдено"}),
                );
                continue;
            };
            let mut elapsed = (now - created) / 3600;
            let mut step = &PATH[0];
            for s in PATH {
                step = s;
                if elapsed < s.2 {
                    break;
                }
                elapsed -= s.2;
            }
            let delivered = step.0 == "9";
            data.push(json!({
                "Number": number, "StatusCode": step.0, "Status": step.1, "DateCreated": np_date(*created),
                "ScheduledDeliveryDate": np_date(created + 66 * 3600),
                "ActualDeliveryDate": if delivered { np_date(created + 60 * 3600) } else { String::new() },
                "CitySender": "Київ", "CityRecipient": "Львів", "WarehouseRecipient": "Відділення №12",
                "ServiceType": "WarehouseWarehouse", "PayerType": "Recipient", "PaymentMethod": "Cash", "CargoType": "Parcel",
                "DocumentWeight": 1.5, "DocumentCost": "70", "AnnouncedPrice": 1200, "SeatsAmount": "1",
                "TrackingUpdateDate": np_date(now),
            }));
        }
        Self::envelope(true, data, vec![], warnings, vec![])
    }
}
