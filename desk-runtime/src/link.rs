//! [`Link<T>`]: a `Box<T>` that rustc's walks over owned types do not look inside.
//!
//! Drop-check, and the auto traits `Send`, `Sync`, `UnwindSafe` and `RefUnwindSafe`, follow
//! every type a value owns: through `Option`, `Vec`, maps and `Box` alike, one or more levels
//! of rustc's recursion limit (128) per step. A ring of a thousand schemas, each holding the
//! next, is a walk of thousands of levels wherever the `Box`es go, and rustc gives up
//! (E0320 "overflow while adding drop-check rules", E0275 "overflow evaluating the requirement
//! `…: Send`"). A `Link<T>` holds its value as a trait object whose auto traits are stated
//! in its type and whose destructor is called through the vtable, so those walks stop at the
//! link; the value is put behind it once, in [`Link::new`], where `T` is required to have
//! them. `Clone`, `Debug` and `PartialEq` go through the vtable too, so the code rustc
//! instantiates for them does not nest one type inside the next either.
//!
//! Generated code uses it only where lowering found a walk that would pass the limit (see
//! desk-codegen's `lower::nesting`); it reads like a `Box`: [`Deref`], [`DerefMut`],
//! [`From<T>`], [`Link::into_inner`], and the same serde encoding as `T`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::panic::{RefUnwindSafe, UnwindSafe};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a value needs to be held in a [`Link`]: what generated types have (they hold owned
/// data only) and what the link's own impls call through its vtable.
pub trait Linkable:
    Clone + fmt::Debug + PartialEq + Send + Sync + UnwindSafe + RefUnwindSafe + 'static
{
}

impl<T> Linkable for T where
    T: Clone + fmt::Debug + PartialEq + Send + Sync + UnwindSafe + RefUnwindSafe + 'static
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
}

/// A boxed `T` that drop-check and auto-trait checks do not look inside (see the
/// [module docs](self)). Serialised as `T`.
///
/// ```
/// use desk_runtime::Link;
///
/// #[derive(Debug, Clone, PartialEq)]
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

impl<T: Serialize> Serialize for Link<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de, T: Linkable + Deserialize<'de>> Deserialize<'de> for Link<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Link::new)
    }
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
