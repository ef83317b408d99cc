//! [`Link<T>`]: a box of `T` that rustc's walks over owned types, its instantiation of generic
//! code and its debug info do not look inside.
//!
//! Drop-check, and the auto traits `Send`, `Sync`, `UnwindSafe` and `RefUnwindSafe`, follow
//! every type a value owns: through `Option`, `Vec`, maps and `Box` alike, one or more levels
//! of rustc's recursion limit (128) per step. A ring of a thousand schemas, each holding the
//! next, is a walk of thousands of levels wherever the `Box`es go, and rustc gives up
//! (E0320 "overflow while adding drop-check rules", E0275 "overflow evaluating the requirement
//! `…: Send`"). A link holds its value as a trait object ([`Linked`]) whose auto traits are
//! stated in its type and whose destructor is called through the vtable, so those walks stop
//! at the link; the value is put behind it once, in [`Link::new`], where `T` is required to have
//! them.
//!
//! Building the code walks the types twice more:
//! - rustc's monomorphization collector instantiates every generic function a function calls,
//!   depth first, and gives up when one generic function is nested in itself more than 128
//!   times ("reached the recursion limit while instantiating"). Decoding a type calls serde's
//!   generic functions once per type it reaches (the derived `Deserialize` of `S0`
//!   instantiates `next_value::<Option<S1>>`, which instantiates `S1::deserialize`, …), and so
//!   do encoding and the request forms' conversions (`from_model`, `diff`, `From`). So nothing
//!   a link does names the code of `T` it runs: `Clone`, `Debug`, `PartialEq` and `Serialize`
//!   call through the vtable built in [`Link::new`] (encoding through [`erased_serde`], so the
//!   format's serializer is not instantiated for `T`); `Deserialize` and the conversions
//!   [`Link::convert`] and [`Link::diff`] call functions they find at run time in a registry
//!   keyed by the function's type. Generated code registers, for each type a link holds, its
//!   decoder ([`link_decoders!`](crate::link_decoders)) and the conversions that cross a link
//!   ([`link_conversions!`](crate::link_conversions), [`link_diffs!`](crate::link_diffs)); a
//!   registration is a `static` ([`inventory`] collects them before `main`), which rustc
//!   instantiates from scratch, so the code between two links is instantiated at most once
//!   inside itself, however many links a value passes.
//! - Debug info describes a generic struct with its type parameters, so a struct `Link<T>`
//!   would have its debug info describe `T`, and `T`'s fields the next link's, around the ring:
//!   rustc overflowed its stack on a ring of 1,500. So [`Link<T>`] is `LinkBox<dyn Linked<T>>`,
//!   a struct generic over the trait object, whose debug info names `T` without describing it.
//!
//! Decoding is `T`'s own decoding behind a type-erased deserializer: the encoding is `T`'s,
//! errors keep their message and (for `serde_json`) their line and column.
//!
//! Generated code uses links only where lowering found a walk that would pass the limit (see
//! desk-codegen's `lower::nesting`), and names this module's feature `link` in its
//! requirements; it reads like a `Box<T>` (see [`Link`]). A hand-written type held in a link
//! registers its decoder the same way:
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

/// What a [`Link`] holds: its value as a trait object, whose methods are every method `T`'s
/// own impls would be instantiated in (implemented for every [`Linkable`] type, and by no other
/// type: the trait is sealed). A value becomes one in [`Link::new`], where `T` is required to
/// be [`Linkable`]; its methods are the link's machinery, not API.
pub trait Linked<T>: sealed::Sealed<T> + Send + Sync + UnwindSafe + RefUnwindSafe {
    #[doc(hidden)]
    fn linked_value(&self) -> &T;
    #[doc(hidden)]
    fn linked_value_mut(&mut self) -> &mut T;
    #[doc(hidden)]
    fn linked_into_value(self: Box<Self>) -> T;
    #[doc(hidden)]
    fn linked_clone(&self) -> Link<T>;
    #[doc(hidden)]
    fn linked_debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    #[doc(hidden)]
    fn linked_eq(&self, other: &T) -> bool;
    #[doc(hidden)]
    fn linked_encoder(&self) -> &dyn erased_serde::Serialize;
}

mod sealed {
    /// Only [`Linkable`](super::Linkable) types are [`Linked`](super::Linked).
    pub trait Sealed<T> {}

    impl<T: super::Linkable> Sealed<T> for T {}
}

impl<T: Linkable> Linked<T> for T {
    fn linked_value(&self) -> &T {
        self
    }

    fn linked_value_mut(&mut self) -> &mut T {
        self
    }

    fn linked_into_value(self: Box<Self>) -> T {
        *self
    }

    fn linked_clone(&self) -> Link<T> {
        Link::new(self.clone())
    }

    fn linked_debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }

    fn linked_eq(&self, other: &T) -> bool {
        self == other
    }

    fn linked_encoder(&self) -> &dyn erased_serde::Serialize {
        self
    }
}

/// A boxed `T` that drop-check, auto-trait checks, the instantiation of generic code and debug
/// info do not look inside (see the [module docs](self)). Serialised as `T`.
///
/// It reads like a `Box<T>`: fields and methods of `T` through [`Deref`], [`Link::new`],
/// [`From<T>`], [`Link::into_inner`], `Clone`, `Debug`, `PartialEq`, `Default`, and `T`'s
/// encoding.
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
/// assert_eq!(head.next.map(|n| Link::into_inner(n).label).as_deref(), Some("b!"));
/// ```
pub type Link<T> = LinkBox<dyn Linked<T>>;

/// The struct behind [`Link<T>`]: generic over the trait object it boxes, not over `T`, because
/// rustc's debug info describes a generic struct with its type parameters (a `struct
/// Link<T>` would have it describe `T`, and `T`'s fields the next link's, around a ring of
/// types: rustc overflowed its stack on a ring of 1,500), and the name of a trait object
/// without describing it.
pub struct LinkBox<D: ?Sized>(Box<D>);

impl<T: Linkable> Link<T> {
    /// Boxes `value`.
    pub fn new(value: T) -> Self {
        LinkBox(Box::new(value))
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
        Linked::<T>::linked_into_value(this.0)
    }
}

impl<T> Deref for Link<T> {
    type Target = T;

    fn deref(&self) -> &T {
        Linked::<T>::linked_value(&*self.0)
    }
}

impl<T> DerefMut for Link<T> {
    fn deref_mut(&mut self) -> &mut T {
        Linked::<T>::linked_value_mut(&mut *self.0)
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
        Linked::<T>::linked_clone(&*self.0)
    }
}

impl<T> fmt::Debug for Link<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Linked::<T>::linked_debug(&*self.0, f)
    }
}

impl<T> PartialEq for Link<T> {
    fn eq(&self, other: &Self) -> bool {
        Linked::<T>::linked_eq(&*self.0, other)
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
        erased_serde::serialize(Linked::<T>::linked_encoder(&*self.0), serializer)
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

    /// A link held directly (a required property), not in an `Option`.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Holder {
        head: Link<Node>,
    }

    #[test]
    fn a_link_held_directly_derives_like_a_box() {
        let holder: Holder = serde_json::from_str(r#"{"head":{"label":"a"}}"#).expect("decodes");
        assert_eq!(holder.clone(), holder);
        assert_eq!(holder.head.label, "a");
        assert_eq!(Holder::default().head.label, "");
        assert_eq!(
            serde_json::to_string(&holder).expect("encodes"),
            r#"{"head":{"label":"a"}}"#
        );
    }

    #[test]
    fn is_send_sync_and_unwind_safe() {
        fn assert<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}
        assert::<Link<Node>>();
        assert::<Node>();
    }
}
