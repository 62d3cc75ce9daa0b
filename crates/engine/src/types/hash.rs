//! Hashes: field → value maps.

use crate::bytes::SmallBytes;

#[derive(Clone, Default)]
pub struct Hash {
  pub fields: Vec<(SmallBytes, SmallBytes)>,
}

impl Hash {
  pub fn encoding(&self) -> &'static str {
    "listpack"
  }

  pub fn len(&self) -> usize {
    self.fields.len()
  }

  pub fn is_empty(&self) -> bool {
    self.fields.is_empty()
  }

  /// Every field and its value.
  pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
    self.fields.iter().map(|(f, v)| (f.as_slice(), v.as_slice()))
  }

  /// Heap bytes owned by the hash (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    self.fields.capacity() * std::mem::size_of::<(SmallBytes, SmallBytes)>()
  }
}
