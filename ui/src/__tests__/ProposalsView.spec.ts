/**
 * 提案与社情民意 against a fake backend: the proposals with their stages and the stage filter,
 * the office's stage dialog (what it sends, the core's refusal beside its field), a member's
 * laptop read-only, and the opinion reports with their adoptions counted by level.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { DOMWrapper } from '@vue/test-utils'
import ProposalsView from '../components/ProposalsView.vue'
import { activity, fakeBackend, members, mountWith, settle } from './helpers'
import type { AdoptionCounts, OpinionReport, Proposal, ProposalStage } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function field(selector: string): DOMWrapper<HTMLElement> {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector} in the document`)
  return new DOMWrapper(el)
}

function options(name: string): HTMLElement[] {
  const input = document.querySelector<HTMLElement>(`[data-test=${name}] input[aria-controls]`)
  const list = document.getElementById(input?.getAttribute('aria-controls') ?? '')
  if (!list) throw new Error(`the list of [data-test=${name}] is not rendered`)
  return Array.from(list.querySelectorAll<HTMLElement>('.el-select-dropdown__item'))
}

async function pick(name: string, label: string) {
  await field(`[data-test=${name}] .el-select__wrapper`).trigger('click')
  await settle()
  const option = options(name).find((o) => o.textContent?.trim() === label)
  if (!option) throw new Error(`no option ${label} in ${name}`)
  await new DOMWrapper(option).trigger('click')
  await settle()
}

function stage(more: Partial<ProposalStage> = {}): ProposalStage {
  return { serial: null, filing: 'pending', merged_into: null, key_proposal: false, units: [], answered_on: null, satisfaction: null, ...more }
}

function proposal(id: string, title: string, s: ProposalStage, co: string[] = []): Proposal {
  return {
    activity: activity({ id, title, category: 'proposal', date: '2024-01-15', author_code: '15001', co_proposers: co, participants: ['15001'] }),
    stage: s,
    stage_updated_at: null,
    answered_on: s.answered_on,
  }
}

const filed = stage({
  serial: '第12号',
  filing: 'filed',
  units: [
    { unit: '市教育局', role: 'host' },
    { unit: '市财政局', role: 'assist' },
  ],
  answered_on: '2024-03-01',
})

function counts(): AdoptionCounts {
  return {
    year: 2024,
    reports: 2,
    reports_adopted: 1,
    adopted: { national: 0, provincial: 1, city: 1, local: 0 },
    instructions: { national: 0, provincial: 0, city: 1, local: 0 },
  }
}

function opinions(): OpinionReport[] {
  return [
    {
      activity: activity({ id: 'o1', title: '关于快递包装回收的信息', category: 'opinion_report', author_code: '15002' }),
      adoptions: [
        { kind: 'adopted', level: 'provincial', leader: null, date: '2024-03-01', note: null },
        { kind: 'instruction', level: 'city', leader: '分管副市长', date: null, note: null },
      ],
    },
  ]
}

describe('ProposalsView', () => {
  it('lists proposals with their stages and filters on a stage', async () => {
    const calls = fakeBackend({
      list_proposals: (a) =>
        a.stage === 'answered'
          ? [proposal('p1', '关于课后服务的建议', filed)]
          : [proposal('p1', '关于课后服务的建议', filed, ['15002']), proposal('p2', '关于停车的建议', stage())],
    })
    mountWith(ProposalsView, { year: 2024, office: true, members })
    await settle()
    const titles = () => Array.from(document.querySelectorAll('[data-test=proposal-title]')).map((e) => e.textContent)
    expect(titles()).toEqual(['关于课后服务的建议', '关于停车的建议'])
    const text = document.body.textContent ?? ''
    expect(text).toContain('主办：市教育局；会办：市财政局')
    expect(text).toContain('王强；联名：李梅')
    expect(Array.from(document.querySelectorAll('[data-test=filing-tag]')).map((e) => e.textContent)).toEqual(['立案', '待审查'])
    await pick('stage-filter', '已办复')
    expect(calls.filter((c) => c.cmd === 'list_proposals').slice(-1)[0]?.args).toEqual({ year: 2024, stage: 'answered' })
    expect(titles()).toEqual(['关于课后服务的建议'])
  })

  it('saves the office stage from the dialog and shows the core refusal beside its field', async () => {
    let refuse = true
    const calls = fakeBackend({
      list_proposals: () => [proposal('p1', '关于课后服务的建议', filed)],
      set_proposal_stage: (a) => {
        if (refuse) {
          refuse = false
          throw { kind: 'invalid', message: '办复日期不能晚于今天', field: 'answered_on' }
        }
        return proposal('p1', '关于课后服务的建议', a.stage as ProposalStage)
      },
    })
    mountWith(ProposalsView, { year: 2024, office: true, members })
    await settle()
    await field('[data-test=open-stage]').trigger('click')
    await settle()
    await pick('stage-satisfaction', '满意')
    await field('[data-test=stage-save]').trigger('click')
    await settle()
    await new Promise((r) => setTimeout(r, 150))
    expect(document.body.textContent).toContain('办复日期不能晚于今天')
    await field('[data-test=stage-save]').trigger('click')
    await settle()
    const sent = calls.filter((c) => c.cmd === 'set_proposal_stage')
    expect(sent).toHaveLength(2)
    expect(sent[1].args).toEqual({
      id: 'p1',
      stage: {
        serial: '第12号',
        filing: 'filed',
        merged_into: null,
        key_proposal: false,
        units: [
          { unit: '市教育局', role: 'host' },
          { unit: '市财政局', role: 'assist' },
        ],
        answered_on: '2024-03-01',
        satisfaction: 'satisfied',
      },
    })
  })

  it('is read-only on a member laptop', async () => {
    fakeBackend({ list_proposals: () => [proposal('p1', '关于课后服务的建议', filed)] })
    mountWith(ProposalsView, { year: 2024, office: false, members })
    await settle()
    expect(document.querySelector('[data-test=proposals-read-only]')).not.toBeNull()
    expect(document.querySelector('[data-test=open-stage]')).toBeNull()
    expect(document.body.textContent).toContain('市教育局')
  })

  it('shows opinion reports with adoption tags and the counts by level exactly', async () => {
    fakeBackend({
      list_proposals: () => [],
      list_opinions: () => opinions(),
      opinion_counts: () => counts(),
    })
    const wrapper = mountWith(ProposalsView, { year: 2024, office: true, members })
    await settle()
    await wrapper.get('#tab-opinions').trigger('click')
    await settle()
    expect(Array.from(document.querySelectorAll('[data-test=adoption-tag]')).map((e) => e.textContent?.trim())).toEqual([
      '省级采用',
      '地市级领导批示（分管副市长）',
    ])
    expect(field('[data-test=adopted-provincial]').text()).toBe('1')
    expect(field('[data-test=adopted-city]').text()).toBe('1')
    expect(field('[data-test=instruction-city]').text()).toBe('1')
    expect(field('[data-test=adopted-national]').text()).toBe('0')
    expect(field('[data-test=opinion-counts]').text()).toContain('2024年社情民意信息 2 篇，被采用或获批示 1 篇')
  })
})
