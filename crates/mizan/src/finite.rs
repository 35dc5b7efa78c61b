//! JSON output that refuses non-finite floats.
//!
//! JSON has no NaN or infinity, and serde_json writes them as `null`
//! without a word, so a client typed `number` would read `null`. Every value
//! mizan sends (call and batch outputs, channel messages, form answers, SSR
//! props) goes through [`to_writer`] or [`to_string`] instead:
//! a forwarding [`Serializer`] that fails on a non-finite `f32`/`f64` and
//! hands everything else to serde_json unchanged, in the same single pass.
//! The error names where the float was (`items[3].score`), found by a
//! second pass only once the first has failed.

use std::fmt::Display;

use serde::ser::{
    self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

/// `value` as JSON into `writer`; a non-finite float is an error saying where.
pub(crate) fn to_writer<W: std::io::Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> Result<(), String> {
    let mut json = serde_json::Serializer::new(writer);
    value.serialize(Finite(&mut json)).map_err(|e| explain(value, &e))
}

/// `value` as JSON text; a non-finite float is an error saying where.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let mut out = Vec::with_capacity(128);
    to_writer(&mut out, value)?;
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// The message of a failed serialization: for a non-finite float, where it
/// was, found by serializing again with the path tracked.
fn explain<T: Serialize + ?Sized>(value: &T, error: &serde_json::Error) -> String {
    if !error.to_string().starts_with(NON_FINITE) {
        return error.to_string();
    }
    match serde_path_to_error::serialize(value, Finite(serde_json::value::Serializer)) {
        Err(e) if e.path().iter().next().is_some() => format!("{} at `{}`", e.inner(), e.path()),
        _ => error.to_string(),
    }
}

/// How the error message starts.
const NON_FINITE: &str = "a non-finite float";

fn non_finite<E: ser::Error>(value: impl Display) -> E {
    E::custom(format_args!("{NON_FINITE} ({value}), which JSON cannot hold"))
}

/// A serializer that refuses non-finite floats and forwards everything else
/// to `S`; compound values wrap each element again.
struct Finite<S>(S);

/// A value whose serialization goes through [`Finite`].
struct Checked<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Checked<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Finite(serializer))
    }
}

/// Methods forwarded as they are.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
                self.0.$method($($arg),*)
            }
        )*
    };
}

impl<S: Serializer> Serializer for Finite<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Finite<S::SerializeSeq>;
    type SerializeTuple = Finite<S::SerializeTuple>;
    type SerializeTupleStruct = Finite<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Finite<S::SerializeTupleVariant>;
    type SerializeMap = Finite<S::SerializeMap>;
    type SerializeStruct = Finite<S::SerializeStruct>;
    type SerializeStructVariant = Finite<S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        if v.is_finite() { self.0.serialize_f32(v) } else { Err(non_finite(v)) }
    }

    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        if v.is_finite() { self.0.serialize_f64(v) } else { Err(non_finite(v)) }
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Checked(value))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Checked(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Checked(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Finite)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Finite)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Finite)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len).map(Finite)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Finite)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Finite)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len).map(Finite)
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.collect_str(value)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The element-wise compound serializers: each element is [`Checked`].
macro_rules! compound {
    ($($trait:ident { $($method:ident),* })*) => {
        $(
            impl<S: $trait> $trait for Finite<S> {
                type Ok = S::Ok;
                type Error = S::Error;
                $(
                    fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
                        self.0.$method(&Checked(value))
                    }
                )*
                fn end(self) -> Result<S::Ok, S::Error> {
                    self.0.end()
                }
            }
        )*
    };
}

compound! {
    SerializeSeq { serialize_element }
    SerializeTuple { serialize_element }
    SerializeTupleStruct { serialize_field }
    SerializeTupleVariant { serialize_field }
}

impl<S: SerializeMap> SerializeMap for Finite<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        self.0.serialize_key(&Checked(key))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_value(&Checked(value))
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), S::Error> {
        self.0.serialize_entry(&Checked(key), &Checked(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// The named-field compound serializers: each field is [`Checked`].
macro_rules! fields {
    ($($trait:ident)*) => {
        $(
            impl<S: $trait> $trait for Finite<S> {
                type Ok = S::Ok;
                type Error = S::Error;

                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Result<(), S::Error> {
                    self.0.serialize_field(key, &Checked(value))
                }

                fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
                    self.0.skip_field(key)
                }

                fn end(self) -> Result<S::Ok, S::Error> {
                    self.0.end()
                }
            }
        )*
    };
}

fields! { SerializeStruct SerializeStructVariant }

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::value::RawValue;

    use super::{to_string, to_writer};

    #[derive(Serialize)]
    struct Score {
        name: String,
        score: f64,
    }

    #[derive(Serialize)]
    #[serde(tag = "kind")]
    enum Shape {
        Circle { radius: f32 },
        Square(Side),
    }

    #[derive(Serialize)]
    struct Side {
        side: f64,
    }

    #[derive(Serialize)]
    struct Wrapper(Option<f64>);

    #[derive(Serialize)]
    struct Everything {
        scores: Vec<Score>,
        shapes: Vec<Shape>,
        pair: (u8, f64),
        maybe: Wrapper,
        by_name: BTreeMap<String, f32>,
        raw: Box<RawValue>,
        unit: (),
        big: u128,
        text: &'static str,
    }

    fn everything(x: f64) -> Everything {
        Everything {
            scores: vec![Score { name: "a".into(), score: 1.5 }, Score { name: "b".into(), score: x }],
            shapes: vec![Shape::Circle { radius: 2.0 }, Shape::Square(Side { side: 3.0 })],
            pair: (1, 0.25),
            maybe: Wrapper(Some(-0.5)),
            by_name: [("k".to_owned(), 4.0)].into(),
            raw: RawValue::from_string("[1,  {\"x\": 2}]".to_owned()).expect("raw"),
            unit: (),
            big: u128::MAX,
            text: "\"quoted\" \u{2028}",
        }
    }

    #[test]
    fn finite_values_are_written_as_serde_json_writes_them() {
        let value = everything(-7.0);
        let plain = serde_json::to_string(&value).expect("serde_json");
        assert_eq!(to_string(&value).expect("finite"), plain);
        let mut out = Vec::new();
        to_writer(&mut out, &value).expect("finite");
        assert_eq!(out, plain.as_bytes());
        assert_eq!(to_string(&f64::MAX).expect("max"), "1.7976931348623157e+308");
        assert_eq!(to_string(&-0.0_f64).expect("-0"), "-0.0");
    }

    #[test]
    fn non_finite_floats_are_refused_with_their_place() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = to_string(&everything(x)).expect_err("refused");
            assert!(e.starts_with("a non-finite float"), "{e}");
            assert!(e.ends_with("at `scores[1].score`"), "{e}");
        }
        assert!(to_string(&f64::NAN).expect_err("bare NaN").contains("(NaN)"));
        assert!(to_string(&[1.0, f64::NEG_INFINITY]).expect_err("in a list").ends_with("at `[1]`"));
        assert!(to_string(&f32::INFINITY).expect_err("f32").contains("(inf)"));
        let shape = Shape::Circle { radius: f32::NAN };
        assert!(to_string(&shape).expect_err("a variant's field").ends_with("at `radius`"));
        let map: BTreeMap<&str, Option<f64>> = [("a", Some(1.0)), ("b", Some(f64::NAN))].into();
        assert!(to_string(&map).expect_err("a map's value").ends_with("at `b`"));
        assert!(to_string(&(1, f64::NAN)).expect_err("a tuple's").ends_with("at `[1]`"));
        assert!(to_string(&Wrapper(Some(f64::INFINITY))).expect_err("newtype").contains("(inf)"));
    }
}
