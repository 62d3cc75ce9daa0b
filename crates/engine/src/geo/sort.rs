//! The two sorts Redis applies to search results, reproduced step for step.
//!
//! Results at the same distance (members at the same position, say) come out in an order that
//! depends on the sorting algorithm, so "sorted by distance" is not enough to answer like
//! Redis. When every result is returned Redis calls the C library's `qsort`, which in glibc is
//! a top-down merge sort: stable, ties keep the order in which the cells were scanned. When
//! COUNT keeps fewer, Redis runs its own `pqsort`, a Bentley–McIlroy three-way quicksort that
//! only recurses into the parts overlapping the wanted positions: not stable, and its order of
//! ties follows from every pivot and swap, which [`partial_sort`] makes in the same sequence.
//!
//! Both take a C-style comparison (an `Ordering` that need not be a total order: a NaN
//! distance compares as smaller than everything, as in Redis) and never rely on it being
//! consistent.

use std::cmp::Ordering;

/// glibc's `qsort`: a stable top-down merge sort (the first half is `len / 2` elements).
pub fn merge_sort<T: Copy>(items: &mut [T], compare: &impl Fn(&T, &T) -> Ordering) {
  let mut merged = Vec::with_capacity(items.len());
  merge_sort_with(items, &mut merged, compare);
}

fn merge_sort_with<T: Copy>(items: &mut [T], merged: &mut Vec<T>, compare: &impl Fn(&T, &T) -> Ordering) {
  let len = items.len();
  if len <= 1 {
    return;
  }
  let half = len / 2;
  merge_sort_with(&mut items[..half], merged, compare);
  merge_sort_with(&mut items[half..], merged, compare);
  merged.clear();
  let (mut left, mut right) = (0, half);
  while left < half && right < len {
    if compare(&items[left], &items[right]) != Ordering::Greater {
      merged.push(items[left]);
      left += 1;
    } else {
      merged.push(items[right]);
      right += 1;
    }
  }
  // What is left of the second half is already in place.
  merged.extend_from_slice(&items[left..half]);
  items[..merged.len()].copy_from_slice(merged);
}

/// Redis's `pqsort`: orders `items` enough that positions `first..=last` hold what a full sort
/// would put there; the rest are left partly ordered.
pub fn partial_sort<T>(items: &mut [T], first: usize, last: usize, compare: &impl Fn(&T, &T) -> Ordering) {
  sort_part(items, 0, items.len(), first, last, compare);
}

/// [`partial_sort`] of `items[start..start + len]`, the wanted positions being counted in all of
/// `items`.
fn sort_part<T>(
  items: &mut [T],
  mut start: usize,
  mut len: usize,
  first: usize,
  last: usize,
  compare: &impl Fn(&T, &T) -> Ordering,
) {
  loop {
    if len < 7 {
      insertion_sort(&mut items[start..start + len], compare);
      return;
    }
    let pivot = choose_pivot(items, start, len, compare);
    items.swap(start, pivot);

    // Partition [start + 1, end) around items[start]: equal elements gather at both ends
    // (`low_equal` and `high_equal` mark how far), smaller ones after the low end, greater
    // ones before the high end.
    let mut low_equal = start + 1;
    let mut low = low_equal;
    let mut high = start + len - 1;
    let mut high_equal = high;
    loop {
      while low <= high {
        let order = compare(&items[low], &items[start]);
        if order == Ordering::Greater {
          break;
        }
        if order == Ordering::Equal {
          items.swap(low_equal, low);
          low_equal += 1;
        }
        low += 1;
      }
      while low <= high {
        let order = compare(&items[high], &items[start]);
        if order == Ordering::Less {
          break;
        }
        if order == Ordering::Equal {
          items.swap(high, high_equal);
          high_equal -= 1;
        }
        high -= 1;
      }
      if low > high {
        break;
      }
      items.swap(low, high);
      low += 1;
      high -= 1;
    }

    // Bring the equal elements to the middle.
    let end = start + len;
    let moved = (low_equal - start).min(low - low_equal);
    swap_blocks(items, start, low - moved, moved);
    let moved = (high_equal - high).min(end - high_equal - 1);
    swap_blocks(items, low, end - moved, moved);

    // Recurse into the smaller-than part and loop on the greater-than part, each only when it
    // overlaps the wanted positions.
    let overlaps = |from: usize, count: usize| {
      let to = from + count - 1;
      !((first < from && last < from) || (first > to && last > to))
    };
    let smaller = low - low_equal;
    if smaller > 1 && overlaps(start, smaller) {
      sort_part(items, start, smaller, first, last, compare);
    }
    let greater = high_equal - high;
    if greater > 1 && overlaps(end - greater, greater) {
      start = end - greater;
      len = greater;
      continue;
    }
    return;
  }
}

/// The pivot: the middle element, or the median of the first, middle and last (from 8
/// elements), or of three such medians (above 40).
fn choose_pivot<T>(items: &[T], start: usize, len: usize, compare: &impl Fn(&T, &T) -> Ordering) -> usize {
  let mut middle = start + len / 2;
  if len > 7 {
    let mut low = start;
    let mut high = start + len - 1;
    if len > 40 {
      let d = len / 8;
      low = median_of_three(items, low, low + d, low + 2 * d, compare);
      middle = median_of_three(items, middle - d, middle, middle + d, compare);
      high = median_of_three(items, high - 2 * d, high - d, high, compare);
    }
    middle = median_of_three(items, low, middle, high, compare);
  }
  middle
}

fn median_of_three<T>(items: &[T], a: usize, b: usize, c: usize, compare: &impl Fn(&T, &T) -> Ordering) -> usize {
  let less = |x: usize, y: usize| compare(&items[x], &items[y]) == Ordering::Less;
  let greater = |x: usize, y: usize| compare(&items[x], &items[y]) == Ordering::Greater;
  if less(a, b) {
    if less(b, c) {
      b
    } else if less(a, c) {
      c
    } else {
      a
    }
  } else if greater(b, c) {
    b
  } else if less(a, c) {
    a
  } else {
    c
  }
}

fn insertion_sort<T>(items: &mut [T], compare: &impl Fn(&T, &T) -> Ordering) {
  for i in 1..items.len() {
    let mut at = i;
    while at > 0 && compare(&items[at - 1], &items[at]) == Ordering::Greater {
      items.swap(at, at - 1);
      at -= 1;
    }
  }
}

/// Swaps `items[a..a + count]` with `items[b..b + count]`, element by element.
fn swap_blocks<T>(items: &mut [T], a: usize, b: usize, count: usize) {
  for i in 0..count {
    items.swap(a + i, b + i);
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn by_key(a: &(u32, u32), b: &(u32, u32)) -> Ordering {
    a.0.cmp(&b.0)
  }

  #[test]
  fn merge_sort_is_stable() {
    let mut items: Vec<(u32, u32)> = (0..50).map(|i| ((i * 7) % 5, i)).collect();
    let mut expected = items.clone();
    expected.sort_by(by_key);
    merge_sort(&mut items, &by_key);
    assert_eq!(items, expected);
  }

  #[test]
  fn partial_sort_orders_the_wanted_positions() {
    for len in [1usize, 5, 7, 8, 30, 41, 100, 333] {
      for wanted in [1usize, 2, 7, len] {
        let wanted = wanted.min(len);
        let mut items: Vec<(u32, u32)> = (0..len as u32).map(|i| ((i * 7919) % 13, i)).collect();
        let mut sorted = items.clone();
        sorted.sort_by(by_key);
        partial_sort(&mut items, 0, wanted - 1, &by_key);
        let keys = |v: &[(u32, u32)]| v.iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(keys(&items[..wanted]), keys(&sorted[..wanted]), "len {len}, wanted {wanted}");
      }
    }
  }
}
