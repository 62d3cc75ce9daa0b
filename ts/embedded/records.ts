// Field/value replies (HGETALL, CONFIG GET, RESP3 maps) as plain objects, made fast.
//
// V8 adds properties with computed names one at a time, on a slow path that costs tens of
// nanoseconds each, while an object literal with the same names is made in one step. Hashes
// read again, or hashes of one kind, repeat their list of field names; so a list seen twice
// among the recent ones gets a function returning such a literal, compiled once. The names are
// written into it as JSON strings, so no name can be read as code. Lists with `__proto__` (a
// literal would set the prototype) or with names that are not strings are always made field by
// field, and `__proto__` becomes an own field there, as every other name does.

/** Field lists with fewer fields are always made into objects one field at a time. */
const SHAPE_MIN_FIELDS = 8
/** How many recent field lists are remembered. */
const SHAPE_CACHE_SIZE = 16

interface Shape {
  fields: string[]
  /** Makes the object from a reply with these fields, once the list was seen again. */
  make?: (pairs: readonly unknown[]) => Record<string, unknown>
}

const recent: Shape[] = []

/** Alternating names and values (a RESP2 map) as an object; a name that is not a string
 * becomes its string. */
export function objectFromPairs<V>(pairs: readonly unknown[]): Record<string, V> {
  const count = pairs.length >> 1
  if (count < SHAPE_MIN_FIELDS) return fieldByField(pairs) as Record<string, V>
  for (let i = 0; i < recent.length; i++) {
    const shape = recent[i]!
    if (!sameFields(shape.fields, pairs)) continue
    shape.make ??= compileShape(shape.fields)
    return shape.make(pairs) as Record<string, V>
  }
  const fields: string[] = []
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const field = pairs[i]
    if (typeof field !== 'string' || field === '__proto__') return fieldByField(pairs) as Record<string, V>
    fields.push(field)
  }
  recent.unshift({ fields })
  if (recent.length > SHAPE_CACHE_SIZE) recent.pop()
  return fieldByField(pairs) as Record<string, V>
}

function sameFields(fields: string[], pairs: readonly unknown[]): boolean {
  if (fields.length !== pairs.length >> 1) return false
  for (let i = 0; i < fields.length; i++) if (fields[i] !== pairs[i * 2]) return false
  return true
}

function compileShape(fields: string[]): (pairs: readonly unknown[]) => Record<string, unknown> {
  const properties = fields.map((field, i) => `${JSON.stringify(field)}: pairs[${i * 2 + 1}]`)
  return new Function('pairs', `return { ${properties.join(', ')} }`) as (
    pairs: readonly unknown[],
  ) => Record<string, unknown>
}

function fieldByField(pairs: readonly unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const field = String(pairs[i])
    // A plain assignment to `__proto__` would change the prototype instead of adding a field.
    if (field === '__proto__') {
      Object.defineProperty(object, field, {
        value: pairs[i + 1],
        configurable: true,
        enumerable: true,
        writable: true,
      })
    } else {
      object[field] = pairs[i + 1]
    }
  }
  return object
}
