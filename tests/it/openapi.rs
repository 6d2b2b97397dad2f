//! A validator for the marketplaces' OpenAPI specs in `../shared/specs`: finds the
//! operation by method and path, and checks request and response bodies against the
//! schemas, failing on the first nonconforming field (unknown fields included). Known
//! slips in the spec files are repaired at load time and listed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::harness::specs_dir;

pub struct Spec {
    pub name: &'static str,
    doc: Value,
    pub repairs: BTreeMap<String, usize>,
}

/// Operations the product needs that are newer than the spec snapshot, described from the
/// marketplace's changelog (see specs/README.md §2.1).
fn ozon_supplements() -> Vec<(&'static str, Value)> {
    let error = json!({"$ref": "#/components/schemas/rpcStatus"});
    vec![
        (
            "/v3/posting/fbs/package-label/create",
            json!({"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["posting_numbers"],
                    "properties": {"posting_numbers": {"type": "array", "items": {"type": "string"}}}}}}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"tasks": {"type": "array", "items": {
                        "type": "object", "properties": {"task_id": {"type": "integer", "format": "int64"},
                        "task_type": {"type": "string", "enum": ["big_label", "small_label"]}}}}}}}}},
                    "default": {"content": {"application/json": {"schema": error.clone()}}}}}}),
        ),
        (
            "/v2/posting/fbs/package-label/get",
            json!({"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["task_id"],
                    "properties": {"task_id": {"type": "integer", "format": "int64"}}}}}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                        "status": {"type": "object", "properties": {
                            "code": {"type": "string", "enum": ["pending", "in_progress", "completed", "error"]},
                            "postings_count": {"type": "integer"}, "printed_postings_count": {"type": "integer"},
                            "unprinted_postings": {"type": "array", "items": {"type": "object", "properties": {
                                "posting_number": {"type": "string"}, "message": {"type": "string"}}}}}},
                        "file_url": {"type": "string"},
                        "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}},
                    "default": {"content": {"application/json": {"schema": error}}}}}}),
        ),
    ]
}

impl Spec {
    pub fn ozon() -> &'static Spec {
        static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            let path = specs_dir().join("ozon/seller-api-swagger.ru.2026-08-14.json");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut doc: Value = serde_json::from_str(&text).expect("the Ozon spec is JSON");
            let mut repairs = BTreeMap::new();
            repair(&mut doc, &mut repairs);
            for (p, op) in ozon_supplements() {
                doc["paths"][p] = op;
                *repairs
                    .entry(format!("supplemented {p} (newer than the snapshot)"))
                    .or_default() += 1;
            }
            Spec {
                name: "ozon",
                doc,
                repairs,
            }
        })
    }

    /// The operation for `method` and a concrete `path`.
    fn operation(&self, method: &str, path: &str) -> Result<&Value, String> {
        let paths = self.doc["paths"].as_object().ok_or("spec has no paths")?;
        let m = method.to_ascii_lowercase();
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut candidates: Vec<(&String, &Value)> = paths
            .iter()
            .filter(|(template, _)| {
                let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
                t.len() == segs.len()
                    && t.iter()
                        .zip(&segs)
                        .all(|(a, b)| (a.starts_with('{') && a.ends_with('}')) || a == b)
            })
            .collect();
        // A literal segment beats a parameter.
        candidates.sort_by_key(|(t, _)| t.matches('{').count());
        let (_, item) = candidates
            .first()
            .ok_or_else(|| format!("{}: no operation {method} {path} in the spec", self.name))?;
        item.get(&m)
            .ok_or_else(|| format!("{}: {path} has no {method}", self.name))
    }

    pub fn check_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(), String> {
        let op = self.operation(method, path)?;
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        match (body, schema.is_null()) {
            (Some(b), false) => self.validate(schema, b, "request"),
            (Some(b), true) if b.as_object().is_some_and(Map::is_empty) => Ok(()),
            (Some(_), true) => Err(format!("{method} {path}: the spec defines no request body")),
            (None, false) if op["requestBody"]["required"] == json!(true) => {
                Err(format!("{method} {path}: request body missing"))
            }
            (None, _) => Ok(()),
        }
    }

    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: Option<&Value>,
    ) -> Result<(), String> {
        let op = self.operation(method, path)?;
        let responses = &op["responses"];
        let resp = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"));
        let Some(resp) = resp else {
            return Err(format!(
                "{method} {path}: status {status} is not in the spec"
            ));
        };
        let resp = self.resolve(resp);
        let schema = &resp["content"]["application/json"]["schema"];
        match (body, schema.is_null()) {
            (Some(b), false) => self.validate(schema, b, "response"),
            (None, _) | (_, true) => Ok(()),
        }
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        let mut cur = v;
        for _ in 0..32 {
            match cur.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let mut target = &self.doc;
                    for part in r.trim_start_matches("#/").split('/') {
                        target = &target[part.replace("~1", "/").replace("~0", "~")];
                    }
                    cur = target;
                }
                None => return cur,
            }
        }
        cur
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
                props.extend(pp.clone());
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
                    Ok(())
                } else {
                    Err(format!("{path}: expected an integer, got {value}"))
                }
            }
            "number" => value
                .is_number()
                .then_some(())
                .ok_or_else(|| format!("{path}: expected a number, got {value}")),
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

fn check_enum(schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    match schema["enum"].as_array() {
        Some(allowed) if !allowed.contains(value) => {
            Err(format!("{path}: {value} is not one of {allowed:?}"))
        }
        _ => Ok(()),
    }
}

/// Repairs the schema slips the specs README lists, counting each kind.
fn repair(v: &mut Value, repairs: &mut BTreeMap<String, usize>) {
    match v {
        Value::Object(m) => {
            if m.get("type").and_then(Value::as_str) == Some("int") {
                m.insert("type".into(), json!("integer"));
                *repairs.entry("type: int -> integer".into()).or_default() += 1;
            }
            if m.get("enum").is_some_and(Value::is_null) {
                m.remove("enum");
                *repairs.entry("enum: null removed".into()).or_default() += 1;
            }
            if m.get("required").is_some_and(Value::is_boolean) {
                m.remove("required");
                *repairs
                    .entry("boolean `required` in a property removed".into())
                    .or_default() += 1;
            }
            if let Some(Value::Object(props)) = m.get("properties") {
                let names: Vec<String> = props.keys().cloned().collect();
                if let Some(Value::Array(req)) = m.get_mut("required") {
                    let before = req.len();
                    req.retain(|r| r.as_str().is_some_and(|r| names.iter().any(|n| n == r)));
                    if req.len() != before {
                        *repairs
                            .entry("required fields that are not defined dropped".into())
                            .or_default() += before - req.len();
                    }
                }
            }
            for child in m.values_mut() {
                repair(child, repairs);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| repair(c, repairs)),
        _ => {}
    }
}

#[test]
fn the_validator_catches_what_it_should() {
    let spec = Spec::ozon();
    assert!(
        !spec.repairs.is_empty(),
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
