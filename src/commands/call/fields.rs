//! `-f KEY=VALUE` and `-F KEY=VALUE`: a JSON body built from fields, as `gh api` builds one from
//! its `--raw-field` and `--field`, or, under GET, query items.
//!
//! As in gh: `-f` values are strings; `-F` values `true`, `false`, `null` and integers are JSON's
//! own, `@FILE` is the file's text and `@-` stdin's, anything else a string. A key nests with
//! brackets: `a[b]=1` is `{"a":{"b":1}}`, `a[]=1` appends to the array `a`, `a[]` alone is an empty
//! array, and `a[][b]=1` fills the array's last object until a key comes again. Objects are
//! written with their keys sorted, as gh writes them. As in gh, a decimal such as `1.10` stays a
//! string (as a version number must). Unlike gh, the fields are read in the order typed (gh reads
//! every `-f` before any `-F`, which moves `-F 'a[][on]=true'` to another object), and a key with
//! text after a `]` is refused rather than cut.

use std::fs::File;
use std::io::{self, Read};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use super::Field;
use crate::error::Failure;

/// The longest `@FILE` or `@-` value read into a field.
const FILE_LIMIT: u64 = 16 << 20;

/// One field, read: its key as typed, the key's parts, and its value.
pub struct Parsed {
    /// The key as typed (`a[b]`), for a query item.
    key: String,
    /// `a[][b]` is `[("a", true), ("b", false)]`: each name and whether it is an array.
    steps: Vec<(String, bool)>,
    /// `None` for `a[]` without `=`: an empty array.
    value: Option<Value>,
}

/// Reads the fields in order, the files and stdin that `-F` names with them.
pub fn parse(fields: &[Field]) -> Result<Vec<Parsed>> {
    let mut stdin_read = false;
    fields
        .iter()
        .map(|field| {
            let (text, typed) = match field {
                Field::Raw(text) => (text, false),
                Field::Typed(text) => (text, true),
            };
            let flag = if typed { "-F" } else { "-f" };
            parse_one(text, typed, &mut stdin_read).with_context(|| format!("{flag} {text}"))
        })
        .collect()
}

fn parse_one(text: &str, typed: bool, stdin_read: &mut bool) -> Result<Parsed> {
    let (key, value) = match text.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (text, None),
    };
    let steps = key_steps(key).map_err(|why| Failure::Usage(why.to_string()))?;
    let value = match value {
        None if steps.last().is_some_and(|(_, array)| *array) => None,
        None => {
            return Err(Failure::Usage(
                "a field is KEY=VALUE (or KEY[] for an empty array)".into(),
            )
            .into());
        }
        Some(value) if typed => Some(typed_value(value, stdin_read)?),
        Some(value) => Some(Value::String(value.to_string())),
    };
    Ok(Parsed {
        key: key.to_string(),
        steps,
        value,
    })
}

/// `a[b][]` as `[("a", false), ("b", true)]`.
fn key_steps(key: &str) -> std::result::Result<Vec<(String, bool)>, &'static str> {
    let (name, mut rest) = key
        .split_once('[')
        .map_or((key, ""), |(n, _)| (n, &key[n.len()..]));
    if name.is_empty() {
        return Err("a field's key begins with a name");
    }
    let mut steps = vec![(name.to_string(), false)];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err("after a `]` in a field's key comes `[` or `=`");
        };
        let Some((part, after)) = inner.split_once(']') else {
            return Err("a `[` in a field's key is not closed");
        };
        if part.contains('[') {
            return Err("a `[` in a field's key is not closed");
        }
        if part.is_empty() {
            let last = steps.last_mut().expect("the name is there");
            if last.1 {
                return Err("an array in an array (`[][]`) cannot be built from fields");
            }
            last.1 = true;
        } else {
            steps.push((part.to_string(), false));
        }
        rest = after;
    }
    Ok(steps)
}

/// `-F`'s value: JSON's literals and integers, a file's or stdin's text, or the string itself.
fn typed_value(value: &str, stdin_read: &mut bool) -> Result<Value> {
    Ok(match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ if is_integer(value) => match value.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => match value.parse::<u64>() {
                Ok(n) => Value::from(n),
                // Too large for a JSON number that every reader takes: kept as written.
                Err(_) => Value::String(value.to_string()),
            },
        },
        _ => match value.strip_prefix('@') {
            Some("-") => {
                if std::mem::replace(stdin_read, true) {
                    return Err(Failure::Usage("stdin can be read once, by one @-".into()).into());
                }
                Value::String(read_text(io::stdin(), "stdin")?)
            }
            Some(path) => {
                let file = File::open(path).with_context(|| format!("cannot read {path}"))?;
                Value::String(read_text(file, path)?)
            }
            None => Value::String(value.to_string()),
        },
    })
}

/// JSON's integer syntax: `-` at most, then digits without a leading zero. `007` stays a string.
fn is_integer(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

fn read_text(source: impl Read, name: &str) -> Result<String> {
    let mut bytes = Vec::new();
    source
        .take(FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > FILE_LIMIT {
        bail!(
            "{name} is over {} MiB, more than a field holds",
            FILE_LIMIT >> 20
        );
    }
    String::from_utf8(bytes).with_context(|| format!("{name} is not UTF-8 text"))
}

/// The fields as a JSON object.
pub fn body(fields: Vec<Parsed>) -> Result<Vec<u8>> {
    let mut root = Map::new();
    for field in fields {
        place(&mut root, &field.steps, field.value)
            .map_err(|why| Failure::Usage(format!("field {}: {why}", field.key)))?;
    }
    Ok(serde_json::to_vec(&Value::Object(root))?)
}

/// Puts `value` at `steps` under `map`, making the objects and arrays on the way.
fn place(
    map: &mut Map<String, Value>,
    steps: &[(String, bool)],
    value: Option<Value>,
) -> std::result::Result<(), String> {
    let Some(((name, array), rest)) = steps.split_first() else {
        return Ok(());
    };
    let Some((next, _)) = rest.first() else {
        if *array {
            match map
                .entry(name.clone())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(items) => items.extend(value),
                _ => return Err(format!("`{name}` is not an array")),
            }
        } else {
            if map.contains_key(name) {
                return Err(format!("`{name}` is given twice"));
            }
            map.insert(name.clone(), value.unwrap_or(Value::Null));
        }
        return Ok(());
    };
    let child = if *array {
        let Value::Array(items) = map
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        else {
            return Err(format!("`{name}` is not an array"));
        };
        // gh fills the last object until it meets one of its keys again.
        let fill_last =
            matches!(items.last(), Some(Value::Object(last)) if !last.contains_key(next));
        if !fill_last {
            items.push(Value::Object(Map::new()));
        }
        match items.last_mut() {
            Some(Value::Object(last)) => last,
            _ => unreachable!("an object was just found or pushed"),
        }
    } else {
        match map
            .entry(name.clone())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(inner) => inner,
            _ => return Err(format!("`{name}` is not an object")),
        }
    };
    place(child, rest, value)
}

/// The fields as query items, as `gh api` sends them with GET: each key as typed (`a[b]`, `a[]`),
/// each value as text (`null` as nothing); an empty array adds nothing.
pub fn query(fields: Vec<Parsed>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter_map(|field| {
            let text = match field.value? {
                Value::String(text) => text,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            Some((field.key, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(fields: &[Field]) -> String {
        String::from_utf8(body(parse(fields).unwrap()).unwrap()).unwrap()
    }

    fn raw(text: &str) -> Field {
        Field::Raw(text.into())
    }

    fn typed(text: &str) -> Field {
        Field::Typed(text.into())
    }

    #[test]
    fn fields_nest_and_fill_arrays_as_gh_does() {
        assert_eq!(
            built(&[
                raw("name=x=y"),
                typed("n=-12"),
                typed("ok=true"),
                typed("none=null"),
                typed("zip=007"),
                typed("version=1.10"),
                raw("count=3"),
                raw("a[b][c]=1"),
                typed("a[b][d]=2"),
                raw("tags[]=x"),
                raw("tags[]=y"),
                raw("empty[]"),
                raw("rules[][name]=r1"),
                typed("rules[][on]=false"),
                raw("rules[][name]=r2"),
            ]),
            r#"{"a":{"b":{"c":"1","d":2}},"count":"3","empty":[],"n":-12,"name":"x=y","none":null,"ok":true,"rules":[{"name":"r1","on":false},{"name":"r2"}],"tags":["x","y"],"version":"1.10","zip":"007"}"#
        );
    }

    #[test]
    fn bad_keys_and_clashes_are_usage_errors() {
        for fields in [
            vec![raw("=x")],
            vec![raw("[a]=x")],
            vec![raw("a[b=x")],
            vec![raw("a[b]c=x")],
            vec![raw("a[][]=x")],
            vec![raw("novalue")],
            vec![raw("a=1"), raw("a=2")],
            vec![raw("a=1"), raw("a[b]=2")],
            vec![raw("a=1"), raw("a[]=2")],
        ] {
            let err = parse(&fields).and_then(body).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 2, "{fields:?}: {err:#}");
        }
    }

    #[test]
    fn under_get_fields_are_query_items() {
        let items =
            query(parse(&[raw("q=a b"), typed("n=5"), typed("x=null"), raw("e[]")]).unwrap());
        assert_eq!(
            items,
            [("q", "a b"), ("n", "5"), ("x", "")].map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }
}
