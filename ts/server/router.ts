// Delivery of the engine's output for sessions other than the caller.
//
// A command can produce bytes for other sessions: pub/sub messages and keyspace notifications,
// replies of blocked clients it woke, MONITOR lines. The engine returns them after each native
// call as one Buffer plus `(slot, length)` routes, and the sessions to disconnect. Every
// engine has one router that knows what each slot is: a network connection, or the embedded
// store's in-process subscriber. Server connections, the tick, and embedded calls all hand
// their outbound output to it, so a message published in-process reaches network subscribers
// and the reverse.

import type { NativeEngine } from '../native/binding.js'

/** Output for other sessions, as the binding's feed, tick and takeOutbound results carry it. */
export interface Outbound {
  /** Every session's bytes, back to back. */
  data: Buffer
  /** `(slot, byte count)` pairs, in the order of `data`. */
  routes: Uint32Array
  /** Sessions to disconnect. */
  kills: number[]
  /** Sessions to resume: a command of theirs that the engine ran again by itself (after a pause
   * or a wait) needs the host. */
  resumes: number[]
}

/** A session's receiving end. */
export interface Sink {
  deliver(data: Buffer): void
  /** The engine asked for this session to be disconnected. */
  kill(): void
  /** The engine has a command of this session for the host (see `Outbound.resumes`); only
   * network connections have such commands. */
  resume?(): void
}

export class Router {
  readonly #sinks = new Map<number, Sink>()

  add(slot: number, sink: Sink): void {
    this.#sinks.set(slot, sink)
  }

  remove(slot: number, sink: Sink): void {
    if (this.#sinks.get(slot) === sink) this.#sinks.delete(slot)
  }

  /** Hands each session its bytes, then disconnects the sessions the engine asked to, then
   * resumes those with a command for the host (after their earlier replies). */
  route(outbound: Outbound): void {
    const { data, routes, kills, resumes } = outbound
    let at = 0
    for (let i = 0; i < routes.length; i += 2) {
      const length = routes[i + 1]!
      this.#sinks.get(routes[i]!)?.deliver(data.subarray(at, at + length))
      at += length
    }
    for (const slot of kills) this.#sinks.get(slot)?.kill()
    for (const slot of resumes) this.#sinks.get(slot)?.resume?.()
  }
}

const routers = new WeakMap<NativeEngine, Router>()

/** The router of `engine`, made on first use. */
export function routerFor(engine: NativeEngine): Router {
  let router = routers.get(engine)
  if (!router) {
    router = new Router()
    routers.set(engine, router)
  }
  return router
}
