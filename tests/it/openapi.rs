//! A validator for the marketplaces' OpenAPI specs in `../shared/specs`: finds the
//! operation by method and path, and checks request and response bodies against the
//! schemas, failing on the first nonconforming field (unknown fields included). Known
//! slips in the spec files are repaired at load time and listed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::harness::specs_dir;

pub struct Spec {
    pub name: &'static str,
    roots: Vec<PathBuf>,
    files: Mutex<HashMap<PathBuf, Doc>>,
    repairs: Mutex<BTreeMap<String, usize>>,
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

/// A loaded spec file.
type Doc = Arc<Value>;

/// An operation found for a concrete path.
struct Found {
    /// The operation, with path-level parameters folded in.
    op: Value,
    /// The file it lives in (relative `$ref`s resolve from there).
    file: PathBuf,
    /// (name, value) of each path parameter.
    path_params: Vec<(String, String)>,
}

impl Spec {
    fn new(name: &'static str, roots: Vec<PathBuf>) -> Spec {
        let spec = Spec {
            name,
            roots,
            files: Mutex::new(HashMap::new()),
            repairs: Mutex::new(BTreeMap::new()),
        };
        for r in &spec.roots {
            spec.file(r);
        }
        spec
    }

    pub fn ozon() -> &'static Spec {
        static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            let root = specs_dir().join("ozon/seller-api-swagger.ru.2026-08-14.json");
            let spec = Spec::new("ozon", vec![root.clone()]);
            let doc = spec.file(&root);
            let mut doc = (*doc).clone();
            for (p, op) in ozon_supplements() {
                doc["paths"][p] = op;
                spec.note(format!("supplemented {p} (newer than the snapshot)"));
            }
            spec.files
                .lock()
                .expect("files")
                .insert(normalize(&root), Arc::new(doc));
            spec
        })
    }

    pub fn wb() -> &'static Spec {
        static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            let dir = specs_dir().join("wildberries/2026-08");
            let roots = [
                "01-general",
                "02-items",
                "03-orders-fbs",
                "07-orders-fbw",
                "10-rates",
                "11-analytics",
                "12-reports",
                "13-finances",
            ]
            .iter()
            .map(|f| dir.join(format!("{f}.yaml")))
            .collect();
            Spec::new("wb", roots)
        })
    }

    pub fn ym() -> &'static Spec {
        static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            Spec::new(
                "ym",
                vec![specs_dir().join("yandex-market/openapi/openapi.yaml")],
            )
        })
    }

    pub fn repairs(&self) -> BTreeMap<String, usize> {
        self.repairs.lock().expect("repairs").clone()
    }

    fn note(&self, what: String) {
        *self
            .repairs
            .lock()
            .expect("repairs")
            .entry(what)
            .or_default() += 1;
    }

    /// Loads (once) a JSON or YAML file, repaired.
    fn file(&self, path: &Path) -> Doc {
        let path = normalize(path);
        if let Some(d) = self.files.lock().expect("files").get(&path) {
            return d.clone();
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut value: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        } else {
            let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            yaml_to_json(y)
        };
        let mut found = BTreeMap::new();
        repair(&mut value, &mut found);
        for (k, n) in found {
            *self.repairs.lock().expect("repairs").entry(k).or_default() += n;
        }
        let doc = Arc::new(value);
        self.files.lock().expect("files").insert(path, doc.clone());
        doc
    }

    /// Follows `$ref` chains (local or to other files); returns the target and its file.
    fn resolve(&self, v: &Value, file: &Path) -> (Value, PathBuf) {
        let mut cur = v.clone();
        let mut file = file.to_path_buf();
        for _ in 0..64 {
            let Some(r) = cur.get("$ref").and_then(Value::as_str).map(str::to_owned) else {
                break;
            };
            let (target_file, pointer) = match r.split_once('#') {
                Some(("", p)) => (file.clone(), p.to_owned()),
                Some((f, p)) => (
                    normalize(&file.parent().unwrap_or(Path::new(".")).join(f)),
                    p.to_owned(),
                ),
                None => (
                    normalize(&file.parent().unwrap_or(Path::new(".")).join(&r)),
                    String::new(),
                ),
            };
            let doc = self.file(&target_file);
            let mut target: &Value = &doc;
            for part in pointer
                .trim_start_matches('/')
                .split('/')
                .filter(|p| !p.is_empty())
            {
                target = &target[part.replace("~1", "/").replace("~0", "~")];
            }
            cur = target.clone();
            file = target_file;
        }
        (cur, file)
    }

    /// The operation for `method` and a concrete `path`, with the file it lives in.
    fn operation(&self, method: &str, path: &str) -> Result<(Value, PathBuf), String> {
        self.operation_with_params(method, path)
            .map(|f| (f.op, f.file))
    }

    /// The operation (with path-level parameters folded in), its file, and the values of
    /// its path parameters in `path`.
    fn operation_with_params(&self, method: &str, path: &str) -> Result<Found, String> {
        let m = method.to_ascii_lowercase();
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, Found)> = None;
        for root in &self.roots {
            let doc = self.file(root);
            let Some(paths) = doc["paths"].as_object() else {
                continue;
            };
            for (template, item) in paths {
                let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
                let fits = t.len() == segs.len()
                    && t.iter()
                        .zip(&segs)
                        .all(|(a, b)| (a.starts_with('{') && a.ends_with('}')) || a == b);
                if !fits {
                    continue;
                }
                let (item, file) = self.resolve(item, root);
                if item.get(&m).is_none() {
                    continue;
                }
                let params = template.matches('{').count();
                if best.as_ref().is_none_or(|(p, _)| params < *p) {
                    let mut op = item[&m].clone();
                    if let Some(shared) = item["parameters"].as_array() {
                        let mut all = op["parameters"].as_array().cloned().unwrap_or_default();
                        all.extend(shared.iter().cloned());
                        op["parameters"] = Value::Array(all);
                    }
                    let values = t
                        .iter()
                        .zip(&segs)
                        .filter(|(a, _)| a.starts_with('{'))
                        .map(|(a, b)| (a.trim_matches(['{', '}']).to_owned(), (*b).to_owned()))
                        .collect();
                    best = Some((
                        params,
                        Found {
                            op,
                            file,
                            path_params: values,
                        },
                    ));
                }
            }
        }
        best.map(|(_, found)| found)
            .ok_or_else(|| format!("{}: no operation {method} {path} in the spec", self.name))
    }

    /// Checks each path parameter's value against its schema.
    pub fn check_path(&self, method: &str, path: &str) -> Result<(), String> {
        let Found {
            op,
            file,
            path_params: values,
        } = self.operation_with_params(method, path)?;
        for (name, value) in values {
            let param = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| self.resolve(p, &file))
                .find(|(p, _)| p["in"] == "path" && p["name"] == name.as_str())
                .ok_or_else(|| format!("{method} {path}: path parameter {name} is not defined"))?;
            let (schema, sfile) = self.resolve(&param.0["schema"], &param.1);
            let typed = match schema["type"].as_str() {
                Some("integer") => value
                    .parse::<i64>()
                    .map(Value::from)
                    .map_err(|_| format!("path {name}: {value:?} is not an integer"))?,
                _ => Value::String(value.clone()),
            };
            self.validate(&schema, &sfile, &typed, &format!("path.{name}"))?;
        }
        Ok(())
    }

    pub fn check_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(), String> {
        let (op, file) = self.operation(method, path)?;
        let (rb, file) = self.resolve(&op["requestBody"], &file);
        let schema = &rb["content"]["application/json"]["schema"];
        match (body, schema.is_null()) {
            (Some(b), false) => self.validate(schema, &file, b, "request"),
            (Some(b), true) if b.as_object().is_some_and(Map::is_empty) => Ok(()),
            (Some(_), true) => Err(format!("{method} {path}: the spec defines no request body")),
            (None, false) if rb["required"] == json!(true) => {
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
        let (op, file) = self.operation(method, path)?;
        let mut defined = Vec::new();
        for p in op["parameters"].as_array().into_iter().flatten() {
            let (p, pfile) = self.resolve(p, &file);
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let given = query.iter().find(|(k, _)| *k == name);
            match given {
                None if p["required"] == json!(true) => {
                    return Err(format!(
                        "{method} {path}: query parameter {name} is required"
                    ));
                }
                Some((_, v)) => {
                    let (schema, sfile) = self.resolve(&p["schema"], &pfile);
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
                    self.validate(&schema, &sfile, &value, &format!("query.{name}"))?;
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
        let (op, file) = self.operation(method, path)?;
        let responses = &op["responses"];
        let resp = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"));
        let Some(resp) = resp else {
            return Err(format!(
                "{method} {path}: status {status} is not in the spec"
            ));
        };
        let (resp, file) = self.resolve(resp, &file);
        let content = resp["content"].as_object();
        let schema = content.and_then(|c| {
            c.iter()
                .find(|(ct, _)| ct.contains("json"))
                .map(|(_, c)| c["schema"].clone())
        });
        match (body, schema) {
            (Some(b), Some(s)) => self.validate(&s, &file, b, "response"),
            (Some(_), None) => Err(format!(
                "{method} {path}: status {status} has no JSON body in the spec"
            )),
            (None, _) => Ok(()),
        }
    }

    /// Merges `allOf` parts into one object schema.
    fn flatten(&self, schema: &Value, file: &Path) -> (Value, PathBuf) {
        let (schema, file) = self.resolve(schema, file);
        let Some(parts) = schema.get("allOf").and_then(Value::as_array).cloned() else {
            return (schema, file);
        };
        let mut props = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut merged = schema.clone();
        for p in &parts {
            let (flat, pfile) = self.flatten(p, &file);
            // Properties from another file keep their refs resolvable by inlining them.
            if let Some(pp) = flat["properties"].as_object() {
                for (k, v) in pp {
                    props.insert(k.clone(), self.resolve(v, &pfile).0);
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
        (merged, file)
    }

    pub fn validate(
        &self,
        schema: &Value,
        file: &Path,
        value: &Value,
        path: &str,
    ) -> Result<(), String> {
        let (schema, file) = self.flatten(schema, file);
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
                    .filter_map(|a| self.validate(a, &file, value, path).err())
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
                        Some(s) => self.validate(s, &file, v, &child)?,
                        None if extra.is_object() => self.validate(extra, &file, v, &child)?,
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
                    self.validate(&schema["items"], &file, item, &format!("{path}[{i}]"))?;
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

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn yaml_to_json(y: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => n
            .as_i64()
            .map(Value::from)
            .or_else(|| n.as_u64().map(Value::from))
            .or_else(|| n.as_f64().map(Value::from))
            .unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => yaml_to_json(t.value),
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
            // A boolean `required` is right on a parameter or request body, a slip inside a
            // schema's properties: remove it only there.
            if let Some(Value::Object(props)) = m.get_mut("properties") {
                for prop in props.values_mut() {
                    if let Value::Object(p) = prop
                        && p.get("required").is_some_and(Value::is_boolean)
                    {
                        p.remove("required");
                        *repairs
                            .entry("boolean `required` inside a property removed".into())
                            .or_default() += 1;
                    }
                }
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
        !spec.repairs().is_empty(),
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

/// Methods the specs README lists as switched off by today (2026-11-22).
const SHUT_DOWN: &[&str] = &[
    "/v3/posting/fbs/list",
    "/v3/posting/fbs/unfulfilled/list",
    "/v2/posting/fbo/list",
    "/v2/posting/fbs/package-label",
    "/v1/posting/fbs/package-label/create",
    "/v2/posting/fbs/package-label/create",
    "/v1/posting/fbs/package-label/get",
    "/v1/product/info/stocks-by-warehouse/fbs",
    "/v1/warehouse/list",
    "/v3/finance/transaction/list",
    "/v3/finance/transaction/totals",
    "/api/v5/supplier/reportDetailByPeriod",
    "/api/v1/supplier/stocks",
    "/api/v1/supplier/incomes",
    "/api/v3/supplies/{supplyId}/orders/{orderId}",
    "/v2/campaigns/{campaignId}/orders",
];

/// Every request in the catalogue is an operation of the official spec (or, for the two
/// Ozon label methods newer than the snapshot, of the supplement), and none is shut down.
#[test]
fn every_catalogue_entry_is_a_current_operation_of_its_spec() {
    use mpbot::marketplaces::endpoints::{self as ep, Family};
    let mut covered = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for e in ep::ALL {
        assert!(
            !SHUT_DOWN.contains(&e.path),
            "{} calls {}, which is switched off",
            e.name,
            e.path
        );
        let spec = match e.family {
            Family::Ozon if e.name == ep::OZON_LABEL_FILE.name => continue, // a file URL handed out by Ozon
            Family::Ozon => Spec::ozon(),
            Family::Ym => Spec::ym(),
            Family::NovaPoshta => continue, // no machine-readable spec; see novaposhta.rs
            _ => Spec::wb(),
        };
        // Fill path parameters with plausible values to find the operation.
        let concrete: String = e
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let entry = covered.entry(spec.name).or_default();
        entry.1 += 1;
        spec.operation(e.method.as_str(), &concrete)
            .unwrap_or_else(|err| panic!("{}: {err}", e.name));
        entry.0 += 1;
    }
    eprintln!("catalogue entries found in their spec: {covered:?}");
    for spec in [Spec::ozon(), Spec::wb(), Spec::ym()] {
        eprintln!("{} spec repaired at load: {:?}", spec.name, spec.repairs());
    }
    assert_eq!(
        covered.values().map(|(a, b)| a == b).collect::<Vec<_>>(),
        vec![true; covered.len()]
    );
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
