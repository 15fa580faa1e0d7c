/**
 * End to end through the real window: a member logs an activity in the app, and the CLI,
 * reading the same ledger file, shows it. Also checks that a script payload typed as a title
 * stays inert text. Needs Xvfb ($DISPLAY), tauri-driver and WebKitWebDriver; run by
 * tests/e2e/run.sh.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
mkdirSync(ARTIFACTS, { recursive: true })

const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-'))
const db = join(dir, 'ledger.db')
const lvzhi = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })

let driver
let s

before(async () => {
  lvzhi('member', 'add', '--code', '15001', '--name', '王强', '--sector', '医药卫生')
  lvzhi('member', 'add', '--code', '15002', '--name', '李梅', '--sector', '医药卫生')
  lvzhi('studio', 'add', '--name', '医药卫生界别委员工作室', '--kind', 'sector', '--lead', '15001', '--member', '15002')
  driver = await startDriver(4444, { LVZHI_DB: db })
  s = await Session.create(driver.base, APP)
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

const choose = (dataTest, label, closeBy) => s.chooseOption(dataTest, label, closeBy)
const openForm = () => s.openActivityForm()
const setNumber = (dataTest, value) => s.setNumber(dataTest, value)

test('first launch: the member says this is their own laptop', async () => {
  await s.waitFor('[data-test=setup-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-member]'))
  await choose('setup-owner', '王强（15001）', '.el-dialog__header')
  await s.screenshot(join(ARTIFACTS, 'first-launch.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
  await s.waitForText('[data-test=open-setup]', '王强')
  assert.equal(lvzhi('member', 'list', '--json').includes('15001'), true)
})

test('a member logs a studio activity in the window and the CLI sees it', async () => {
  const year = new Date().getFullYear()
  await s.waitForText('[data-test=record-count]', '共 0 条')
  await s.screenshot(join(ARTIFACTS, 'empty-ledger.png'))

  await openForm()
  const title = await s.waitFor('input[data-test=field-title]')
  await s.type(title, '义诊进社区')
  await choose('field-studio', '医药卫生界别委员工作室')
  await choose('field-participants', '王强（15001）')
  await choose('field-participants', '李梅（15002）')
  await setNumber('field-served', 230)
  await s.type(await s.waitFor('input[data-test=field-location]'), '西城街道')
  await s.screenshot(join(ARTIFACTS, 'activity-form.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))

  await s.waitForText('[data-test=record-count]', '共 1 条')
  await s.waitForText('[data-test=row-title]', '义诊进社区')
  await s.waitForText('[data-test=summary-people]', '230人次')
  await s.screenshot(join(ARTIFACTS, 'after-save.png'))

  const list = JSON.parse(lvzhi('activity', 'list', '--json'))
  assert.equal(list.length, 1)
  const a = list[0]
  assert.equal(a.title, '义诊进社区')
  assert.equal(a.category, 'studio_activity')
  assert.equal(a.studio_name, '医药卫生界别委员工作室')
  assert.deepEqual(a.participants, ['15001', '15002'])
  assert.equal(a.people_served, 230)
  assert.equal(a.location, '西城街道')
  assert.equal(a.author_code, '15001', 'logged on 王强’s own laptop')
  assert.ok(a.date.startsWith(`${year}-`), a.date)
})

test('a script typed as a title is saved and shown as plain text', async () => {
  const payload = '<img src=x onerror="document.title=\'pwned\'">'
  await s.waitForGone('.el-drawer')
  await openForm()
  const title = await s.waitFor('input[data-test=field-title]')
  await s.clear(title)
  await s.type(title, payload)
  await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
  await s.waitForText('[data-test=record-count]', '共 2 条')
  await s.waitForText('[data-test=row-title]', payload)
  const injected = await s.execute(
    "return document.querySelectorAll('[data-test=activity-table] img').length",
  )
  assert.equal(injected, 0)
  assert.notEqual(await s.execute('return document.title'), 'pwned')
  const titles = JSON.parse(lvzhi('activity', 'list', '--json')).map((x) => x.title)
  assert.ok(titles.includes(payload))
})
