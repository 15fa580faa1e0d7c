/** The 字号 setting and Ctrl +/−/0: limits, steps, presets, and what is remembered. */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { applyZoom, clampZoom, presetOf, stepZoom, storedZoom } from '../zoom'
import { fakeBackend } from './helpers'

afterEach(() => {
  clearMocks()
  localStorage.clear()
})

describe('zoom', () => {
  it('keeps within 0.8 and 2.0 and steps by a tenth', () => {
    expect(clampZoom(5)).toBe(2)
    expect(clampZoom(0.1)).toBe(0.8)
    expect(clampZoom(Number.NaN)).toBe(1)
    expect(stepZoom(1, 1)).toBe(1.1)
    expect(stepZoom(1.1, -1)).toBe(1)
    expect(stepZoom(1.3, 0)).toBe(1)
    expect(stepZoom(2, 1)).toBe(2)
    expect(presetOf(1.15)).toBe('large')
    expect(presetOf(1.2)).toBeNull()
  })

  it('sets the zoom through the shell and remembers what the shell set', async () => {
    const calls = fakeBackend({ set_zoom: (a) => Math.min(2, a.scale as number) })
    expect(storedZoom()).toBe(1)
    expect(await applyZoom(1.3)).toBe(1.3)
    expect(calls[0].args).toEqual({ scale: 1.3 })
    expect(storedZoom()).toBe(1.3)
    expect(document.documentElement.dataset.zoom).toBe('1.3')
    localStorage.setItem('lvzhi.zoom', 'garbage')
    expect(storedZoom()).toBe(1)
  })
})
