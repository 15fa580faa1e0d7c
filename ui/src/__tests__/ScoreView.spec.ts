/**
 * 履职积分 against a fake backend: the ranking and its sector filter, a member's items with
 * the records behind them, the rules table saved in hundredths (points, caps, the
 * co-proposers' share), the core's refusal shown on its row, and a year starting from the
 * suggested rules. User text is shown as text.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { DOMWrapper } from '@vue/test-utils'
import ScoreView from '../components/ScoreView.vue'
import { fakeBackend, mountWith, settle, unmountAll } from './helpers'
import type { MemberScore, ScoreBasisOption, ScoreRule, YearScores } from '../ipc'

afterEach(() => {
  unmountAll()
  clearMocks()
  document.body.innerHTML = ''
})

const BASES: ScoreBasisOption[] = [
  { code: 'attend:present:plenary', label: '出席全体会议', group: '会议出席', per: 'attendance', shared: false },
  { code: 'proposal:filed', label: '提案立案', group: '提案', per: 'record', shared: true },
  { code: 'activity:studio_activity', label: '工作室活动（每条记录）', group: '活动记录', per: 'record', shared: false },
]

const RULES: ScoreRule[] = [
  { item: '出席全体会议', basis: 'attend:present:plenary', points: 500, cap: null, co_share: 100 },
  { item: '提案立案', basis: 'proposal:filed', points: 1000, cap: null, co_share: 50 },
]

function member(code: string, name: string, sector: string | null, total: number, rank: number): MemberScore {
  return {
    year: 2024, member_code: code, name, sector, active: true, total, rank_in_sector: rank,
    items: [{ position: 0, item: '出席全体会议', basis: 'attend:present:plenary', count: 1, raw: 500, points: 500, capped: false, facts: [] }],
  }
}

function scores(rules: ScoreRule[] = RULES): YearScores {
  return {
    year: 2024,
    rules,
    members: [member('15002', '李梅', '教育界', 1500, 1), member('15001', '<b>王强</b>', '经济界', 1250, 1), member('15003', '陈刚', '经济界', -250, 2)],
  }
}

function backend(extra: Record<string, (a: Record<string, unknown>) => unknown> = {}, rules = RULES) {
  let kept = rules
  return fakeBackend({
    year_scores: () => scores(kept),
    score_rules: (a) => (a.year === 2024 ? { year: 2024, rules: kept, previous_year: 2023 } : { year: 2023, rules: RULES, previous_year: null }),
    score_bases: () => BASES,
    suggested_score_rules: () => RULES,
    set_score_rules: (a) => {
      kept = a.rules as ScoreRule[]
      return { year: 2024, rules: kept, previous_year: 2023 }
    },
    member_score: () => ({
      ...member('15001', '<b>王强</b>', '经济界', 1250, 1),
      items: [
        {
          position: 1, item: '提案立案', basis: 'proposal:filed', count: 2, raw: 1500, points: 1500, capped: false,
          facts: [
            { source: 'activity', id: 'a1', date: '2024-02-01', title: '关于<script>养老</script>的提案', role: '第一提案人', share: 100, points: 1000 },
            { source: 'activity', id: 'a2', date: '2024-03-01', title: '关于托育的提案', role: '联名', share: 50, points: 500 },
          ],
        },
      ],
    }),
    ...extra,
  })
}

function field(selector: string): DOMWrapper<HTMLElement> {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector}`)
  return new DOMWrapper(el)
}

const texts = (sel: string) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent?.trim())

describe('ScoreView', () => {
  it('ranks within sectors, shows names as text, and filters by sector', async () => {
    backend()
    const wrapper = mountWith(ScoreView, { year: 2024 })
    await settle()
    expect(texts('[data-test=score-row-name]')).toEqual(['李梅', '<b>王强</b>', '陈刚'])
    expect(texts('[data-test=score-row-total]')).toEqual(['15', '12.5', '-2.5'])
    expect(texts('[data-test=score-row-rank]')).toEqual(['1', '1', '2'])
    expect(document.querySelector('[data-test=score-table] b')).toBeNull()
    await wrapper.get('input[data-test=score-search]').setValue('陈')
    await settle()
    expect(texts('[data-test=score-row-name]')).toEqual(['陈刚'])
  })

  it('opens a member’s items with every record behind them', async () => {
    const calls = backend()
    const wrapper = mountWith(ScoreView, { year: 2024 })
    await settle()
    await wrapper.findAll('[data-test=score-open]')[1].trigger('click')
    await settle()
    expect(calls.find((c) => c.cmd === 'member_score')?.args).toMatchObject({ year: 2024, code: '15001' })
    expect(field('[data-test=score-detail-total]').text()).toBe('总分：12.5 分')
    expect(texts('[data-test=score-fact-title]')).toEqual(['关于<script>养老</script>的提案', '关于托育的提案'])
    expect(document.querySelector('[data-test=score-facts] script')).toBeNull()
    expect(document.body.textContent).toContain('联名')
  })

  it('saves the rules in hundredths and shows the core’s refusal on its row', async () => {
    let refuse = true
    const calls = backend({
      set_score_rules: (a) => {
        if (refuse) throw { kind: 'invalid', field: 'rules[1].points', message: '第2行：分值不能为 0' }
        return { year: 2024, rules: a.rules, previous_year: 2023 }
      },
    })
    const wrapper = mountWith(ScoreView, { year: 2024 })
    await settle()
    await wrapper.get('[data-test=score-tab-rules] input').setValue(true)
    await settle()
    expect(wrapper.get('[data-test=score-save-rules]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-test=rule-points-1] input').setValue('12.5')
    await wrapper.get('[data-test=rule-points-1] input').trigger('change')
    await wrapper.get('[data-test=rule-cap-1] input').setValue('30')
    await wrapper.get('[data-test=rule-cap-1] input').trigger('change')
    await settle()
    await wrapper.get('[data-test=score-save-rules]').trigger('click')
    await settle()
    expect(field('[data-test=score-rule-error]').text()).toContain('第2行：分值不能为 0')
    expect(document.querySelectorAll('[data-test=score-rules-table] tr.bad')).toHaveLength(1)
    refuse = false
    await wrapper.get('[data-test=score-save-rules]').trigger('click')
    await settle()
    const sets = calls.filter((c) => c.cmd === 'set_score_rules')
    const saved = sets[sets.length - 1]
    expect(saved.args.rules).toEqual([
      { item: '出席全体会议', basis: 'attend:present:plenary', points: 500, cap: null, co_share: 100 },
      { item: '提案立案', basis: 'proposal:filed', points: 1250, cap: 3000, co_share: 50 },
    ])
    expect(document.querySelector('[data-test=score-rule-error]')).toBeNull()
    // The share is offered only where it applies.
    expect(document.querySelector('[data-test=rule-share-0]')).toBeNull()
    expect(document.querySelector('[data-test=rule-share-1]')).not.toBeNull()
  })

  it('starts an empty year from the suggested rules or a copy of an earlier year', async () => {
    const calls = backend({}, [])
    const wrapper = mountWith(ScoreView, { year: 2024 })
    await settle()
    expect(field('[data-test=score-no-rules]').text()).toContain('2024年度还没有积分规则')
    await wrapper.get('[data-test=score-tab-rules] input').setValue(true)
    await settle()
    expect(field('[data-test=score-copy-previous]').text()).toBe('复制2023年度的规则')
    await field('[data-test=score-copy-previous]').trigger('click')
    await settle()
    expect(calls.some((c) => c.cmd === 'score_rules' && c.args.year === 2023)).toBe(true)
    expect((field('input[data-test=rule-item-1]').element as HTMLInputElement).value).toBe('提案立案')
    await wrapper.get('[data-test=score-save-rules]').trigger('click')
    await settle()
    expect(calls.filter((c) => c.cmd === 'set_score_rules')).toHaveLength(1)
  })
})
