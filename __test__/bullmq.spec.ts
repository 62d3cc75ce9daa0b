// BullMQ end to end against a redwing server: BullMQ drives Redis almost entirely through Lua
// scripts (EVALSHA with NOSCRIPT fallback, cmsgpack-encoded options, blocking BZPOPMIN and
// pub/sub events), so these tests exercise the scripting engine the way a real user does.
// BULLMQ_TEST_PORT=N runs the same tests against a server already listening on port N (for
// comparing with redis-server).

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FlowProducer, Queue, QueueEvents, Worker, type Job, type Processor } from 'bullmq'
import type { RunningRedwing } from './helpers/server.js'

let server: RunningRedwing | undefined
let port: number
const closers: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  const external = process.env.BULLMQ_TEST_PORT
  if (external) {
    port = Number(external)
  } else {
    // Loaded only here, so that the tests run against another server without a native build.
    server = await (await import('./helpers/server.js')).startRedwing()
    port = server.port
  }
})

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {})
  await server?.close()
})

const connection = () => ({ host: '127.0.0.1', port, maxRetriesPerRequest: null })
let queueCounter = 0
const queueName = (what: string) => `${what}-${process.pid}-${Date.now()}-${queueCounter++}`

function queue(name: string): Queue {
  const q = new Queue(name, { connection: connection() })
  closers.push(async () => {
    await q.obliterate({ force: true }).catch(() => {})
    await q.close()
  })
  return q
}

function worker(name: string, processor: Processor, options: Record<string, unknown> = {}): Worker {
  const w = new Worker(name, processor, { connection: connection(), ...options })
  closers.push(() => w.close())
  return w
}

function queueEvents(name: string): QueueEvents {
  const events = new QueueEvents(name, { connection: connection() })
  closers.push(() => events.close())
  return events
}

/** Resolves once `count` jobs have completed on `w`; rejects after `timeoutMs`. */
function completions(w: Worker, count: number, timeoutMs = 10_000): Promise<Job[]> {
  return new Promise((resolve, reject) => {
    const done: Job[] = []
    const timer = setTimeout(() => reject(new Error(`only ${done.length} of ${count} jobs completed`)), timeoutMs)
    w.on('completed', (job) => {
      done.push(job)
      if (done.length === count) {
        clearTimeout(timer)
        resolve(done)
      }
    })
  })
}

describe('BullMQ on redwing', () => {
  test('a worker processes jobs and stores their return values', async () => {
    const name = queueName('basic')
    const q = queue(name)
    await q.add('double', { n: 1 })
    await q.addBulk([2, 3, 4, 5].map((n) => ({ name: 'double', data: { n } })))
    const w = worker(name, async (job) => job.data.n * 2)
    const jobs = await completions(w, 5)
    expect(jobs.map((job) => job.returnvalue).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10])
    const counts = await q.getJobCounts('completed', 'waiting', 'active', 'failed')
    expect(counts).toEqual({ completed: 5, waiting: 0, active: 0, failed: 0 })
    const stored = await q.getJob(jobs[0].id!)
    expect(stored?.returnvalue).toBe(jobs[0].returnvalue)
    expect(await stored?.getState()).toBe('completed')
  }, 15_000)

  test('a job failing twice is retried with exponential backoff and then succeeds', async () => {
    const name = queueName('retry')
    const q = queue(name)
    const attempts: number[] = []
    const w = worker(name, async () => {
      attempts.push(Date.now())
      if (attempts.length < 3) throw new Error(`attempt ${attempts.length} failed`)
      return 'finally'
    })
    const failures: string[] = []
    w.on('failed', (_job, error) => failures.push(error.message))
    const done = completions(w, 1)
    await q.add('flaky', {}, { attempts: 3, backoff: { type: 'exponential', delay: 200 } })
    const [job] = await done
    expect(job.returnvalue).toBe('finally')
    expect(failures).toEqual(['attempt 1 failed', 'attempt 2 failed'])
    expect(attempts).toHaveLength(3)
    // Exponential backoff: 200 ms, then 400 ms.
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(190)
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(390)
    const stored = await q.getJob(job.id!)
    expect(stored?.attemptsMade).toBe(3)
    expect(stored?.stacktrace).toHaveLength(2)
    expect(await stored?.getState()).toBe('completed')
  }, 15_000)

  test('a delayed job waits for its delay', async () => {
    const name = queueName('delayed')
    const q = queue(name)
    const processedAt: Record<string, number> = {}
    const w = worker(name, async (job) => {
      processedAt[job.name] = Date.now()
    })
    const done = completions(w, 2)
    const addedAt = Date.now()
    const delayed = await q.add('later', {}, { delay: 600 })
    await q.add('now', {})
    expect(await delayed.getState()).toBe('delayed')
    expect(await q.getDelayedCount()).toBe(1)
    await done
    expect(processedAt.now - addedAt).toBeLessThan(500)
    expect(processedAt.later - addedAt).toBeGreaterThanOrEqual(590)
  }, 15_000)

  test('prioritised jobs are processed by priority, then in insertion order', async () => {
    const name = queueName('priority')
    const q = queue(name)
    const specs: [string, number | undefined][] = [
      ['p5-a', 5],
      ['none-a', undefined],
      ['p1-a', 1],
      ['p10', 10],
      ['p5-b', 5],
      ['p1-b', 1],
      ['none-b', undefined],
    ]
    for (const [jobName, priority] of specs) await q.add(jobName, {}, priority ? { priority } : {})
    expect(await q.getPrioritizedCount()).toBe(5)
    const order: string[] = []
    const w = worker(
      name,
      async (job) => {
        order.push(job.name)
      },
      { concurrency: 1 },
    )
    await completions(w, specs.length)
    // Jobs without a priority come first, then priority 1, 5, 10, each in insertion order.
    expect(order).toEqual(['none-a', 'none-b', 'p1-a', 'p1-b', 'p5-a', 'p5-b', 'p10'])
  }, 15_000)

  test('a rate-limited worker processes no faster than its limiter allows', async () => {
    const name = queueName('limited')
    const q = queue(name)
    const max = 2
    const duration = 500
    await q.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'limited', data: { i } })))
    const started: number[] = []
    const w = worker(
      name,
      async () => {
        started.push(Date.now())
      },
      { concurrency: 4, limiter: { max, duration } },
    )
    await completions(w, 6)
    // Six jobs at two per 500 ms take at least two full windows.
    expect(started[5] - started[0]).toBeGreaterThanOrEqual(2 * duration - 20)
    for (let i = max; i < started.length; i++) {
      expect(started[i] - started[i - max]).toBeGreaterThanOrEqual(duration - 20)
    }
  }, 15_000)

  test('QueueEvents receives completed and failed events', async () => {
    const name = queueName('events')
    const q = queue(name)
    const events = queueEvents(name)
    await events.waitUntilReady()
    const completed = new Promise<{ jobId: string; returnvalue: unknown }>((resolve) =>
      events.on('completed', (event) => resolve(event)),
    )
    const failed = new Promise<{ jobId: string; failedReason: string }>((resolve) =>
      events.on('failed', (event) => resolve(event)),
    )
    worker(name, async (job) => {
      if (job.name === 'bad') throw new Error('no good')
      return { ok: job.data.value }
    })
    const good = await q.add('good', { value: 42 })
    const bad = await q.add('bad', {})
    const [completedEvent, failedEvent] = await Promise.all([completed, failed])
    expect(completedEvent.jobId).toBe(good.id)
    expect(completedEvent.returnvalue).toEqual({ ok: 42 })
    expect(failedEvent.jobId).toBe(bad.id)
    expect(failedEvent.failedReason).toBe('no good')
    await expect(good.waitUntilFinished(events, 5000)).resolves.toEqual({ ok: 42 })
  }, 15_000)

  test('a flow completes its parent after its children, with their values', async () => {
    const parentQueue = queueName('flow-parent')
    const childQueue = queueName('flow-child')
    queue(parentQueue)
    queue(childQueue)
    const flows = new FlowProducer({ connection: connection() })
    closers.push(() => flows.close())
    const finished: string[] = []
    const childWorker = worker(childQueue, async (job) => {
      finished.push(job.name)
      return job.data.n * 10
    })
    let childrenValues: Record<string, number> = {}
    const parentWorker = worker(parentQueue, async (job) => {
      childrenValues = await job.getChildrenValues()
      finished.push(job.name)
      return Object.values(childrenValues).reduce((a, b) => a + b, 0)
    })
    const childrenDone = completions(childWorker, 3)
    const parentDone = completions(parentWorker, 1)
    const tree = await flows.add({
      name: 'parent',
      queueName: parentQueue,
      children: [1, 2, 3].map((n) => ({ name: `child-${n}`, queueName: childQueue, data: { n } })),
    })
    expect(await tree.job.getState()).toBe('waiting-children')
    await childrenDone
    const [parent] = await parentDone
    expect(finished.slice(0, 3).sort()).toEqual(['child-1', 'child-2', 'child-3'])
    expect(finished[3]).toBe('parent')
    expect(parent.returnvalue).toBe(60)
    expect(Object.values(childrenValues).sort((a, b) => a - b)).toEqual([10, 20, 30])
    for (const child of tree.children ?? []) {
      expect(childrenValues[`bull:${childQueue}:${child.job.id}`]).toBe(child.job.data.n * 10)
    }
    const dependencies = await parent.getDependenciesCount()
    expect(dependencies).toEqual({ processed: 3, unprocessed: 0, failed: 0, ignored: 0 })
  }, 15_000)
})
