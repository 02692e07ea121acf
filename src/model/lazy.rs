//! [`Lazy`]: a part of an article that is decoded from the article cache the first time it is
//! read.
//!
//! A rebuild takes most articles from the cache, and most of what the cache holds is the
//! articles' blocks and removed pieces, which only the pages of changed articles, a changed
//! search segment and a few passages shown on changed pages read. Decoding them all was about
//! 6% of an add-one rebuild's CPU at 10,000 articles, and 55–70 MB more memory at its peak; now
//! each is decoded when something reads it, and never otherwise.

use std::fmt;
use std::ops::{Deref, DerefMut, Range};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

/// The bytes a [`Lazy`] decodes from, shared by all the articles they hold (a mapped file).
pub type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A value, or the bytes it is decoded from the first time it is read (through `Deref`). It
/// compares, clones, prints and serialises as its value.
pub struct Lazy<T> {
    value: OnceLock<T>,
    encoded: Option<Encoded<T>>,
}

struct Encoded<T> {
    bytes: Shared,
    range: Range<usize>,
    decode: fn(&[u8]) -> Option<T>,
    /// Set when the bytes do not decode, for whoever gave them to tell.
    failed: Arc<AtomicBool>,
}

impl<T> Lazy<T> {
    /// The value `decode` makes of `bytes[range]`, decoded when first read. Should they not
    /// decode (`decode` checks them: the article cache, against their checksum), the value is
    /// empty (`T::default()`) and `failed` is set: the caller must not use what it made of it.
    pub fn encoded(
        bytes: Shared,
        range: Range<usize>,
        decode: fn(&[u8]) -> Option<T>,
        failed: Arc<AtomicBool>,
    ) -> Lazy<T> {
        Lazy { value: OnceLock::new(), encoded: Some(Encoded { bytes, range, decode, failed }) }
    }

    /// True once the value is in memory: given, or decoded since.
    pub fn is_decoded(&self) -> bool {
        self.value.get().is_some()
    }
}

/// How many values have been decoded from their bytes, in this process.
static DECODED: AtomicUsize = AtomicUsize::new(0);

/// How many [`Lazy`] values have been decoded so far (`ZHIKU_TIMINGS` reports it).
pub fn decoded() -> usize {
    DECODED.load(Ordering::Relaxed)
}

impl<T: Default> Lazy<T> {
    fn decode(&self) -> T {
        let Some(e) = &self.encoded else { return T::default() };
        DECODED.fetch_add(1, Ordering::Relaxed);
        let bytes = (*e.bytes).as_ref().get(e.range.clone());
        bytes.and_then(e.decode).unwrap_or_else(|| {
            e.failed.store(true, Ordering::Relaxed);
            T::default()
        })
    }
}

impl<T> From<T> for Lazy<T> {
    fn from(value: T) -> Lazy<T> {
        Lazy { value: OnceLock::from(value), encoded: None }
    }
}

impl<A> FromIterator<A> for Lazy<Vec<A>> {
    fn from_iter<I: IntoIterator<Item = A>>(items: I) -> Lazy<Vec<A>> {
        Lazy::from(items.into_iter().collect::<Vec<A>>())
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Lazy<T> {
        Lazy::from(T::default())
    }
}

impl<T: Default> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.get_or_init(|| self.decode())
    }
}

impl<T: Default> DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        if self.value.get().is_none() {
            self.value = OnceLock::from(self.decode());
        }
        // The bytes are not needed once the value may differ from them.
        self.encoded = None;
        self.value.get_mut().unwrap_or_else(|| unreachable!("the value was set above"))
    }
}

impl<'a, T: Default> IntoIterator for &'a Lazy<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<T: Default + Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        Lazy::from((**self).clone())
    }
}

impl<T: Default + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Lazy<T>) -> bool {
        **self == **other
    }
}

impl<T: Default + fmt::Debug> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Default + Serialize> Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Lazy::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static WORDS: AtomicUsize = AtomicUsize::new(0);

    fn words(bytes: &[u8]) -> Option<Vec<String>> {
        WORDS.fetch_add(1, Ordering::SeqCst);
        let text = std::str::from_utf8(bytes).ok()?;
        Some(text.split(' ').map(str::to_string).collect())
    }

    fn shared(text: &str) -> Shared {
        Arc::new(text.as_bytes().to_vec())
    }

    #[test]
    fn the_value_is_decoded_once_when_first_read_and_not_before() {
        let bytes = shared("xx alpha beta yy");
        let before = WORDS.load(Ordering::SeqCst);
        let lazy = Lazy::encoded(bytes, 3..13, words, Arc::default());
        assert!(!lazy.is_decoded());
        assert_eq!(WORDS.load(Ordering::SeqCst), before);
        assert_eq!(*lazy, ["alpha", "beta"]);
        assert_eq!(lazy.len(), 2);
        assert!(lazy.is_decoded());
        assert_eq!(WORDS.load(Ordering::SeqCst), before + 1);
        // Compared, cloned and serialised as the value.
        assert_eq!(lazy, Lazy::from(vec!["alpha".to_string(), "beta".to_string()]));
        assert_eq!(serde_json::to_string(&lazy.clone()).unwrap(), r#"["alpha","beta"]"#);
    }

    #[test]
    fn a_change_is_made_to_the_decoded_value_and_kept() {
        let mut lazy = Lazy::encoded(shared("one two"), 0..7, words, Arc::default());
        lazy.push("three".into());
        assert_eq!(*lazy, ["one", "two", "three"]);
        let mut given = Lazy::from(vec![1, 2]);
        given[0] = 5;
        assert_eq!(*given, [5, 2]);
    }

    #[test]
    fn bytes_that_do_not_decode_give_an_empty_value_and_say_so_not_a_panic() {
        let not_utf8: Shared = Arc::new(vec![b'a', 0xff, 0xfe]);
        let failed = Arc::new(AtomicBool::new(false));
        let fine = Lazy::encoded(shared("one two"), 0..7, words, failed.clone());
        assert_eq!(fine.len(), 2);
        assert!(!failed.load(Ordering::SeqCst));
        assert!(Lazy::encoded(not_utf8.clone(), 0..3, words, failed.clone()).is_empty());
        assert!(failed.load(Ordering::SeqCst));
        // A range outside the bytes.
        let outside = Arc::new(AtomicBool::new(false));
        assert!(Lazy::encoded(not_utf8, 2..9, words, outside.clone()).is_empty());
        assert!(outside.load(Ordering::SeqCst));
    }
}
