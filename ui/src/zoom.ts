/**
 * How large the window draws everything, for older members: the 字号 setting (标准, 大,
 * 特大) and Ctrl +/−/0, kept in localStorage and set again at each launch. The zoom itself is
 * the webview's (the shell's `set_zoom`), so every screen grows alike, Element Plus included.
 */
import { api } from './ipc'

const STORAGE_KEY = 'lvzhi.zoom'
export const MIN_ZOOM = 0.8
export const MAX_ZOOM = 2
/** The 字号 setting's three sizes. */
export const PRESETS = { standard: 1, large: 1.15, larger: 1.3 } as const
export type Preset = keyof typeof PRESETS
const STEP = 0.1

/** Two decimals, within the limits; anything unreadable is 1. */
export function clampZoom(value: number): number {
  if (!Number.isFinite(value)) return 1
  return Math.round(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value)) * 100) / 100
}

export function storedZoom(): number {
  try {
    return clampZoom(Number(localStorage.getItem(STORAGE_KEY) ?? '1'))
  } catch {
    return 1
  }
}

/** The preset a zoom is, if it is one. */
export function presetOf(zoom: number): Preset | null {
  const found = (Object.keys(PRESETS) as Preset[]).find((p) => Math.abs(PRESETS[p] - zoom) < 0.001)
  return found ?? null
}

/** The next zoom for Ctrl + (`+1`), Ctrl − (`-1`) or Ctrl 0 (`0`). */
export function stepZoom(zoom: number, direction: 1 | -1 | 0): number {
  return direction === 0 ? 1 : clampZoom(zoom + direction * STEP)
}

/** Sets the zoom in the window and remembers it; the zoom set. */
export async function applyZoom(zoom: number): Promise<number> {
  const set = await api.setZoom(clampZoom(zoom))
  try {
    localStorage.setItem(STORAGE_KEY, String(set))
  } catch {
    // Remembering is a convenience; the zoom is set regardless.
  }
  document.documentElement.dataset.zoom = String(set)
  return set
}
