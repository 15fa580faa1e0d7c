/**
 * A long list fetched a chunk at a time. The table is told how many rows there are and gets
 * a placeholder for every row not fetched yet; as it scrolls it asks for the rows it shows
 * (`ensure`), and only the chunks missing are fetched, each once. A new filter (`reset`)
 * drops everything, and answers to an older filter are thrown away when they arrive.
 */
import { ref, shallowRef } from 'vue'

export interface Page<T> {
  total: number
  offset: number
  rows: T[]
}

/** A row not fetched yet: enough for the table to give it a key and draw it empty. */
export interface Placeholder {
  id: string
  placeholder: true
}

export function isPlaceholder<T extends object>(row: T | Placeholder): row is Placeholder {
  return 'placeholder' in row && row.placeholder === true
}

export function usePagedList<T extends { id: string }>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  chunk = 100,
) {
  const rows = shallowRef<(T | Placeholder)[]>([])
  const total = ref(0)
  const loading = ref(false)
  let generation = 0
  let inFlight = new Set<number>()
  /** The rows last shown, fetched again after a reset that keeps the scroll position. */
  let shown: [number, number] = [0, 0]

  function placeholders(n: number, from = 0): (T | Placeholder)[] {
    const list = new Array<T | Placeholder>(n)
    for (let i = from; i < n; i++) list[i] = { id: `\u0000${i}`, placeholder: true }
    return list
  }

  function place(page: Page<T>) {
    let list = rows.value
    if (page.total !== list.length) {
      // The ledger changed under us (a record added or deleted elsewhere): resize.
      const resized = placeholders(page.total, Math.min(list.length, page.total))
      for (let i = 0; i < Math.min(list.length, page.total); i++) resized[i] = list[i]
      list = resized
      total.value = page.total
    } else {
      list = list.slice()
    }
    page.rows.forEach((row, i) => {
      if (page.offset + i < list.length) list[page.offset + i] = row
    })
    rows.value = list
  }

  async function load(index: number, mine: number) {
    inFlight.add(index)
    try {
      const page = await fetchPage(index * chunk, chunk)
      if (mine === generation) place(page)
    } finally {
      if (mine === generation) inFlight.delete(index)
    }
  }

  function isLoaded(index: number): boolean {
    const row = rows.value[index * chunk]
    return row !== undefined && !isPlaceholder(row)
  }

  /** Fetches whatever of rows `start`..=`end` is missing. */
  async function ensure(start: number, end: number) {
    shown = [start, end]
    const mine = generation
    const last = Math.min(end, rows.value.length - 1)
    const wanted: number[] = []
    for (let index = Math.floor(Math.max(start, 0) / chunk); index * chunk <= last; index++) {
      if (!isLoaded(index) && !inFlight.has(index)) wanted.push(index)
    }
    await Promise.all(wanted.map((index) => load(index, mine)))
  }

  /**
   * Starts over (a new filter, or the ledger changed). With `keepPosition` the rows last shown
   * are fetched again too, so an edit deep in the list does not jump back to the top.
   */
  async function reset(keepPosition = false) {
    const mine = ++generation
    inFlight = new Set()
    loading.value = true
    try {
      const page = await fetchPage(0, chunk)
      if (mine !== generation) return
      rows.value = placeholders(page.total)
      total.value = page.total
      place(page)
      if (keepPosition) await ensure(...shown)
      else shown = [0, 0]
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return { rows, total, loading, ensure, reset }
}
