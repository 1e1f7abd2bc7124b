import { describe, expect, test } from 'vitest'
import { pollRounds, pollUntil, sleep, type Clock } from '../../harness/poll.ts'

/** A clock that moves only when slept on; records each pause. */
function fakeClock(start = 1_000): Clock & { pauses: number[] } {
  let now = start
  const pauses: number[] = []
  return {
    pauses,
    now: () => now,
    sleep: (ms, signal) => {
      if (signal?.aborted === true) {
        return Promise.reject(new Error('aborted while sleeping'))
      }
      pauses.push(ms)
      now += ms
      return Promise.resolve()
    },
  }
}

describe('pollUntil', () => {
  test('stops as soon as the check says done, pausing intervalMs between checks', async () => {
    const clock = fakeClock()
    const answers = ['a', 'b', undefined]
    const pending = await pollUntil(() => Promise.resolve(answers.shift()), {
      timeoutMs: 60_000,
      intervalMs: 500,
      clock,
    })
    expect(pending).toBeUndefined()
    expect(clock.pauses).toEqual([500, 500])
  })

  test('returns the last pending answer once the deadline has passed', async () => {
    const clock = fakeClock()
    let calls = 0
    const pending = await pollUntil(() => Promise.resolve(`still ${++calls}`), {
      timeoutMs: 3_000,
      clock,
    })
    // Checks at 0, 1, 2 and 3 s (default interval 1 s); the one at 3 s is past the deadline.
    expect(pending).toBe('still 4')
    expect(clock.pauses).toEqual([1_000, 1_000, 1_000])
  })

  test('always checks once, even with no time at all', async () => {
    const clock = fakeClock()
    const pending = await pollUntil(() => Promise.resolve('never'), { timeoutMs: 0, clock })
    expect(pending).toBe('never')
    expect(clock.pauses).toEqual([])
  })
})

describe('pollRounds', () => {
  test('numbers the rounds and says when the deadline has passed', async () => {
    const clock = fakeClock()
    const seen: [number, boolean][] = []
    for await (const round of pollRounds({ timeoutMs: 2_000, intervalMs: 1_000, clock })) {
      seen.push([round.attempt, round.expired()])
      if (round.expired()) {
        break
      }
    }
    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ])
  })

  test('an abort ends the wait after the round, with the error of `aborted`', async () => {
    const clock = fakeClock()
    const controller = new AbortController()
    let rounds = 0
    const wait = async () => {
      for await (const round of pollRounds({
        timeoutMs: 60_000,
        signal: controller.signal,
        aborted: () => new Error('the run was interrupted'),
        clock,
      })) {
        rounds = round.attempt
        if (rounds === 2) {
          controller.abort()
        }
      }
    }
    await expect(wait()).rejects.toThrow('the run was interrupted')
    expect(rounds).toBe(2)
    expect(clock.pauses).toEqual([1_000])
  })

  test('without `aborted`, an abort throws the signal reason', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    const rounds: number[] = []
    const wait = async () => {
      for await (const round of pollRounds({ timeoutMs: 60_000, signal: controller.signal })) {
        rounds.push(round.attempt)
      }
    }
    await expect(wait()).rejects.toThrow('stop')
    // The first round always runs; the abort ends the wait after it.
    expect(rounds).toEqual([1])
  })

  test('an abort during the pause ends it early', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const wait = async () => {
      for await (const round of pollRounds({
        timeoutMs: 60_000,
        intervalMs: 30_000,
        signal: controller.signal,
        aborted: () => new Error('interrupted'),
      })) {
        expect(round.attempt).toBe(1)
        setTimeout(() => controller.abort(), 20)
      }
    }
    await expect(wait()).rejects.toThrow('interrupted')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('sleep', () => {
  test('rejects at once with the reason of an aborted signal', async () => {
    const controller = new AbortController()
    controller.abort(new Error('gone'))
    await expect(sleep(60_000, controller.signal)).rejects.toThrow('gone')
  })

  test('resolves after the time without a signal', async () => {
    await expect(sleep(1)).resolves.toBeUndefined()
  })
})
