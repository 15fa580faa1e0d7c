/**
 * 换电脑 end to end: a member's old laptop logs two records and sends its package (CLI); the
 * office merges and accepts them (CLI), then records the change of laptop in the real window
 * (电脑标识 → 换电脑) and exports the roster package there; a NEW laptop, a fresh ledger in its
 * own window, imports that package and lists the member's accepted records under their own ids
 * and versions; its next package merges at the office without a duplicate or a conflict, and
 * the carrying back ends. The dialogs are answered through LVZHI_E2E_SAVE_DIR and
 * LVZHI_E2E_OPEN_FILE (see dialogs.rs); the CLI checks what each ledger stored.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver, waitForAppExit } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-change-laptop-'))
const office = join(dir, 'office.db')
const oldLaptop = join(dir, 'old-laptop.db')
const newLaptop = join(dir, 'new-laptop.db')
const outbox = join(dir, 'outbox')
mkdirSync(outbox)
const lvzhi = (db, ...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })
const records = (db) =>
  JSON.parse(lvzhi(db, 'activity', 'list', '--json'))
    .map((a) => [a.id, a.version, a.status, a.title])
    .sort()

/** The person's own date, as the CLI and the window take it: records of this year. */
const pad = (n) => String(n).padStart(2, '0')
const now = new Date()
const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`

const open = []
after(async () => {
  for (const [s, d] of open) {
    await s.close()
    d.child.kill()
  }
})

async function launch(port, env) {
  const d = await startDriver(port, { ...env, XDG_DATA_HOME: join(dir, `data-${port}`) })
  const s = await Session.create(d.base, APP)
  open.push([s, d])
  return s
}

/** Closes a window and its driver, and waits until its app has let go of `db`. */
async function close(s, db) {
  const i = open.findIndex(([t]) => t === s)
  const [, d] = open.splice(i, 1)[0]
  await s.close()
  d.child.kill()
  await waitForAppExit(db)
}

/** Clicks the button labelled `text` in the confirmation box that is open. */
async function confirmBox(s, text) {
  await s.waitFor('.el-message-box')
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', text))
  await s.waitForGone('.el-message-box')
}

let accepted = []
let rosterFile = ''

test('the old laptop sends two records and the office accepts them', () => {
  lvzhi(office, 'member', 'add', '--code', '15001', '--name', '王强')
  lvzhi(office, 'device', 'set', '--office')
  lvzhi(oldLaptop, 'member', 'add', '--code', '15001', '--name', '王强')
  lvzhi(oldLaptop, 'device', 'set', '--member', '15001')
  for (const title of ['义诊进社区', '走访小微企业']) {
    lvzhi(oldLaptop, 'activity', 'add', '--date', today, '--category', 'inspection', '--title', title, '--served', '30')
  }
  const old = join(dir, 'old.lvzhi')
  lvzhi(oldLaptop, 'package', 'export', '--member', '15001', '--out', old)
  assert.match(lvzhi(office, 'package', 'import', old), /新增 2/)
  for (const [id] of records(office)) lvzhi(office, 'activity', 'review', id, '--accept')
  accepted = records(office)
  assert.equal(accepted.length, 2)
  assert.ok(accepted.every((r) => r[2] === 'accepted'))
})

test('the office records 换电脑 in the window and exports the roster package', async () => {
  const s = await launch(4490, { LVZHI_DB: office, LVZHI_E2E_SAVE_DIR: outbox })
  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.clickWhenReady(() => s.waitForElementWithText('.el-tabs__item', '电脑标识'))
  await s.waitForText('[data-test=member-keys]', '王强（15001）')
  await s.clickWhenReady(() => s.waitFor('[data-test=change-laptop]'))
  await s.waitForText('.el-message-box', '将清除登记的电脑标识')
  await s.waitForStill('.el-message-box')
  await s.screenshot(join(ARTIFACTS, 'change-laptop-confirm.png'))
  await confirmBox(s, '办理换电脑')
  await s.waitForText('.el-message', '已为王强（15001）办理换电脑')
  await s.waitForText('[data-test=carry-back]', '王强（15001）：名单包带回已通过的记录 2 条')
  await s.screenshot(join(ARTIFACTS, 'change-laptop-office.png'))
  assert.equal(JSON.parse(lvzhi(office, 'package', 'keys', '--json')).length, 0, 'the old key is cleared')
  assert.equal(JSON.parse(lvzhi(office, 'package', 'carry-back', '--json'))[0].member_code, '15001')

  await s.clickWhenReady(() => s.waitFor('[data-test=export-roster-package]'))
  await s.waitForText('.el-message', '已保存')
  const written = readdirSync(outbox).filter((f) => f.startsWith('名单包'))
  assert.equal(written.length, 1)
  rosterFile = join(outbox, written[0])
  await close(s, office)
})

test('a new laptop imports the roster package and lists the records of its member', async () => {
  assert.ok(rosterFile, 'the office part ran first')
  const s = await launch(4494, { LVZHI_DB: newLaptop, LVZHI_E2E_OPEN_FILE: rosterFile })
  // A fresh ledger: the member says who they are, then imports what the office sent.
  await s.waitFor('[data-test=setup-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-member]'))
  await s.type(await s.waitFor('input[data-test=setup-name]'), '王强')
  await s.type(await s.waitFor('input[data-test=setup-code]'), '15001')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=import-roster-package]'))
  await s.waitForText('.el-message', '办公室带回您已通过的记录 2 条')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.waitForText('[data-test=record-count]', '共 2 条')
  await s.waitForText('[data-test=row-title]', '义诊进社区')
  await s.waitForText('[data-test=row-title]', '走访小微企业')
  await s.screenshot(join(ARTIFACTS, 'change-laptop-new.png'))
  assert.deepEqual(records(newLaptop), accepted, 'the same ids, versions and reviews')

  // Importing the same roster package again changes nothing.
  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=import-roster-package]'))
  await s.waitForText('.el-message', '审核结果')
  assert.deepEqual(records(newLaptop), accepted)
  await close(s, newLaptop)
})

test('the next package of the new laptop merges at the office without duplicates or conflicts', () => {
  lvzhi(newLaptop, 'activity', 'add', '--date', today, '--category', 'training', '--title', '新电脑上的培训')
  const next = join(dir, 'new.lvzhi')
  lvzhi(newLaptop, 'package', 'export', '--member', '15001', '--out', next)
  const merged = JSON.parse(lvzhi(office, 'package', 'import', next, '--json'))
  assert.deepEqual(
    [merged.key, merged.new, merged.unchanged, merged.updated, merged.conflicts, merged.rejected],
    ['new', 1, 2, 0, 0, 0],
  )
  const atOffice = records(office)
  assert.equal(atOffice.length, 3, 'no record twice')
  for (const r of accepted) assert.ok(atOffice.some((o) => JSON.stringify(o) === JSON.stringify(r)), r[3])
  assert.equal(JSON.parse(lvzhi(office, 'package', 'keys', '--json')).length, 1, 'the new laptop\'s key is recorded')
  assert.equal(JSON.parse(lvzhi(office, 'package', 'carry-back', '--json')).length, 0, 'the carrying back has ended')
})
