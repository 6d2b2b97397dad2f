//! A validator over the API contract digests committed in `tests/specs/` (derived from
//! the marketplaces' official specs by `digest.rs`): finds the operation by method and
//! path, and checks path and query parameters and request and response bodies against its
//! schemas, failing on the first nonconforming field (unknown fields included). A `$ref`
//! the digest cannot resolve stops the test; it never accepts anything.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use crate::digest::digests_dir;

pub struct Spec {
    pub name: &'static str,
    digest: Value,
}

/// A method the specs README lists as switched off by its marketplace.
#[derive(Debug, serde::Deserialize)]
pub struct SwitchedOff {
    pub marketplace: String,
    pub path: String,
    pub off_since: String,
    #[serde(default)]
    pub instead: Option<String>,
    /// The words of the specs README that say so (checked against it where it is at hand).
    pub readme: String,
}

/// The switched-off methods, kept as data in `tests/specs/switched-off.json`.
pub fn switched_off() -> Vec<SwitchedOff> {
    let path = digests_dir().join("switched-off.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An operation found for a concrete path.
struct Found<'a> {
    op: &'a Value,
    /// (name, value) of each path parameter.
    path_params: Vec<(String, String)>,
}

impl Spec {
    /// A spec over a digest value (the committed files, or one built by a test).
    pub fn from_digest(name: &'static str, digest: Value) -> Spec {
        Spec { name, digest }
    }

    fn load(name: &'static str) -> Spec {
        let path = digests_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; regenerate with `cargo test --test it -- --ignored regenerate_spec_digests`",
                path.display()
            )
        });
        let digest =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Spec::from_digest(name, digest)
    }

    pub fn ozon() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load("ozon"))
    }

    pub fn wb() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load("wb"))
    }

    pub fn ym() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load("ym"))
    }

    /// What was repaired in the official files while deriving the digest, by kind.
    pub fn repairs(&self) -> &Value {
        &self.digest["repaired"]
    }

    /// The digest of the catalogue entry `name`.
    pub fn entry(&self, name: &str) -> Option<&Value> {
        self.digest["operations"].get(name)
    }

    /// A schema, or the one a `#/schemas/<key>` reference names. A reference the digest
    /// does not hold is a broken digest: the test stops here.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let key = r
            .strip_prefix("#/schemas/")
            .unwrap_or_else(|| panic!("{}: $ref {r:?} does not point into the digest", self.name));
        match self.digest["schemas"].get(key) {
            Some(s) if !s.is_null() => s,
            _ => panic!("{}: unresolvable $ref {r:?}", self.name),
        }
    }

    /// The operation for `method` and a concrete `path`, with its path parameter values.
    fn operation(&self, method: &str, path: &str) -> Result<Found<'_>, String> {
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, Found<'_>)> = None;
        for op in self.digest["operations"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
        {
            if !op["method"]
                .as_str()
                .is_some_and(|m| m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            let template = op["path"].as_str().unwrap_or_default();
            let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
            let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
            let fits =
                t.len() == segs.len() && t.iter().zip(&segs).all(|(a, b)| is_param(a) || a == b);
            if !fits {
                continue;
            }
            let params = t.iter().filter(|s| is_param(s)).count();
            if best.as_ref().is_none_or(|(p, _)| params < *p) {
                let values = t
                    .iter()
                    .zip(&segs)
                    .filter(|(a, _)| is_param(a))
                    .map(|(a, b)| (a.trim_matches(['{', '}']).to_owned(), (*b).to_owned()))
                    .collect();
                best = Some((
                    params,
                    Found {
                        op,
                        path_params: values,
                    },
                ));
            }
        }
        best.map(|(_, found)| found)
            .ok_or_else(|| format!("{}: no operation {method} {path} in the digest", self.name))
    }

    fn parameters<'a>(op: &'a Value, place: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(move |p| p["in"] == place)
    }

    /// Checks each path parameter's value against its schema.
    pub fn check_path(&self, method: &str, path: &str) -> Result<(), String> {
        let Found { op, path_params } = self.operation(method, path)?;
        for (name, value) in path_params {
            let param = Self::parameters(op, "path")
                .find(|p| p["name"] == name.as_str())
                .ok_or_else(|| format!("{method} {path}: path parameter {name} is not defined"))?;
            let schema = self.resolve(&param["schema"]);
            let typed = match schema["type"].as_str() {
                Some("integer") => value
                    .parse::<i64>()
                    .map(Value::from)
                    .map_err(|_| format!("path {name}: {value:?} is not an integer"))?,
                _ => Value::String(value.clone()),
            };
            self.validate(schema, &typed, &format!("path.{name}"))?;
        }
        Ok(())
    }

    pub fn check_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(), String> {
        let op = self.operation(method, path)?.op;
        let request = &op["request"];
        let schema = &request["schema"];
        match (body, schema.is_null()) {
            (Some(b), false) => self.validate(schema, b, "request"),
            (Some(b), true) if b.as_object().is_some_and(Map::is_empty) => Ok(()),
            (Some(_), true) => Err(format!("{method} {path}: the spec defines no request body")),
            (None, false) if request["required"] == json!(true) => {
                Err(format!("{method} {path}: request body missing"))
            }
            (None, _) => Ok(()),
        }
    }

    /// Checks the query parameters: each is defined, required ones are present, enums hold.
    pub fn check_query(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
    ) -> Result<(), String> {
        let op = self.operation(method, path)?.op;
        let mut defined = Vec::new();
        for p in Self::parameters(op, "query") {
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let given = query.iter().find(|(k, _)| *k == name);
            match given {
                None if p["required"] == json!(true) => {
                    return Err(format!(
                        "{method} {path}: query parameter {name} is required"
                    ));
                }
                Some((_, v)) => {
                    let schema = self.resolve(&p["schema"]);
                    let value = match schema["type"].as_str() {
                        Some("integer") => v
                            .parse::<i64>()
                            .map(Value::from)
                            .map_err(|_| format!("query {name}: {v:?} is not an integer"))?,
                        Some("boolean") => v
                            .parse::<bool>()
                            .map(Value::from)
                            .map_err(|_| format!("query {name}: {v:?} is not a boolean"))?,
                        _ => Value::String(v.clone()),
                    };
                    self.validate(schema, &value, &format!("query.{name}"))?;
                }
                None => {}
            }
            defined.push(name);
        }
        match query.iter().find(|(k, _)| !defined.contains(k)) {
            Some((k, _)) => Err(format!(
                "{method} {path}: query parameter {k} is not in the spec"
            )),
            None => Ok(()),
        }
    }

    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: Option<&Value>,
    ) -> Result<(), String> {
        let op = self.operation(method, path)?.op;
        let responses = &op["responses"];
        let resp = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"));
        let Some(resp) = resp else {
            return Err(format!(
                "{method} {path}: status {status} is not in the spec"
            ));
        };
        match (body, resp.get("schema")) {
            (Some(b), Some(s)) => self.validate(s, b, "response"),
            (Some(_), None) => Err(format!(
                "{method} {path}: status {status} has no JSON body in the spec"
            )),
            (None, _) => Ok(()),
        }
    }

    /// Merges `allOf` parts into one object schema.
    fn flatten(&self, schema: &Value) -> Value {
        let schema = self.resolve(schema);
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            return schema.clone();
        };
        let mut props = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut merged = schema.clone();
        for p in parts {
            let flat = self.flatten(p);
            if let Some(pp) = flat["properties"].as_object() {
                for (k, v) in pp {
                    props.insert(k.clone(), v.clone());
                }
            }
            if let Some(r) = flat["required"].as_array() {
                required.extend(r.iter().cloned());
            }
            if let Some(t) = flat.get("type") {
                merged["type"] = t.clone();
            }
        }
        if let Some(o) = merged.as_object_mut() {
            o.remove("allOf");
        }
        if !props.is_empty() {
            merged["properties"] = Value::Object(props);
        }
        merged["required"] = Value::Array(required);
        merged
    }

    pub fn validate(&self, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
        let schema = self.flatten(schema);

        if value.is_null() {
            return if schema["nullable"] == json!(true)
                || schema.get("type").is_none() && schema.get("properties").is_none()
            {
                Ok(())
            } else {
                Err(format!("{path}: null is not allowed"))
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = schema.get(key).and_then(Value::as_array) {
                let errors: Vec<String> = alts
                    .iter()
                    .filter_map(|a| self.validate(a, value, path).err())
                    .collect();
                return if errors.len() < alts.len() {
                    Ok(())
                } else {
                    Err(errors.join(" | "))
                };
            }
        }
        let ty = schema["type"].as_str().unwrap_or_else(|| {
            if schema.get("properties").is_some() {
                "object"
            } else if schema.get("items").is_some() {
                "array"
            } else {
                ""
            }
        });
        match ty {
            "object" => {
                let obj = value
                    .as_object()
                    .ok_or_else(|| format!("{path}: expected an object, got {value}"))?;
                for r in schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !obj.contains_key(r) {
                        return Err(format!("{path}.{r}: required field missing"));
                    }
                }
                let props = schema["properties"].as_object();
                let extra = &schema["additionalProperties"];
                for (k, v) in obj {
                    let child = format!("{path}.{k}");
                    match props.and_then(|p| p.get(k)) {
                        Some(s) => self.validate(s, v, &child)?,
                        None if extra.is_object() => self.validate(extra, v, &child)?,
                        None if extra == &json!(true) || (props.is_none() && extra.is_null()) => {}
                        None => return Err(format!("{child}: field not in the spec")),
                    }
                }
                Ok(())
            }
            "array" => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("{path}: expected an array, got {value}"))?;
                for (i, item) in items.iter().enumerate() {
                    self.validate(&schema["items"], item, &format!("{path}[{i}]"))?;
                }
                if let Some(max) = schema["maxItems"].as_u64()
                    && items.len() as u64 > max
                {
                    return Err(format!("{path}: {} items, at most {max}", items.len()));
                }
                Ok(())
            }
            "integer" => {
                if value.is_i64() || value.is_u64() {
                    check_range(&schema, value, path)?;
                    check_enum(&schema, value, path)
                } else {
                    Err(format!("{path}: expected an integer, got {value}"))
                }
            }
            "number" => {
                value
                    .is_number()
                    .then_some(())
                    .ok_or_else(|| format!("{path}: expected a number, got {value}"))?;
                check_range(&schema, value, path)
            }
            "boolean" => value
                .is_boolean()
                .then_some(())
                .ok_or_else(|| format!("{path}: expected a boolean, got {value}")),
            "string" => {
                let s = value
                    .as_str()
                    .ok_or_else(|| format!("{path}: expected a string, got {value}"))?;
                match schema["format"].as_str() {
                    Some("int64" | "uint64" | "int32") if s.parse::<i128>().is_err() => {
                        return Err(format!("{path}: {s:?} is not an integer string"));
                    }
                    Some("date-time")
                        if !s.is_empty() && chrono::DateTime::parse_from_rfc3339(s).is_err() =>
                    {
                        return Err(format!("{path}: {s:?} is not an RFC 3339 date-time"));
                    }
                    _ => {}
                }
                check_enum(&schema, value, path)
            }
            _ => check_enum(&schema, value, path),
        }
    }
}

fn check_range(schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let v = value.as_f64().unwrap_or_default();
    if let Some(max) = schema["maximum"].as_f64()
        && v > max
    {
        return Err(format!("{path}: {value} is above the maximum {max}"));
    }
    if let Some(min) = schema["minimum"].as_f64()
        && v < min
    {
        return Err(format!("{path}: {value} is below the minimum {min}"));
    }
    Ok(())
}

fn check_enum(schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    match schema["enum"].as_array() {
        Some(allowed) if !allowed.contains(value) => {
            Err(format!("{path}: {value} is not one of {allowed:?}"))
        }
        _ => Ok(()),
    }
}

#[test]
fn the_validator_catches_what_it_should() {
    let spec = Spec::ozon();
    assert!(
        spec.repairs().as_object().is_some_and(|r| !r.is_empty()),
        "the Ozon file needs known repairs"
    );
    let ok = json!({"limit": 200});
    spec.check_request("POST", "/v2/warehouse/list", Some(&ok))
        .expect("valid");
    let unknown = json!({"limit": 200, "colour": "red"});
    assert!(
        spec.check_request("POST", "/v2/warehouse/list", Some(&unknown))
            .expect_err("refused")
            .contains("request.colour")
    );
    let missing = json!({"cursor": ""});
    assert!(
        spec.check_request("POST", "/v2/warehouse/list", Some(&missing))
            .expect_err("refused")
            .contains("limit")
    );
    let wrong_type =
        json!({"warehouses": [{"warehouse_id": "x"}], "cursor": "", "has_next": false});
    assert!(
        spec.check_response("POST", "/v2/warehouse/list", 200, Some(&wrong_type))
            .expect_err("refused")
            .contains("response.warehouses[0].warehouse_id")
    );
    assert!(spec.check_request("POST", "/v9/nothing", None).is_err());
}

#[test]
fn the_yaml_specs_load_and_validate() {
    let spec = Spec::wb();
    spec.check_request(
        "PUT",
        "/api/v3/stocks/123",
        Some(&json!({"stocks": [{"chrtId": 1, "amount": 2}]})),
    )
    .expect("valid");
    assert!(
        spec.check_request(
            "PUT",
            "/api/v3/stocks/123",
            Some(&json!({"stocks": [{"sku": "1", "amount": 2}]}))
        )
        .is_err()
    );
    let q = vec![
        ("type".to_owned(), "png".to_owned()),
        ("width".to_owned(), "58".to_owned()),
        ("height".to_owned(), "40".to_owned()),
    ];
    spec.check_query("POST", "/api/v3/orders/stickers", &q)
        .expect("valid query");
    let bad = vec![
        ("type".to_owned(), "pdf".to_owned()),
        ("width".to_owned(), "58".to_owned()),
        ("height".to_owned(), "40".to_owned()),
    ];
    assert!(
        spec.check_query("POST", "/api/v3/orders/stickers", &bad)
            .is_err(),
        "WB stickers have no PDF"
    );
}

/// Checks every recorded exchange of a sandbox against `spec`; returns how many.
pub fn check_exchanges(spec: &Spec, exchanges: &[mpbot::sandbox::common::Exchange]) -> usize {
    for ex in exchanges {
        if ex.method == "GET" && ex.path.starts_with("/files/") {
            continue; // a label file URL is a plain download, not an API method
        }
        spec.check_path(&ex.method, &ex.path)
            .unwrap_or_else(|e| panic!("path of {} does not conform: {e}", ex.path));
        spec.check_query(&ex.method, &ex.path, &ex.query)
            .unwrap_or_else(|e| panic!("query of {} does not conform: {e}", ex.path));
        spec.check_request(&ex.method, &ex.path, ex.request.as_ref())
            .unwrap_or_else(|e| {
                panic!(
                    "request to {} does not conform: {e}\n{:#?}",
                    ex.path, ex.request
                )
            });
        if ex.injected {
            continue; // a fault injected on purpose
        }
        spec.check_response(&ex.method, &ex.path, ex.status, ex.response.as_ref())
            .unwrap_or_else(|e| {
                panic!(
                    "response of {} {} ({}) does not conform: {e}",
                    ex.method, ex.path, ex.status
                )
            });
    }
    exchanges.len()
}

#[test]
fn the_multi_file_ym_spec_is_enforced() {
    let spec = Spec::ym();
    let good = json!({"orders": [{"id": 1, "status": "PROCESSING", "substatus": "STARTED"}]});
    spec.check_request("POST", "/v2/campaigns/1/orders/status-update", Some(&good))
        .expect("valid");
    let bad_enum =
        json!({"orders": [{"id": 1, "status": "PROCESSING", "substatus": "PACKED_BY_ELVES"}]});
    assert!(
        spec.check_request(
            "POST",
            "/v2/campaigns/1/orders/status-update",
            Some(&bad_enum)
        )
        .is_err()
    );
    let order = json!({"orderId": 1, "campaignId": 2, "status": "PROCESSING", "substatus": "STARTED", "creationDate": "2026-11-23T09:00:00Z",
                       "paymentType": "PREPAID", "paymentMethod": "YANDEX", "items": [], "delivery": {}});
    let e = spec
        .check_response(
            "POST",
            "/v1/businesses/1/orders",
            200,
            Some(&json!({"orders": [order]})),
        )
        .expect_err("fake is required");
    assert!(e.contains("fake"), "{e}");
    let q = vec![("limit".to_owned(), "500".to_owned())];
    assert!(
        spec.check_query("POST", "/v2/businesses/1/offer-mappings", &q)
            .is_err(),
        "limit is at most 100"
    );
    assert!(
        spec.check_query(
            "POST",
            "/v2/businesses/1/offer-mappings",
            &[("page".to_owned(), "1".to_owned())]
        )
        .is_err(),
        "unknown query"
    );
}

/// Every request in the catalogue has its operation in the digest of its marketplace (the
/// two Ozon label methods newer than the snapshot come from the changelog), none calls a
/// switched-off method, and the digest holds nothing the catalogue does not call.
#[test]
fn every_catalogue_entry_is_a_current_operation_of_its_spec() {
    use mpbot::marketplaces::endpoints as ep;
    let off = switched_off();
    assert!(!off.is_empty(), "switched-off.json lists methods");
    let mut covered = std::collections::BTreeMap::<&str, usize>::new();
    for e in ep::ALL {
        if let Some(o) = off.iter().find(|o| o.path == e.path) {
            panic!(
                "{} calls {} ({}), switched off since {}; use {:?}",
                e.name, e.path, o.marketplace, o.off_since, o.instead
            );
        }
        let spec = match crate::digest::digest_of(e) {
            Some("ozon") => Spec::ozon(),
            Some("ym") => Spec::ym(),
            Some(_) => Spec::wb(),
            None => continue, // Nova Poshta (novaposhta.rs) and Ozon's label file URL
        };
        let op = spec
            .entry(e.name)
            .unwrap_or_else(|| panic!("{}: not in tests/specs/{}.json", e.name, spec.name));
        assert_eq!(op["method"], e.method.as_str(), "{}", e.name);
        // Fill path parameters with plausible values to find the operation by its path.
        let concrete: String = e
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        spec.operation(e.method.as_str(), &concrete)
            .unwrap_or_else(|err| panic!("{}: {err}", e.name));
        *covered.entry(spec.name).or_default() += 1;
    }
    eprintln!("catalogue entries found in their digest: {covered:?}");
    for spec in [Spec::ozon(), Spec::wb(), Spec::ym()] {
        let ops = spec.digest["operations"].as_object().map_or(0, Map::len);
        assert_eq!(
            ops,
            covered.get(spec.name).copied().unwrap_or_default(),
            "{}: the digest holds operations the catalogue does not call",
            spec.name
        );
        eprintln!(
            "{} spec repaired while deriving: {}",
            spec.name,
            spec.repairs()
        );
    }
}

/// A digest whose `$ref` names no schema stops the check instead of accepting anything.
#[test]
#[should_panic(expected = "unresolvable $ref")]
fn a_dangling_ref_in_a_digest_stops_the_check() {
    let spec = Spec::from_digest(
        "broken",
        json!({"operations": {"x": {"method": "POST", "path": "/v1/x", "parameters": [],
            "request": {"required": true, "schema": {"$ref": "#/schemas/Gone"}}, "responses": {}}},
            "schemas": {}}),
    );
    let _ = spec.check_request("POST", "/v1/x", Some(&json!({"anything": 1})));
}

#[test]
fn required_parameters_and_bodies_are_enforced() {
    let spec = Spec::wb();
    let only_limit = vec![("limit".to_owned(), "10".to_owned())];
    let e = spec
        .check_query("GET", "/api/v3/orders", &only_limit)
        .expect_err("next is required");
    assert!(e.contains("next"), "{e}");
    let both = vec![
        ("limit".to_owned(), "10".to_owned()),
        ("next".to_owned(), "0".to_owned()),
    ];
    spec.check_query("GET", "/api/v3/orders", &both)
        .expect("valid");
    assert!(
        spec.check_path("PATCH", "/api/v3/orders/abc/cancel")
            .is_err(),
        "orderId is an integer"
    );
    spec.check_path("PATCH", "/api/v3/orders/42/cancel")
        .expect("valid");
}
