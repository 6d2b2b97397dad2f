//! Contract tests: the Nova Poshta tracking client against its sandbox, checked against the
//! reference in specs/README.md §2.4 (no machine-readable spec exists).

use std::sync::Arc;
use std::time::Duration;

use mpbot::clock::{ManualClock, SharedClock};
use mpbot::marketplaces::endpoints::{Catalogue, Family};
use mpbot::marketplaces::http::{Http, RetryPolicy};
use mpbot::marketplaces::novaposhta::{NovaPoshtaClient, ParcelBucket, Waybill};
use mpbot::marketplaces::{Error, Secret};
use mpbot::sandbox::novaposhta::{DEMO_API_KEY, NovaPoshtaSandbox};
use serde_json::Value;

use crate::harness::start_time;

/// The documented `data[]` fields (specs/README.md §2.4).
const FIELDS: &[&str] = &[
    "Number",
    "StatusCode",
    "Status",
    "DateCreated",
    "ScheduledDeliveryDate",
    "ActualDeliveryDate",
    "RecipientDateTime",
    "TrackingUpdateDate",
    "DateScan",
    "CitySender",
    "CityRecipient",
    "WarehouseSender",
    "WarehouseRecipient",
    "WarehouseRecipientNumber",
    "RecipientAddress",
    "ServiceType",
    "PayerType",
    "PaymentMethod",
    "CargoType",
    "CargoDescriptionString",
    "DocumentWeight",
    "FactualWeight",
    "DocumentCost",
    "AnnouncedPrice",
    "SeatsAmount",
    "Redelivery",
    "RedeliverySum",
    "RedeliveryNum",
    "AfterpaymentOnGoodsCost",
    "AmountToPay",
    "AmountPaid",
    "PaymentStatus",
    "UndeliveryReasons",
    "UndeliveryReasonsSubtypeDescription",
    "LastCreatedOnTheBasisNumber",
    "RefEW",
    "PhoneRecipient",
    "PhoneSender",
    "RecipientFullName",
    "SenderFullNameEW",
    "DaysStorageCargo",
    "StoragePrice",
    "DatePayedKeeping",
];
const ENVELOPE: &[&str] = &[
    "success",
    "data",
    "errors",
    "warnings",
    "info",
    "messageCodes",
    "errorCodes",
    "warningCodes",
    "infoCodes",
];

fn check_reference(sandbox: &NovaPoshtaSandbox) {
    for ex in sandbox.recorder().exchanges() {
        assert_eq!(
            (ex.method.as_str(), ex.path.as_str()),
            ("POST", "/v2.0/json/")
        );
        let req = ex.request.expect("a JSON request");
        let keys: Vec<&str> = req
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            vec!["apiKey", "calledMethod", "methodProperties", "modelName"]
        );
        let docs = req["methodProperties"]["Documents"]
            .as_array()
            .expect("Documents");
        assert!(docs.len() <= 100, "at most 100 documents per request");
        for d in docs {
            assert!(d["DocumentNumber"].is_string());
            assert!(
                d.as_object()
                    .expect("object")
                    .keys()
                    .all(|k| k == "DocumentNumber" || k == "Phone")
            );
        }
        if ex.injected {
            continue;
        }
        let resp = ex.response.expect("a JSON answer");
        for k in resp.as_object().expect("object").keys() {
            assert!(
                ENVELOPE.contains(&k.as_str()),
                "envelope field {k} is not documented"
            );
        }
        for item in resp["data"].as_array().into_iter().flatten() {
            assert!(
                matches!(item["StatusCode"], Value::String(_)),
                "StatusCode is a string"
            );
            for k in item.as_object().expect("object").keys() {
                assert!(
                    FIELDS.contains(&k.as_str()),
                    "data field {k} is not documented"
                );
            }
        }
    }
}

#[tokio::test]
async fn parcels_are_tracked_in_batches_and_advance_with_the_clock() {
    let clock = ManualClock::new(start_time());
    let shared: SharedClock = Arc::new(clock.clone());
    let sandbox = NovaPoshtaSandbox::new(shared);
    let url = sandbox.start().await.expect("starts");
    let catalogue = Arc::new(Catalogue::with_bases(&[(
        Family::NovaPoshta,
        reqwest::Url::parse(&url).expect("url"),
    )]));
    let http = Http::new(RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(20),
        max_delay: Duration::from_secs(5),
    });
    let client = NovaPoshtaClient::new(http.clone(), catalogue.clone(), Secret::new(DEMO_API_KEY));

    let mut waybills: Vec<Waybill> = (0..150)
        .map(|_| Waybill {
            number: sandbox.create_parcel(),
            phone: None,
        })
        .collect();
    waybills.push(Waybill {
        number: "20450099999999".into(),
        phone: Some("380600000000".into()),
    });
    waybills.push(Waybill {
        number: "12-34".into(),
        phone: None,
    });
    let report = client.track(&waybills).await.expect("tracked");
    assert_eq!(
        sandbox.recorder().exchanges().len(),
        2,
        "152 waybills at 100 per request"
    );
    assert_eq!(report.parcels.len(), 151);
    assert!(
        report.parcels[..150]
            .iter()
            .all(|p| p.bucket == ParcelBucket::Created)
    );
    assert_eq!(report.parcels[150].bucket, ParcelBucket::Gone);
    assert_eq!(report.invalid.len(), 1);
    assert_eq!(report.invalid[0].0, "12-34");

    clock.advance(chrono::Duration::hours(30));
    let report = client.track(&waybills[..1]).await.expect("tracked");
    assert_eq!(
        (
            report.parcels[0].status_code.as_str(),
            report.parcels[0].bucket
        ),
        ("6", ParcelBucket::InTransit)
    );
    clock.advance(chrono::Duration::hours(40));
    let report = client.track(&waybills[..1]).await.expect("tracked");
    assert_eq!(report.parcels[0].bucket, ParcelBucket::Delivered);
    assert!(report.parcels[0].actual_delivery.is_some());

    sandbox.recorder().faults().fail_next.push_back(503);
    assert_eq!(
        client
            .track(&waybills[..1])
            .await
            .expect("after retry")
            .parcels
            .len(),
        1
    );
    let wrong = NovaPoshtaClient::new(http, catalogue, Secret::new("wrong"));
    assert!(matches!(
        wrong.track(&waybills[..1]).await,
        Err(Error::Unauthorized { .. })
    ));
    check_reference(&sandbox);
}
