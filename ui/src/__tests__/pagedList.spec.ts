/** The records list fetched a page at a time: what is fetched, when, and what is thrown away. */
import { describe, expect, it } from 'vitest'
import { isPlaceholder, usePagedList } from '../pagedList'
import type { Page } from '../pagedList'

type Row = { id: string; n: number }

/** A fake backend over `count` rows that records every page asked for. */
function backend(count: number) {
  const asked: [number, number][] = []
  let rows: Row[] = Array.from({ length: count }, (_, n) => ({ id: `r${n}`, n }))
  const fetchPage = async (offset: number, limit: number): Promise<Page<Row>> => {
    asked.push([offset, limit])
    return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) }
  }
  return { asked, fetchPage, setCount: (n: number) => (rows = rows.slice(0, n)) }
}

describe('usePagedList', () => {
  it('fetches the first page and sizes the list to the total', async () => {
    const b = backend(250)
    const list = usePagedList(b.fetchPage, 100)
    await list.reset()
    expect(list.total.value).toBe(250)
    expect(list.rows.value).toHaveLength(250)
    expect(b.asked).toEqual([[0, 100]])
    expect((list.rows.value[99] as Row).n).toBe(99)
    expect(isPlaceholder(list.rows.value[100])).toBe(true)
    expect(new Set(list.rows.value.map((r) => r.id)).size).toBe(250)
  })

  it('fetches only the pages shown, each once', async () => {
    const b = backend(1000)
    const list = usePagedList(b.fetchPage, 100)
    await list.reset()
    await Promise.all([list.ensure(480, 520), list.ensure(490, 530)])
    expect(b.asked).toEqual([
      [0, 100],
      [400, 100],
      [500, 100],
    ])
    expect((list.rows.value[520] as Row).n).toBe(520)
    await list.ensure(450, 560)
    expect(b.asked).toHaveLength(3)
    expect(isPlaceholder(list.rows.value[700])).toBe(true)
  })

  it('throws away pages of a filter that was replaced while they loaded', async () => {
    const b = backend(500)
    let release: () => void = () => {}
    const slow = async (offset: number, limit: number) => {
      if (offset === 300) await new Promise<void>((r) => (release = r))
      return b.fetchPage(offset, limit)
    }
    const list = usePagedList(slow, 100)
    await list.reset()
    const late = list.ensure(300, 310)
    b.setCount(120)
    await list.reset()
    release()
    await late
    expect(list.total.value).toBe(120)
    expect(list.rows.value).toHaveLength(120)
  })

  it('keeps the rows shown when told to, and follows a total that changed', async () => {
    const b = backend(1000)
    const list = usePagedList(b.fetchPage, 100)
    await list.reset()
    await list.ensure(610, 640)
    b.setCount(999)
    b.asked.length = 0
    await list.reset(true)
    expect(b.asked).toEqual([
      [0, 100],
      [600, 100],
    ])
    expect(list.total.value).toBe(999)
    expect((list.rows.value[640] as Row).n).toBe(640)
  })
})
