/** Both languages define exactly the same keys, so no screen falls back to a raw key. */
import { describe, expect, it } from 'vitest'
import zhCN from '../i18n/zh-CN'
import en from '../i18n/en'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  it('has the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('names every category the backend knows', async () => {
    const categories = [
      'studio_activity', 'consultation', 'inspection', 'research_report', 'proposal',
      'opinion_report', 'monitoring_intake', 'assistance', 'training', 'study_visit', 'other',
    ]
    expect(Object.keys(zhCN.category).sort()).toEqual([...categories].sort())
  })
})
