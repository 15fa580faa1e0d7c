/** Dates, counts and money as a Chinese office writes them. */
import { describe, expect, it } from 'vitest'
import { formatCount, formatDate, formatDateTime, formatSize, formatYuan, yuanToFen } from '../format'

describe('format', () => {
  it('writes dates the Chinese way', () => {
    expect(formatDate('2024-05-02', 'zh-CN')).toBe('2024年5月2日')
    expect(formatDate('2024-05-02', 'en')).toBe('2024-05-02')
    expect(formatDate('nonsense', 'zh-CN')).toBe('nonsense')
  })

  it('groups digits and keeps money to the fen', () => {
    expect(formatCount(10482)).toBe('10,482')
    expect(formatYuan(90543250)).toBe('905,432.50')
    expect(yuanToFen(0.29)).toBe(29)
    expect(yuanToFen(1200.1)).toBe(120010)
    expect(yuanToFen(null)).toBe(0)
  })

  it('writes the time and size of a backup', () => {
    expect(formatDateTime('2024-05-02T09:05:07.123', 'zh-CN')).toBe('2024年5月2日 09:05:07')
    expect(formatDateTime('2024-05-02T09:05:07', 'en')).toBe('2024-05-02 09:05:07')
    expect(formatDateTime('later', 'zh-CN')).toBe('later')
    expect(formatSize(1)).toBe('1 KB')
    expect(formatSize(1536)).toBe('2 KB')
    expect(formatSize(3_500_000)).toBe('3.3 MB')
  })
})
