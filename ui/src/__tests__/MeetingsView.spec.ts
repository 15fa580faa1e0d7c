/**
 * 会议考勤 against a fake backend: the office's list and rates, the roll (one 请假 with its
 * reason, 全部出席 for the rest, a leave without a reason refused in the dialog), a sign-in
 * sheet with problems that cannot be imported, and a member's laptop that only reads.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import { DOMWrapper } from '@vue/test-utils'
import MeetingsView from '../components/MeetingsView.vue'
import { fakeBackend, members, mountWith, settle, studios } from './helpers'
import type { AttendanceRates, Meeting, MeetingDetail, MemberAttendance, RollEntry, SigninPick } from '../ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

const meeting: Meeting = {
  id: '0190a000-0000-7000-8000-0000000000aa',
  kind: 'plenary',
  date: '2024-01-08',
  title: '十五届三次会议',
  location: '市政协会议中心',
  notes: null,
  counts: { invited: 2, present: 0, leave: 0, absent: 0, pending: 2 },
}

function detail(): MeetingDetail {
  return {
    meeting,
    invitees: [
      { code: '15001', name: '王强', sector: '医药卫生', attendance: null, leave_reason: null },
      { code: '15002', name: '李梅', sector: '教育', attendance: null, leave_reason: null },
    ],
  }
}

const rates: AttendanceRates = {
  year: 2024,
  members: [
    { key: '15001', name: '王强', sector: '医药卫生', invited: 3, taken: 3, present: 2, leave: 1, absent: 0, rate: 2 / 3 },
  ],
  sectors: [{ key: '医药卫生', name: '医药卫生', sector: '医药卫生', invited: 3, taken: 3, present: 2, leave: 1, absent: 0, rate: 2 / 3 }],
}

function office(extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  return fakeBackend({
    list_meetings: () => [meeting],
    attendance_rates: () => rates,
    meeting: () => detail(),
    take_roll: () => detail(),
    ...extra,
  })
}

function el(selector: string): DOMWrapper<HTMLElement> {
  const found = document.querySelector<HTMLElement>(selector)
  if (!found) throw new Error(`no ${selector} in the document`)
  return new DOMWrapper(found)
}

function props(role: 'office' | 'member', ownerCode: string | null = null) {
  return { year: 2024, role, ownerCode, members, studios }
}

describe('MeetingsView for the office', () => {
  it('lists the year\'s meetings with their counts and the rates per member and sector', async () => {
    const calls = office()
    mountWith(MeetingsView, props('office'))
    await settle()
    expect(calls.find((c) => c.cmd === 'list_meetings')?.args).toEqual({ year: 2024 })
    const list = el('[data-test=meeting-list]').text()
    expect(list).toContain('十五届三次会议')
    expect(list).toContain('全体会议')
    expect(el('[data-test=rates-members]').text()).toContain('66.7%')
    expect(el('[data-test=rates-sectors]').text()).toContain('医药卫生')
  })

  it('records one 请假 with its reason and 全部出席 for the rest, in one take_roll', async () => {
    const calls = office()
    mountWith(MeetingsView, props('office'))
    await settle()
    el('[data-test=meeting-roll]').element.click()
    await settle()
    await el('[data-test=roll-15002-leave] input').setValue(true)
    await settle()
    // A leave without a reason is refused in the dialog; nothing is sent.
    el('[data-test=roll-save]').element.click()
    await settle()
    expect(el('[data-test=roll-error]').text()).toContain('李梅 请假，请填写请假事由')
    expect(calls.some((c) => c.cmd === 'take_roll')).toBe(false)

    await el('input[data-test=roll-15002-reason]').setValue('  因公出差 ')
    el('[data-test=roll-all-present]').element.click()
    await settle()
    expect(el('[data-test=roll-counts]').text()).toBe('出席 1，请假 1，缺席 0，未点名 0')
    el('[data-test=roll-save]').element.click()
    await settle()
    const take = calls.find((c) => c.cmd === 'take_roll')
    expect(take?.args.id).toBe(meeting.id)
    expect(take?.args.restPresent).toBe(false)
    expect(take?.args.entries as RollEntry[]).toEqual([
      { code: '15001', attendance: 'present', leave_reason: null },
      { code: '15002', attendance: 'leave', leave_reason: '因公出差' },
    ])
  })

  it('previews a sign-in sheet and will not import one with problems', async () => {
    const pick: SigninPick = {
      file_name: '签到表.xlsx',
      preview: {
        meeting_id: meeting.id, header_row: 1, unknown_columns: [], rows_read: 2, new: 0, changed: 1, unchanged: 0, rejected: 1,
        rows: [], skipped: [],
        problems: [{ row: 3, column: 'A', header: '姓名', reason: '名单上没有“无名氏”' }],
        present: 1, leave: 0, absent: 0, invited_now: 0, not_on_sheet: ['15002'],
      },
    }
    const calls = office({ pick_signin: () => pick })
    mountWith(MeetingsView, props('office'))
    await settle()
    el('[data-test=meeting-signin]').element.click()
    await settle()
    expect(calls.find((c) => c.cmd === 'pick_signin')?.args).toEqual({ id: meeting.id })
    expect(el('[data-test=signin-counts]').text()).toContain('有问题 1')
    expect(el('[data-test=signin-problems]').text()).toContain('名单上没有“无名氏”')
    expect(el('[data-test=signin-apply]').attributes('disabled')).toBeDefined()
  })

  it('edits a meeting\'s title and place, keeping its date, kind and roll', async () => {
    const calls = office({ edit_meeting: () => meeting })
    mountWith(MeetingsView, props('office'))
    await settle()
    el('[data-test=meeting-edit]').element.click()
    await settle()
    expect(document.querySelector('[data-test=meeting-scope]')).toBeNull()
    await el('input[data-test=meeting-title]').setValue('政协十五届三次会议')
    await el('input[data-test=meeting-location]').setValue('')
    el('[data-test=meeting-save]').element.click()
    await settle()
    const edit = calls.find((c) => c.cmd === 'edit_meeting')
    expect(edit?.args).toEqual({
      id: meeting.id,
      input: { kind: 'plenary', date: '2024-01-08', title: '政协十五届三次会议', location: null, notes: null },
    })
    expect(calls.some((c) => c.cmd === 'create_meeting' || c.cmd === 'invite_to_meeting')).toBe(false)
  })

  it('asks for a date before adding a meeting', async () => {
    const calls = office()
    mountWith(MeetingsView, props('office'))
    await settle()
    el('[data-test=meeting-add]').element.click()
    await settle()
    await el('input[data-test=meeting-title]').setValue('常委会议')
    el('[data-test=meeting-save]').element.click()
    await new Promise((r) => setTimeout(r, 150))
    expect(document.body.textContent).toContain('请选择会议日期')
    expect(calls.some((c) => c.cmd === 'create_meeting')).toBe(false)
  })
})

describe('MeetingsView on a member\'s laptop', () => {
  it('shows the owner\'s own attendance read-only, with no way to change it', async () => {
    const mine: MemberAttendance = {
      code: '15002',
      year: 2024,
      meetings: [
        { meeting_id: meeting.id, kind: 'plenary', date: '2024-01-08', title: '十五届三次会议', attendance: 'leave', leave_reason: '身体原因' },
      ],
      by_kind: [{ kind: 'plenary', invited: 1, present: 0, leave: 1, absent: 0 }],
      rate: 0,
    }
    const calls = fakeBackend({ member_attendance: () => mine })
    mountWith(MeetingsView, props('member', '15002'))
    await settle()
    expect(calls.map((c) => c.cmd)).toEqual(['member_attendance'])
    expect(calls[0].args).toEqual({ code: '15002', year: 2024 })
    expect(el('[data-test=my-meetings]').text()).toContain('请假（身体原因）')
    expect(el('[data-test=my-rate]').text()).toBe('出席率 0.0%')
    expect(document.querySelector('[data-test=meeting-add]')).toBeNull()
    expect(document.querySelector('[data-test=meeting-roll]')).toBeNull()
  })
})
