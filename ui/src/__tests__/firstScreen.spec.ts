/** The first screen's answers handed over by the shell: matched exactly, used once, then forgotten. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import App from '../App.vue'
import { answerFromFirstScreen, canonical, forgetFirstScreen, takeFirstScreen } from '../ipc/firstScreen'
import type { Prefetched } from '../ipc/firstScreen'
import office from './fixtures/first-screen-office.json'
import { activity, fakeBackend, members, mountWith, pageOf, studios, tally, unmountAll } from './helpers'
import type { AppInfo } from '../ipc'

afterEach(() => {
  forgetFirstScreen()
  unmountAll()
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

const info: AppInfo = {
  db_path: '/tmp/ledger.db',
  demo: false,
  device_id: 'dev',
  version: '0.1.0',
  // The year and role the shell's own test worked the calls out for.
  default_year: office.default_year,
  current_year: 2026,
  open_error: null,
  backup_warning: null,
  setup: { role: office.role as 'office', owner: null, committee: '永康市政协' },
}

describe('the first screen handed over', () => {
  it('reads arguments with their keys in any order, and leaves absent fields out', () => {
    expect(canonical({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"f":2}]},"b":1}')
  })

  it('answers an exact call once, and another call over IPC', () => {
    takeFirstScreen({ __LVZHI_FIRST_SCREEN__: [{ command: 'review_counts', args: { year: 2024 }, answer: { submitted: 1 } }] })
    expect(answerFromFirstScreen('review_counts', { year: 2023 })).toEqual({ found: false })
    // That other call may have been a write: nothing kept is trusted after it.
    expect(answerFromFirstScreen('review_counts', { year: 2024 })).toEqual({ found: false })

    takeFirstScreen({ __LVZHI_FIRST_SCREEN__: [{ command: 'review_counts', args: { year: 2024 }, answer: { submitted: 1 } }] })
    expect(answerFromFirstScreen('review_counts', { year: 2024 })).toEqual({ found: true, answer: { submitted: 1 } })
    expect(answerFromFirstScreen('review_counts', { year: 2024 })).toEqual({ found: false })
  })

  it('keeps its answers across a zoom, and takes nothing that is not a list of calls', () => {
    takeFirstScreen({ __LVZHI_FIRST_SCREEN__: [{ command: 'list_members', args: {}, answer: [] }] })
    expect(answerFromFirstScreen('set_zoom', { scale: 1.25 })).toEqual({ found: false })
    expect(answerFromFirstScreen('list_members')).toEqual({ found: true, answer: [] })
    const given: { __LVZHI_FIRST_SCREEN__?: unknown } = { __LVZHI_FIRST_SCREEN__: { command: 'list_members' } }
    takeFirstScreen(given)
    expect(given.__LVZHI_FIRST_SCREEN__).toBeUndefined()
    expect(answerFromFirstScreen('list_members')).toEqual({ found: false })
  })

  it('a reloaded page asks the ledger again: the answers may be stale by now', () => {
    const spy = vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type: 'reload' } as unknown as PerformanceEntry])
    try {
      takeFirstScreen({ __LVZHI_FIRST_SCREEN__: [{ command: 'list_members', args: {}, answer: [] }] })
      expect(answerFromFirstScreen('list_members')).toEqual({ found: false })
    } finally {
      spy.mockRestore()
    }
  })

  it('the office’s first screen, as the shell works it out, needs no call over IPC', async () => {
    // The calls the shell answers ahead (checked against the shell in first_screen.rs).
    const answers: Record<string, (args: Record<string, unknown>) => unknown> = {
      review_counts: () => ({ draft: 0, submitted: 1, accepted: 2, returned: 0 }),
      tally_year: () => tally(),
      list_activities: (a) => pageOf([activity({ title: '待审的活动', status: 'submitted' })], a),
      list_members: () => members,
      list_studios: () => studios,
    }
    const handed: Prefetched[] = [
      { command: 'app_info', args: {}, answer: info },
      ...office.calls.map((c) => ({ ...c, answer: answers[c.command](c.args as Record<string, unknown>) })),
    ]
    takeFirstScreen({ __LVZHI_FIRST_SCREEN__: handed })
    const calls = fakeBackend({ first_screen_rendered: () => null, list_activities: (a) => pageOf([], a) })
    const wrapper = mountWith(App)
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === 'first_screen_rendered')).toBe(true), { timeout: 10000 })
    expect(calls.map((c) => c.cmd)).toEqual(['first_screen_rendered'])
    expect(wrapper.get('[data-test=row-title]').text()).toBe('待审的活动')
    expect(wrapper.get('[data-test=filter-status]').text()).toContain('待审')
    // After the mark nothing kept is used: the next reading goes to the ledger.
    expect(answerFromFirstScreen('list_members')).toEqual({ found: false })
  })
})
