/**
 * Where the first screen's time goes, as the page sees it: a few named moments in ms since
 * the page began (`performance.now()`), sent with the first-screen mark. The shell prints them
 * only when started with LVZHI_TRACE_STARTUP=1; they carry no personal data.
 */
const stamps: string[] = []
stamp('first module')

export function stamp(what: string) {
  const now = typeof performance !== 'undefined' ? performance.now() : 0
  stamps.push(`${what} ${Math.round(now)}`)
}

/** The moments so far, taken once for the mark (a later load, after a restore, starts anew). */
export function startupTrace(): string {
  // The engine's own paint moments (first paint, first contentful paint), where it has them.
  try {
    for (const p of performance.getEntriesByType('paint')) stamps.push(`${p.name} ${Math.round(p.startTime)}`)
  } catch {
    // No Paint Timing here.
  }
  return stamps.splice(0).join(', ')
}
