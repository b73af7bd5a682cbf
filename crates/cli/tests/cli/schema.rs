//! A small JSON Schema validator for the subset docs/stance.schema.json uses, and its tests.
//!
//! Supported keywords: `type` (a name or a list), `properties`, `required`, `items`,
//! `additionalProperties` (bool or schema), `enum`, `const`, `minimum`, `maximum`, `oneOf`,
//! and `$ref` to `#/$defs/NAME`. Anything else in a schema is an error, so the schema file
//! cannot quietly rely on a keyword this validator ignores.

use serde_json::Value;

const KNOWN: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "enum",
    "const",
    "minimum",
    "maximum",
    "oneOf",
];

/// Validates `value` against `schema` (whose `$defs` resolve `$ref`s); returns every error.
pub(crate) fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "", &mut errors);
    errors
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{path}: no value allowed here"));
        }
        return;
    };
    for key in schema.keys() {
        if !KNOWN.contains(&key.as_str()) {
            errors.push(format!(
                "{path}: schema keyword {key:?} is not supported by this validator"
            ));
        }
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        match reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root["$defs"].get(name))
        {
            Some(target) => check(root, target, value, path, errors),
            None => errors.push(format!("{path}: unresolved $ref {reference}")),
        }
    }
    if let Some(kind) = schema.get("type") {
        let names: Vec<&str> = match kind {
            Value::String(name) => vec![name.as_str()],
            Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|name| type_matches(name, value)) {
            errors.push(format!(
                "{path}: expected {}, found {value}",
                names.join(" or ")
            ));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!(
            "{path}: {value} is not one of {}",
            Value::Array(options.clone())
        ));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        errors.push(format!("{path}: expected {constant}, found {value}"));
    }
    let number = value.as_f64();
    if let (Some(minimum), Some(number)) = (schema.get("minimum").and_then(Value::as_f64), number)
        && number < minimum
    {
        errors.push(format!("{path}: {number} is below the minimum {minimum}"));
    }
    if let (Some(maximum), Some(number)) = (schema.get("maximum").and_then(Value::as_f64), number)
        && number > maximum
    {
        errors.push(format!("{path}: {number} is above the maximum {maximum}"));
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let n_valid = options
            .iter()
            .filter(|option| {
                let mut scratch = Vec::new();
                check(root, option, value, path, &mut scratch);
                scratch.is_empty()
            })
            .count();
        if n_valid != 1 {
            errors.push(format!(
                "{path}: matches {n_valid} of the oneOf schemas, expected exactly 1"
            ));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    errors.push(format!("{path}: missing required property {name:?}"));
                }
            }
        }
        for (key, item) in object {
            let item_path = format!("{path}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(item_schema) => check(root, item_schema, item, &item_path, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{path}: unexpected property {key:?}"))
                    }
                    Some(extra @ Value::Object(_)) => check(root, extra, item, &item_path, errors),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (idx, item) in array.iter().enumerate() {
            check(root, items, item, &format!("{path}/{idx}"), errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::validate;

    #[test]
    fn validator_accepts_and_rejects() {
        let schema = json!({
            "$defs": {"score": {"type": "number", "minimum": -1, "maximum": 1}},
            "type": "object",
            "required": ["schema", "items"],
            "additionalProperties": false,
            "properties": {
                "schema": {"const": "stance/1"},
                "items": {"type": "array", "items": {"$ref": "#/$defs/score"}},
                "kind": {"enum": ["a", "b"]},
                "date": {"type": ["string", "null"]},
                "map": {"type": "object", "additionalProperties": {"type": "integer"}},
                "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
            }
        });
        let cases: &[(&str, serde_json::Value, usize)] = &[
            (
                "valid",
                json!({"schema": "stance/1", "items": [0.5, -1], "date": null, "map": {"x": 1}, "either": 3}),
                0,
            ),
            ("missing required", json!({"schema": "stance/1"}), 1),
            ("wrong const", json!({"schema": "stance/2", "items": []}), 1),
            (
                "out of range",
                json!({"schema": "stance/1", "items": [1.5, -2]}),
                2,
            ),
            (
                "extra property",
                json!({"schema": "stance/1", "items": [], "other": 1}),
                1,
            ),
            (
                "bad enum",
                json!({"schema": "stance/1", "items": [], "kind": "c"}),
                1,
            ),
            (
                "bad nullable",
                json!({"schema": "stance/1", "items": [], "date": 3}),
                1,
            ),
            (
                "bad map value",
                json!({"schema": "stance/1", "items": [], "map": {"x": "y"}}),
                1,
            ),
            (
                "oneOf none",
                json!({"schema": "stance/1", "items": [], "either": 1.5}),
                1,
            ),
            ("wrong type", json!([1, 2]), 1),
        ];
        for (name, value, n_errors) in cases {
            let errors = validate(&schema, value);
            assert_eq!(errors.len(), *n_errors, "case {name}: {errors:#?}");
        }
    }

    #[test]
    fn validator_rejects_unknown_keywords_and_refs() {
        let errors = validate(
            &json!({"pattern": "x", "$ref": "#/$defs/none"}),
            &json!("x"),
        );
        assert_eq!(errors.len(), 2, "{errors:#?}");
    }
}

#[cfg(test)]
mod sorted_tests {
    #[test]
    fn sorted_key_check_catches_disorder() {
        assert_eq!(
            crate::unsorted_key(r#"{"a": {"x": 1, "y": [{"b": 1, "c": 2}]}, "b": null}"#),
            None
        );
        let caught = crate::unsorted_key(r#"{"a": [{"c": 1, "b": 2}]}"#);
        assert!(
            caught.is_some_and(|e| e.contains("\"b\" comes after \"c\"")),
            "nested disorder must be caught"
        );
    }
}
