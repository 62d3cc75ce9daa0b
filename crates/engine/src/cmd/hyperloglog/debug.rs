//! PFDEBUG and PFSELFTEST: Redis's commands for looking inside sketches and checking the
//! implementation.
//!
//! PFDEBUG subcommand key, where the subcommand is GETREG (every register, converting a sparse
//! sketch to dense), DECODE (the sparse opcodes as text), ENCODING or TODENSE. The key is
//! looked up and checked before the subcommand name is: a missing key or a non-sketch wins over
//! an unknown subcommand. The conversions count as a change, so that they are propagated, but
//! are not reported to WATCH or tracking, as in Redis.

use super::{sketch_mut, sparse_max_bytes};
use crate::cmd::{is, Ctx};
use crate::cstr::until_nul;
use crate::error::{CmdResult, Error};
use crate::rand::Rng;
use crate::types::hll::{self, dense, sparse, Encoding, HEADER_LEN, REGISTERS};

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
pub fn pfdebug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (subcommand, key) = (argv[1], argv[2]);
  let (entry, out) = ctx.lookup_write(key);
  let Some(entry) = entry else {
    return Err(Error::err("The specified key does not exist"));
  };
  let sketch = sketch_mut(&mut entry.value)?;
  if is(subcommand, "getreg") {
    let converted = hll::to_dense(sketch)?;
    out.array(REGISTERS);
    for value in dense::values(&sketch[HEADER_LEN..]) {
      out.int(value as i64);
    }
    ctx.dirty(converted as u64);
  } else if is(subcommand, "decode") {
    if hll::encoding(sketch) != Encoding::Sparse {
      return Err(Error::err("HLL encoding is not sparse"));
    }
    out.bulk(sparse::describe(&sketch[HEADER_LEN..]).as_bytes());
  } else if is(subcommand, "encoding") {
    out.simple(hll::encoding(sketch).name().as_bytes());
  } else if is(subcommand, "todense") {
    let converted = hll::to_dense(sketch)?;
    out.int(converted as i64);
    ctx.dirty(converted as u64);
  } else {
    let name = String::from_utf8_lossy(until_nul(subcommand));
    return Err(Error::err(format!("Unknown PFDEBUG subcommand '{name}'")));
  }
  Ok(())
}

/// PFSELFTEST: checks that dense registers hold what is written to them without disturbing
/// their neighbours, then adds ten million distinct elements to a dense and a sparse sketch
/// side by side, checking at every power of ten that the sparse one stays sparse while small,
/// that both estimate the same, and that the estimate is within six standard errors (rounded
/// up, so at least 1).
pub fn pfselftest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let mut rng = Rng::from_entropy();
  check_registers(&mut rng)?;
  check_estimates(&mut rng, sparse_max_bytes(ctx))?;
  ctx.out.ok();
  Ok(())
}

/// Writes random values to every dense register, a thousand times, reading them all back.
fn check_registers(rng: &mut Rng) -> CmdResult {
  let mut registers = vec![0; hll::DENSE_LEN - HEADER_LEN];
  let mut expected = vec![0u8; REGISTERS];
  for _ in 0..1000 {
    for (index, value) in expected.iter_mut().enumerate() {
      *value = (rng.next_u64() & 63) as u8;
      dense::write(&mut registers, index, *value);
    }
    for (index, &value) in expected.iter().enumerate() {
      let found = dense::read(&registers, index);
      if found != value {
        return Err(Error::err(format!("TESTFAILED Register {index} should be {value} but is {found}")));
      }
    }
  }
  Ok(())
}

/// Adds distinct elements to a dense and a sparse sketch, checking them at 1, 10, 100… 10^7.
fn check_estimates(rng: &mut Rng, max_bytes: usize) -> CmdResult {
  let mut dense_sketch = hll::new_sparse();
  hll::to_dense(&mut dense_sketch)?;
  let mut sparse_sketch = hll::new_sparse();
  let relative_error = 1.04 / (REGISTERS as f64).sqrt();
  let seed = rng.next_u64();
  let mut checkpoint: u64 = 1;
  for n in 1..=10_000_000u64 {
    let element = (n ^ seed).to_le_bytes();
    hll::add(&mut dense_sketch, &element, max_bytes)?;
    hll::add(&mut sparse_sketch, &element, max_bytes)?;
    if n != checkpoint {
      continue;
    }
    if n < max_bytes as u64 / 2 && hll::encoding(&sparse_sketch) != Encoding::Sparse {
      return Err(Error::err("TESTFAILED sparse encoding not used"));
    }
    let estimate = hll::count(&dense_sketch)?;
    if estimate != hll::count(&sparse_sketch)? {
      return Err(Error::err("TESTFAILED dense/sparse disagree"));
    }
    let max_error = (relative_error * 6.0 * checkpoint as f64).ceil() as u64;
    let error = checkpoint.abs_diff(estimate);
    if error > max_error {
      return Err(Error::err(format!("TESTFAILED Too big error. card:{checkpoint} abserr:{error}")));
    }
    checkpoint *= 10;
  }
  Ok(())
}
