/**
 * End to end through the real window, the everyday workflow: a record of every category,
 * editing, delete and undo, the list's filters, and a restart that still shows the data.
 * The CLI, reading the same ledger file, checks what was stored.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver, waitForAppExit } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-workflow-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const records = () => JSON.parse(lvzhi('activity', 'list', '--all', '--json'))

const CATEGORIES = [
  ['studio_activity', '工作室活动'],
  ['consultation', '协商议政'],
  ['inspection', '视察调研'],
  ['research_report', '调研成果'],
  ['proposal', '提案'],
  ['opinion_report', '社情民意信息'],
  ['monitoring_intake', '监测平台信息'],
  ['assistance', '帮扶资金'],
  ['training', '培训'],
  ['study_visit', '外出学习考察'],
  ['other', '其他活动'],
]

let driver
let s

async function launch() {
  s = await Session.create(driver.base, APP)
  await s.waitFor('[data-test=add-activity]')
}

before(async () => {
  lvzhi('member', 'add', '--code', '15001', '--name', '王强')
  lvzhi('studio', 'add', '--name', '法律服务委员工作室', '--kind', '特色型', '--lead', '15001')
  driver = await startDriver(4462, { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data') })
  await launch()
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

/** Clicks a row's button (edit or delete) in the row whose title is `title`. */
async function rowButton(title, dataTest) {
  await s.execute(
    `const row = Array.from(document.querySelectorAll('.el-table-v2__row'))
       .find((r) => r.querySelector('[data-test=row-title]')?.textContent === arguments[0])
     row.querySelector('[data-test=' + arguments[1] + ']').click()`,
    [title, dataTest],
  )
}

test('a record of every category, each with the fields its category asks for', async () => {
  for (const [i, [, label]] of CATEGORIES.entries()) {
    await s.openActivityForm()
    await s.chooseOption('field-category', label)
    await s.type(await s.waitFor('input[data-test=field-title]'), `${label}测试`)
    if (label === '监测平台信息') {
      await s.setNumber('field-received', 10)
      await s.setNumber('field-resolved', 9)
    }
    if (label === '帮扶资金') await s.setNumber('field-funds', '1200.5')
    if (label === '提案') await s.type(await s.waitFor('input[data-test=field-doc]'), '第101号')
    if (label === '工作室活动') {
      await s.chooseOption('field-studio', '法律服务委员工作室')
      await s.setNumber('field-served', 80)
    }
    await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
    await s.waitForText('[data-test=record-count]', `共 ${i + 1} 条`)
  }
  const stored = records()
  const byCategory = Object.fromEntries(stored.map((a) => [a.category, a]))
  for (const [word, label] of CATEGORIES) {
    assert.equal(byCategory[word]?.title, `${label}测试`, word)
  }
  assert.equal(byCategory.monitoring_intake.items_received, 10)
  assert.equal(byCategory.monitoring_intake.items_resolved, 9)
  assert.equal(byCategory.assistance.funds_fen, 120050)
  assert.equal(byCategory.proposal.doc_number, '第101号')
  assert.equal(byCategory.studio_activity.studio_name, '法律服务委员工作室')
  assert.equal(byCategory.studio_activity.people_served, 80)
  assert.equal(byCategory.other.people_served, 0)
})

test('editing a record changes it and bumps its version', async () => {
  await s.waitForGone('.el-drawer')
  await rowButton('其他活动测试', 'edit-activity')
  const title = await s.waitFor('input[data-test=field-title]')
  await s.waitForStill('.el-drawer')
  await s.replaceText(title, '改过的座谈会')
  await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
  await s.waitForText('[data-test=row-title]', '改过的座谈会')
  const edited = records().find((a) => a.category === 'other')
  assert.equal(edited.title, '改过的座谈会')
  assert.equal(edited.version, 2)
})

test('delete leaves a tombstone, and undo brings the record back', async () => {
  await s.waitForGone('.el-drawer')
  await rowButton('培训测试', 'delete-activity')
  await s.waitForText('[data-test=record-count]', '共 10 条')
  assert.equal(records().find((a) => a.category === 'training').deleted, true)
  // The undo button sits in a notification that slides in; clicked by script once shown.
  await s.waitFor('[data-test=undo-delete]')
  await s.execute("document.querySelector('[data-test=undo-delete]').click()")
  await s.waitForText('[data-test=record-count]', '共 11 条')
  const back = records().find((a) => a.category === 'training')
  assert.equal(back.deleted, false)
  assert.equal(back.version, 3)
})

test('the list filters by text and by category', async () => {
  const search = await s.waitFor('input[data-test=filter-text]')
  await s.type(search, '提案')
  await s.waitForText('[data-test=record-count]', '共 1 条')
  await s.replaceText(search, '')
  await s.waitForText('[data-test=record-count]', '共 11 条')
  await s.chooseOption('filter-category', '帮扶资金', '.bar h1')
  await s.waitForText('[data-test=record-count]', '共 1 条')
  await s.waitForText('[data-test=row-title]', '帮扶资金测试')
})

test('after a restart the records are still there', async () => {
  await s.close()
  await waitForAppExit(db)
  await launch()
  await s.waitForText('[data-test=record-count]', '共 11 条')
  await s.waitForText('[data-test=row-title]', '改过的座谈会')
})
