/** The form's rules: what it refuses before sending, what it sends, and server field errors. */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { DOMWrapper } from '@vue/test-utils'
import ActivityForm from '../components/ActivityForm.vue'
import { activity, fakeBackend, members, mountWith, settle, studios } from './helpers'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  localStorage.clear()
})

function props(extra: Record<string, unknown> = {}) {
  return { open: true, activity: null, year: 2024, members, studios, ...extra }
}

/** The drawer is teleported to <body>, so fields are looked up in the whole document. */
function field(selector: string): DOMWrapper<HTMLElement> {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector} in the document`)
  return new DOMWrapper(el)
}

/** Element Plus shows a field's error after a 100 ms debounce, so wait past it first. */
async function errorsShown(): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 150))
  return Array.from(document.querySelectorAll('.el-form-item__error')).map((e) => e.textContent?.trim() ?? '')
}

describe('ActivityForm', () => {
  it('refuses an empty title without calling the backend', async () => {
    const calls = fakeBackend({ add_activity: () => activity() })
    const wrapper = mountWith(ActivityForm, props())
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(await errorsShown()).toContain('请填写标题')
    expect(calls.filter((c) => c.cmd === 'add_activity')).toHaveLength(0)
    expect(wrapper.emitted('saved')).toBeUndefined()
  })

  it('refuses more items resolved than received', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    const intake = activity({ category: 'monitoring_intake', title: '监测平台收件', items_received: 30, items_resolved: 30 })
    const wrapper = mountWith(ActivityForm, props({ activity: intake }))
    await settle()
    const resolved = field('[data-test=field-resolved] input')
    await resolved.setValue('31')
    await resolved.trigger('blur')
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(await errorsShown()).toContain('解答落实件数不能多于收到件数')
    expect(calls.filter((c) => c.cmd === 'update_activity')).toHaveLength(0)
  })

  it('sends a new studio activity with the title typed and the year as default date', async () => {
    const calls = fakeBackend({ add_activity: (a) => activity({ title: String((a.input as { title: string }).title) }) })
    const wrapper = mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('  法律咨询进企业 ')
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const add = calls.find((c) => c.cmd === 'add_activity')
    expect(add).toBeDefined()
    const input = add!.args.input as Record<string, unknown>
    expect(input.title).toBe('法律咨询进企业')
    expect(input.category).toBe('studio_activity')
    expect(String(input.date).startsWith('2024-')).toBe(true)
    expect(input.funds_fen).toBe(0)
    expect(wrapper.emitted('saved')).toHaveLength(1)
  })

  it('clears fields the category does not use and sends money in fen', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    // An assistance record that somehow still carries a studio and people served.
    const assistance = activity({ category: 'assistance', title: '物资帮扶', funds_fen: 31_200_000, people_served: 99, studio_id: 'studio-1' })
    const wrapper = mountWith(ActivityForm, props({ activity: assistance }))
    await settle()
    const funds = field('[data-test=field-funds] input')
    await funds.setValue('1200.29')
    await funds.trigger('blur')
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const update = calls.find((c) => c.cmd === 'update_activity')
    expect(update?.args.id).toBe(assistance.id)
    const input = update!.args.input as Record<string, unknown>
    expect(input.funds_fen).toBe(120029)
    expect(input.people_served).toBe(0)
    expect(input.studio_id).toBeNull()
  })

  it('asks each category for what the year-end paragraph says of it, and sends only that', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    // Assistance: a recipient and its forms; a stale consultation format is not sent.
    const assistance = activity({ category: 'assistance', title: '物资帮扶', funds_fen: 100, consultation_format: 'thematic' })
    mountWith(ActivityForm, props({ activity: assistance }))
    await settle()
    await field('input[data-test=field-recipient]').setValue(' 平昌县 ')
    const boxes = document.querySelectorAll<HTMLInputElement>('[data-test=field-assistance-forms] input')
    expect(boxes).toHaveLength(4)
    boxes[1].click()
    await settle()
    boxes[2].click()
    await settle()
    expect(document.querySelector('[data-test=field-format]')).toBeNull()
    expect(document.querySelector('[data-test=field-on-submission]')).toBeNull()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const input = calls.find((c) => c.cmd === 'update_activity')!.args.input as Record<string, unknown>
    expect(input.recipient).toBe('平昌县')
    expect(input.assistance_forms).toEqual(['goods', 'consumption'])
    expect(input.consultation_format).toBeNull()
  })

  it('refuses a proposal answered before it was made', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    const proposal = activity({ category: 'proposal', title: '关于加快城区公共停车设施建设的建议', date: '2024-01-16', answered_on: '2024-01-10' })
    mountWith(ActivityForm, props({ activity: proposal }))
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    expect(await errorsShown()).toContain('办复日期不能早于提出日期')
    expect(calls.find((c) => c.cmd === 'update_activity')).toBeUndefined()
  })

  it('sends a proposal handled on submission with the day it was answered', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    const proposal = activity({ category: 'proposal', title: '关于加快城区公共停车设施建设的建议', date: '2024-01-16', answered_on: '2024-02-20', recipient: '平昌县' })
    mountWith(ActivityForm, props({ activity: proposal }))
    await settle()
    ;(document.querySelector('[data-test=field-on-submission] input') as HTMLInputElement).click()
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const input = calls.find((c) => c.cmd === 'update_activity')!.args.input as Record<string, unknown>
    expect(input.handled_on_submission).toBe(true)
    expect(input.answered_on).toBe('2024-02-20')
    expect(input.recipient).toBeNull()
  })

  it('sends a proposal with its co-proposers and proposer group, never the author as co-proposer', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    const proposal = activity({ category: 'proposal', title: '关于课后服务的建议', date: '2024-01-16', author_code: '15001', co_proposers: ['15002'] })
    mountWith(ActivityForm, props({ activity: proposal }))
    await settle()
    await field('[data-test=field-co-proposers] .el-select__wrapper').trigger('click')
    await settle()
    const input = document.querySelector<HTMLElement>('[data-test=field-co-proposers] input[aria-controls]')
    const list = document.getElementById(input?.getAttribute('aria-controls') ?? '')
    const offered = Array.from(list?.querySelectorAll('.el-select-dropdown__item') ?? []).map((o) => o.textContent ?? '')
    expect(offered.some((o) => o.includes('王强'))).toBe(false)
    await field('input[data-test=field-proposer-group]').setValue(' 教育界别 ')
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.cmd === 'update_activity')!.args.input as Record<string, unknown>
    expect(sent.co_proposers).toEqual(['15002'])
    expect(sent.proposer_group).toBe('教育界别')
  })

  it('sends no co-proposers for another category', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    mountWith(ActivityForm, props({ activity: activity({ category: 'inspection', co_proposers: ['15002'], proposer_group: '民盟' }) }))
    await settle()
    expect(document.querySelector('[data-test=field-co-proposers]')).toBeNull()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.cmd === 'update_activity')!.args.input as Record<string, unknown>
    expect(sent.co_proposers).toEqual([])
    expect(sent.proposer_group).toBeNull()
  })

  it('refuses a date outside the year being edited', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    mountWith(ActivityForm, props({ activity: activity({ date: '2023-12-30' }) }))
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(await errorsShown()).toContain('日期不在正在填写的 2024 年内')
    expect(calls.filter((c) => c.cmd === 'update_activity')).toHaveLength(0)
  })

  it('refuses a date after today', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    const next = new Date().getFullYear() + 1
    mountWith(ActivityForm, props({ year: next, activity: activity({ date: `${next}-06-01` }) }))
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(await errorsShown()).toContain('日期不能晚于今天')
    expect(calls.filter((c) => c.cmd === 'update_activity')).toHaveLength(0)
  })

  it('asks before saving more than 100,000 people served in one activity', async () => {
    const calls = fakeBackend({ update_activity: () => activity() })
    mountWith(ActivityForm, props({ activity: activity({ people_served: 120000 }) }))
    await settle()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('120000 人次')
    expect(calls.filter((c) => c.cmd === 'update_activity')).toHaveLength(0)
    const yes = Array.from(document.querySelectorAll('.el-message-box__btns button')).find((b) => b.textContent?.includes('保存')) as HTMLElement
    yes.click()
    await settle()
    expect(calls.filter((c) => c.cmd === 'update_activity')).toHaveLength(1)
  })

  it('remembers the last studio for the next new record', async () => {
    localStorage.removeItem('lvzhi.lastStudio')
    fakeBackend({ add_activity: () => activity({ studio_id: 'studio-1' }) })
    mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('义诊')
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(localStorage.getItem('lvzhi.lastStudio')).toBe('studio-1')
    document.body.innerHTML = ''
    const calls = fakeBackend({ add_activity: () => activity() })
    mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('又一次义诊')
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const input = calls.find((c) => c.cmd === 'add_activity')!.args.input as { studio_id: string | null }
    expect(input.studio_id).toBe('studio-1')
  })

  it('keeps what is typed and offers it back when the form opens again', async () => {
    fakeBackend({})
    const first = mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('还没写完的活动')
    await new Promise((r) => setTimeout(r, 400))
    first.unmount()
    document.body.innerHTML = ''
    mountWith(ActivityForm, props())
    await settle()
    expect((document.querySelector('input[data-test=field-title]') as HTMLInputElement).value).toBe('还没写完的活动')
    expect(document.querySelector('[data-test=draft-restored]')).not.toBeNull()
  })

  it('saves a draft that the office does not see yet, or submits it', async () => {
    const calls = fakeBackend({ add_activity: () => activity() })
    mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('草稿活动')
    await field('[data-test=save-draft]').trigger('click')
    await settle()
    expect((calls.find((c) => c.cmd === 'add_activity')!.args.input as { status: string }).status).toBe('draft')
    expect(localStorage.getItem('lvzhi.formDraft.new')).toBeNull()
  })

  it('shows why the office returned a record, and saving the change submits it again', async () => {
    const returned = activity({ status: 'returned', review_comment: '<b>请补充</b>服务人次的依据', author_code: '15001' })
    const calls = fakeBackend({ update_activity: () => activity() })
    mountWith(ActivityForm, props({ activity: returned, ownerCode: '15001' }))
    await settle()
    const alert = document.querySelector('[data-test=returned-reason]')!
    expect(alert.textContent).toContain('<b>请补充</b>服务人次的依据')
    expect(alert.querySelector('b')).toBeNull()
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    const sent = calls.find((c) => c.cmd === 'update_activity')!.args.input as { status: string }
    expect(sent.status).toBe('submitted')
  })

  it('shows a field error from the core beside its field', async () => {
    fakeBackend({
      add_activity: () => {
        throw { kind: 'invalid', message: '名单中没有这些委员编号：99999', field: 'participants' }
      },
    })
    const wrapper = mountWith(ActivityForm, props())
    await settle()
    await field('input[data-test=field-title]').setValue('座谈')
    await field('[data-test=save-activity]').trigger('click')
    await settle()
    expect(await errorsShown()).toContain('名单中没有这些委员编号：99999')
    expect(wrapper.emitted('saved')).toBeUndefined()
  })
})
