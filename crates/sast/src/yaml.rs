//! A YAML document as an ordered tree, read with `serde-saphyr` (panic-free, with budgets).
//!
//! Rule files are checked key by key so every unknown or unsupported key can be reported by
//! name; a generic tree that keeps the keys' order makes that simple.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A YAML value. Mapping keys keep their order; scalars keep their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    pub fn parse(text: &str) -> Result<Yaml, String> {
        // YAML 1.2 booleans only: `pattern: y` is the identifier `y`, not `true`.
        let options = serde_saphyr::options! { strict_booleans: true };
        serde_saphyr::from_str_with_options::<Yaml>(text, options).map_err(|e| {
            // The first line of the error says what and where; the rest is a source excerpt.
            e.to_string()
                .lines()
                .next()
                .unwrap_or("invalid YAML")
                .to_owned()
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Yaml)]> {
        match self {
            Yaml::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Yaml]> {
        match self {
            Yaml::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// A scalar rendered as text (numbers and booleans included), for free-form fields.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Yaml::Str(s) => Some(s.clone()),
            Yaml::Int(i) => Some(i.to_string()),
            Yaml::Float(f) => Some(f.to_string()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// One string or a list of strings, as a list.
    pub fn string_list(&self) -> Option<Vec<String>> {
        match self {
            Yaml::Seq(items) => items.iter().map(Yaml::scalar_text).collect(),
            other => other.scalar_text().map(|s| vec![s]),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "null",
            Yaml::Bool(_) => "a boolean",
            Yaml::Int(_) | Yaml::Float(_) => "a number",
            Yaml::Str(_) => "a string",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Yaml, E> {
        Ok(i64::try_from(v).map_or(Yaml::Float(v as f64), Yaml::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Yaml, E> {
        Ok(i64::try_from(v).map_or(Yaml::Float(v as f64), Yaml::Int))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Yaml, E> {
        Ok(i64::try_from(v).map_or(Yaml::Float(v as f64), Yaml::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Yaml>()? {
            items.push(item);
        }
        Ok(Yaml::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Yaml>()? {
            let key = match key {
                Yaml::Seq(_) | Yaml::Map(_) | Yaml::Null => {
                    return Err(de::Error::custom("mapping keys must be scalars"));
                }
                other => other.scalar_text().unwrap_or_default(),
            };
            let value = map.next_value::<Yaml>()?;
            entries.push((key, value));
        }
        Ok(Yaml::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_scalar_types() {
        let y = Yaml::parse("b: 1\na: [x, 2, true]\nc: {d: null}\n").unwrap();
        let keys: Vec<&str> = y
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(y.get("b"), Some(&Yaml::Int(1)));
        assert_eq!(
            y.get("a").unwrap().string_list().unwrap(),
            vec!["x", "2", "true"]
        );
        assert_eq!(y.get("c").unwrap().get("d"), Some(&Yaml::Null));
        let words = Yaml::parse("a: y\nb: no\nc: true").unwrap();
        assert_eq!(words.get("a"), Some(&Yaml::Str("y".into())));
        assert_eq!(words.get("b"), Some(&Yaml::Str("no".into())));
        assert_eq!(words.get("c"), Some(&Yaml::Bool(true)));
    }

    #[test]
    fn malformed_and_hostile_yaml_is_an_error_not_a_panic() {
        assert!(Yaml::parse("a: [1, 2").is_err());
        assert!(Yaml::parse("\u{0}\u{1}binary").is_err() || Yaml::parse("\u{0}").is_ok());
        let deep = "[".repeat(10_000);
        assert!(Yaml::parse(&deep).is_err());
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        // Either refused by the alias budget or expanded within it; never a hang or a panic.
        let _ = Yaml::parse(bomb);
    }
}
