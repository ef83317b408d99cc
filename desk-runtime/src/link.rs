//! [`Link<T>`]: a `Box<T>` that rustc's walks over owned types, and its instantiation of
//! generic code, do not look inside.
//!
//! Drop-check, and the auto traits `Send`, `Sync`, `UnwindSafe` and `RefUnwindSafe`, follow
//! every type a value owns: through `Option`, `Vec`, maps and `Box` alike, one or more levels
//! of rustc's recursion limit (128) per step. A ring of a thousand schemas, each holding the
//! next, is a walk of thousands of levels wherever the `Box`es go, and rustc gives up
//! (E0320 "overflow while adding drop-check rules", E0275 "overflow evaluating the requirement
//! `…: Send`"). A `Link<T>` holds its value as a trait object whose auto traits are stated
//! in its type and whose destructor is called through the vtable, so those walks stop at the
//! link; the value is put behind it once, in [`Link::new`], where `T` is required to have
//! them.
//!
//! Building the code is a third walk: rustc's monomorphization collector instantiates every
//! generic function a function calls, depth first, and gives up when one generic function is
//! nested in itself more than 128 times ("reached the recursion limit while instantiating").
//! Decoding a type calls serde's generic functions once per type it reaches (the derived
//! `Deserialize` of `S0` instantiates `next_value::<Option<S1>>`, which instantiates
//! `S1::deserialize`, …), and so do encoding and the request forms' conversions (`from_model`,
//! `diff`, `From`). So nothing a link does may *name* the code of `T` it runs:
//! - `Clone`, `Debug`, `PartialEq` and `Serialize` call through the link's vtable, built in
//!   [`Link::new`] (encoding through [`erased_serde`], so the format's serializer is not
//!   instantiated for `T`);
//! - `Deserialize` and the conversions [`Link::convert`] and [`Link::diff`] call functions
//!   they find at run time in a registry keyed by the function's type: generated code
//!   registers, for each type a link points to, its decoder ([`link_decoders!`]) and the
//!   conversions that cross a link ([`link_conversions!`], [`link_diffs!`]). A registration is a `static`
//!   ([`inventory`] collects them before `main`), which rustc instantiates from scratch, so the
//!   code between two links is instantiated at most once inside itself, however many links a
//!   value passes through.
//!
//! Decoding is `T`'s own decoding behind a type-erased deserializer: the encoding is `T`'s,
//! errors keep their message and (for `serde_json`) their line and column.
//!
//! Generated code uses links only where lowering found a walk that would pass the limit (see
//! desk-codegen's `lower::nesting`), and names this module's feature `link` in its
//! requirements; it reads like a `Box`: [`Deref`], [`DerefMut`], [`From<T>`],
//! [`Link::into_inner`]. A hand-written type held in a link registers its decoder the same way:
//!
//! ```
//! use desk_runtime::Link;
//!
//! #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
//! struct Node { label: String, next: Option<Link<Node>> }
//!
//! desk_runtime::link_decoders!(Node);
//!
//! let head: Node = serde_json::from_str(r#"{"label":"a","next":{"label":"b","next":null}}"#)?;
//! assert_eq!(head.next.as_deref().map(|n| n.label.as_str()), Some("b"));
//! assert_eq!(serde_json::to_string(&head)?, r#"{"label":"a","next":{"label":"b","next":null}}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::any::{type_name, Any, TypeId};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a value needs to be held in a [`Link`]: what generated types have (they hold owned
/// data only) and what the link's own impls call through its vtable.
pub trait Linkable:
    Clone + fmt::Debug + PartialEq + Serialize + Send + Sync + UnwindSafe + RefUnwindSafe + 'static
{
}

impl<T> Linkable for T where
    T: Clone
        + fmt::Debug
        + PartialEq
        + Serialize
        + Send
        + Sync
        + UnwindSafe
        + RefUnwindSafe
        + 'static
{
}

/// The vtable a [`Link`] calls through: every method `T`'s own impls would be instantiated in.
trait Held<T>: Send + Sync + UnwindSafe + RefUnwindSafe {
    fn value(&self) -> &T;
    fn value_mut(&mut self) -> &mut T;
    fn into_value(self: Box<Self>) -> T;
    fn clone_link(&self) -> Link<T>;
    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn equals(&self, other: &T) -> bool;
    fn encoder(&self) -> &dyn erased_serde::Serialize;
}

impl<T: Linkable> Held<T> for T {
    fn value(&self) -> &T {
        self
    }

    fn value_mut(&mut self) -> &mut T {
        self
    }

    fn into_value(self: Box<Self>) -> T {
        *self
    }

    fn clone_link(&self) -> Link<T> {
        Link::new(self.clone())
    }

    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }

    fn equals(&self, other: &T) -> bool {
        self == other
    }

    fn encoder(&self) -> &dyn erased_serde::Serialize {
        self
    }
}

/// A boxed `T` that drop-check, auto-trait checks and the instantiation of generic code do not
/// look inside (see the [module docs](self)). Serialised as `T`.
///
/// ```
/// use desk_runtime::Link;
///
/// #[derive(Debug, Clone, PartialEq, serde::Serialize)]
/// struct Node { label: String, next: Option<Link<Node>> }
///
/// let mut tail = Link::new(Node { label: "b".into(), next: None });
/// tail.label.push('!');
/// let head = Node { label: "a".into(), next: Some(tail) };
/// assert_eq!(head.next.as_deref().map(|n| n.label.as_str()), Some("b!"));
/// assert_eq!(head.clone(), head);
/// ```
pub struct Link<T>(Box<dyn Held<T> + Send + Sync + UnwindSafe + RefUnwindSafe>);

impl<T: Linkable> Link<T> {
    /// Boxes `value`.
    pub fn new(value: T) -> Self {
        Link(Box::new(value))
    }

    /// `convert(value)` linked, where `convert` is the function from `T` to `U` registered
    /// with [`link_conversions!`](crate::link_conversions) (a request form's `from_model` or
    /// `From`).
    ///
    /// # Panics
    ///
    /// When no function of type `fn(T) -> U` is registered: generated code registers every
    /// conversion it calls, so this is a bug in the code that calls it.
    pub fn convert<U: Linkable>(this: Self) -> Link<U> {
        let convert = *registered::<fn(T) -> U>();
        Link::new(convert(Link::into_inner(this)))
    }

    /// `diff(old, new)` linked, where `diff` is the function of two `T`s returning a `U`
    /// registered with [`link_diffs!`](crate::link_diffs) (a patch form's `diff`).
    ///
    /// # Panics
    ///
    /// When no function of type `fn(&T, &T) -> U` is registered (see [`Link::convert`]).
    pub fn diff<U: Linkable>(old: &Self, new: &Self) -> Link<U> {
        let diff = *registered::<fn(&T, &T) -> U>();
        Link::new(diff(old, new))
    }
}

impl<T> Link<T> {
    /// The value, out of its box.
    pub fn into_inner(this: Self) -> T {
        Held::<T>::into_value(this.0)
    }
}

impl<T> Deref for Link<T> {
    type Target = T;

    fn deref(&self) -> &T {
        Held::<T>::value(&*self.0)
    }
}

impl<T> DerefMut for Link<T> {
    fn deref_mut(&mut self) -> &mut T {
        Held::<T>::value_mut(&mut *self.0)
    }
}

impl<T> AsRef<T> for Link<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> AsMut<T> for Link<T> {
    fn as_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: Linkable> From<T> for Link<T> {
    fn from(value: T) -> Self {
        Link::new(value)
    }
}

impl<T> Clone for Link<T> {
    fn clone(&self) -> Self {
        Held::<T>::clone_link(&*self.0)
    }
}

impl<T> fmt::Debug for Link<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Held::<T>::debug(&*self.0, f)
    }
}

impl<T> PartialEq for Link<T> {
    fn eq(&self, other: &Self) -> bool {
        Held::<T>::equals(&*self.0, other)
    }
}

impl<T: Eq> Eq for Link<T> {}

impl<T: PartialOrd> PartialOrd for Link<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: Ord> Ord for Link<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: Hash> Hash for Link<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: Linkable + Default> Default for Link<T> {
    fn default() -> Self {
        Link::new(T::default())
    }
}

impl<T> Serialize for Link<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        erased_serde::serialize(Held::<T>::encoder(&*self.0), serializer)
    }
}

impl<'de, T: Linkable + DeserializeOwned> Deserialize<'de> for Link<T> {
    /// Decodes `T` with the decoder registered for it ([`link_decoders!`](crate::link_decoders)).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Some(decoder) = find::<Decoder<T>>() else {
            return Err(D::Error::custom(format_args!(
                "no decoder is registered for desk_runtime::Link<{}> (desk_runtime::link_decoders!)",
                type_name::<T>()
            )));
        };
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        (decoder.0)(&mut erased).map_err(D::Error::custom)
    }
}

/// The decoder of `Link<T>`, as registered by [`link_decoders!`](crate::link_decoders).
#[doc(hidden)]
pub struct Decoder<T>(
    for<'de> fn(&mut dyn erased_serde::Deserializer<'de>) -> Result<Link<T>, erased_serde::Error>,
);

impl<T: Linkable + DeserializeOwned> Decoder<T> {
    /// `T`'s decoder.
    pub const NEW: Self = Decoder(decode::<T>);
}

fn decode<T: Linkable + DeserializeOwned>(
    deserializer: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<Link<T>, erased_serde::Error> {
    erased_serde::deserialize::<T>(deserializer).map(Link::new)
}

/// One function in the registry links call at run time: found by its type.
#[doc(hidden)]
pub struct Registered(pub &'static (dyn Any + Send + Sync));

inventory::collect!(Registered);

/// What the macros expand to (not public API).
#[doc(hidden)]
pub mod __private {
    pub use inventory;
}

/// The registered value of type `F`, if any: the first registration of each type counts (they
/// are the same function).
fn find<F: Any>() -> Option<&'static F> {
    static REGISTRY: OnceLock<HashMap<TypeId, &'static (dyn Any + Send + Sync)>> = OnceLock::new();
    let registry = REGISTRY.get_or_init(|| {
        let mut registry = HashMap::new();
        for Registered(value) in inventory::iter::<Registered> {
            registry.entry((*value).type_id()).or_insert(*value);
        }
        registry
    });
    registry.get(&TypeId::of::<F>())?.downcast_ref()
}

fn registered<F: Any>() -> &'static F {
    find::<F>().unwrap_or_else(|| {
        panic!(
            "no `{}` is registered for desk_runtime::Link (desk_runtime::link_conversions! or \
             link_diffs!)",
            type_name::<F>()
        )
    })
}

/// Registers the decoders of `Link<T>` for each type `T` listed: `link_decoders!(S0, S48Patch)`.
/// Generated code lists every type a link of it points to, once per crate (see the
/// [module docs](crate::link)).
#[macro_export]
macro_rules! link_decoders {
    ($($ty:ty),+ $(,)?) => {
        $(
            $crate::link::__private::inventory::submit! {
                $crate::link::Registered(&$crate::link::Decoder::<$ty>::NEW)
            }
        )+
    };
}

/// Registers the conversions [`Link::convert`](crate::Link::convert) calls: functions of one
/// value, each found by its type (a path, or a closure that captures nothing and names its
/// argument's type): `link_conversions!(S48Patch::from_model, S48Create::from)`.
#[macro_export]
macro_rules! link_conversions {
    ($($function:expr),+ $(,)?) => {
        $(
            $crate::link::__private::inventory::submit! {
                $crate::link::Registered(&($function as fn(_) -> _))
            }
        )+
    };
}

/// Registers the functions [`Link::diff`](crate::Link::diff) calls: functions of two values
/// by reference, each found by its type: `link_diffs!(S48Patch::diff)`.
#[macro_export]
macro_rules! link_diffs {
    ($($function:expr),+ $(,)?) => {
        $(
            $crate::link::__private::inventory::submit! {
                $crate::link::Registered(&($function as fn(&_, &_) -> _))
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Node {
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<Link<Node>>,
    }

    /// A node's request form, and the conversions a link crosses to it.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct NodePatch {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<Link<NodePatch>>,
    }

    impl NodePatch {
        fn from_model(node: Node) -> Self {
            NodePatch {
                label: Some(node.label),
                next: node.next.map(Link::convert),
            }
        }

        fn diff(old: &Node, new: &Node) -> Self {
            NodePatch {
                label: (old.label != new.label).then(|| new.label.clone()),
                next: match (&old.next, &new.next) {
                    (Some(old), Some(new)) => Some(Link::diff(old, new)),
                    (_, new) => new.clone().map(Link::convert),
                },
            }
        }
    }

    crate::link_decoders!(Node, NodePatch);
    crate::link_conversions!(NodePatch::from_model, |v: Option<Node>| v
        .map(NodePatch::from_model),);
    crate::link_diffs!(NodePatch::diff);

    /// Unregistered: decoding a link of it is an error, not a panic.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Stray(u8);

    fn chain(labels: &[&str]) -> Option<Link<Node>> {
        labels.iter().rev().fold(None, |next, label| {
            Some(Link::new(Node {
                label: (*label).to_owned(),
                next,
            }))
        })
    }

    #[test]
    fn encodes_as_the_value() {
        let node = Link::into_inner(chain(&["a", "b"]).expect("a node"));
        let text = serde_json::to_string(&node).expect("encodes");
        assert_eq!(text, r#"{"label":"a","next":{"label":"b"}}"#);
        let back: Node = serde_json::from_str(&text).expect("decodes");
        assert_eq!(back, node);
    }

    #[test]
    fn decodes_through_links_byte_for_byte() {
        let text = r#"{"label":"a","next":{"label":"b","next":{"label":"c"}}}"#;
        let node: Node = serde_json::from_str(text).expect("decodes");
        assert_eq!(
            Some(node.clone()),
            chain(&["a", "b", "c"]).map(Link::into_inner)
        );
        assert_eq!(serde_json::to_string(&node).expect("encodes"), text);
        let pretty = serde_json::to_string_pretty(&node).expect("encodes");
        assert_eq!(serde_json::to_string_pretty(&node).expect("again"), pretty);
        let value = serde_json::to_value(&node).expect("to a value");
        assert_eq!(
            serde_json::from_value::<Node>(value).expect("from a value"),
            node
        );
    }

    #[test]
    fn decoding_errors_keep_their_message_and_place() {
        let text = r#"{"label":"a","next":{"label":7}}"#;
        let err = serde_json::from_str::<Node>(text).expect_err("a number is no label");
        assert_eq!(
            err.to_string(),
            "invalid type: integer `7`, expected a string at line 1 column 30"
        );
        assert_eq!((err.line(), err.column()), (1, 30));
        let err = serde_json::from_str::<Link<Stray>>("1").expect_err("not registered");
        assert!(
            err.to_string()
                .starts_with("no decoder is registered for desk_runtime::Link<"),
            "{err}"
        );
    }

    #[test]
    fn converts_and_diffs_across_links_with_the_registered_functions() {
        let old = Link::into_inner(chain(&["a", "b", "c"]).expect("a node"));
        let patch = NodePatch::from_model(old.clone());
        assert_eq!(
            serde_json::to_string(&patch).expect("encodes"),
            r#"{"label":"a","next":{"label":"b","next":{"label":"c"}}}"#
        );
        let new = Link::into_inner(chain(&["a", "b", "d"]).expect("a node"));
        let diff = NodePatch::diff(&old, &new);
        assert_eq!(
            serde_json::to_string(&diff).expect("encodes"),
            r#"{"next":{"next":{"label":"d"}}}"#
        );
    }

    #[test]
    #[should_panic(expected = "is registered for desk_runtime::Link")]
    fn an_unregistered_conversion_is_a_bug_that_panics() {
        let _: Link<String> = Link::convert(Link::new(Stray(1)));
    }

    #[test]
    fn reads_clones_compares_and_prints_like_a_box() {
        let mut link = chain(&["a", "b"]).expect("a node");
        link.label.push('!');
        let copy = link.clone();
        assert_eq!(copy, link);
        assert_eq!(copy.label, "a!");
        link.next = None;
        assert_ne!(copy, link);
        assert_eq!(
            format!("{link:?}"),
            format!(
                "{:?}",
                Box::new(Node {
                    label: "a!".into(),
                    next: None
                })
            )
        );
        let inner: Node = Link::into_inner(copy);
        assert_eq!(inner.next.as_deref().map(|n| n.label.as_str()), Some("b"));
    }

    #[test]
    fn orders_and_hashes_as_the_value() {
        let (a, b) = (Link::new(1_u8), Link::new(2_u8));
        assert!(a < b);
        assert_eq!(a.cmp(&b), Ordering::Less);
        let set: std::collections::BTreeSet<Link<u8>> = [b.clone(), a.clone(), b].into();
        assert_eq!(set.len(), 2);
        let hash = |v: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v(&mut h);
            h.finish()
        };
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| 1_u8.hash(h)));
    }

    #[test]
    fn is_send_sync_and_unwind_safe() {
        fn assert<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}
        assert::<Link<Node>>();
        assert::<Node>();
    }
}
