//! FBO stock the sandboxes hold on the marketplaces' own warehouses (Ozon FBO, WB FBW,
//! YM FBY): one deterministic rule by a product's position in its sandbox's catalogue, so a
//! test can predict every figure, and each marketplace's answer in its wire format. Each
//! sandbox routes the request here with a plain view of its catalogue and wraps a refusal
//! (HTTP 400 and a message) in its own error body.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::common::Incoming;

/// One of a marketplace's own warehouses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FboWarehouse {
    pub id: i64,
    pub name: &'static str,
}

const fn wh(id: i64, name: &'static str) -> FboWarehouse {
    FboWarehouse { id, name }
}

/// Ozon's fulfilment warehouses the sandbox stocks.
pub const OZON_WAREHOUSES: [FboWarehouse; 3] = [
    wh(15_431_806_189_000, "Хоругвино"),
    wh(22_853_283_412_000, "Софьино"),
    wh(17_717_042_926_000, "Ногинск"),
];

/// WB's warehouses the sandbox stocks.
pub const WB_WAREHOUSES: [FboWarehouse; 3] = [
    wh(507, "Коледино"),
    wh(120_762, "Электросталь"),
    wh(206_348, "Тула"),
];

/// Market's fulfilment warehouses the sandbox stocks (for its FBY campaign).
pub const YM_WAREHOUSES: [FboWarehouse; 3] = [
    wh(145, "Софьино"),
    wh(171, "Томилино"),
    wh(147, "Ростов-на-Дону"),
];

/// One stock line: which of the three warehouses, units available, units reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FboLine {
    pub warehouse: usize,
    pub present: i64,
    pub reserved: i64,
}

/// The FBO stock of the product at `index` (0-based, in catalogue order; for WB every size
/// of the card at `index` holds it): none when `index % 3 == 2`; otherwise warehouse
/// `index % 2` holds `10 + index % 50` available and `index % 4` reserved, and when
/// `index % 6 == 0` warehouse 2 holds 3 more available and 1 reserved.
pub fn stock_at(index: usize) -> Vec<FboLine> {
    if index % 3 == 2 {
        return Vec::new();
    }
    let mut out = vec![FboLine {
        warehouse: index % 2,
        present: 10 + (index % 50) as i64,
        reserved: (index % 4) as i64,
    }];
    if index.is_multiple_of(6) {
        out.push(FboLine {
            warehouse: 2,
            present: 3,
            reserved: 1,
        });
    }
    out
}

/// A refusal: the marketplace's 400 with this message.
pub type Refusal = String;

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// A list of int64 ids given as strings (or numbers); anything else is refused.
fn id_list(v: &Value, field: &str) -> Result<Vec<i64>, Refusal> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(a) => a
            .iter()
            .map(|x| int(x).ok_or_else(|| format!("{field}: {x} is not an int64")))
            .collect(),
        _ => Err(format!("{field} must be an array")),
    }
}

/// An Ozon product as `/v1/analytics/stocks` names it.
pub struct OzonGood<'a> {
    pub sku: i64,
    pub offer_id: &'a str,
    pub name: &'a str,
}

/// Ozon `POST /v1/analytics/stocks`: `skus` required, 1..=100; one of `cluster_ids` and
/// `macrolocal_cluster_ids` at most; `warehouse_ids` filters. No paging.
pub fn ozon_stocks(goods: &[OzonGood<'_>], body: &Value) -> Result<Value, Refusal> {
    if body.get("skus").is_none() {
        return Err("skus: value is required".into());
    }
    let skus = id_list(&body["skus"], "skus")?;
    if skus.is_empty() || skus.len() > 100 {
        return Err("skus: value must contain from 1 to 100 items".into());
    }
    let clusters = id_list(&body["cluster_ids"], "cluster_ids")?;
    let macro_clusters = id_list(&body["macrolocal_cluster_ids"], "macrolocal_cluster_ids")?;
    if !clusters.is_empty() && !macro_clusters.is_empty() {
        return Err("use only one of cluster_ids and macrolocal_cluster_ids".into());
    }
    let warehouses = id_list(&body["warehouse_ids"], "warehouse_ids")?;
    let wanted: HashSet<i64> = skus.into_iter().collect();
    let mut items = Vec::new();
    for (index, g) in goods.iter().enumerate() {
        if !wanted.contains(&g.sku) {
            continue;
        }
        for line in stock_at(index) {
            let w = OZON_WAREHOUSES[line.warehouse];
            if !warehouses.is_empty() && !warehouses.contains(&w.id) {
                continue;
            }
            // The sandbox's three warehouses make one cluster.
            if !clusters.is_empty() && !clusters.contains(&4) {
                continue;
            }
            items.push(json!({
                "sku": g.sku, "offer_id": g.offer_id, "name": g.name,
                "warehouse_id": w.id, "warehouse_name": w.name,
                "cluster_id": 4, "cluster_name": "Москва, МО и Дальние регионы", "macrolocal_cluster_id": 4,
                "available_stock_count": line.present, "valid_stock_count": 0, "transit_stock_count": 0,
                "requested_stock_count": 0, "other_stock_count": 0, "excess_stock_count": 0,
                "expiring_stock_count": 0, "return_from_customer_stock_count": 0,
                "return_to_seller_stock_count": 0, "stock_defect_stock_count": 0,
                "transit_defect_stock_count": 0, "waiting_docs_stock_count": 0,
                "waiting_docs_to_export_stock_count": 0,
                "ads": 1.5, "ads_cluster": 1.5, "idc": 20.0, "idc_cluster": 20.0,
                "days_without_sales": 0, "days_without_sales_cluster": 0,
                "turnover_grade": "POPULAR", "turnover_grade_cluster": "POPULAR",
                "item_tags": ["ITEM_ATTRIBUTE_NONE"], "placement_zone": ["SORT"],
            }));
        }
    }
    Ok(json!({ "items": items }))
}

/// A WB card as the stocks report names it: nmId and the size ids (chrtId) of its sizes.
pub struct WbGood {
    pub nm_id: i64,
    pub chrt_ids: Vec<i64>,
}

/// The most rows one page of the WB report may ask for.
pub const WB_MAX_LIMIT: i64 = 250_000;

/// WB `POST /api/analytics/v1/stocks-report/wb-warehouses`: `limit` 1..=250 000 (default
/// 250 000), `offset` ≥ 0, `nmIds` at most 1000, `chrtIds` only narrowing the given nmIds.
pub fn wb_stocks(goods: &[WbGood], body: &Value) -> Result<Value, Refusal> {
    if !body.is_object() {
        return Err("invalid request body".into());
    }
    let limit = match &body["limit"] {
        Value::Null => WB_MAX_LIMIT,
        v => v
            .as_i64()
            .filter(|l| (1..=WB_MAX_LIMIT).contains(l))
            .ok_or_else(|| format!("limit: must be an integer from 1 to {WB_MAX_LIMIT}"))?,
    };
    let offset = match &body["offset"] {
        Value::Null => 0,
        v => v
            .as_i64()
            .filter(|o| *o >= 0)
            .ok_or_else(|| "offset: must be a non-negative integer".to_owned())?,
    };
    let nm_ids = id_list(&body["nmIds"], "nmIds")?;
    if nm_ids.len() > 1000 {
        return Err("nmIds: at most 1000 items".into());
    }
    let chrt_ids = id_list(&body["chrtIds"], "chrtIds")?;
    let mut rows = Vec::new();
    for (index, g) in goods.iter().enumerate() {
        if !nm_ids.is_empty() && !nm_ids.contains(&g.nm_id) {
            continue;
        }
        let lines = stock_at(index);
        for chrt in &g.chrt_ids {
            if !nm_ids.is_empty() && !chrt_ids.is_empty() && !chrt_ids.contains(chrt) {
                continue;
            }
            for line in &lines {
                let w = WB_WAREHOUSES[line.warehouse];
                rows.push(json!({
                    "nmId": g.nm_id, "chrtId": chrt, "warehouseId": w.id, "warehouseName": w.name,
                    "regionName": "Центральный", "quantity": line.present,
                    "inWayToClient": line.reserved, "inWayFromClient": (index % 2) as i64,
                }));
            }
        }
    }
    let page: Vec<Value> = rows
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    Ok(json!({ "data": { "items": page } }))
}

/// YM `POST /v2/campaigns/{campaignId}/offers/stocks` on the FBY campaign, given the
/// business's offer ids in catalogue order: `limit` 1..=100 (default 50) and `pageToken`
/// page the offers; `offerIds` (1..=500, unique) returns those whole and allows no paging;
/// `hasStocks` only with `stocksWarehouseId`. Offers with no stock there are left out
/// unless `hasStocks` is false, which lists only those. The answer's `result`.
pub fn ym_stocks(offers: &[&str], req: &Incoming, body: &Value) -> Result<Value, Refusal> {
    let limit = match req.query("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=100).contains(l))
            .ok_or_else(|| "limit must be 1..100".to_owned())?,
        None => 50,
    };
    let start = match req.query("pageToken").or(req.query("page_token")) {
        Some(t) => t
            .strip_prefix('f')
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| "invalid pageToken".to_owned())?,
        None => 0,
    };
    let warehouse = match &body["stocksWarehouseId"] {
        Value::Null => None,
        v => Some(
            v.as_i64()
                .filter(|w| *w >= 1)
                .ok_or_else(|| "stocksWarehouseId must be a positive integer".to_owned())?,
        ),
    };
    let has_stocks = match &body["hasStocks"] {
        Value::Null => None,
        Value::Bool(b) if warehouse.is_some() => Some(*b),
        Value::Bool(_) => return Err("hasStocks is used only with stocksWarehouseId".into()),
        _ => return Err("hasStocks must be a boolean".into()),
    };
    let with_turnover = body["withTurnover"].as_bool().unwrap_or(false);
    let archived = body["archived"].as_bool().unwrap_or(false);
    let wanted: Option<Vec<&str>> = match &body["offerIds"] {
        Value::Null => None,
        Value::Array(a) => {
            let ids: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            if ids.len() != a.len() || ids.is_empty() || ids.len() > 500 {
                return Err("offerIds: from 1 to 500 offer ids".into());
            }
            if unique.len() != ids.len() {
                return Err("offerIds: duplicate offer ids".into());
            }
            if req.query("limit").is_some()
                || req.query("pageToken").is_some()
                || body.get("archived").is_some()
            {
                return Err("offerIds cannot be used with pageToken, limit or archived".into());
            }
            Some(ids)
        }
        _ => return Err("offerIds must be an array".into()),
    };
    // (offer id, its lines on the asked warehouses); the sandbox archives nothing.
    let mut rows: Vec<(&str, Vec<FboLine>)> = Vec::new();
    for (index, id) in offers.iter().enumerate() {
        if wanted.as_ref().is_some_and(|w| !w.contains(id)) || archived && wanted.is_none() {
            continue;
        }
        let lines: Vec<FboLine> = stock_at(index)
            .into_iter()
            .filter(|l| warehouse.is_none_or(|w| YM_WAREHOUSES[l.warehouse].id == w))
            .collect();
        match has_stocks {
            Some(false) if lines.is_empty() => rows.push((id, Vec::new())),
            Some(false) => {}
            _ if !lines.is_empty() => rows.push((id, lines)),
            _ => {}
        }
    }
    let (page, next) = if wanted.is_some() {
        (rows, None)
    } else {
        super::common::window(rows, start, limit, |r| r)
    };
    let offer = |id: &str, l: Option<&FboLine>| {
        let (present, reserved) = l.map_or((0, 0), |l| (l.present, l.reserved));
        let stocks = if l.is_some() {
            json!([{"type": "FIT", "count": present + reserved}, {"type": "FREEZE", "count": reserved},
                   {"type": "AVAILABLE", "count": present}])
        } else {
            json!([])
        };
        let mut o =
            json!({"offerId": id, "stocks": stocks, "updatedAt": "2026-11-23T06:00:00+03:00"});
        if with_turnover {
            o["turnoverSummary"] = json!({"turnover": "HIGH", "turnoverDays": 60.0});
        }
        o
    };
    let mut warehouses = Vec::new();
    for (pos, w) in YM_WAREHOUSES.iter().enumerate() {
        let list: Vec<Value> = page
            .iter()
            .filter_map(|(id, lines)| {
                if lines.is_empty() {
                    (warehouse == Some(w.id)).then(|| offer(id, None))
                } else {
                    lines
                        .iter()
                        .find(|l| l.warehouse == pos)
                        .map(|l| offer(id, Some(l)))
                }
            })
            .collect();
        if !list.is_empty() {
            warehouses.push(json!({"warehouseId": w.id, "offers": list}));
        }
    }
    let paging = match next {
        Some(n) => json!({"nextPageToken": format!("f{n}")}),
        None => json!({}),
    };
    Ok(json!({"warehouses": warehouses, "paging": paging}))
}

/// YM `GET /v2/warehouses`: Market's fulfilment warehouses (all of them, or those of one
/// campaign when `fby` says whether the asked campaign works with them). The answer's
/// `result`.
pub fn ym_warehouses(fby: bool) -> Value {
    let list: Vec<Value> = if fby {
        YM_WAREHOUSES
            .iter()
            .map(|w| {
                json!({"id": w.id, "name": w.name,
                       "address": {"city": w.name, "gps": {"latitude": 55.5, "longitude": 37.6}}})
            })
            .collect()
    } else {
        Vec::new()
    };
    json!({ "warehouses": list })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_skips_every_third_product_and_doubles_every_sixth() {
        assert_eq!(
            stock_at(0),
            vec![
                FboLine {
                    warehouse: 0,
                    present: 10,
                    reserved: 0
                },
                FboLine {
                    warehouse: 2,
                    present: 3,
                    reserved: 1
                }
            ]
        );
        assert_eq!(
            stock_at(1),
            vec![FboLine {
                warehouse: 1,
                present: 11,
                reserved: 1
            }]
        );
        assert!(stock_at(2).is_empty());
        assert_eq!(stock_at(3)[0].reserved, 3);
    }

    fn wb_goods() -> Vec<WbGood> {
        (0..4)
            .map(|i| WbGood {
                nm_id: 100 + i,
                chrt_ids: vec![1000 + i * 10, 1001 + i * 10],
            })
            .collect()
    }

    #[test]
    fn the_wb_report_pages_by_offset_and_refuses_bad_bodies() {
        let goods = wb_goods();
        let all = wb_stocks(&goods, &json!({})).expect("default limit");
        // Cards 0, 1 and 3 have stock (card 0 in two warehouses), two sizes each.
        assert_eq!(all["data"]["items"].as_array().map(Vec::len), Some(8));
        let page = wb_stocks(&goods, &json!({"limit": 3, "offset": 6})).expect("a page");
        assert_eq!(page["data"]["items"].as_array().map(Vec::len), Some(2));
        let narrowed =
            wb_stocks(&goods, &json!({"nmIds": [100], "chrtIds": [1001]})).expect("filtered");
        assert_eq!(narrowed["data"]["items"].as_array().map(Vec::len), Some(2));
        for bad in [
            json!(null),
            json!({"limit": 0}),
            json!({"limit": 250_001}),
            json!({"offset": -1}),
            json!({"nmIds": "100"}),
            json!({"nmIds": (0..1001).collect::<Vec<i64>>()}),
        ] {
            assert!(wb_stocks(&goods, &bad).is_err(), "{bad}");
        }
    }

    fn incoming(query: &[(&str, &str)]) -> Incoming {
        Incoming {
            method: "POST".into(),
            path: "/v2/campaigns/1/offers/stocks".into(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            headers: axum::http::HeaderMap::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn ym_stocks_page_by_token_and_refuse_what_ym_refuses() {
        let offers = ["A", "B", "C", "D", "E", "F", "G"];
        let first = ym_stocks(&offers, &incoming(&[("limit", "2")]), &json!({})).expect("page");
        assert_eq!(first["paging"]["nextPageToken"], "f2");
        let last = ym_stocks(&offers, &incoming(&[("limit", "100")]), &json!({})).expect("all");
        // A, B, D, E, G have stock; A and G in two warehouses.
        let count: usize = last["warehouses"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| w["offers"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(count, 7);
        assert_eq!(last["paging"], json!({}));
        let empty = ym_stocks(
            &offers,
            &incoming(&[]),
            &json!({"stocksWarehouseId": 145, "hasStocks": false}),
        )
        .expect("the ones without stock");
        assert_eq!(
            empty["warehouses"][0]["offers"].as_array().map(Vec::len),
            Some(4)
        );
        for (query, body) in [
            (vec![("limit", "101")], json!({})),
            (vec![("pageToken", "x")], json!({})),
            (vec![], json!({"hasStocks": true})),
            (vec![], json!({"offerIds": []})),
            (vec![], json!({"offerIds": ["A", "A"]})),
            (vec![("limit", "10")], json!({"offerIds": ["A"]})),
        ] {
            assert!(
                ym_stocks(&offers, &incoming(&query), &body).is_err(),
                "{query:?} {body}"
            );
        }
    }
}
