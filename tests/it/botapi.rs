//! The Bot API contract: every call the bot makes is checked against the digest committed in
//! `tests/specs/telegram.json` (derived by `digest.rs`): the method exists, each parameter is
//! defined for it, required ones are present, and each value has one of the parameter's
//! types, objects field by field (unknown fields and missing required fields fail).

use std::sync::OnceLock;

use serde_json::{Map, Value};

fn digest() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = crate::digest::digests_dir().join("telegram.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).expect("the Bot API digest is JSON")
    })
}

/// Checks one call: the method, its parameters' names, and their values.
pub fn check_call(method: &str, params: &Map<String, Value>) -> Result<(), String> {
    let spec = digest();
    let m = spec["methods"]
        .as_object()
        .and_then(|all| {
            all.iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(method))
                .map(|(_, m)| m)
        })
        .ok_or_else(|| format!("unknown method {method}"))?;
    let fields = m["fields"].as_array().cloned().unwrap_or_default();
    for (name, value) in params {
        let field = fields
            .iter()
            .find(|f| f["name"] == name.as_str())
            .ok_or_else(|| format!("{method}: unknown parameter {name}"))?;
        fits(field, value, &format!("{method}.{name}"))?;
    }
    for f in &fields {
        let name = f["name"].as_str().unwrap_or_default();
        if f["required"] == Value::Bool(true) && !params.contains_key(name) {
            return Err(format!("{method}: missing required parameter {name}"));
        }
    }
    Ok(())
}

/// A value against a field's types: it must have one of them.
fn fits(field: &Value, value: &Value, path: &str) -> Result<(), String> {
    let types: Vec<&str> = field["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut problems = Vec::new();
    for t in &types {
        match check_type(t, value, path) {
            Ok(()) => return Ok(()),
            Err(e) => problems.push(e),
        }
    }
    Err(problems.join(" | "))
}

/// A value sent as multipart text may carry JSON.
fn parsed(value: &Value) -> Value {
    match value {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

fn check_type(t: &str, value: &Value, path: &str) -> Result<(), String> {
    let wrong = || format!("{path}: {value} is not {t}");
    if let Some(inner) = t.strip_prefix("Array of ") {
        let v = parsed(value);
        let items = v.as_array().ok_or_else(wrong)?;
        for (i, item) in items.iter().enumerate() {
            check_type(inner, item, &format!("{path}[{i}]"))?;
        }
        return Ok(());
    }
    let text = value.as_str();
    let ok = match t {
        "Integer" => {
            value.is_i64() || value.is_u64() || text.is_some_and(|s| s.parse::<i64>().is_ok())
        }
        "Float" => value.is_number() || text.is_some_and(|s| s.parse::<f64>().is_ok()),
        "String" => value.is_string(),
        "Boolean" => value.is_boolean() || matches!(text, Some("true" | "false")),
        "True" => value == &Value::Bool(true) || text == Some("true"),
        "InputFile" => true, // an uploaded part, a file id or a URL
        name => return check_object(name, value, path),
    };
    if ok { Ok(()) } else { Err(wrong()) }
}

fn check_object(name: &str, value: &Value, path: &str) -> Result<(), String> {
    let def = digest()["types"]
        .get(name)
        .ok_or_else(|| format!("{path}: type {name} is not in the digest"))?;
    if let Some(subtypes) = def["subtypes"].as_array() {
        let mut problems = Vec::new();
        for s in subtypes.iter().filter_map(Value::as_str) {
            match check_object(s, value, path) {
                Ok(()) => return Ok(()),
                Err(e) => problems.push(e),
            }
        }
        return Err(problems.join(" | "));
    }
    let v = parsed(value);
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{path}: {value} is not a {name} object"))?;
    let fields = def["fields"].as_array().cloned().unwrap_or_default();
    for (k, val) in obj {
        let field = fields
            .iter()
            .find(|f| f["name"] == k.as_str())
            .ok_or_else(|| format!("{path}.{k}: {name} has no field {k}"))?;
        fits(field, val, &format!("{path}.{k}"))?;
    }
    for f in &fields {
        let k = f["name"].as_str().unwrap_or_default();
        if f["required"] == Value::Bool(true) && !obj.contains_key(k) {
            return Err(format!("{path}: {name} needs {k}"));
        }
    }
    Ok(())
}

#[test]
fn the_bot_api_check_refuses_what_the_spec_does_not_allow() {
    let call = |v: Value| v.as_object().cloned().expect("an object");
    let ok = call(serde_json::json!({"chat_id": 1, "text": "hi",
        "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "1:x"}]]}}));
    assert!(check_call("SendMessage", &ok).is_ok());
    assert!(check_call("sendMesage", &ok).is_err(), "unknown method");
    let colour = call(serde_json::json!({"chat_id": 1, "text": "hi", "colour": "red"}));
    assert!(
        check_call("sendMessage", &colour).is_err(),
        "unknown parameter"
    );
    let no_text = call(serde_json::json!({"chat_id": 1}));
    assert!(
        check_call("sendMessage", &no_text).is_err(),
        "text is required"
    );
    let bad_button = call(serde_json::json!({"chat_id": 1, "text": "hi",
        "reply_markup": {"inline_keyboard": [[{"label": "A"}]]}}));
    let e = check_call("sendMessage", &bad_button).expect_err("a button has text, not label");
    assert!(e.contains("label"), "{e}");
    let text_id = call(serde_json::json!({"chat_id": 1, "text": ["a"]}));
    assert!(
        check_call("sendMessage", &text_id).is_err(),
        "text is a string"
    );
    let scope = call(
        serde_json::json!({"commands": [{"command": "help", "description": "Help"}],
        "scope": {"type": "chat", "chat_id": 5}}),
    );
    assert!(check_call("setMyCommands", &scope).is_ok());
}
