//! Derives the API contract digests committed in `tests/specs/` from the official
//! specifications in `../shared/specs`, so a clone of the repository alone can check every
//! exchange. A marketplace digest holds, for each operation the catalogue calls, its
//! method, path template, parameters and request and response schemas with every `$ref`
//! resolved (a schema that contains itself goes once into the digest's `schemas` table and
//! is referred to as `#/schemas/<key>`), and nothing else: no descriptions, no examples.
//! The Bot API digest holds the methods the bot calls and the types their parameters use.
//! Known slips of the spec files are repaired while deriving and counted in the digest.
//!
//! Regenerate after a catalogue change or a new spec snapshot:
//! `cargo test --test it -- --ignored regenerate_spec_digests`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mpbot::marketplaces::endpoints::{self as ep, Endpoint, Family};
use serde_json::{Map, Value, json};

/// The official specs beside the repository, when this checkout has them.
pub fn official_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs");
    dir.is_dir().then_some(dir)
}

/// Where the digests are committed.
pub fn digests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs")
}

/// The digest (by file stem) that covers a catalogue entry; `None` for requests with no
/// machine-readable spec (Nova Poshta) and for the label file URL Ozon hands out.
pub fn digest_of(e: &Endpoint) -> Option<&'static str> {
    match e.family {
        Family::NovaPoshta => None,
        Family::Ozon if e.name == ep::OZON_LABEL_FILE.name => None,
        Family::Ozon => Some("ozon"),
        Family::Ym => Some("ym"),
        _ => Some("wb"),
    }
}

/// The Bot API methods the bot calls (teloxide's polling and our sends).
pub const BOT_METHODS: &[&str] = &[
    "getMe",
    "getWebhookInfo",
    "deleteWebhook",
    "logOut",
    "close",
    "getUpdates",
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "sendChatAction",
    "editMessageText",
    "editMessageReplyMarkup",
    "editMessageCaption",
    "deleteMessage",
    "answerCallbackQuery",
    "setMyCommands",
    "deleteMyCommands",
    "getFile",
];

/// Schema keywords a digest keeps: what the validator checks, and the structure it walks.
const KEEP: &[&str] = &[
    "type", "format", "enum", "nullable", "required", "minimum", "maximum", "minItems", "maxItems",
];

/// One official spec on disk: its files (loaded once, repaired), and what was repaired.
struct Official {
    /// The folder relative `$ref`s and schema keys are counted from.
    dir: PathBuf,
    main: PathBuf,
    files: HashMap<PathBuf, Arc<Value>>,
    repairs: BTreeMap<String, usize>,
}

impl Official {
    fn new(main: PathBuf) -> Official {
        let main = normalize(&main);
        Official {
            dir: main.parent().unwrap_or(Path::new(".")).to_path_buf(),
            main,
            files: HashMap::new(),
            repairs: BTreeMap::new(),
        }
    }

    /// Loads (once) a JSON or YAML file and repairs it.
    fn file(&mut self, path: &Path) -> Result<Arc<Value>, String> {
        let path = normalize(path);
        if let Some(d) = self.files.get(&path) {
            return Ok(d.clone());
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut value: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        } else {
            let y: serde_yaml_ng::Value =
                serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            yaml_to_json(y)
        };
        repair(&mut value, &mut self.repairs);
        let doc = Arc::new(value);
        self.files.insert(path, doc.clone());
        Ok(doc)
    }

    /// Replaces a loaded file's content (to add supplements).
    fn replace(&mut self, path: &Path, doc: Value) {
        self.files.insert(normalize(path), Arc::new(doc));
    }

    /// The target of one `$ref` written in `file`, its file, and its key; an unresolvable
    /// reference is an error, never an empty schema.
    fn target(&mut self, reference: &str, file: &Path) -> Result<(Value, PathBuf, String), String> {
        let base = file.parent().unwrap_or(Path::new("."));
        let (target_file, pointer) = match reference.split_once('#') {
            Some(("", p)) => (normalize(file), p.to_owned()),
            Some((f, p)) => (normalize(&base.join(f)), p.to_owned()),
            None => (normalize(&base.join(reference)), String::new()),
        };
        let doc = self.file(&target_file)?;
        let found = if pointer.is_empty() {
            Some(doc.as_ref())
        } else {
            doc.pointer(&pointer)
        };
        let Some(found) = found else {
            return Err(format!(
                "unresolvable $ref {reference:?} in {}",
                file.display()
            ));
        };
        let key = if target_file == self.main {
            pointer.trim_start_matches('/').to_owned()
        } else {
            let rel = target_file
                .strip_prefix(&self.dir)
                .unwrap_or(&target_file)
                .display()
                .to_string();
            format!("{rel}#{pointer}")
        };
        Ok((found.clone(), target_file, key))
    }

    /// Follows a chain of `$ref`s to a value that is not one.
    fn deref(&mut self, v: &Value, file: &Path) -> Result<(Value, PathBuf), String> {
        let mut cur = v.clone();
        let mut file = file.to_path_buf();
        for _ in 0..64 {
            let Some(r) = cur.get("$ref").and_then(Value::as_str).map(str::to_owned) else {
                return Ok((cur, file));
            };
            let (target, target_file, _) = self.target(&r, &file)?;
            cur = target;
            file = target_file;
        }
        Err(format!("$ref chain too long at {}", file.display()))
    }
}

/// Builds one marketplace digest.
struct Builder<'a> {
    src: &'a mut Official,
    /// Schemas met again inside themselves: key → where they live.
    recursive: BTreeMap<String, (PathBuf, String)>,
    schemas: BTreeMap<String, Value>,
}

impl Builder<'_> {
    /// A schema with every `$ref` resolved and only the kept keywords.
    fn schema(&mut self, v: &Value, file: &Path, stack: &mut Vec<String>) -> Result<Value, String> {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let (target, target_file, key) = self.src.target(r, file)?;
            if stack.contains(&key) {
                self.recursive
                    .entry(key.clone())
                    .or_insert_with(|| (file.to_path_buf(), r.to_owned()));
                return Ok(json!({ "$ref": format!("#/schemas/{key}") }));
            }
            stack.push(key);
            let out = self.schema(&target, &target_file, stack);
            stack.pop();
            return out;
        }
        let Some(obj) = v.as_object() else {
            return Ok(v.clone());
        };
        let mut out = Map::new();
        for (k, val) in obj {
            let kept = match k.as_str() {
                "properties" => {
                    let mut props = Map::new();
                    for (name, s) in val.as_object().into_iter().flatten() {
                        props.insert(name.clone(), self.schema(s, file, stack)?);
                    }
                    Value::Object(props)
                }
                "items" => self.schema(val, file, stack)?,
                "additionalProperties" if val.is_object() => self.schema(val, file, stack)?,
                "additionalProperties" => val.clone(),
                "allOf" | "oneOf" | "anyOf" => Value::Array(
                    val.as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| self.schema(s, file, stack))
                        .collect::<Result<_, _>>()?,
                ),
                k if KEEP.contains(&k) => val.clone(),
                _ => continue,
            };
            out.insert(k.clone(), kept);
        }
        Ok(Value::Object(out))
    }

    /// Digests the recursive schemas met so far, until none is left out.
    fn finish_recursive(&mut self) -> Result<(), String> {
        loop {
            let next = self
                .recursive
                .iter()
                .find(|(k, _)| !self.schemas.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()));
            let Some((key, (file, reference))) = next else {
                return Ok(());
            };
            self.schemas.insert(key.clone(), Value::Null);
            let (target, target_file, _) = self.src.target(&reference, &file)?;
            let digested = self.schema(&target, &target_file, &mut vec![key.clone()])?;
            self.schemas.insert(key, digested);
        }
    }

    /// The media and schema of a request body or a response.
    fn content(&mut self, v: &Value, file: &Path) -> Result<Map<String, Value>, String> {
        let mut out = Map::new();
        let Some(content) = v["content"].as_object() else {
            return Ok(out);
        };
        let json_type = content.keys().find(|ct| ct.contains("json")).cloned();
        match json_type {
            Some(ct) => {
                let s = self.schema(&content[&ct]["schema"], file, &mut Vec::new())?;
                out.insert("schema".into(), s);
            }
            None => {
                out.insert("media".into(), json!(content.keys().collect::<Vec<_>>()));
            }
        }
        Ok(out)
    }

    /// The digest of the operation a catalogue entry calls, found in `roots`.
    fn operation(&mut self, e: &Endpoint, roots: &[PathBuf]) -> Result<Value, String> {
        let method = e.method.as_str().to_ascii_lowercase();
        let want: Vec<&str> = e.path.trim_end_matches('/').split('/').collect();
        let mut found = None;
        for root in roots {
            let doc = self.src.file(root)?;
            for (template, item) in doc["paths"].as_object().into_iter().flatten() {
                let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
                let fits = t.len() == want.len()
                    && t.iter().zip(&want).all(|(a, b)| {
                        let param = |s: &str| s.starts_with('{') && s.ends_with('}');
                        (param(a) && param(b)) || a == b
                    });
                if !fits {
                    continue;
                }
                let (item, file) = self.src.deref(item, root)?;
                if item.get(&method).is_some() {
                    found = Some((template.clone(), item, file));
                }
            }
        }
        let (template, item, file) = found
            .ok_or_else(|| format!("{}: no operation {method} {} in the spec", e.name, e.path))?;
        let op = &item[&method];
        let mut params = Vec::new();
        let mut seen = BTreeSet::new();
        let all = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(item["parameters"].as_array().into_iter().flatten());
        for p in all.cloned().collect::<Vec<_>>() {
            let (p, pfile) = self.src.deref(&p, &file)?;
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let place = p["in"].as_str().unwrap_or_default().to_owned();
            if !seen.insert((name.clone(), place.clone())) {
                continue; // an operation's own parameter wins over the path's
            }
            let schema = self.schema(&p["schema"], &pfile, &mut Vec::new())?;
            params.push(json!({
                "name": name,
                "in": place,
                "required": p["required"] == json!(true),
                "schema": schema,
            }));
        }
        let mut digest = Map::new();
        digest.insert("name".into(), json!(e.name));
        digest.insert("method".into(), json!(e.method.as_str()));
        digest.insert("path".into(), json!(template));
        digest.insert("parameters".into(), Value::Array(params));
        if !op["requestBody"].is_null() {
            let (rb, rbfile) = self.src.deref(&op["requestBody"], &file)?;
            let mut request = self.content(&rb, &rbfile)?;
            request.insert("required".into(), json!(rb["required"] == json!(true)));
            digest.insert("request".into(), Value::Object(request));
        }
        let mut responses = Map::new();
        for (status, r) in op["responses"].as_object().into_iter().flatten() {
            let (r, rfile) = self.src.deref(r, &file)?;
            responses.insert(status.clone(), Value::Object(self.content(&r, &rfile)?));
        }
        digest.insert("responses".into(), Value::Object(responses));
        if let Some(limits) = op.get("x-resource-limit-config") {
            // YM publishes its rate limits per method; our rate groups are checked against them.
            digest.insert("limits".into(), limits.clone());
        }
        Ok(Value::Object(digest))
    }
}

/// Operations the product needs that are newer than the Ozon snapshot, described from the
/// changelog (specs/README.md §2.1: `PostingFbsPackageLabelCreate` / `...Get`, 22 Sep 2026).
fn ozon_supplements() -> Vec<(&'static str, Value)> {
    let error = json!({"$ref": "#/components/schemas/rpcStatus"});
    vec![
        (
            "/v3/posting/fbs/package-label/create",
            json!({"post": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["posting_numbers"],
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
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["task_id"],
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

/// The source files of each marketplace digest, relative to the specs folder.
fn sources(name: &str) -> Vec<&'static str> {
    match name {
        "ozon" => vec!["ozon/seller-api-swagger.ru.2026-08-14.json"],
        "wb" => vec![
            "wildberries/2026-08/01-general.yaml",
            "wildberries/2026-08/02-items.yaml",
            "wildberries/2026-08/03-orders-fbs.yaml",
            "wildberries/2026-08/07-orders-fbw.yaml",
            "wildberries/2026-08/10-rates.yaml",
            "wildberries/2026-08/11-analytics.yaml",
            "wildberries/2026-08/12-reports.yaml",
            "wildberries/2026-08/13-finances.yaml",
        ],
        _ => vec!["yandex-market/openapi/openapi.yaml"],
    }
}

/// One marketplace digest as the text committed in `tests/specs/<name>.json`.
pub fn marketplace_digest(official: &Path, name: &str) -> Result<String, String> {
    let files = sources(name);
    let roots: Vec<PathBuf> = files.iter().map(|f| official.join(f)).collect();
    let mut src = Official::new(roots[0].clone());
    let mut notes = Vec::new();
    if name == "ozon" {
        let mut doc = (*src.file(&roots[0])?).clone();
        for (p, op) in ozon_supplements() {
            doc["paths"][p] = op;
            notes.push(format!(
                "{p}: described from the changelog (newer than the snapshot)"
            ));
        }
        src.replace(&roots[0], doc);
    }
    let mut b = Builder {
        src: &mut src,
        recursive: BTreeMap::new(),
        schemas: BTreeMap::new(),
    };
    let mut operations = Map::new();
    for e in ep::ALL.iter().filter(|e| digest_of(e) == Some(name)) {
        operations.insert(e.name.to_owned(), b.operation(e, &roots)?);
    }
    b.finish_recursive()?;
    let schemas = std::mem::take(&mut b.schemas);
    let digest = json!({
        "digest_of": files,
        "regenerate": "cargo test --test it -- --ignored regenerate_spec_digests",
        "repaired": src.repairs,
        "supplemented": notes,
        "operations": operations,
        "schemas": schemas,
    });
    Ok(to_text(&digest))
}

/// The Bot API digest: the methods the bot calls and every type their parameters use.
pub fn telegram_digest(official: &Path) -> Result<String, String> {
    let file = "telegram/bot-api-10.1.paulsonoflars.api.json";
    let text = std::fs::read_to_string(official.join(file)).map_err(|e| format!("{file}: {e}"))?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    let fields = |v: &Value| -> Value {
        Value::Array(
            v["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| json!({"name": f["name"], "types": f["types"], "required": f["required"] == json!(true)}))
                .collect(),
        )
    };
    let mut methods = Map::new();
    let mut todo: Vec<String> = Vec::new();
    for name in BOT_METHODS {
        let m = spec["methods"]
            .get(*name)
            .ok_or_else(|| format!("{file}: no method {name}"))?;
        let f = fields(m);
        todo.extend(type_names(&f));
        methods.insert((*name).to_owned(), json!({ "fields": f }));
    }
    let mut types = Map::new();
    while let Some(t) = todo.pop() {
        if types.contains_key(&t) {
            continue;
        }
        let Some(def) = spec["types"].get(&t) else {
            continue; // a primitive (Integer, String, Boolean, Float, True)
        };
        let mut d = Map::new();
        if let Some(subtypes) = def["subtypes"].as_array() {
            todo.extend(subtypes.iter().filter_map(Value::as_str).map(str::to_owned));
            d.insert("subtypes".into(), Value::Array(subtypes.clone()));
        } else {
            let f = fields(def);
            todo.extend(type_names(&f));
            d.insert("fields".into(), f);
        }
        types.insert(t, Value::Object(d));
    }
    let digest = json!({
        "digest_of": file,
        "version": spec["version"],
        "regenerate": "cargo test --test it -- --ignored regenerate_spec_digests",
        "methods": methods,
        "types": types,
    });
    Ok(to_text(&digest))
}

/// The type names a field list mentions (`Array of Array of X` names `X`).
fn type_names(fields: &Value) -> Vec<String> {
    fields
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["types"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| Some(t.as_str()?.rsplit("Array of ").next()?.to_owned()))
        .collect()
}

fn to_text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a digest serializes");
    s.push('\n');
    s
}

/// Every digest file: its name in `tests/specs/` and its content.
pub fn all_digests(official: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for name in ["ozon", "wb", "ym"] {
        out.push((format!("{name}.json"), marketplace_digest(official, name)?));
    }
    out.push(("telegram.json".to_owned(), telegram_digest(official)?));
    Ok(out)
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

/// Writes every digest from the official specs. Ignored: run it by name.
#[test]
#[ignore = "regenerates tests/specs from ../shared/specs"]
fn regenerate_spec_digests() {
    let official = official_dir().expect("../shared/specs is needed to regenerate the digests");
    for (name, text) in all_digests(&official).unwrap_or_else(|e| panic!("{e}")) {
        let path = digests_dir().join(&name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
    }
}

/// Where the official specs are at hand (as in CI), the committed digests are exactly what
/// they derive to now, so the contract the tests check cannot drift from the marketplaces'.
#[test]
fn committed_digests_equal_what_the_official_specs_derive_to() {
    let Some(official) = official_dir() else {
        eprintln!("../shared/specs is not beside this checkout: drift check skipped");
        return;
    };
    for (name, text) in all_digests(&official).unwrap_or_else(|e| panic!("{e}")) {
        let path = digests_dir().join(&name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "tests/specs/{name} is not what ../shared/specs derives to; run \
             `cargo test --test it -- --ignored regenerate_spec_digests` and commit the result"
        );
    }
    let readme = std::fs::read_to_string(official.join("README.md")).expect("specs README");
    for off in crate::openapi::switched_off() {
        assert!(
            readme.contains(off.readme.as_str()),
            "switched-off.json quotes {:?} for {}, which the specs README does not say",
            off.readme,
            off.path
        );
    }
}

/// A `$ref` that points nowhere stops the derivation with its name; it never becomes an
/// empty schema that accepts anything.
#[test]
fn an_unresolvable_ref_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = dir.path().join("spec.json");
    std::fs::write(
        &main,
        r##"{"paths": {"/v1/roles": {"post": {"responses": {"200": {"content": {"application/json":
            {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}}"##,
    )
    .expect("write");
    let mut src = Official::new(main.clone());
    let mut b = Builder {
        src: &mut src,
        recursive: BTreeMap::new(),
        schemas: BTreeMap::new(),
    };
    let e = b
        .operation(&ep::OZON_ROLES, &[main])
        .expect_err("a dangling $ref fails");
    assert!(e.contains("#/components/schemas/Missing"), "{e}");
}

/// A schema that contains itself is kept once in `schemas` and referred to from inside.
#[test]
fn a_recursive_schema_is_digested_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = dir.path().join("spec.json");
    std::fs::write(
        &main,
        r##"{"paths": {"/v1/roles": {"post": {"responses": {"200": {"content": {"application/json":
            {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
            "components": {"schemas": {"Node": {"type": "object", "description": "a tree",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}}"##,
    )
    .expect("write");
    let mut src = Official::new(main.clone());
    let mut b = Builder {
        src: &mut src,
        recursive: BTreeMap::new(),
        schemas: BTreeMap::new(),
    };
    let op = b.operation(&ep::OZON_ROLES, &[main]).expect("digests");
    b.finish_recursive().expect("finishes");
    let schema = &op["responses"]["200"]["schema"];
    assert_eq!(
        schema["properties"]["children"]["items"],
        json!({"$ref": "#/schemas/components/schemas/Node"})
    );
    assert!(
        schema.get("description").is_none(),
        "descriptions are dropped"
    );
    assert_eq!(
        b.schemas["components/schemas/Node"]["properties"]["children"]["items"]["$ref"],
        json!("#/schemas/components/schemas/Node")
    );
}
