/**
 * The first screen's answers, worked out by the shell while the window was made
 * (src-tauri/src/first_screen.rs) and handed over in `window.__LVZHI_FIRST_SCREEN__`.
 *
 * `call` asks here first: a call whose command and arguments match an entry gets that answer,
 * once, without a trip over IPC. It is only for the first screen: the first call of anything
 * else (a write, a save, another screen's reading) forgets them all, and so does the
 * first-screen mark. A page loaded again (a reload) ignores them, since the ledger may have
 * changed since.
 */

export interface Prefetched {
  command: string
  args: Record<string, unknown>
  answer: unknown
}

/** Commands that neither read nor write the ledger: calling them keeps the answers. */
const HARMLESS = new Set(['set_zoom'])

/** The arguments as text with the keys sorted and absent fields left out. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function key(command: string, args: Record<string, unknown> | undefined): string {
  return `${command} ${canonical(args ?? {})}`
}

let waiting = new Map<string, unknown[]>()

/** Takes the shell's answers, once per page load. */
export function takeFirstScreen(from: { __LVZHI_FIRST_SCREEN__?: unknown } = globalThis as never): void {
  waiting = new Map()
  const given = from.__LVZHI_FIRST_SCREEN__
  delete from.__LVZHI_FIRST_SCREEN__
  if (!Array.isArray(given) || reloaded()) return
  for (const p of given as Prefetched[]) {
    if (typeof p?.command !== 'string') continue
    const k = key(p.command, p.args)
    const list = waiting.get(k) ?? []
    list.push(p.answer)
    waiting.set(k, list)
  }
}

function reloaded(): boolean {
  try {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return nav?.type === 'reload' || nav?.type === 'back_forward'
  } catch {
    return false
  }
}

/** The answer kept for this call, if any (`found` false when there is none). */
export function answerFromFirstScreen(command: string, args?: Record<string, unknown>): { found: boolean; answer?: unknown } {
  if (waiting.size === 0) return { found: false }
  const list = waiting.get(key(command, args))
  if (list?.length) {
    const answer = list.shift()
    if (list.length === 0) waiting.delete(key(command, args))
    return { found: true, answer }
  }
  if (!HARMLESS.has(command)) forgetFirstScreen()
  return { found: false }
}

/** The first screen is up (or something else was asked): what is left is no longer fresh. */
export function forgetFirstScreen(): void {
  waiting.clear()
}
