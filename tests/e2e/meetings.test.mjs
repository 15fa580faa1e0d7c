/**
 * End to end through the real window, as the office in 会议考勤: a meeting added with everyone
 * invited, its roll recorded (one 请假 with its reason, 全部出席 for the rest) and saved; the
 * CLI (`lvzhi meeting show --json`), reading the same ledger file, checks the roll. Then the
 * rates tab. Screenshots go to tests/e2e/artifacts (`make screenshots` takes the demo's).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-meetings-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let driver
let s

/** Waits until `check` (reading the ledger through the CLI) holds. */
async function eventually(check, what) {
  const until = Date.now() + 15000
  for (;;) {
    try {
      if (check()) return
    } catch {
      // not written yet
    }
    if (Date.now() > until) throw new Error(`the ledger never showed ${what}`)
    await sleep(200)
  }
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  // Invented names.
  for (const [code, name, sector, role] of [
    ['15001', '王建国', '医药卫生', '常委'],
    ['15002', '李海燕', '教育', '委员'],
    ['15003', '陈立新', '经济', '委员'],
    ['15004', '张丽华', '教育', '委员'],
    ['15005', '刘志强', '工商联', '常委'],
  ]) {
    lvzhi('member', 'add', '--code', code, '--name', name, '--sector', sector, '--role', role)
  }
  driver = await startDriver(4532, { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data') })
  s = await Session.create(driver.base, APP)
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

test('the office records a meeting roll in the window and the CLI reads it back', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-meetings]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=meeting-add]'))
  await s.waitFor('input[data-test=meeting-title]')
  await s.waitForStill('.el-dialog[data-test=meeting-dialog], [data-test=meeting-dialog] .el-dialog')
  // The year the window opened on, so that the new meeting is in the list it shows.
  const year = await s.execute("return document.querySelector('[data-test=year-select]').textContent.match(/\\d{4}/)[0]")
  await s.type(await s.waitFor('[data-test=meeting-dialog] .el-date-editor input'), `${year}-01-08\uE007`)
  await s.type(await s.waitFor('input[data-test=meeting-title]'), '政协第十五届委员会第三次会议')
  await s.type(await s.waitFor('input[data-test=meeting-location]'), '市政协会议中心')
  await s.clickWhenReady(() => s.waitFor('input[data-test=meeting-title]'))
  await s.screenshot(join(ARTIFACTS, 'meetings-add.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=meeting-save]'))

  // The roll opens on the new meeting, one row per invitee.
  await s.waitFor('[data-test=roll-15002-leave]')
  await s.waitForStill('.el-dialog[data-test=roll-dialog], [data-test=roll-dialog] .el-dialog')
  await s.execute("document.querySelector('[data-test=roll-15002-leave] input, [data-test=roll-15002-leave]').click()")
  await s.type(await s.waitFor('input[data-test=roll-15002-reason]'), '在省里参加培训')
  await s.clickWhenReady(() => s.waitFor('[data-test=roll-all-present]'))
  await s.waitForText('[data-test=roll-counts]', '出席 4，请假 1，缺席 0，未点名 0')
  await s.screenshot(join(ARTIFACTS, 'meetings-roll.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=roll-save]'))
  await s.waitForGone('.el-dialog[data-test=roll-dialog], [data-test=roll-dialog] .el-dialog')
  await s.waitForText('[data-test=meeting-list]', '政协第十五届委员会第三次会议')

  const list = () => JSON.parse(lvzhi('meeting', 'list', '--json'))
  await eventually(() => list().length === 1 && list()[0].counts.pending === 0, 'the roll')
  const shown = JSON.parse(lvzhi('meeting', 'show', list()[0].id, '--json'))
  assert.equal(shown.meeting.kind, 'plenary')
  assert.equal(shown.meeting.date, `${year}-01-08`)
  assert.equal(shown.meeting.location, '市政协会议中心')
  assert.deepEqual(
    shown.invitees.map((i) => [i.code, i.attendance, i.leave_reason]),
    [
      ['15001', 'present', null],
      ['15002', 'leave', '在省里参加培训'],
      ['15003', 'present', null],
      ['15004', 'present', null],
      ['15005', 'present', null],
    ],
  )
  await sleep(400)
  await s.screenshot(join(ARTIFACTS, 'meetings.png'))
})

test('the rates tab says 请假 is not 出席', async () => {
  await s.clickWhenReady(() => s.waitForElementWithText('.el-tabs__item', '出席率'))
  await s.waitForText('[data-test=rates-members]', '李海燕')
  const rows = await s.execute(
    "return Array.from(document.querySelectorAll('[data-test=rates-members] .el-table__body tr')).map((r) => r.textContent)",
  )
  assert.ok(rows.some((r) => r.includes('李海燕') && r.includes('0.0%')), rows.join('\n'))
  assert.ok(rows.some((r) => r.includes('王建国') && r.includes('100.0%')), rows.join('\n'))
  await sleep(400)
  await s.screenshot(join(ARTIFACTS, 'meetings-rates.png'))
})
